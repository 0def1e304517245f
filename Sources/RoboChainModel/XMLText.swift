/// Text made safe for XML 1.0: the one escaper of every XML the tool writes (GraphML, GEXF, the
/// workbook's SpreadsheetML).
///
/// It lives in RoboChainModel, beside ``CSVWriter``, because that is the lowest module all of
/// its users already depend on: no new target and no new dependency.
public enum XMLText {
    /// `text` safe in element content and in attribute values alike: `& < > " '` as entities;
    /// tab, line feed and carriage return as character references (so that attribute-value
    /// normalisation keeps them); the characters XML 1.0 forbids (other C0 controls, U+FFFE,
    /// U+FFFF) as U+FFFD. Text that needs none of this is returned as it is.
    ///
    /// - Complexity: O(n) in the text's length.
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsWork) else { return text }
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

    private static func needsWork(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar == "&" || scalar == "<" || scalar == ">" || scalar == "\"" || scalar == "'"
            || scalar.value == 0xFFFE || scalar.value == 0xFFFF
    }
}
