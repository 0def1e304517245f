import RoboChainAnalysis
import RoboChainComparison
import RoboChainJSON
import Testing

/// Comparing two results (SPEC §7): findings by analysis, kind and subject; numbers by path,
/// lists of rows and table rows by key — on small inline results with exact expectations.
@Suite struct ResultComparisonTests {
    static let base = RunLabel(model: "m", scope: "CN-GD")
    static let other = RunLabel(model: "m", scope: "CN-GD", scenario: ["without region:JP"])

    static func finding(_ kind: String, _ component: String?, severity: Severity = .high, message: String = "m", firm: String? = nil,
        details: JSONObject = [:]) -> Finding
    {
        Finding(kind: kind, severity: severity, message: message, component: component, firm: firm, details: details)
    }

    static func compare(_ a: AnalysisResult, _ b: AnalysisResult) -> ResultComparison {
        ResultComparison(base: a, other: b, baseRun: base, otherRun: other)
    }

    @Test func findingsAreMatchedByKindAndSubject() {
        let a = AnalysisResult(analysis: "gaps", findings: [
            Self.finding("foreign-only", "reducer", severity: .critical, details: ["suppliers": 2]),
            Self.finding("no-local-supplier", "sensor", message: "old sentence", details: ["suppliers": 3]),
            Self.finding("single-local-source", "hand", severity: .medium),
            Self.finding("sole", nil, firm: "acme"),
        ])
        let b = AnalysisResult(analysis: "gaps", findings: [
            Self.finding("no-local-supplier", "sensor", message: "new sentence", details: ["suppliers": 3]),
            Self.finding("foreign-only", "reducer", severity: .critical, details: ["suppliers": 1]),
            Self.finding("no-local-supplier", "hand"),
            Self.finding("sole", nil, firm: "acme"),
            Self.finding("sole", nil, firm: "other"),
        ])
        let comparison = Self.compare(a, b)
        #expect(comparison.added == [Self.finding("no-local-supplier", "hand"), Self.finding("sole", nil, firm: "other")])
        #expect(comparison.removed == [Self.finding("single-local-source", "hand", severity: .medium)])
        // The message alone does not make a change; a detail does.
        #expect(comparison.changed == [ChangedFinding(
            base: Self.finding("foreign-only", "reducer", severity: .critical, details: ["suppliers": 2]),
            other: Self.finding("foreign-only", "reducer", severity: .critical, details: ["suppliers": 1]))])
        #expect(comparison.values == [])
    }

    @Test func repeatedIdentitiesAreMatchedInOrder() {
        let a = AnalysisResult(analysis: "p", findings: [Self.finding("k", "x", details: ["n": 1]), Self.finding("k", "x", details: ["n": 2])])
        let b = AnalysisResult(analysis: "p", findings: [Self.finding("k", "x", details: ["n": 1])])
        let comparison = Self.compare(a, b)
        #expect(comparison.added == [] && comparison.changed == [])
        #expect(comparison.removed == [Self.finding("k", "x", details: ["n": 2])])
    }

    @Test func numbersAreMatchedByPath() throws {
        let a = AnalysisResult(analysis: "share", metrics: ["hhi": 0.5, "same": 1, "gone": 3], extra: [
            "components": ["reducer": ["direct": 0.25, "suppliers": 3, "name": "RV"], "hand": ["direct": 1]],
            "roots": ["humanoid": 0.4, "dog": .null],
            "firms": [["firm": "acme", "score": 0.1], ["firm": "beta", "score": 0.2]],
            "series": [1, 2, 3],
        ])
        let b = AnalysisResult(analysis: "share", metrics: ["hhi": 0.75, "same": 1, "new": 2], extra: [
            // Other key order, a component more, a null where a number was.
            "roots": ["dog": 0.5, "humanoid": 0.5],
            "components": ["hand": ["direct": 1], "reducer": ["suppliers": 2, "direct": .null], "extra": ["direct": 0]],
            // Rows in another order: matched by their firm, not their place.
            "firms": [["firm": "beta", "score": 0.3], ["firm": "acme", "score": 0.1]],
            "series": [1, 5, 3],
        ])
        let comparison = Self.compare(a, b)
        #expect(comparison.values == [
            MovedValue(path: ["metrics", "hhi"], base: 0.5, other: 0.75),
            MovedValue(path: ["components", "reducer", "suppliers"], base: 3, other: 2),
            MovedValue(path: ["roots", "humanoid"], base: 0.4, other: 0.5),
            MovedValue(path: ["firms", "beta", "score"], base: 0.2, other: 0.3),
        ])
        #expect(comparison.valuesByChange.map(\.path.last) == ["suppliers", "hhi", "humanoid", "score"])
    }

    @Test func tableRowsAreMatchedByTheirKeyColumn() throws {
        func table(_ rows: [JSONValue]) -> JSONValue {
            ["id": "by-country", "title": "Suppliers by country",
             "columns": [["id": "label", "title": "Label", "type": "text"], ["id": "component", "title": "Component", "type": "component"],
                         ["id": "countries", "title": "Countries", "type": "integer"], ["id": "top", "title": "Top", "type": "share"]],
             "rows": .array(rows)]
        }
        let a = AnalysisResult(analysis: "concentration", extra: ["tables": [table([
            ["label": "a", "component": "rv-reducer", "countries": 3, "top": 0.62],
            ["label": "b", "component": "hand", "countries": 1, "top": 1],
        ])]])
        let b = AnalysisResult(analysis: "concentration", extra: ["tables": [table([
            ["label": "b", "component": "hand", "countries": 2, "top": 0.5],
            ["label": "a", "component": "rv-reducer", "countries": 3, "top": 0.7],
        ])]])
        #expect(Self.compare(a, b).values == [
            MovedValue(path: ["tables", "by-country", "rv-reducer", "top"], base: 0.62, other: 0.7),
            MovedValue(path: ["tables", "by-country", "hand", "countries"], base: 1, other: 2),
            MovedValue(path: ["tables", "by-country", "hand", "top"], base: 1, other: 0.5),
        ])
    }

    @Test func typedTablesAreMatchedByRowKeyAndShownByRow() throws {
        func table(_ rows: [[CellValue?]], isView: Bool = false) -> ResultTable {
            ResultTable(id: "by-country", title: "Suppliers by country", columns: [
                TableColumn("label", "Label", .text), TableColumn("component", "Component", .component),
                TableColumn("countries", "Countries", .integer), TableColumn("top", "Top", .share),
            ], rows: rows, isView: isView)
        }
        let a = AnalysisResult(analysis: "concentration", tables: [table([
            [.text("a"), .id("rv-reducer"), .integer(3), .number(0.62)],
            [.text("b"), .id("hand"), .integer(1), .number(1)],
            [.text("c"), .id("gone"), .integer(1), nil],
        ])])
        let b = AnalysisResult(analysis: "concentration", tables: [table([
            [.text("b"), .id("hand"), .integer(2), .number(0.5)],
            [.text("a"), .id("rv-reducer"), .integer(3), .number(0.7)],
            [.text("d"), .id("new"), .integer(4), .number(0.25)],
        ])])
        let comparison = Self.compare(a, b)
        #expect(comparison.values == [
            MovedValue(path: ["tables", "by-country", "rv-reducer", "top"], base: 0.62, other: 0.7, type: .share),
            MovedValue(path: ["tables", "by-country", "hand", "countries"], base: 1, other: 2, type: .integer),
            MovedValue(path: ["tables", "by-country", "hand", "top"], base: 1, other: 0.5, type: .share),
        ])
        // Rows in one run only, for JSON's additional `rows` and CSV.
        #expect(comparison.rows(appeared: true).map { [$0.table.id, $0.row.key] } == [["by-country", "new"]])
        #expect(comparison.rows(appeared: false).map { [$0.table.id, $0.row.key] } == [["by-country", "gone"]])
        var writer = JSONWriter(style: .compact)
        comparison.write(to: &writer)
        #expect(writer.bytes.asText.hasSuffix(
            #","rows":{"added":[{"path":["tables","by-country"],"key":"new"}],"removed":[{"path":["tables","by-country"],"key":"gone"}]}}"#))
        // For people: rows whose share moved most first, rows in one run only after them.
        let countries = TableColumn("countries", "Countries", .integer)
        let top = TableColumn("top", "Top", .share)
        #expect(comparison.tables.map(\.rows) == [[
            RowChange(key: "hand", inBase: true, inOther: true, cells: [
                CellChange(column: countries, base: .integer(1), other: .integer(2)), CellChange(column: top, base: .number(1), other: .number(0.5)),
            ]),
            RowChange(key: "new", inBase: false, inOther: true, cells: [
                CellChange(column: countries, base: nil, other: .integer(4)), CellChange(column: top, base: nil, other: .number(0.25)),
            ]),
            RowChange(key: "rv-reducer", inBase: true, inOther: true, cells: [CellChange(column: top, base: .number(0.62), other: .number(0.7))]),
            RowChange(key: "gone", inBase: true, inOther: false, cells: [CellChange(column: countries, base: .integer(1), other: nil)]),
        ]])
        // A view presents other keys: its cells are not values of their own.
        let views = Self.compare(
            AnalysisResult(analysis: "v", tables: [table([[.text("a"), .id("x"), .integer(1), .number(0.1)]], isView: true)]),
            AnalysisResult(analysis: "v", tables: [table([[.text("a"), .id("x"), .integer(2), .number(0.1)]], isView: true)]))
        #expect(views.values == [] && views.hasViews && views.tables.count == 1)
    }

    @Test func aValueShownByAViewTakesItsColumnType() {
        func view(_ rows: [[CellValue?]]) -> ResultTable {
            ResultTable(id: "by-component", title: "By component", columns: [
                TableColumn("component", "Component", .component), TableColumn("direct", "Direct", .share),
            ], rows: rows, isView: true)
        }
        let a = AnalysisResult(analysis: "share", metrics: ["direct": 0.5],
            extra: ["components": ["reducer": ["direct": 0.25, "suppliers": 3]], "roots": ["reducer": 0.5]],
            tables: [view([[.id("reducer"), .number(0.25)]])])
        let b = AnalysisResult(analysis: "share", metrics: ["direct": 0.75],
            extra: ["components": ["reducer": ["direct": 0.5, "suppliers": 2]], "roots": ["reducer": 0.75]],
            tables: [view([[.id("reducer"), .number(0.5)]])])
        // The column's id and a row key in the path: that column's type; otherwise none.
        #expect(Self.compare(a, b).values == [
            MovedValue(path: ["metrics", "direct"], base: 0.5, other: 0.75),
            MovedValue(path: ["components", "reducer", "direct"], base: 0.25, other: 0.5, type: .share),
            MovedValue(path: ["components", "reducer", "suppliers"], base: 3, other: 2),
            MovedValue(path: ["roots", "reducer"], base: 0.5, other: 0.75),
        ])
    }

    @Test func writesTheObjectOfSpec7() {
        let comparison = ResultComparison(
            analysis: "gap-detection", base: Self.base, other: Self.other,
            added: [Self.finding("foreign-only", "reducer", severity: .critical, message: "gone")],
            changed: [ChangedFinding(base: Self.finding("k", "x", details: ["n": 1]), other: Self.finding("k", "x", details: ["n": 2]))],
            values: [MovedValue(path: ["roots", "humanoid"], base: 0.5, other: 0.25)])
        var writer = JSONWriter(style: .compact)
        comparison.write(to: &writer)
        #expect(writer.bytes.asText == #"{"analysis":"gap-detection","base":{"model":"m","scope":"CN-GD","scenario":[]},"other":{"model":"m","scope":"CN-GD","scenario":["without region:JP"]},"findings":{"added":[{"component":"reducer","kind":"foreign-only","severity":"critical","message":"gone"}],"removed":[],"changed":[{"base":{"component":"x","kind":"k","severity":"high","message":"m","n":1},"other":{"component":"x","kind":"k","severity":"high","message":"m","n":2}}]},"values":[{"path":["roots","humanoid"],"base":0.5,"other":0.25}],"rows":{"added":[],"removed":[]}}"#)
    }
}

extension [UInt8] {
    var asText: String { String(decoding: self, as: UTF8.self) }
}
