/// Text from a model or a plugin made safe to show: names are free Unicode, and a name holding a
/// line break, a terminal escape sequence, a NUL or a bidirectional override would break a
/// table's rows or play tricks on the terminal that shows it.
public enum PlainText {
    /// The text on one line: line breaks and tabs become spaces; other control characters and
    /// bidirectional overrides become U+FFFD.
    public static func line(_ text: String) -> String {
        clean(text, keepLineBreaks: false)
    }

    /// The text with its line breaks kept, other control characters made visible as U+FFFD.
    public static func lines(_ text: String) -> String {
        clean(text, keepLineBreaks: true)
    }

    private static func clean(_ text: String, keepLineBreaks: Bool) -> String {
        guard text.unicodeScalars.contains(where: isSuspect) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if !isSuspect(scalar) {
                result.append(scalar)
            } else if scalar == "\n" && keepLineBreaks {
                result.append(scalar)
            } else if scalar == "\n" || scalar == "\r" || scalar == "\t" {
                result.append(" ")
            } else {
                result.append("\u{FFFD}")
            }
        }
        return String(result)
    }

    /// C0 and C1 control characters, DEL, and the bidirectional embedding, override and
    /// isolate characters.
    private static func isSuspect(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (value >= 0x7F && value <= 0x9F) || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value)
    }

    /// A CSV cell that a spreadsheet would not run as a formula: text starting with `=`, `+`,
    /// `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's advice for CSV exports).
    public static func spreadsheetSafe(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }
}
