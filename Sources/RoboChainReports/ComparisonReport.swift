import RoboChainAnalysis
import RoboChainComparison
import RoboChainJSON
import RoboChainModel

/// The output of `robochain compare` (SPEC §7): JSON as the SPEC gives it; for people, per
/// analysis, what appeared, what went, what changed and what moved most, with names; CSV with a
/// row per difference.
public struct ComparisonReport {
    public let comparisons: [ResultComparison]
    /// The models of the two runs, for names (the other's first: it may have elements the base lacks).
    public let baseModel: ChainModel
    public let otherModel: ChainModel
    /// The width to fit tables to (a terminal's); nil for none.
    public var width: Int?
    /// Whether JSON is a list of comparisons even when there is one (several analyses were
    /// asked for and some failed), as `analyze` prints its results.
    public var asList = false
    /// How many moved values the table and Markdown formats show per analysis (the largest
    /// changes); JSON and CSV list them all.
    public var movedShown = 20

    public init(comparisons: [ResultComparison], baseModel: ChainModel, otherModel: ChainModel) {
        self.comparisons = comparisons
        self.baseModel = baseModel
        self.otherModel = otherModel
    }

    /// The report as UTF-8 text in `format`.
    public func render(_ format: TextFormat, colour: Bool = false) -> [UInt8] {
        switch format {
        case .json:
            var writer = JSONWriter(style: .pretty)
            json(&writer)
            return writer.bytes
        case .csv: return Array(csv().utf8)
        case .table: return Array(text(markdown: false, colour: colour).utf8)
        case .markdown: return Array(text(markdown: true, colour: false).utf8)
        }
    }

    /// Writes the report to an output stream; JSON goes out in chunks as it is encoded.
    public func write(_ format: TextFormat, colour: Bool = false, to stream: OutputFile.Stream) {
        guard format == .json else {
            stream.write(render(format, colour: colour))
            return
        }
        var writer = JSONWriter(style: .pretty) { stream.write($0) }
        json(&writer)
    }

    /// One analysis: its comparison object; several: an array of them in the order given (as
    /// `analyze` prints results, SPEC §4).
    func json(_ writer: inout JSONWriter) {
        if comparisons.count == 1 && !asList {
            comparisons[0].write(to: &writer)
        } else {
            writer.beginArray()
            for comparison in comparisons { comparison.write(to: &writer) }
            writer.endArray()
        }
        writer.finish()
    }

    // MARK: - Names

    /// `Name` of a component, firm or region id (looked up in that order, the other model
    /// first), or the text itself.
    func name(_ id: String) -> String {
        for model in [otherModel, baseModel] {
            if let index = model.components.index(of: id) { return model.components.names[index] }
            if let index = model.firms.index(of: id) { return model.firms.names[index] }
            if let index = model.regions.index(of: id) { return model.regions.names[index] }
        }
        return id
    }

    /// What a finding is about, by name.
    func subject(_ finding: Finding) -> String {
        if let component = finding.component { return name(component) }
        if let firm = finding.firm { return name(firm) }
        return "–"
    }

    /// A path for people: its keys joined by ` › `, ids by their names.
    func describe(path: [String]) -> String {
        path.map(name).joined(separator: " › ")
    }

    /// A finding's member value for people: numbers to three decimals, lists of ids by name.
    func describe(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: return "–"
        case .number(let number)?: return TableText.decimal(number)
        case .string(let text)?: return name(text)
        case .bool(let flag)?: return String(flag)
        case .array(let elements)?:
            if elements.isEmpty { return "none" }
            return elements.map { element in element.stringValue.map(name) ?? describe(element) }.joined(separator: ", ")
        case .object?: return JSONWriter.encode(value!, style: .compact).asString
        }
    }

    /// What changed in a finding: `severity high → critical; localSuppliers 1 → 0`.
    func changes(_ change: ChangedFinding) -> String {
        var parts: [String] = []
        if change.base.severity != change.other.severity {
            parts.append("severity \(change.base.severity) → \(change.other.severity)")
        }
        var keys = change.base.details.keys
        for key in change.other.details.keys where !keys.contains(key) { keys.append(key) }
        for key in keys where change.base.details[key] != change.other.details[key] {
            parts.append("\(key) \(describe(change.base.details[key])) → \(describe(change.other.details[key]))")
        }
        return parts.joined(separator: "; ")
    }

    /// A table cell for people (names for ids, percentages for shares), or `–`.
    func cellText(_ cell: CellValue?, type: ColumnType) -> String {
        guard let cell else { return "–" }
        if case .id(let id) = cell {
            for model in [otherModel, baseModel] {
                if let name = type.element?.name(of: id, in: model) { return name }
            }
            return id
        }
        return TableText.display(cell, type: type, model: otherModel)
    }

    /// A share as a percentage with two decimals: `34.27 %`.
    static func finePercent(_ share: Double) -> String {
        let hundredths = Int((share * 10_000).rounded())
        let rest = abs(hundredths) % 100
        return "\(hundredths / 100).\(rest < 10 ? "0" : "")\(rest) %"
    }

    static func signed(_ value: Double) -> String {
        (value > 0 ? "+" : "") + TableText.decimal(value)
    }

    // MARK: - Table and Markdown

    func text(markdown: Bool, colour: Bool) -> String {
        guard let first = comparisons.first else { return "" }
        var output = ""
        let title = "Comparison: base \(first.base.description) → other \(first.other.description)"
        output += markdown ? "# \(MarkdownText.escape(PlainText.line(title)))\n" : TextStyle.bold.apply(PlainText.line(title), colour: colour) + "\n"
        for comparison in comparisons {
            output += "\n" + section(comparison, markdown: markdown, colour: colour)
        }
        return output
    }

    private func heading(_ text: String, level: Int, markdown: Bool, colour: Bool) -> String {
        let text = PlainText.line(text)
        return markdown ? String(repeating: "#", count: level) + " \(MarkdownText.escape(text))\n\n" : TextStyle.bold.apply(text, colour: colour) + "\n"
    }

    private func render(_ table: TextTable, markdown: Bool, colour: Bool) -> String {
        markdown ? table.markdown() : table.render(colour: colour, width: width)
    }

    func summary(_ comparison: ResultComparison) -> String {
        [Wording.count(comparison.added.count, "finding") + " appeared", "\(comparison.removed.count) went",
         "\(comparison.changed.count) changed", Wording.count(comparison.values.count, "value") + " moved"]
            .joined(separator: ", ")
    }

    private func section(_ comparison: ResultComparison, markdown: Bool, colour: Bool) -> String {
        var output = heading("\(comparison.analysis): \(summary(comparison))", level: 2, markdown: markdown, colour: colour)
        // In Markdown, a blank line between a table and the next heading.
        var gap: String { markdown && !output.hasSuffix("\n\n") ? "\n" : "" }
        for (label, findings, style) in [("Appeared (only in other)", comparison.added, TextStyle.red),
            ("Went (only in base)", comparison.removed, TextStyle.green)] where !findings.isEmpty
        {
            output += gap + heading("\(label): \(findings.count)", level: 3, markdown: markdown, colour: colour)
            var table = TextTable([("SEVERITY", .label), ("KIND", .label), ("SUBJECT", .left), ("MESSAGE", .left)])
            for finding in findings {
                table.add([Cell(finding.severity.rawValue, style), Cell(finding.kind), Cell(subject(finding)), Cell(finding.message)])
            }
            output += render(table, markdown: markdown, colour: colour)
        }
        if !comparison.changed.isEmpty {
            output += gap + heading("Changed: \(comparison.changed.count)", level: 3, markdown: markdown, colour: colour)
            var table = TextTable([("KIND", .label), ("SUBJECT", .left), ("WHAT CHANGED (base → other)", .left)])
            for change in comparison.changed {
                table.add([Cell(change.other.kind), Cell(subject(change.other)), Cell(changes(change))])
            }
            output += render(table, markdown: markdown, colour: colour)
        }
        for table in comparison.tables {
            let shown = table.rows.prefix(movedShown)
            let label = table.rows.count > shown.count
                ? "Moved: \(table.title) — the \(shown.count) rows that moved most of \(table.rows.count)"
                : "Moved: \(table.title) — \(Wording.count(table.rows.count, "row"))"
            output += gap + heading(label, level: 3, markdown: markdown, colour: colour)
            var rows = TextTable([(table.keyColumn.title.uppercased(), .left), ("CHANGES (base → other)", .left)])
            for row in shown {
                var subject = table.keyColumn.type == .text ? row.key : cellText(.id(row.key), type: table.keyColumn.type)
                if !row.inBase { subject += " (only in other)" }
                if !row.inOther { subject += " (only in base)" }
                let changes = row.cells.map { cell in
                    var (before, after) = (cellText(cell.base, type: cell.column.type), cellText(cell.other, type: cell.column.type))
                    // A share that moved less than the rounding of whole percentages shows a decimal.
                    if before == after, cell.column.type == .share, let x = cell.base?.numberValue, let y = cell.other?.numberValue {
                        (before, after) = (Self.finePercent(x), Self.finePercent(y))
                    }
                    return "\(cell.column.title) \(before) → \(after)"
                }
                rows.add([Cell(subject), Cell(changes.joined(separator: "; "))])
            }
            output += render(rows, markdown: markdown, colour: colour)
        }
        // Values the tables do not show: every one for a result without view tables (its own
        // tables' cells aside), the metrics for one with them.
        let values = comparison.valuesByChange.filter { value in
            comparison.hasViews ? value.path.first == "metrics" : value.path.first != "tables"
        }
        if !values.isEmpty {
            let shown = values.prefix(movedShown)
            let label = values.count > shown.count
                ? "Moved most: the \(shown.count) largest of \(values.count) changes (all in --format json or csv)"
                : "Moved: \(Wording.count(values.count, "value"))"
            output += gap + heading(label, level: 3, markdown: markdown, colour: colour)
            var table = TextTable([("VALUE", .left), ("BASE", .right), ("OTHER", .right), ("CHANGE", .right)])
            for value in shown {
                table.add([Cell(describe(path: value.path)), Cell(TableText.decimal(value.base)),
                    Cell(TableText.decimal(value.other)), Cell(Self.signed(value.change), value.change < 0 ? .red : .green)])
            }
            output += render(table, markdown: markdown, colour: colour)
        }
        if comparison.added.isEmpty && comparison.removed.isEmpty && comparison.changed.isEmpty && comparison.values.isEmpty
            && comparison.tables.isEmpty
        {
            output += "No difference.\n"
        }
        return output
    }

    // MARK: - CSV

    static let csvColumns = [
        "analysis", "change", "kind", "severity", "component", "firm", "name", "path", "base", "other", "difference", "detail",
    ]

    /// The columns of numbers robochain writes itself (a negative one starts with `-`).
    static let csvNumberColumns: Set<String> = ["base", "other", "difference"]

    /// A row per difference the table format shows: per finding that appeared (`added`), went
    /// (`removed`) or changed (`changed`); per table row only in the other run (`appeared`) or
    /// only in the base run (`went`), its path `tables/ID/KEY`; then per moved value (`moved`),
    /// the largest changes first. A value a table column shows is written as analyze's CSV
    /// writes that column's cells (``TableText/csv(_:type:)``: shares as `57.0677%`); any other
    /// in its shortest exact form.
    func csv() -> String {
        var lines = [Self.csvColumns.joined(separator: ",")]
        func row(_ cells: [String: String]) {
            lines.append(Self.csvColumns.map { column in
                let text = cells[column] ?? ""
                // Every text cell may hold a plugin's text (its kind, severity, ids, messages):
                // neutralised as analyze's CSV does; the numbers robochain writes are left as they are.
                return CSVWriter.field(Self.csvNumberColumns.contains(column) ? text : PlainText.spreadsheetSafe(PlainText.line(text)))
            }.joined(separator: ","))
        }
        func number(_ value: Double, _ type: ColumnType?) -> String {
            type.map { TableText.csv(.number(value), type: $0) } ?? JSONWriter.encode(.number(value), style: .compact).asString
        }
        for comparison in comparisons {
            func finding(_ change: String, _ finding: Finding, detail: String) {
                row(["analysis": comparison.analysis, "change": change, "kind": finding.kind, "severity": finding.severity.rawValue,
                     "component": finding.component ?? "", "firm": finding.firm ?? "", "name": subject(finding), "detail": detail])
            }
            for added in comparison.added { finding("added", added, detail: added.message) }
            for removed in comparison.removed { finding("removed", removed, detail: removed.message) }
            for change in comparison.changed { finding("changed", change.other, detail: changes(change)) }
            for (change, appeared) in [("appeared", true), ("went", false)] {
                for (table, tableRow) in comparison.rows(appeared: appeared) {
                    let name = table.keyColumn.type == .text ? tableRow.key : cellText(.id(tableRow.key), type: table.keyColumn.type)
                    let component = table.keyColumn.type == .component ? tableRow.key : ""
                    let firm = table.keyColumn.type == .firm ? tableRow.key : ""
                    row(["analysis": comparison.analysis, "change": change, "component": component, "firm": firm, "name": name,
                         "path": ["tables", table.id, tableRow.key].joined(separator: "/"),
                         "detail": "\(table.title): only in \(appeared ? "other" : "base")"])
                }
            }
            for value in comparison.valuesByChange {
                row(["analysis": comparison.analysis, "change": "moved", "path": value.path.joined(separator: "/"),
                     "name": describe(path: value.path), "base": number(value.base, value.type), "other": number(value.other, value.type),
                     "difference": number(value.change, value.type)])
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
