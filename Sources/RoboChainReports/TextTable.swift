import RoboChainAnalysis

/// A terminal text style (ANSI SGR), applied only when colour is on.
public enum TextStyle: String, Sendable {
    case bold = "1"
    case dim = "2"
    case red = "31"
    case boldRed = "1;31"
    case green = "32"
    case yellow = "33"
    case cyan = "36"

    func apply(_ text: String, colour: Bool) -> String {
        colour ? "\u{1B}[\(rawValue)m\(text)\u{1B}[0m" : text
    }
}

/// One cell of a table: text and an optional style.
struct Cell {
    var text: String
    var style: TextStyle?

    init(_ text: String, _ style: TextStyle? = nil) {
        self.text = PlainText.line(text)
        self.style = style
    }
}

/// A table laid out in aligned columns for a terminal, counting wide (CJK) characters as two
/// columns; or as a Markdown pipe table.
struct TextTable {
    enum Alignment { case left, right }

    var header: [String]
    var alignments: [Alignment]
    var rows: [[Cell]] = []

    init(_ columns: [(String, Alignment)]) {
        header = columns.map(\.0)
        alignments = columns.map(\.1)
    }

    mutating func add(_ cells: [Cell]) {
        rows.append(cells)
    }

    /// Aligned columns separated by two spaces; the header in bold when colour is on.
    func render(colour: Bool) -> String {
        var widths = header.map(DisplayWidth.of)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], DisplayWidth.of(cell.text)) }
        }
        func line(_ cells: [Cell], headerStyle: Bool) -> String {
            var parts: [String] = []
            for (index, cell) in cells.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - DisplayWidth.of(cell.text))
                let isLast = index == cells.count - 1
                let padded = alignments[index] == .right ? padding + cell.text : cell.text + (isLast ? "" : padding)
                let style = headerStyle ? TextStyle.bold : cell.style
                parts.append(style.map { $0.apply(padded, colour: colour) } ?? padded)
            }
            return parts.joined(separator: "  ")
        }
        var lines = [line(header.map { Cell($0) }, headerStyle: true)]
        lines += rows.map { line($0, headerStyle: false) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Markdown pipe table; `|` in cells escaped, line breaks flattened.
    func markdown() -> String {
        func escape(_ text: String) -> String {
            MarkdownText.escape(text).replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
        }
        var lines = ["| " + header.map(escape).joined(separator: " | ") + " |"]
        lines.append("|" + alignments.map { $0 == .right ? " ---: |" : " --- |" }.joined())
        for row in rows {
            lines.append("| " + row.map { escape($0.text) }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Text made literal in Markdown: names and messages must not turn into markup.
enum MarkdownText {
    /// Backslash-escapes Markdown's punctuation (backslash, backtick, `*`, `_`, `[`, `]`, `#`,
    /// `~`) and writes `<`, `>` — and `&` where it starts an entity such as `&lt;` — as HTML
    /// entities, so `<b>` or `*x*` in a name shows as typed and "R&D" stays readable.
    static func escape(_ text: String) -> String {
        let characters = Array(text)
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for (index, character) in characters.enumerated() {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "#", "~": escaped += "\\\(character)"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&" where startsEntity(characters[(index + 1)...]): escaped += "&amp;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Whether text after a `&` makes it an entity: a name or `#` number, then `;`.
    private static func startsEntity(_ rest: ArraySlice<Character>) -> Bool {
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "#" }
        return !name.isEmpty && rest.dropFirst(name.count).first == ";"
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
