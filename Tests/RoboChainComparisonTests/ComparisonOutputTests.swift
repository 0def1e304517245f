import Foundation
import RoboChainAnalysis
import RoboChainComparison
import RoboChainJSON
import RoboChainTestSupport
import Testing

/// The outputs of `compare` for people and for the map, on a small model: golden files for the
/// table, Markdown, CSV and the map's DOT; the map's annotations exactly.
@Suite struct ComparisonOutputTests {
    static let model = """
        id: mini
        title: Mini chain 迷你
        home: CN-GD
        regions:
          - {id: CN, name: China 中国}
          - {id: CN-GD, name: Guangdong 广东, parent: CN}
          - {id: CN-GD-SZ, name: Shenzhen 深圳, parent: CN-GD}
          - {id: CN-JS, name: Jiangsu 江苏, parent: CN}
          - {id: JP, name: Japan 日本}
        segments:
          - {id: body, name: Whole robots 整机}
          - {id: limbs, name: Limbs 肢体}
        components:
          - {id: humanoid, name: Humanoid 人形机器人, segment: body, requires: [{component: joint, weight: 0.5}, {component: hand, weight: 0.3}]}
          - {id: joint, name: Joint module 关节模组, segment: limbs, requires: [{component: reducer, weight: 0.4}]}
          - {id: reducer, name: RV reducer RV减速器, segment: limbs}
          - {id: hand, name: Dexterous hand 灵巧手, segment: limbs}
        firms:
          - {id: ubtech, name: UBTech 优必选, region: CN-GD-SZ, supplies: [humanoid, hand]}
          - {id: nabtesco, name: Nabtesco 纳博特斯克, region: JP, supplies: [{component: reducer, share: 0.6}]}
          - {id: hds, name: Harmonic Drive, region: JP, supplies: [{component: reducer, share: 0.2}, joint]}
          - {id: estun, name: Estun 埃斯顿, region: CN-JS, supplies: [reducer, joint]}
          - {id: inovance, name: Inovance 汇川, region: CN-GD-SZ, supplies: [joint]}

        """

    static func compare(_ arguments: [String]) throws -> CommandResult {
        let directory = try TemporaryDirectory("comparison-output")
        defer { directory.remove() }
        let path = try directory.write(model, to: "mini.yaml")
        var result = try CommandRunner.robochain(["compare", path, "--with", "gap-detection", "--with", "localisation-share"] + arguments)
        result.standardOutput = result.standardOutput.replacingOccurrences(of: path, with: "mini.yaml")
        return result
    }

    static let japanGone = ["--without", "region:JP", "--relocate", "estun=CN-GD-SZ"]

    @Test(arguments: [("table", "compare-table.txt"), ("markdown", "compare.md"), ("csv", "compare.csv"), ("dot", "compare-map.dot")])
    func outputsMatchTheirGoldenFiles(format: String, golden: String) throws {
        let result = try Self.compare(Self.japanGone + ["--format", format, "--output", "-"])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        #expect(Golden.mismatch(result.standardOutput, name: golden) == nil)
    }

    @Test func theMapIsWrittenAsAPicture() throws {
        let directory = try TemporaryDirectory("comparison-map")
        defer { directory.remove() }
        let svg = directory.path + "/diff.svg"
        let result = try Self.compare(Self.japanGone + ["--output", svg])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        // Graphviz writes "-" as "&#45;" and breaks the legend's long lines.
        let text = try String(contentsOfFile: svg, encoding: .utf8).replacingOccurrences(of: "&#45;", with: "-")
        #expect(text.hasPrefix("<?xml") && text.contains("</svg>"))
        #expect(text.contains(">Base run: mini, scope CN-GD<"))
        #expect(text.contains(">Other run (drawn): mini, scope CN-GD, without region:JP,<") && text.contains(">relocate estun=CN-GD-SZ<"))
    }

    @Test func mapAnnotationsFollowTheShareAndTheFindings() {
        let base = RunLabel(model: "m", scope: "CN-GD")
        let other = RunLabel(model: "m", scope: "CN-GD", scenario: ["without region:JP"])
        let comparison = ResultComparison(
            analysis: "gaps", base: base, other: other,
            added: [Finding(kind: "foreign-only", severity: .critical, message: "", component: "reducer")],
            removed: [Finding(kind: "low-local-share", severity: .low, message: "", component: "hand"),
                      Finding(kind: "sole", severity: .low, message: "", firm: "acme")])
        let shares: [String: ShareChange] = [
            "reducer": ShareChange(base: 0.5, other: 0.2), "joint": ShareChange(base: 0.5, other: 0.55),
            "hand": ShareChange(base: 0.2, other: 0.2), "humanoid": ShareChange(base: 0.4, other: nil),
            "sensor": ShareChange(base: nil, other: nil),
        ]
        let result = ComparisonMap.result(comparisons: [comparison], shares: ShareSource(analysis: "shares", table: "By part", column: "Local", shares: shares))
        #expect(result.analysis == "comparison")
        #expect(result.annotations == [
            "reducer": Annotation(fill: ComparisonMap.fellMuch, badge: "+foreign-only",
                tooltip: "By part, Local: 50 % → 20 %\nappeared: foreign-only (gaps)", border: ComparisonMap.appearedBorder),
            "joint": Annotation(fill: ComparisonMap.rose, tooltip: "By part, Local: 50 % → 55 %"),
            "humanoid": Annotation(fill: ComparisonMap.oneRunOnly, tooltip: "By part, Local: 40 % → –"),
            "hand": Annotation(badge: "−low-local-share", tooltip: "went: low-local-share (gaps)", border: ComparisonMap.wentBorder),
        ])
        #expect(result.legend?.map(\.label) == [
            "Base run: m, scope CN-GD", "Other run (drawn): m, scope CN-GD, without region:JP",
            "Fill: how 'Local' of table 'By part' (shares) changed",
            "Local fell by 20 points or more", "Local fell", "Local rose", "Local rose by 20 points or more", "Local in one run only", "a finding appeared (+kind)", "a finding went (−kind)",
        ])
    }

    @Test func sharesComeFromTheFirstAnalysisWithAComponentShareTable() {
        func table(_ id: String, rows: [(String, Double?)], keyType: String = "component", shares: [String] = ["s"]) -> TableShape {
            TableShape(id: id, title: id.uppercased(), keyColumn: "c", keyType: keyType,
                columns: [("c", keyType), ("n", "integer")] + shares.map { ($0, "share") }, columnTitles: ["s": "Share", "t": "Its share"],
                rows: rows.map { row in (row.0, Dictionary(uniqueKeysWithValues: shares.map { ($0, row.1) }).merging(["n": 1]) { old, _ in old }) })
        }
        let products = table("products", rows: [("humanoid", 0.4)])
        let components = table("components", rows: [("humanoid", 0.4), ("reducer", 0.5), ("hand", nil)])
        let firms = table("firms", rows: [("a", 0.1), ("b", 0.1), ("c", 0.1), ("d", 0.1)], keyType: "firm")
        let otherComponents = table("components", rows: [("reducer", 0.25), ("hand", 0.5), ("joint", 1)])
        let origins = table("origins", rows: [("humanoid", 1), ("reducer", 1)], shares: ["t", "s"])
        // The first analysis with such a table wins, whatever the later ones have: of its tables
        // (firm-keyed ones do not count) the one with the most rows, and its first share column.
        let first = ComparisonMap.componentShares([
            (analysis: "none", base: [firms], other: [firms]),
            (analysis: "shares", base: [firms, products, components], other: [products, otherComponents]),
            (analysis: "origins", base: [origins, components, components], other: [origins, otherComponents]),
        ])
        let components2 = ShareSource(analysis: "shares", table: "COMPONENTS", column: "Share", shares: [
            "humanoid": ShareChange(base: 0.4, other: nil), "reducer": ShareChange(base: 0.5, other: 0.25),
            "hand": ShareChange(base: nil, other: 0.5), "joint": ShareChange(base: nil, other: 1),
        ])
        #expect(first == components2)
        // A table the other run lacks is passed over.
        let second = ComparisonMap.componentShares([(analysis: "shares", base: [components, products], other: [products])])
        #expect(second == ShareSource(analysis: "shares", table: "PRODUCTS", column: "Share", shares: ["humanoid": ShareChange(base: 0.4, other: 0.4)]))
        let reversed = ComparisonMap.componentShares([
            (analysis: "origins", base: [origins], other: [origins]),
            (analysis: "shares", base: [components], other: [otherComponents]),
        ])
        #expect(reversed?.analysis == "origins")
        #expect(reversed?.column == "Its share")
        #expect(reversed?.description == "'Its share' of table 'ORIGINS' (origins)")
        #expect(ComparisonMap.componentShares([(analysis: "firms", base: [firms], other: [firms])]) == nil)
    }
}
