/// Text from an input file, made fit to quote in a message: never longer than a line or two,
/// and never able to move the terminal's cursor or reorder what follows it.
public enum MessageText {
    /// The most characters of one quoted text shown in a message.
    public static let maximumQuoted = 120

    /// `text` with control and bidirectional-override characters written as `\u{…}`, bytes that
    /// are not UTF-8 (``ByteText``) as `\xFF`, and a backslash as `\\` (so no escape is ambiguous), cut to
    /// `limit` characters with the full length said after it ("…" and "(8388608 bytes in all)").
    ///
    /// - Complexity: O(`limit`) for long text (only its start is looked at), O(text) otherwise.
    public static func quoted(_ text: some StringProtocol, limit: Int = maximumQuoted) -> String {
        var shown = ""
        var count = 0
        var index = text.unicodeScalars.startIndex
        let scalars = text.unicodeScalars
        while index != scalars.endIndex {
            if count == limit {
                return shown + "… (\(text.utf8.count) bytes in all)"
            }
            let scalar = scalars[index]
            if ByteText.escapes.contains(scalar.value) {
                // A byte that is not UTF-8 (a file name's, an argument's): see ByteText.
                let byte = String(scalar.value - ByteText.offset, radix: 16, uppercase: true)
                shown += "\\x" + byte
            } else if scalar == "\\" {
                shown += "\\\\"  // so that every backslash shown begins an escape
            } else if isUnsafe(scalar) {
                shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                shown.unicodeScalars.append(scalar)
            }
            count += 1
            index = scalars.index(after: index)
        }
        return shown
    }

    /// The most characters of a longer text shown in a message: a plugin's own `error.message`,
    /// say.
    public static let maximumMessage = 2000

    /// `text` as it is when it has at most `limit` characters, else its first `limit`
    /// characters and "… (N more characters)". Unlike ``quoted(_:limit:)``, nothing is escaped.
    ///
    /// - Complexity: O(`limit`) for text of at most `limit` characters; O(text) otherwise (the
    ///   characters cut are counted).
    public static func shortened(_ text: String, limit: Int = maximumMessage) -> String {
        guard let end = text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex), end != text.endIndex else {
            return text
        }
        return text[..<end] + "… (\(text[end...].count) more characters)"
    }

    /// `text` as it is but for the bytes that are not UTF-8 (``ByteText``), written as `\xFF`:
    /// for a message made elsewhere (by the argument parser) that may hold an argument.
    public static func showingBytes(_ text: String) -> String {
        guard ByteText.holdsEscapes(text) else { return text }
        var shown = ""
        for scalar in text.unicodeScalars {
            if ByteText.escapes.contains(scalar.value) {
                shown += "\\x" + String(scalar.value - ByteText.offset, radix: 16, uppercase: true)
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    /// Whether a scalar must not reach a terminal or a label as it is: C0 and C1 controls (tab
    /// excepted), DEL, and the bidirectional controls (U+061C, U+200E–F, U+202A–E, U+2066–9).
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
