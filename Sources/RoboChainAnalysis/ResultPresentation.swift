import RoboChainJSON
import RoboChainModel

extension AnalysisResult {
    /// Everything of the result a person reads, as typed tables, in the order to show them:
    /// the findings (when the result has any key `findings`), the result's own tables, then the
    /// metrics. Output formats — terminal, Markdown, CSV, workbook, report — lay out these
    /// tables and nothing else, so they show any analysis alike without knowing it.
    ///
    /// The findings table has `severity`, `kind`, the subject (`component` and/or `firm`, as
    /// the findings have them), then each further member: typed by ``findingColumns`` where the
    /// result declares it, otherwise by its JSON type (a number, true/false, text; a list or an
    /// object as compact JSON), in the order first met; then `message`. Rows are the findings by
    /// severity, most severe first, in the analysis' order within a severity.
    ///
    /// - Complexity: O(findings × members) plus the tables' size.
    public var presentedTables: [ResultTable] { presentedTables(in: .en) }

    /// ``presentedTables`` with the findings' and metrics' own titles in `language` (the
    /// analysis' tables and finding members are in the language it was asked for).
    public func presentedTables(in language: Language) -> [ResultTable] {
        var tables: [ResultTable] = []
        if let findings { tables.append(Self.findingsTable(findings, declared: findingColumns, language: language, kindTitles: kindTitles)) }
        tables += self.tables
        if let metrics, !metrics.isEmpty {
            var table = ResultTable(id: "metrics", title: language.pick("Metrics", "指标"), columns: [
                TableColumn("metric", language.pick("Metric", "指标"), .text), TableColumn("value", language.pick("Value", "数值"), .number),
            ])
            for (name, value) in metrics.sorted(by: { $0.key < $1.key }) { table.rows.append([.text(name), .number(value)]) }
            tables.append(table)
        }
        return tables
    }

    /// The keys of the result that no table presents: extra keys, when the result has no view
    /// tables (which present the built-ins' keys). Formats for people name them, so a reader
    /// knows to look at the JSON.
    public var unpresentedKeys: [String] {
        tables.contains(where: \.isView) ? [] : extra.keys
    }

    static func findingsTable(
        _ findings: [Finding], declared: [TableColumn], language: Language = .en, kindTitles: [String: String] = [:]
    ) -> ResultTable {
        var columns = [
            TableColumn("severity", language.pick("Severity", "严重程度"), .text), TableColumn("kind", language.pick("Kind", "类型"), .text),
        ]
        let hasComponent = findings.contains { $0.component != nil }
        let hasFirm = findings.contains { $0.firm != nil }
        if hasComponent { columns.append(TableColumn("component", language.pick("Component", "环节"), .component)) }
        if hasFirm { columns.append(TableColumn("firm", language.pick("Firm", "企业"), .firm)) }
        var members = declared.filter { column in findings.contains { $0.details[column.id] != nil } }
        var known = Set(members.map(\.id))
        for finding in findings {
            for member in finding.details.members where known.insert(member.key).inserted {
                members.append(TableColumn(member.key, member.key, Self.inferredType(member.key, in: findings)))
            }
        }
        columns += members
        columns.append(TableColumn("message", language.pick("Message", "说明"), .text))
        var table = ResultTable(id: "findings", title: language.pick("Findings", "发现"), columns: columns)
        table.rows.reserveCapacity(findings.count)
        let ordered = findings.enumerated().sorted { left, right in
            left.element.severity != right.element.severity ? left.element.severity < right.element.severity : left.offset < right.offset
        }
        for (_, finding) in ordered {
            var row: [CellValue?] = [.text(finding.severity.rawValue), .text(kindTitles[finding.kind] ?? finding.kind)]
            if hasComponent { row.append(finding.component.map { .id($0) }) }
            if hasFirm { row.append(finding.firm.map { .id($0) }) }
            for member in members {
                row.append(finding.details[member.id].flatMap { Self.cell($0, as: member.type) })
            }
            row.append(.text(finding.message))
            table.rows.append(row)
        }
        return table
    }

    /// The column type of an undeclared finding member: number when every value is one,
    /// boolean likewise, else text.
    static func inferredType(_ key: String, in findings: [Finding]) -> ColumnType {
        let values = findings.compactMap { $0.details[key] }.filter { !$0.isNull }
        if !values.isEmpty && values.allSatisfy({ $0.numberValue != nil }) { return .number }
        if !values.isEmpty && values.allSatisfy({ $0.boolValue != nil }) { return .boolean }
        return .text
    }

    /// A finding member as a cell of `type`; a value not of that type is shown as text (as
    /// compact JSON when it is not a string).
    static func cell(_ value: JSONValue, as type: ColumnType) -> CellValue? {
        if value.isNull { return nil }
        if let cell = CellValue(json: value, type: type) { return cell }
        if let text = value.stringValue { return .text(text) }
        return .text(String(decoding: JSONWriter.encode(value, style: .compact), as: UTF8.self))
    }
}
