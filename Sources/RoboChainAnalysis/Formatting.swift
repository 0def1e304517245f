import RoboChainModel

/// Text for messages and tables: percentages and element names.
public enum Wording {
    /// A share in [0, 1] as a whole percentage, e.g. `41 %`; `–` for `nil`.
    public static func percent(_ share: Double?) -> String {
        guard let share, share.isFinite else { return "–" }
        let percent = share * 100
        if percent > 0 && percent < 1 { return "<1 %" }
        if percent < 100 && percent > 99 { return ">99 %" }
        return "\(Int(percent.rounded())) %"
    }

    /// `Name (id)`, or just the id when the name is the id.
    public static func label(name: String, id: String) -> String {
        name == id || name.isEmpty ? id : "\(name) (\(id))"
    }

    /// A component's label.
    public static func component(_ component: Int, in model: ChainModel) -> String {
        label(name: model.components.names[component], id: model.components.ids[component])
    }

    /// A region's label.
    public static func region(_ region: Int, in model: ChainModel) -> String {
        label(name: model.regions.names[region], id: model.regions.ids[region])
    }

    /// The first `limit` items joined with `, `, then ` and N more` for the rest: `a, b and 3 more`.
    ///
    /// Only the items shown are read, so a lazy map over a large collection costs `limit` calls.
    public static func list<Items: Collection<String>>(_ items: Items, first limit: Int) -> String {
        let rest = items.count - limit
        return items.prefix(limit).joined(separator: ", ") + (rest > 0 ? " and \(rest) more" : "")
    }

    /// ``list(_:first:)`` in a language: in Chinese the items are joined with `、` and the rest
    /// is ` 及另外 N 项` ("and N more").
    public static func list<Items: Collection<String>>(_ items: Items, first limit: Int, language: Language) -> String {
        guard language == .zh else { return list(items, first: limit) }
        let rest = items.count - limit
        return items.prefix(limit).joined(separator: "、") + (rest > 0 ? " 及另外 \(rest) 项" : "")
    }

    /// `1 supplier`, `3 suppliers`.
    public static func count(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }
}

/// How many columns text takes in a terminal or a monospaced label: East Asian wide and
/// full-width characters take two, combining marks, zero-width characters and controls none
/// (a compact form of Unicode's East Asian Width, UAX #11).
public enum DisplayWidth {
    /// The width of a character: that of its first scalar (what follows it combines).
    public static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        switch scalar.value {
        case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F, 0..<0x20:
            return 0
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
            0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// The width of a text: the sum of its characters'.
    public static func of(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// `text` broken into lines of at most `limit` columns: at spaces where it can, inside a
    /// word only when the word alone is wider (CJK text has no spaces). Line breaks in `text`
    /// are kept.
    ///
    /// - Complexity: O(length of the text).
    public static func wrap(_ text: String, to limit: Int) -> [String] {
        var lines: [String] = []
        let paragraphs = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for paragraph in paragraphs {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                let wordWidth = of(word)
                if lineWidth > 0 && lineWidth + 1 + wordWidth <= limit {
                    line += " " + word
                    lineWidth += 1 + wordWidth
                    continue
                }
                if lineWidth > 0 {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                if wordWidth <= limit {
                    line = String(word)
                    lineWidth = wordWidth
                    continue
                }
                for character in word {
                    let characterWidth = of(character)
                    if lineWidth + characterWidth > limit && lineWidth > 0 {
                        lines.append(line)
                        line = ""
                        lineWidth = 0
                    }
                    line.append(character)
                    lineWidth += characterWidth
                }
            }
            lines.append(line)
        }
        return lines
    }

    /// `text` cut to at most `width` columns, ending in "…" (spaces before it dropped) when cut.
    ///
    /// - Complexity: O(length of the text).
    public static func truncate(_ text: some StringProtocol, to width: Int) -> String {
        guard of(text) > width else { return String(text) }
        var kept = ""
        var used = 0
        for character in text {
            let next = of(character)
            if used + next > width - 1 { break }
            kept.append(character)
            used += next
        }
        while kept.last == " " { kept.removeLast() }
        return kept + "…"
    }
}

