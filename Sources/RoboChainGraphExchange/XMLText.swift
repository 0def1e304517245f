/// Text made safe for XML 1.0 attribute values and character data.
enum XMLText {
    /// `& < > " '` as entities; tab, line feed and carriage return as character references (so
    /// that attribute-value normalisation keeps them); characters XML 1.0 forbids (other C0
    /// controls, U+FFFE, U+FFFF) as U+FFFD.
    static func escape(_ text: String) -> String {
        var needs = false
        for scalar in text.unicodeScalars where scalar.value < 0x20 || "&<>\"'".unicodeScalars.contains(scalar) || scalar.value >= 0xFFFE {
            needs = true
            break
        }
        guard needs else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&apos;".unicodeScalars)
            case "\t": out.append(contentsOf: "&#9;".unicodeScalars)
            case "\n": out.append(contentsOf: "&#10;".unicodeScalars)
            case "\r": out.append(contentsOf: "&#13;".unicodeScalars)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out.append("\u{FFFD}")
                } else {
                    out.append(scalar)
                }
            }
        }
        return String(out)
    }

    /// A value as text: numbers in Swift's shortest round-trip form (`nil` for NaN and
    /// infinities, which neither format can hold), booleans `true`/`false`.
    static func value(_ value: GraphValue) -> String? {
        switch value {
        case .text(let text): return escape(text)
        case .integer(let integer): return String(integer)
        case .number(let number): return number.isFinite ? String(number) : nil
        case .boolean(let flag): return flag ? "true" : "false"
        }
    }
}
