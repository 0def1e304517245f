import Foundation
import RoboChainAnalysis
import RoboChainModel
import RoboChainReports
import RoboChainTestSupport

/// A small model and a result shaped as a third-party plugin's: a table of every column type,
/// a finding with a candidates list, metrics — and text that tries formula and markup injection.
enum OutputFixture {
    static let model = try! ModelLoader.loadYAML("""
        id: tiny
        title: Tiny chain 小链
        home: CN-GD
        regions:
          - {id: CN, name: China 中国}
          - {id: CN-GD, name: Guangdong 广东, parent: CN}
          - {id: JP, name: Japan}
        components:
          - {id: robot, name: Robot 机器人, segment: body, requires: [{component: arm, weight: 0.6}]}
          - {id: arm, name: "=HYPERLINK(\\"http://x\\")", segment: limbs}
        firms:
          - {id: acme, name: Acme 艾克米, region: CN-GD, supplies: [{component: robot, product: R1}]}
          - {id: nabe, name: "</script><script>alert(1)</script>", region: JP, supplies: [{component: arm, share: 0.7}]}
        """).model

    /// What a plugin might answer: one table with every column type, a finding, metrics.
    static var pluginResult: AnalysisResult {
        var table = ResultTable(id: "by-country", title: "Suppliers by country", columns: [
            TableColumn("component", "Component", .component),
            TableColumn("note", "Note", .text),
            TableColumn("count", "Countries", .integer),
            TableColumn("hhi", "HHI", .number),
            TableColumn("top", "Largest share", .share),
            TableColumn("listed", "Listed", .boolean),
            TableColumn("firm", "Top firm", .firm),
            TableColumn("region", "Region", .region),
            TableColumn("parts", "Parts", .components),
            TableColumn("firms", "Firms", .firms),
        ])
        table.rows = [
            [.id("arm"), .text("@SUM(A1)"), .integer(2), .number(0.58), .number(0.625), .boolean(true), .id("nabe"), .id("JP"),
             .ids(["arm", "robot"]), .ids(["nabe", "acme"])],
            [.id("robot"), nil, .integer(1), .number(1), .number(1), .boolean(false), .id("acme"), .id("CN-GD"), .ids([]), .ids(["acme"])],
        ]
        var result = AnalysisResult(analysis: "concentration", scope: "CN-GD", tables: [table], headline: "2 components checked")
        result.findings = [Finding(kind: "foreign-only", severity: .critical, message: "-1+2 no local supplier", component: "arm",
            details: ["candidates": .array([.string("nabe")])])]
        result.findingColumns = [TableColumn("candidates", "Candidates", .firms)]
        result.metrics = ["components": 2]
        return result
    }

    static var entries: [ReportEntry] {
        [ReportEntry(name: "concentration", options: try! OptionValues(declarations: [], analysis: "concentration"),
            outcome: .success(pluginResult))]
    }

    /// Whether a command can be run (found on PATH and exiting 0 with these arguments).
    static func available(_ executable: String, _ arguments: [String]) -> Bool {
        (try? CommandRunner.run(executable, arguments, timeout: 30).exitStatus) == 0
    }

    static let hasOpenpyxl = available("python3", ["-c", "import openpyxl"])
    static let hasChromium = available("chromium", ["--version"])
}
