import RoboChainAnalysis
import RoboChainModel
import RoboChainReports

/// The results of `robochain analyze` as a workbook, generic over every analysis: a summary
/// sheet (model, scope, date, scenario, each analysis' options and headline), then one sheet per
/// table that ``AnalysisResult/presentedTables`` gives — findings, the result's own tables (a
/// plugin's exactly as a built-in's), metrics — named `<analysis> <table>`.
///
/// An id column becomes two: the names (titled as the column) and the ids beside them
/// (`… id`); a list of ids likewise (names joined by ", ", ids by "; "). Shares are numbers in
/// percentage format, numbers and integers numbers, Booleans TRUE/FALSE; every text is a string
/// cell (see ``Workbook``).
public struct ResultWorkbook {
    /// The model analysed (with any scenario applied).
    public let model: ChainModel
    /// The scope: an index into the model's regions.
    public let scope: Int
    /// The analyses that ran and their results, in the order asked for.
    public let entries: [ReportEntry]
    /// The date the report is of, as text (e.g. `2026-12-02`).
    public var date: String
    /// The language of the sheet's own words (headers, labels); names stay as the model writes them.
    public var language: Language

    /// A workbook of `entries` on `model` for `scope`, dated `date`, its own words in `language`.
    public init(model: ChainModel, scope: Int, entries: [ReportEntry], date: String, language: Language = .en) {
        self.model = model
        self.scope = scope
        self.entries = entries
        self.date = date
        self.language = language
    }

    /// The workbook.
    ///
    /// - Complexity: O(cells of the presented tables).
    public var workbook: Workbook {
        let words = ReportWords(language)
        var sheets = [summary(words)]
        for entry in entries {
            guard case .success(let result) = entry.outcome else { continue }
            for table in result.presentedTables(in: language).map({ $0.withFirmAttributes(of: model, language: language) }) {
                sheets.append(sheet(table, analysis: entry.name, words: words))
            }
        }
        return Workbook(sheets: sheets, title: model.title ?? model.id)
    }

    func summary(_ words: ReportWords) -> Worksheet {
        var rows: [[WorkbookCell?]] = []
        func line(_ label: String, _ value: String) { rows.append([.text(label), .text(PlainText.line(value))]) }
        if let id = model.id { line(words.modelID, id) }
        line(words.scope, Wording.region(scope, in: model))
        line(words.date, date)
        for entry in entries {
            rows.append([])
            switch entry.outcome {
            case .success(let result):
                line(words.analysis, entry.name)
                if let options = entry.options.readable { line(words.options, options) }
                if let scenario = result.scenario, !scenario.isEmpty { line(words.scenario, scenario.joined(separator: ", ")) }
                if let headline = result.headline { line(words.summary, headline) }
            case .failure(let failure):
                line(words.analysis, entry.name)
                line(words.failed, failure.description)
            }
        }
        return Worksheet(name: words.summarySheet, header: [PlainText.line(model.title ?? model.id ?? "RoboChain"), ""], rows: rows,
            isTable: false)
    }

    func sheet(_ table: ResultTable, analysis: String, words: ReportWords) -> Worksheet {
        var header: [String] = []
        for column in table.columns {
            let title = PlainText.line(column.title)
            header.append(title)
            if column.type.element != nil { header.append(title + " " + words.idSuffix) }
        }
        var rows: [[WorkbookCell?]] = []
        rows.reserveCapacity(table.rows.count)
        for row in table.rows {
            var cells: [WorkbookCell?] = []
            cells.reserveCapacity(header.count)
            for (column, cell) in zip(table.columns, row) {
                guard let cell else {
                    cells.append(nil)
                    if column.type.element != nil { cells.append(nil) }
                    continue
                }
                switch column.type {
                case .share: cells.append(cell.numberValue.map { .percent($0) })
                case .number, .integer: cells.append(cell.numberValue.map { .number($0) })
                case .boolean:
                    if case .boolean(let flag) = cell { cells.append(.boolean(flag)) } else { cells.append(nil) }
                case .text: cells.append(.text(PlainText.lines(TableText.display(cell, type: column.type, model: model, language: language))))
                case .component, .firm, .region, .components, .firms:
                    cells.append(.text(PlainText.line(TableText.display(cell, type: column.type, model: model, language: language))))
                    cells.append(.text(cell.idValues.joined(separator: "; ")))
                }
            }
            rows.append(cells)
        }
        return Worksheet(name: "\(analysis) \(table.id)", header: header, rows: rows)
    }
}
