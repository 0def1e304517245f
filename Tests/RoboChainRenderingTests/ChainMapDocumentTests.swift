import RoboChainAnalysis
import RoboChainModel
@testable import RoboChainRendering
import RoboChainTestSupport
import Testing

/// The DOT document: exact text against golden files (re-record with RECORD_GOLDEN=1), and the
/// rules behind it.
@Suite struct ChainMapDocumentTests {
    @Test func plainMapWithoutFirms() throws {
        let model = try Fixtures.mini
        let document = ChainMapDocument(model: model, options: ChainMapOptions(scope: try Fixtures.scope("CN-GD", in: model), firms: .none))
        #expect(Golden.mismatch(document.text, name: "mini-plain.dot") == nil)
        #expect(document.plan == .detailed(firms: .none))
        #expect(document.nodeCount == 4)
        #expect(document.notes.isEmpty)
        #expect(document.warnings.isEmpty)
        // No analysis and no firms: names only, no supplier counts.
        #expect(!document.text.contains("suppliers"))
    }

    @Test func annotatedMapWithTopFirms() throws {
        let model = try Fixtures.mini
        let document = ChainMapDocument(
            model: model, results: [Fixtures.shareLike, Fixtures.gapLike],
            options: ChainMapOptions(scope: try Fixtures.scope("CN-GD", in: model), firms: .top, topFirms: 1))
        #expect(Golden.mismatch(document.text, name: "mini-annotated-top.dot") == nil)
        #expect(document.warnings.isEmpty)
    }

    /// `--lang zh`: the map's own words (title lines, legend) in Chinese; English by default.
    @Test func theMapsOwnWordsFollowTheLanguage() throws {
        let model = try Fixtures.mini
        let options = ChainMapOptions(scope: try Fixtures.scope("CN-GD", in: model), firms: .top, topFirms: 1)
        let chinese = ChainMapDocument(model: model, results: [Fixtures.shareLike, Fixtures.gapLike], options: options, language: .zh)
        for word in ["图例", "范围：", "分析：", "零部件 → 需要它的总成"] { #expect(chinese.text.contains(word), "\(word)") }
        for word in ["Legend", "Scope:", "Analyses:", "a part → the assembly", " local / ", "segment: "] {
            #expect(!chinese.text.contains(word), "\(word)")
        }
        #expect(chinese.text.contains("本地 "))
        let english = ChainMapDocument(model: model, results: [Fixtures.shareLike, Fixtures.gapLike], options: options)
        #expect(english.text == ChainMapDocument(
            model: model, results: [Fixtures.shareLike, Fixtures.gapLike], options: options, language: .en).text)
        #expect(english.text.contains("<B>Legend</B>"))
    }

    @Test func firmNodesGroupedByRegion() throws {
        let model = try Fixtures.mini
        let document = ChainMapDocument(model: model, options: ChainMapOptions(scope: try Fixtures.scope("CN-GD", in: model), firms: .all))
        #expect(Golden.mismatch(document.text, name: "mini-firms-all.dot") == nil)
        #expect(document.nodeCount == 10)
    }

    @Test func aggregatedMapAboveTheNodeLimit() throws {
        let model = try Fixtures.generatedModel(components: 24)
        var gaps = Fixtures.gapLike
        gaps.annotations = [
            "c3": Annotation(badge: "卡脖子", border: "#67001f"), "c4": Annotation(badge: "单一", border: "#f4a582"),
            "c20": Annotation(badge: "单一", border: "#f4a582"), "c21": Annotation(badge: "单一", border: "#f4a582"),
        ]
        let document = ChainMapDocument(
            model: model, results: [gaps],
            options: ChainMapOptions(scope: try Fixtures.scope("CN-GD", in: model), firms: .top, maxNodes: 8))
        #expect(Golden.mismatch(document.text, name: "generated-aggregated.dot") == nil)
        guard case .aggregated(let aggregation) = document.plan else {
            Issue.record("expected an aggregated map, got \(document.plan)")
            return
        }
        // 24 levels (a chain), 4 segments, 8 nodes at most: 2 bands per segment of 12 levels.
        #expect(aggregation.bandSize == 12)
        #expect(aggregation.groups.count == 4)
        #expect(document.nodeCount == 4)
        #expect(document.notes == [
            "the model has 24 components, more than --max-nodes 8; drawing an aggregated map with one node per segment and band of 12 levels (4 nodes)",
        ])
    }

    @Test func sameInputSameText() throws {
        let model = try Fixtures.mini
        let options = ChainMapOptions(scope: try Fixtures.scope("CN-GD", in: model), firms: .all)
        let first = ChainMapDocument(model: model, results: [Fixtures.shareLike, Fixtures.gapLike], options: options).text
        // Rebuild the annotations dictionary in another insertion order.
        var reordered = Fixtures.shareLike
        reordered.annotations = Dictionary(uniqueKeysWithValues: Fixtures.shareLike.annotations!.sorted { $0.key > $1.key })
        let second = ChainMapDocument(model: model, results: [reordered, Fixtures.gapLike], options: options).text
        #expect(first == second)
    }

    @Test func clustersFollowSegmentDisplayOrderAndNodesModelOrder() throws {
        let model = try Fixtures.mini
        let text = ChainMapDocument(model: model, options: ChainMapOptions(scope: 1, firms: .none)).text
        let positions = ["cluster_brain", "cluster_limbs", "\"c.joint\" [", "\"c.reducer\" [", "cluster_body"].map { text.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        // Arrows go from the part to the assembly that requires it.
        #expect(text.contains("\"c.reducer\" -> \"c.joint\""))
        #expect(text.contains("\"c.joint\" -> \"c.robot\""))
        #expect(!text.contains("\"c.robot\" -> "))
    }

    @Test func edgesAreAsThickAsTheirCostWeight() throws {
        let model = try Fixtures.mini
        let text = ChainMapDocument(model: model, options: ChainMapOptions(scope: 1, firms: .none)).text
        // joint weighs 0.6 of robot: 0.6 + 4.4 × 0.6 = 3.24; chip the remaining 0.4: 2.36.
        #expect(text.contains("\"c.joint\" -> \"c.robot\" [penwidth=\"3.24\""))
        #expect(text.contains("\"c.chip\" -> \"c.robot\" [penwidth=\"2.36\""))
        #expect(text.contains("AI chip 芯片 → Humanoid robot 人形机器人: 40 % of its cost (weight not given: an equal part of what the given weights leave)"))
    }

    @Test func annotationsMergeInOrder() throws {
        let model = try Fixtures.mini
        let document = ChainMapDocument(model: model, results: [Fixtures.shareLike, Fixtures.gapLike], options: ChainMapOptions(scope: 1))
        let robot = try #require(node("c.robot", in: document.graph))
        #expect(robot.attributes["fillcolor"] == .text("#b2182b"))
        #expect(robot.attributes["fontcolor"] == .text("#ffffff"))
        #expect(robot.attributes["color"] == .text("#f4a582"))
        guard case .html(let label) = robot.attributes["label"] else {
            Issue.record("no HTML label")
            return
        }
        #expect(label.contains("10 % · 单一"))
        #expect(robot.attributes["tooltip"] == .text("Humanoid robot 人形机器人 (robot)\nsegment: Whole robots 整机\nLocal share 10 %\nOne local supplier\nsuppliers in Guangdong 广东: UBTech 优必选"))
        let joint = try #require(node("c.joint", in: document.graph))
        #expect(joint.attributes["fontcolor"] == .text("#000000"))
        #expect(joint.attributes["color"] == nil)
    }

    @Test func theFirstAnalysisGivingFillsOwnsTheFill() throws {
        let model = try Fixtures.mini
        // A second analysis with fills: its own scale, a fill-and-badge entry, a fill on joint.
        let valueLike = AnalysisResult(
            analysis: "value-like",
            annotations: [
                "joint": Annotation(fill: "#2166ac", badge: "V", tooltip: "Value 50 %"),
                "chip": Annotation(fill: "#67a9cf"),
            ],
            legend: [LegendEntry(label: "value 100 %", fill: "#2166ac"), LegendEntry(label: "valued", fill: "#67a9cf", badge: "V")])
        let note = "value-like's fills are not drawn: share-like's are (the first given); put value-like first to see them"
        let document = ChainMapDocument(model: model, results: [Fixtures.gapLike, Fixtures.shareLike, valueLike], options: ChainMapOptions(scope: 1))
        #expect(document.warnings == [note])
        let joint = try #require(node("c.joint", in: document.graph))
        #expect(joint.attributes["fillcolor"] == .text("#e5f5e0"))
        guard case .html(let label) = joint.attributes["label"] else {
            Issue.record("no HTML label")
            return
        }
        #expect(label.contains("90 % · V"))
        let chip = try #require(node("c.chip", in: document.graph))
        #expect(chip.attributes["fillcolor"] == nil)
        #expect(chip.attributes["color"] == .text("#67001f"))
        // The legend shows only the fills drawn: value-like keeps its badge entry and the note.
        #expect(document.text.contains("BGCOLOR=\"#e5f5e0\""))
        #expect(!document.text.contains("#2166ac"))
        #expect(!document.text.contains("#67a9cf"))
        #expect(!document.text.contains("value 100 %"))
        #expect(document.text.contains(">valued<"))
        #expect(document.text.contains("put value-like first to see them"))

        // The other order: value-like's fills, and share-like's scale left out.
        let reversed = ChainMapDocument(model: model, results: [valueLike, Fixtures.shareLike], options: ChainMapOptions(scope: 1))
        #expect(reversed.warnings == ["share-like's fills are not drawn: value-like's are (the first given); put share-like first to see them"])
        let reversedJoint = try #require(node("c.joint", in: reversed.graph))
        #expect(reversedJoint.attributes["fillcolor"] == .text("#2166ac"))
        let robot = try #require(node("c.robot", in: reversed.graph))
        #expect(robot.attributes["fillcolor"] == nil)
        #expect(!reversed.text.contains("local share 0 %"))
    }

    @Test func badAnnotationsAreLeftOutWithAWarning() throws {
        let model = try Fixtures.mini
        let plugin = AnalysisResult(
            analysis: "third-party",
            annotations: [
                "ghost": Annotation(fill: "#000000"),
                "robot": Annotation(fill: "red\"]; evil [", badge: "ok", border: "#12345g"),
            ],
            legend: [LegendEntry(label: "bad", fill: "url(#x)")])
        let document = ChainMapDocument(model: model, results: [plugin], options: ChainMapOptions(scope: 1))
        #expect(document.warnings == [
            "analysis 'third-party' annotates a component the model does not have ('ghost'); left off the map",
            "analysis 'third-party' gives colours that are not #rrggbb (border '#12345g' of 'robot', fill 'red\"]; evil [' of 'robot', legend fill 'url(#x)'); left off the map",
        ])
        #expect(!document.text.contains("evil"))
        #expect(!document.text.contains("url(#x)"))
        let robot = try #require(node("c.robot", in: document.graph))
        #expect(robot.attributes["fillcolor"] == nil)
        #expect(robot.attributes["color"] == nil)
    }

    @Test func topFirmsNamesLocalSuppliersWithMore() throws {
        let model = try Fixtures.mini
        let scope = try Fixtures.scope("CN-GD", in: model)
        let one = ChainMapDocument(model: model, options: ChainMapOptions(scope: scope, firms: .top, topFirms: 1)).text
        #expect(one.contains("Zhaowei 兆威 +1 more"))
        let three = ChainMapDocument(model: model, options: ChainMapOptions(scope: scope, firms: .top, topFirms: 3)).text
        #expect(three.contains("Zhaowei 兆威, Inovance 汇川</FONT>"))
        #expect(!three.contains("more"))
        // Only suppliers in the scope are named: Leaderdrive (CN) and Harmonic Drive (JP) are not local.
        #expect(!three.contains("Leaderdrive 绿的谐波"))
        #expect(three.contains("1 local / 3 suppliers"))
    }

    @Test func tooManyFirmNodesFallBackToTop() throws {
        let model = try Fixtures.mini
        let document = ChainMapDocument(model: model, options: ChainMapOptions(scope: 1, firms: .all, maxNodes: 6))
        #expect(document.plan == .withoutFirmNodes(firmNodes: 6))
        #expect(document.nodeCount == 4)
        #expect(!document.text.contains("\"f."))
        #expect(document.notes == [
            "the map would have 10 nodes with a node per firm, more than --max-nodes 6; firms are named inside the component nodes instead (--firms top)",
        ])
    }

    @Test func aggregationLevelsAndLinks() throws {
        let model = try Fixtures.mini
        let aggregation = MapAggregation(model: model, maxNodes: 100)
        // reducer and chip require nothing (0); joint requires reducer (1); robot requires joint (2).
        #expect(aggregation.levels == [2, 1, 0, 0])
        #expect(aggregation.bandSize == 1)
        #expect(aggregation.groups.map(\.members) == [[3], [2], [1], [0]])
        #expect(aggregation.links == [
            MapAggregation.Link(from: 0, to: 3, count: 1), MapAggregation.Link(from: 1, to: 2, count: 1),
            MapAggregation.Link(from: 2, to: 3, count: 1),
        ])
    }

    @Test func aggregationKeepsTheHeaviestLinksIntoEachGroup() throws {
        // A hub requiring parts from seven segments: 3 parts from s0, 2 from s1, 1 from each other.
        var builder = ModelBuilder()
        builder.addRegion(id: "CN", name: "China")
        for segment in 0..<8 { builder.addSegment(id: "s\(segment)", name: "S\(segment)", order: segment) }
        builder.addComponent(id: "hub", name: "Hub", segment: "s7")
        for (segment, parts) in [3, 2, 1, 1, 1, 1, 1].enumerated() {
            for part in 0..<parts {
                builder.addComponent(id: "p\(segment).\(part)", name: "Part", segment: "s\(segment)")
                builder.addRequirement(component: "hub", child: "p\(segment).\(part)", weight: 0.01)
            }
        }
        let model = try builder.build()
        let aggregation = MapAggregation(model: model, maxNodes: 2000)
        #expect(aggregation.groups.count == 8)
        #expect(aggregation.allLinkCount == 7)
        // Into the hub's group (7): the heaviest, s0 (3) and s1 (2), then the lowest groups of the ties.
        #expect(aggregation.links == [
            MapAggregation.Link(from: 0, to: 7, count: 3), MapAggregation.Link(from: 1, to: 7, count: 2),
            MapAggregation.Link(from: 2, to: 7, count: 1), MapAggregation.Link(from: 3, to: 7, count: 1),
        ])
        let document = ChainMapDocument(model: model, options: ChainMapOptions(scope: 0, maxNodes: 10))
        #expect(document.notes == [
            "the model has 11 components, more than --max-nodes 10; drawing an aggregated map with one node per segment and band of 2 levels (8 nodes), and the 4 heaviest of 7 links between them",
        ])
    }

    @Test func largeAggregationsStayWithinTheGroupLimit() throws {
        let model = try Fixtures.generatedModel(components: 3000)
        let aggregation = MapAggregation(model: model, maxNodes: 2000)
        #expect(aggregation.groups.count <= MapAggregation.maximumGroups)
        var into: [Int: Int] = [:]
        for link in aggregation.links { into[link.to, default: 0] += 1 }
        #expect(into.values.allSatisfy { $0 <= MapAggregation.linksPerGroup })
        #expect(aggregation.groups.flatMap(\.members).sorted() == Array(0..<3000))
    }

    @Test func noticesTextThatNeedsACJKFont() throws {
        #expect(ChainMapDocument(model: try Fixtures.mini, options: ChainMapOptions(scope: 1)).needsCJKFont)
        let latin = try Fixtures.generatedModel(components: 4)
        #expect(!ChainMapDocument(model: latin, options: ChainMapOptions(scope: 1)).needsCJKFont)
    }

    private func node(_ id: String, in graph: DOTGraph) -> DOTNode? {
        func find(_ statements: [DOTStatement]) -> DOTNode? {
            for statement in statements {
                switch statement {
                case .node(let node) where node.id == id: return node
                case .subgraph(let subgraph): if let found = find(subgraph.statements) { return found }
                default: continue
                }
            }
            return nil
        }
        return find(graph.statements)
    }
}

@Suite struct LabelTextTests {
    @Test func wrapsAtSpacesAndInsideLongCJKWords() {
        #expect(DisplayWidth.wrap("Harmonic (strain-wave) reducer 谐波减速器", to: 16) == ["Harmonic", "(strain-wave)", "reducer", "谐波减速器"])
        #expect(DisplayWidth.wrap("中文名字很长很长很长", to: 8) == ["中文名字", "很长很长", "很长"])
        #expect(DisplayWidth.wrap("one\ntwo", to: 20) == ["one", "two"])
        #expect(DisplayWidth.wrap("", to: 20) == [""])
    }

    @Test func longNamesStopAfterTheirLastLine() {
        let name = String(repeating: "very long name ", count: 50) + "<end>"
        #expect(LabelText.htmlLines(name, width: 16, maxLines: 2) == "very long name<BR/>very long name …")
        #expect(LabelText.htmlLines("a b & c d", width: 3, maxLines: 2) == "a b<BR/>&amp;…")
        #expect(LabelText.htmlLines("short", width: 16, maxLines: 2) == "short")
    }

    @Test func truncatesByDisplayWidth() {
        #expect(LabelText.truncate("Leju Robotics 乐聚机器人", width: 18) == "Leju Robotics 乐…")
        #expect(LabelText.truncate("short", width: 18) == "short")
        #expect(LabelText.truncate("two\nlines", width: 18) == "two lines")
    }

    @Test func picksAReadableTextColour() {
        #expect(LabelText.textColour(on: "#b2182b") == "#ffffff")
        #expect(LabelText.textColour(on: "#e5f5e0") == "#000000")
        #expect(LabelText.textColour(on: "#fdb863") == "#000000")
        #expect(LabelText.textColour(on: nil) == "#000000")
        #expect(LabelText.textColour(on: "not a colour") == "#000000")
    }
}
