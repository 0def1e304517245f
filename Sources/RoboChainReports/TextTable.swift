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
    /// How a column is laid out: `left` text (cut with "…" when a table must fit a width),
    /// `label` (left-aligned, never cut: kinds, severities), `right` (numbers, never cut).
    enum Alignment { case left, label, right }

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
    ///
    /// - Parameter width: When given (a terminal's width), the `left` columns are narrowed —
    ///   the rightmost first, none below 12 columns — until the table fits; the cut text (a
    ///   header too) ends in "…".
    func render(colour: Bool, width: Int? = nil) -> String {
        var widths = header.map(DisplayWidth.of)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], DisplayWidth.of(cell.text)) }
        }
        if let width {
            let minimums = header.indices.map { alignments[$0] == .left ? min(12, widths[$0]) : widths[$0] }
            Self.narrow(&widths, to: width, minimums: minimums)
        }
        func line(_ cells: [Cell], headerStyle: Bool) -> String {
            var parts: [String] = []
            for (index, cell) in cells.enumerated() {
                let text = DisplayWidth.truncate(cell.text, to: widths[index])
                let padding = String(repeating: " ", count: widths[index] - DisplayWidth.of(text))
                let isLast = index == cells.count - 1
                let padded = alignments[index] == .right ? padding + text : text + (isLast ? "" : padding)
                let style = headerStyle ? TextStyle.bold : cell.style
                parts.append(style.map { $0.apply(padded, colour: colour) } ?? padded)
            }
            let line = parts.joined(separator: "  ")
            // Empty cells at the end of a row leave no trailing blanks.
            guard !colour, line.last == " " else { return line }
            return String(line.reversed().drop(while: { $0 == " " }).reversed())
        }
        var lines = [line(header.map { Cell($0) }, headerStyle: true)]
        lines += rows.map { line($0, headerStyle: false) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// How many of the columns, from the left, fit in `width` at their narrowest (text columns
    /// at 12, their header cut if need be; the others whole); at least one.
    func fittingColumnCount(width: Int) -> Int {
        var used = 0
        for index in header.indices {
            var widest = DisplayWidth.of(header[index])
            for row in rows { widest = max(widest, DisplayWidth.of(row[index].text)) }
            if alignments[index] == .left { widest = min(12, widest) }
            used += widest + (index > 0 ? 2 : 0)
            if used > width { return max(1, index) }
        }
        return header.count
    }

    /// The table without its columns from `count` on.
    func prefix(_ count: Int) -> TextTable {
        var table = self
        table.header = Array(header.prefix(count))
        table.alignments = Array(alignments.prefix(count))
        table.rows = rows.map { Array($0.prefix(count)) }
        return table
    }

    /// Narrows columns to their minimums, the rightmost first (the first text column, usually
    /// the subject of the row, keeps its width longest), until the columns and the two-space
    /// gaps between them fit in `total` (or none can give more).
    static func narrow(_ widths: inout [Int], to total: Int, minimums: [Int]) {
        var excess = widths.reduce(0, +) + 2 * max(0, widths.count - 1) - total
        for index in widths.indices.reversed() where excess > 0 && widths[index] > minimums[index] {
            let given = min(excess, widths[index] - minimums[index])
            widths[index] -= given
            excess -= given
        }
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
