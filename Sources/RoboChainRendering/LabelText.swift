import RoboChainAnalysis

/// Text measures for labels: display width, CJK detection, readable text colours.
enum LabelText {
    /// Whether a scalar needs a CJK font (Han, kana, hangul, CJK punctuation and full-width forms).
    static func needsCJKFont(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x11FF, 0x2E80...0x303F, 0x3040...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFFEF,
            0x20000...0x3FFFD:
            true
        default:
            false
        }
    }

    /// Whether any character of `text` needs a CJK font.
    static func containsCJK(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: needsCJKFont)
    }

    /// The display width of a character (``DisplayWidth``).
    static func width(_ character: Character) -> Int { DisplayWidth.of(character) }

    /// The display width of a text (``DisplayWidth``).
    static func width(_ text: Substring) -> Int { DisplayWidth.of(text) }

    /// `text` cut to at most `width` columns, with `…` when cut; line breaks become spaces.
    static func truncate(_ text: String, width limit: Int) -> String {
        DisplayWidth.truncate(String(text.map { $0.isNewline ? " " : $0 }), to: limit)
    }

    /// Wrapped, escaped lines joined by `<BR/>`, for an HTML-like label.
    ///
    /// - Parameter maxLines: When given, lines past it are dropped and the last kept one ends
    ///   in "…" (a name of a thousand characters must not make a node a page tall).
    static func htmlLines(_ text: String, width: Int, maxLines: Int? = nil) -> String {
        var lines = DisplayWidth.wrap(text, to: width)
        if let maxLines, lines.count > maxLines {
            lines.removeLast(lines.count - maxLines)
            lines[maxLines - 1] = truncate(lines[maxLines - 1] + " …", width: width)
        }
        return lines.map(HTMLText.escape).joined(separator: "<BR/>")
    }

    /// The relative luminance (WCAG 2) of a `#rrggbb` colour, or `nil` for another text.
    static func luminance(_ colour: String) -> Double? {
        let bytes = Array(colour.utf8)
        guard bytes.count == 7, bytes[0] == UInt8(ascii: "#") else { return nil }
        var channels: [Double] = []
        for index in stride(from: 1, to: 7, by: 2) {
            guard let value = UInt8(String(decoding: bytes[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            let channel = Double(value) / 255
            channels.append(channel <= 0.03928 ? channel / 12.92 : pow((channel + 0.055) / 1.055, 2.4))
        }
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    }

    /// Black or white, whichever reads better on `fill` (WCAG contrast; black when unknown).
    static func textColour(on fill: String?) -> String {
        guard let fill, let background = luminance(fill) else { return "#000000" }
        let withBlack = (background + 0.05) / 0.05
        let withWhite = 1.05 / (background + 0.05)
        return withWhite > withBlack ? "#ffffff" : "#000000"
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
