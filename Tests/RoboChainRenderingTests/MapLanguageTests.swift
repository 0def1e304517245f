import Foundation
import RoboChainAnalysis
import RoboChainModel
@testable import RoboChainRendering
import RoboChainTestSupport
import Testing

/// Under `--lang zh` every word the map writes itself is Chinese: title lines, legend, notes in
/// the legend, tooltips, list endings, aggregated and paged maps. Names, ids and the analyses'
/// own text are drawn as given, so the fixtures' analyses speak Chinese and are named in Chinese.
@Suite struct MapLanguageTests {
    /// Two fill-giving results (the second's fills give way to the first's, with a note in its
    /// legend), one without a legend, all in Chinese.
    static let results = [
        AnalysisResult(
            analysis: "份额",
            annotations: ["robot": Annotation(fill: "#b2182b", badge: "10%", tooltip: "本地份额 10%")],
            legend: [LegendEntry(label: "本地份额 0%", fill: "#b2182b")]),
        AnalysisResult(
            analysis: "价值",
            annotations: ["joint": Annotation(fill: "#e5f5e0", tooltip: "价值")],
            legend: [LegendEntry(label: "价值高", fill: "#e5f5e0")]),
        AnalysisResult(
            analysis: "缺口",
            annotations: ["chip": Annotation(badge: "卡脖子", tooltip: "国内无供应", border: "#67001f")],
            legend: nil),
    ]

    /// The text people see: labels (tags stripped, entities decoded) and tooltips of the graph,
    /// its clusters, nodes and edges.
    static func visibleText(_ graph: DOTGraph) -> [String] {
        func text(_ attributes: [String: DOTValue]) -> [String] {
            ["label", "tooltip"].compactMap { key -> String? in
                switch attributes[key] {
                case .text(let value)?: value
                case .html(let value)?:
                    value.replacing(/<[^>]*>/, with: " ").replacing("&lt;", with: "<").replacing("&gt;", with: ">")
                        .replacing("&quot;", with: "\"").replacing("&amp;", with: "&")
                default: nil
                }
            }
        }
        func walk(_ statements: [DOTStatement]) -> [String] {
            statements.flatMap { statement -> [String] in
                switch statement {
                case .node(let node): text(node.attributes)
                case .edge(let edge): text(edge.attributes)
                case .subgraph(let subgraph): text(subgraph.attributes) + walk(subgraph.statements)
                default: []
                }
            }
        }
        return text(graph.attributes) + walk(graph.statements)
    }

    /// The Latin words of `texts` once the model's names and ids are taken out.
    static func englishWords(_ texts: [String], model: ChainModel) -> Set<String> {
        var names: [String] = []
        for table in [model.components.names, model.components.ids, model.firms.names, model.firms.ids, model.regions.names,
            model.regions.ids, model.segments.names, model.segments.ids] { names += table }
        names += [model.title, model.id].compactMap { $0 }
        names.sort { $0.count > $1.count }
        var words = Set<String>()
        for text in texts {
            // Names wrap over lines in labels: compare with line breaks as spaces.
            var rest = text.replacing("\n", with: " ").replacing(/\ +/, with: " ")
            for name in names where !name.isEmpty { rest = rest.replacing(name, with: " ") }
            for match in rest.matches(of: /[A-Za-z]{2,}/) { words.insert(String(match.output)) }
        }
        return words
    }

    @Test(arguments: [FirmDisplay.all, .top, .count, .none])
    func detailedMapsAreChinese(firms: FirmDisplay) throws {
        let model = try Fixtures.mini
        let options = ChainMapOptions(scope: try Fixtures.scope("CN-GD", in: model), firms: firms)
        let document = ChainMapDocument(model: model, results: Self.results, options: options, language: .zh)
        let texts = Self.visibleText(document.graph)
        #expect(Self.englishWords(texts, model: model).isEmpty, "\(Self.englishWords(texts, model: model).sorted())")
        // The fill owner's note, the missing legend and the supply counts are there, in Chinese.
        let all = texts.joined(separator: "\n")
        #expect(all.contains("价值 的填充色未画出：图中画的是 份额 的填充色（先给出者优先）；把 价值 放在前面即可看到"))
        #expect(all.contains("缺口（未提供图例）"))
        if firms != .none { #expect(all.contains("本地 2 / 共 2 家供应")) }
        // The same map in English does have English words: the check can fail.
        let english = ChainMapDocument(model: model, results: Self.results, options: options, language: .en)
        #expect(Self.englishWords(Self.visibleText(english.graph), model: model).isSuperset(of: ["Scope", "Legend"]))
    }

    @Test func listEndingsAreChinese() {
        #expect(Wording.list(["甲", "乙", "丙", "丁"], first: 2, language: .zh) == "甲、乙 及另外 2 项")
        #expect(Wording.list(["甲", "乙"], first: 2, language: .zh) == "甲、乙")
        #expect(Wording.list(["a", "b", "c"], first: 2, language: .en) == "a, b and 1 more")
    }

    @Test func aggregatedAndPagedMapsAreChinese() throws {
        // 30 local suppliers of one part: its tooltip lists 12 and ends in Chinese.
        let model = try PageMapTests.twoSegments(parts: 40, suppliers: 30)
        var options = ChainMapOptions(scope: 0, firms: .top, maxNodes: 5)
        let aggregated = ChainMapDocument(model: model, options: options, language: .zh)
        guard case .aggregated = aggregated.plan else {
            Issue.record("expected an aggregated map")
            return
        }
        #expect(Self.englishWords(Self.visibleText(aggregated.graph), model: model).isEmpty,
            "\(Self.englishWords(Self.visibleText(aggregated.graph), model: model).sorted())")
        #expect(aggregated.notes.allSatisfy { !$0.contains(/[A-Za-z]{3,}/) || $0.contains("--max-nodes") })
        options.maxNodes = ChainMapOptions.defaultMaxNodes
        options.page = .widescreen
        let paged = try ChainMapPages(model: model, options: options, language: .zh)
        #expect(paged.pages.count > 2)
        for page in paged.pages {
            let words = Self.englishWords(Self.visibleText(page.document.graph), model: model)
            #expect(words.isEmpty, "\(page.heading ?? ""): \(words.sorted())")
        }
        #expect(paged.pages[1].document.text.contains("及另外 18 项"))
        #expect(paged.notes[0].hasPrefix("该图无法以清晰字号（9 磅）放进 16:9 页面；分为"))
    }

    /// End to end: the Guangdong map drawn by the binary with --lang zh, every firm drawn; its
    /// text and tooltips have no Latin word but the model's names and ids and the analysis' name.
    @Test(arguments: [["--firms", "all"], ["--page", "16:9"], ["--max-nodes", "10"]])
    func guangdongMapInChinese(arguments: [String]) throws {
        let directory = try TemporaryDirectory("zh-map")
        defer { directory.remove() }
        let result = try RenderCommandTests.robochain(["render", RenderCommandTests.guangdong, "--lang", "zh", "--with", "localisation-share"]
            + arguments + ["--output", directory.path + "/map.svg"])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        let model = try ModelLoader.load(path: CommandRunner.packageDirectory.path + "/" + RenderCommandTests.guangdong).model
        var nameWords = Set<String>(["localisation", "share"])
        for table in [model.components.names, model.components.ids, model.firms.names, model.firms.ids, model.regions.names,
            model.regions.ids, model.segments.names, model.segments.ids] {
            for name in table { for match in name.matches(of: /[A-Za-z]+/) { nameWords.insert(String(match.output)) } }
        }
        for match in (model.title ?? "").matches(of: /[A-Za-z]+/) { nameWords.insert(String(match.output)) }
        var leftover = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let svg = try ParsedSVG(String(decoding: try Data(contentsOf: URL(fileURLWithPath: directory.path + "/" + file)), as: UTF8.self))
            let texts = svg.elements.filter { $0.name == "text" }.map(\.text) + svg.tooltips
            for text in texts {
                for match in text.matches(of: /([A-Za-z]+)(…)?/) {
                    let word = String(match.output.1)
                    // A name cut short ends in "…": its last word may be cut too.
                    let known = nameWords.contains(word) || (match.output.2 != nil && nameWords.contains { $0.hasPrefix(word) })
                    if !known && word.count > 1 { leftover.insert(word) }
                }
            }
        }
        #expect(leftover.isEmpty, "\(leftover.sorted())")
    }
}
