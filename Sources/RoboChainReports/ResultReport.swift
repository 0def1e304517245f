import RoboChainAnalysis
import RoboChainJSON
import RoboChainModel

/// The output formats of `robochain analyze` (SPEC §4).
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Aligned columns for a person at a terminal.
    case table
    /// The result objects of SPEC §2–3: one object, or an array for several analyses.
    case json
    /// One row per finding or component, with a column per field.
    case csv
    /// Headings and pipe tables, for pasting into a report.
    case markdown
    /// An Office Open XML workbook, a sheet per table (written by `RoboChainWorkbook`, not by
    /// ``ResultReport``).
    case xlsx

    /// The text format ``ResultReport`` writes for this output format; nil for `xlsx`, which
    /// `RoboChainWorkbook`'s `ResultWorkbook` writes.
    public var text: TextFormat? {
        switch self {
        case .table: .table
        case .json: .json
        case .csv: .csv
        case .markdown: .markdown
        case .xlsx: nil
        }
    }

    /// The format an output file's extension names: `.json`, `.csv`, `.md` or `.markdown`,
    /// `.xlsx`, `.txt` or `.text` (a table); nil for any other.
    public init?(extension suffix: String) {
        switch suffix.lowercased() {
        case "json": self = .json
        case "csv": self = .csv
        case "md", "markdown": self = .markdown
        case "txt", "text": self = .table
        case "xlsx": self = .xlsx
        default: return nil
        }
    }
}

/// The text formats of a report of results (``ResultReport``) or of a comparison
/// (``ComparisonReport``).
public enum TextFormat: String, CaseIterable, Sendable {
    /// Aligned columns for a person at a terminal.
    case table
    /// JSON (SPEC §2–3 for results, §7 for a comparison).
    case json
    /// One row per finding, table row or change, with a column per field.
    case csv
    /// Headings and pipe tables, for pasting into a report.
    case markdown
}

/// One analysis of a command: its name, the options it ran with, and what came of it.
public struct ReportEntry: Sendable {
    public var name: String
    public var options: OptionValues
    public var outcome: Result<AnalysisResult, AnalysisError>

    public init(name: String, options: OptionValues, outcome: Result<AnalysisResult, AnalysisError>) {
        self.name = name
        self.options = options
        self.outcome = outcome
    }
}

/// Formats the results of `robochain analyze`, generic over every analysis.
///
/// Every format shows a result through its typed parts alone — headline, findings (with the
/// members the analysis declares in ``AnalysisResult/findingColumns``), tables and metrics, as
/// ``AnalysisResult/presentedTables`` gives them — so a plugin's tables and finding members
/// show exactly as a built-in's do, and no format knows an analysis by name. Ids are shown by
/// their names (CSV gives both), shares as percentages, rows in the analysis' order. A failed
/// analysis is named in the summary line and otherwise left out (the command reports its cause
/// on standard error).
public struct ResultReport {
    public let model: ChainModel
    public let scope: Int
    public let entries: [ReportEntry]
    /// The width to fit tables to (a terminal's), cutting long names with "…"; nil for none.
    public var width: Int?
    /// The language of the report's own words (headings, notes, findings' and metrics' column
    /// titles, yes/no); the analyses' words come in the language they were run with.
    public var language: Language = .en
    /// Whether CSV starts with a UTF-8 byte-order mark, by which Excel (on a Chinese Windows
    /// PC in particular) knows the file is UTF-8 rather than the system's code page.
    public var byteOrderMark = false

    public init(model: ChainModel, scope: Int, entries: [ReportEntry]) {
        self.model = model
        self.scope = scope
        self.entries = entries
    }

    /// The report as bytes of UTF-8 text.
    ///
    /// - Parameters:
    ///   - format: The output format.
    ///   - colour: Whether to use ANSI colours (table format only).
    public func render(_ format: TextFormat, colour: Bool = false) -> [UInt8] {
        switch format {
        case .json:
            var writer = JSONWriter(style: .pretty)
            json(&writer)
            return writer.bytes
        case .csv: return (byteOrderMark ? [0xEF, 0xBB, 0xBF] : []) + Array(csv().utf8)
        case .table: return Array(text(markdown: false, colour: colour).utf8)
        case .markdown: return Array(text(markdown: true, colour: false).utf8)
        }
    }

    /// Writes the report to an output stream; JSON goes out in chunks as it is encoded, so a
    /// large result is never held whole.
    public func write(_ format: TextFormat, colour: Bool = false, to stream: OutputFile.Stream) {
        guard format == .json else {
            stream.write(render(format, colour: colour))
            return
        }
        var writer = JSONWriter(style: .pretty) { stream.write($0) }
        json(&writer)
    }

    /// The analyses that gave a result, with it.
    public var successes: [(entry: ReportEntry, result: AnalysisResult)] {
        entries.compactMap { entry in
            if case .success(let result) = entry.outcome { return (entry, result) }
            return nil
        }
    }

    // MARK: - JSON

    /// One analysis: its result object; several: an array of the results in the order given.
    /// A failed analysis has no result and is left out (its cause goes to standard error).
    func json(_ writer: inout JSONWriter) {
        if entries.count == 1, case .success(let result) = entries[0].outcome {
            result.write(to: &writer)
        } else {
            writer.beginArray()
            for (_, result) in successes { result.write(to: &writer) }
            writer.endArray()
        }
        writer.finish()
    }

    // MARK: - CSV

    /// Every presented table of every analysis in one sheet: a row per table row, with the
    /// columns `analysis`, `scope`, `table`, then the union of the tables' columns in the order
    /// first met — an id column followed by `<id>Name` with the names. Shares are written as
    /// percentages (`39.5%`), which spreadsheets read as numbers; every text cell is made safe
    /// against formula injection.
    func csv() -> String {
        var columns: [String] = ["analysis", "scope", "table"]
        var positions: [String: Int] = [:]
        var tablesByAnalysis: [(analysis: String, scope: String, tables: [ResultTable])] = []
        for (entry, result) in successes {
            let tables = result.presentedTables(in: language)
            tablesByAnalysis.append((entry.name, result.scope ?? model.regions.ids[scope], tables))
            for table in tables {
                for column in table.columns where positions[column.id] == nil {
                    positions[column.id] = columns.count
                    columns.append(column.id)
                    if column.type.element != nil {
                        positions[column.id + "Name"] = columns.count
                        columns.append(column.id + "Name")
                    }
                }
            }
        }
        var lines = [columns.map { CSVWriter.field(PlainText.spreadsheetSafe($0)) }.joined(separator: ",")]
        for (analysis, scopeID, tables) in tablesByAnalysis {
            for table in tables {
                for row in table.rows {
                    // Text is made safe against formula injection; numbers (a negative one
                    // starts with '-') are written as numbers.
                    func text(_ value: String) -> String { PlainText.spreadsheetSafe(PlainText.lines(value)) }
                    var cells = [String](repeating: "", count: columns.count)
                    cells[0] = text(analysis)
                    cells[1] = text(scopeID)
                    cells[2] = text(table.id)
                    for (column, cell) in zip(table.columns, row) {
                        guard let cell, let position = positions[column.id] else { continue }
                        let written = TableText.csv(cell, type: column.type)
                        cells[position] = cell.numberValue != nil ? written : text(written)
                        if column.type.element != nil, let namePosition = positions[column.id + "Name"] {
                            cells[namePosition] = text(TableText.display(cell, type: column.type, model: model, language: language))
                        }
                    }
                    lines.append(cells.map(CSVWriter.field).joined(separator: ","))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Table and Markdown

    func text(markdown: Bool, colour: Bool) -> String {
        var output = ""
        let scopeLabel = PlainText.line(Wording.region(scope, in: model))
        let summary = PlainText.line(summaryLine(scopeLabel: scopeLabel))
        if markdown {
            let title = PlainText.line(model.title ?? model.id ?? "Chain analysis")
            output += "# \(MarkdownText.escape(title)) — \(MarkdownText.escape(scopeLabel))\n\n\(MarkdownText.escape(summary))\n"
        } else {
            output += TextStyle.bold.apply(summary, colour: colour) + "\n"
        }
        for (entry, result) in successes {
            output += "\n" + section(entry, result, markdown: markdown, colour: colour)
        }
        return output
    }

    /// "Guangdong 广东 (CN-GD): gap-detection: 27 gaps (…); localisation-share: local share of …"
    func summaryLine(scopeLabel: String) -> String {
        let words = ReportWords(language)
        var parts: [String] = []
        for (entry, result) in successes {
            if let headline = result.headline {
                parts.append("\(entry.name): \(headline)")
            } else if let findings = result.findings {
                parts.append("\(entry.name): \(words.count(findings.count, "finding", "项发现"))")
            } else if !result.tables.isEmpty {
                parts.append("\(entry.name): \(words.count(result.tables.count, "table", "个表"))")
            } else if let metrics = result.metrics {
                parts.append("\(entry.name): \(words.count(metrics.count, "metric", "项指标"))")
            } else {
                parts.append("\(entry.name): \(language.pick("done", "完成"))")
            }
        }
        let failed = entries.filter { if case .failure = $0.outcome { true } else { false } }.map(\.name)
        if !failed.isEmpty {
            parts.append(language.pick("failed: ", "失败：") + failed.joined(separator: ", ") + language.pick(" (see standard error)", "（见标准错误输出）"))
        }
        return "\(scopeLabel): " + parts.joined(separator: "; ")
    }

    /// One analysis: a heading with its scope, scenario and options, then each presented table
    /// under its title, with notes saying what its columns mean.
    private func section(_ entry: ReportEntry, _ result: AnalysisResult, markdown: Bool, colour: Bool) -> String {
        let words = ReportWords(language)
        var heading = "\(entry.name)\(language.pick(" in ", " — "))\(result.scope.flatMap { id in model.regions.index(of: id).map { Wording.region($0, in: model) } } ?? Wording.region(scope, in: model))"
        if let options = entry.options.readable { heading += " (" + options + ")" }
        var output = markdown
            ? "## \(MarkdownText.escape(PlainText.line(heading)))\n\n"
            : TextStyle.bold.apply(PlainText.line(heading), colour: colour) + "\n"
        if let scenario = result.scenario, !scenario.isEmpty {
            output += paragraph(words.scenario + ": " + scenario.joined(separator: ", "), markdown: markdown)
        }
        if let headline = result.headline {
            output += paragraph(headline, markdown: markdown)
        }
        let tables = result.presentedTables(in: language).map { $0.withFirmAttributes(of: model, language: language) }
        for table in tables {
            if !output.hasSuffix("\n\n") { output += "\n" }
            output += markdown
                ? "### \(MarkdownText.escape(PlainText.line(table.title)))\n\n"
                : TextStyle.bold.apply(PlainText.line(table.title), colour: colour) + "\n"
            guard !table.rows.isEmpty else {
                output += paragraph(table.id == "findings" ? words.noFindings : words.noRows, markdown: markdown)
                continue
            }
            output += layout(table, markdown: markdown, colour: colour)
            let notes = table.columns.compactMap { column in column.help.map { "\(column.title.uppercased()): \($0)." } }
            if !notes.isEmpty { output += note(notes.joined(separator: " "), markdown: markdown) }
        }
        if tables.isEmpty {
            output += paragraph(words.nothingPresented, markdown: markdown)
        }
        let unpresented = result.unpresentedKeys
        if !unpresented.isEmpty {
            output += note(words.alsoInResult + unpresented.joined(separator: ", ") + language.pick(".", "。"), markdown: markdown)
        }
        return output
    }

    /// A table laid out for a terminal or as a Markdown pipe table: text columns that never
    /// hold more than 24 columns' width are labels (never cut), numbers are right-aligned.
    private func layout(_ table: ResultTable, markdown: Bool, colour: Bool) -> String {
        let words = ReportWords(language)
        var texts: [[Cell]] = []
        texts.reserveCapacity(table.rows.count)
        for row in table.rows {
            texts.append(zip(table.columns, row).map { column, cell in
                guard let cell else { return Cell(column.type.isNumeric ? "–" : "") }
                var text = TableText.display(cell, type: column.type, model: model, language: language)
                if table.id == "findings" && column.id == "severity" { text = words.severity(text) }
                return Cell(text, colour ? Self.style(cell, column: column) : nil)
            })
        }
        var alignments: [TextTable.Alignment] = table.columns.map { $0.type.isNumeric ? .right : $0.type == .boolean ? .label : .left }
        for (index, column) in table.columns.enumerated() where column.type == .text {
            if texts.allSatisfy({ DisplayWidth.of($0[index].text) <= 24 }) { alignments[index] = .label }
        }
        var text = TextTable(zip(table.columns, alignments).map { (PlainText.line($0.title.uppercased()), $1) })
        text.rows = texts
        if markdown { return text.markdown() }
        // A terminal too narrow for every column: the rightmost that do not fit are left out,
        // and a note says which (other formats have them all).
        guard let width else { return text.render(colour: colour) }
        let kept = text.fittingColumnCount(width: width)
        guard kept < table.columns.count else { return text.render(colour: colour, width: width) }
        let left = table.columns[kept...].map { $0.title.uppercased() }
        return text.prefix(kept).render(colour: colour, width: width)
            + note("Not shown, for the terminal's width: \(left.joined(separator: ", ")) (see --format markdown or csv).", markdown: false)
    }

    /// Severities by their level, shares red (below 30 %), yellow (below 60 %) or green.
    private static func style(_ cell: CellValue, column: TableColumn) -> TextStyle? {
        if column.type == .share { return style(forShare: cell.numberValue) }
        if column.id == "severity", case .text(let text) = cell {
            switch Severity(rawValue: text) {
            case .critical: return .boldRed
            case .high: return .red
            case .medium: return .yellow
            case .low: return .cyan
            default: return .dim
            }
        }
        return nil
    }

    private static func style(forShare share: Double?) -> TextStyle? {
        guard let share else { return .dim }
        return share < 0.3 ? .red : share < 0.6 ? .yellow : .green
    }

    private func paragraph(_ text: String, markdown: Bool) -> String {
        markdown ? MarkdownText.escape(PlainText.line(text)) + "\n\n" : note(text, markdown: false)
    }

    /// An explanatory note under a table: a paragraph of its own in Markdown; in a terminal,
    /// wrapped at word boundaries to the terminal's width when it is known.
    private func note(_ text: String, markdown: Bool) -> String {
        let text = PlainText.line(text)
        if markdown { return "\n" + MarkdownText.escape(text) + "\n" }
        guard let width, width > 20 else { return text + "\n" }
        return DisplayWidth.wrap(text, to: width).joined(separator: "\n") + "\n"
    }
}

/// How table cells read: for people (names for ids, percentages for shares) and in CSV.
public enum TableText {
    /// A cell as a person reads it: an id by its element's name (the id itself when the model
    /// has no such element), a list of ids as names joined by ", ", a share as a whole
    /// percentage, a number to three decimals, a Boolean as yes or no.
    public static func display(_ cell: CellValue, type: ColumnType, model: ChainModel, language: Language = .en) -> String {
        switch cell {
        case .text(let text): return text
        case .number(let number): return type == .share ? Wording.percent(number) : decimal(number)
        case .integer(let integer): return type == .share ? Wording.percent(Double(integer)) : String(integer)
        case .boolean(let flag): return flag ? language.pick("yes", "是") : language.pick("no", "否")
        case .id(let id): return name(of: id, type: type, model: model)
        case .ids(let ids): return ids.map { name(of: $0, type: type, model: model) }.joined(separator: ", ")
        }
    }

    /// A cell in CSV: ids as ids (lists joined by ";"), shares as percentages with up to four
    /// decimals (`39.1234%`), numbers in their shortest exact form, Booleans as true or false.
    public static func csv(_ cell: CellValue, type: ColumnType) -> String {
        switch cell {
        case .text(let text), .id(let text): return text
        case .number(let number):
            guard type == .share, number.isFinite else { return exact(number) }
            return percentText(number)
        case .integer(let integer): return type == .share ? percentText(Double(integer)) : String(integer)
        case .boolean(let flag): return String(flag)
        case .ids(let ids): return ids.joined(separator: ";")
        }
    }

    static func name(of id: String, type: ColumnType, model: ChainModel) -> String {
        type.element?.name(of: id, in: model) ?? id
    }

    /// A share as a percentage with up to four decimals, trailing zeros dropped: `39.1234%`.
    static func percentText(_ share: Double) -> String {
        let scaled = (share * 1_000_000).rounded() / 10_000
        if scaled == scaled.rounded() && abs(scaled) < 1e15 { return "\(Int(scaled))%" }
        return "\(scaled)%"
    }

    static func exact(_ number: Double) -> String {
        String(decoding: JSONWriter.encode(.number(number), style: .compact), as: UTF8.self)
    }

    /// A number to three decimals; very large and very small ones as Swift writes them (1e+308).
    public static func decimal(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        guard abs(value) < 1e15 && (value == 0 || abs(value) >= 1e-3) else { return String(value) }
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int(rounded)) }
        return String(rounded)
    }
}

extension [UInt8] {
    var asString: String { String(decoding: self, as: UTF8.self) }
}
