import Foundation
import RoboChainAnalysis
import RoboChainModel
@testable import RoboChainRendering
import RoboChainTestSupport
import Testing

/// Maps for slides and print: --root, --direction, --page, --title, and aggregation of maps
/// too wide to read.
@Suite struct PageMapTests {
    /// One product requiring `leaves` parts, all in one rank of the detailed map.
    static func star(leaves: Int) throws -> ChainModel {
        var builder = ModelBuilder()
        builder.id = "star"
        builder.addRegion(id: "CN", name: "China")
        builder.setHome("CN")
        builder.addSegment(id: "parts", name: "Parts")
        builder.addComponent(id: "product", name: "Product", segment: "parts")
        for index in 0..<leaves {
            builder.addComponent(id: "p\(index)", name: "Part \(index)", segment: "parts")
            builder.addRequirement(component: "product", child: "p\(index)")
        }
        return try builder.build()
    }

    func nodeIDs(_ document: ChainMapDocument) -> [String] {
        func ids(_ statements: [DOTStatement]) -> [String] {
            statements.flatMap { statement -> [String] in
                switch statement {
                case .node(let node): [node.id]
                case .subgraph(let subgraph): ids(subgraph.statements)
                default: []
                }
            }
        }
        return ids(document.graph.statements)
    }

    @Test func rootDrawsOneProductAndWhatItRequires() throws {
        let model = try Fixtures.mini
        var options = ChainMapOptions(scope: try Fixtures.scope("CN-GD", in: model), firms: .all)
        options.root = try #require(model.components.index(of: "joint"))
        let document = ChainMapDocument(model: model, options: options)
        #expect(Set(nodeIDs(document)) == ["c.joint", "c.reducer", "f.leader", "f.hd", "f.zhaowei", "f.inovance"])
        #expect(document.nodeCount == 6)
        #expect(document.text.contains("Product: Joint module 关节模组 and what it requires"))
        #expect(!document.text.contains("\"c.robot\"") && !document.text.contains("\"f.huawei\""))
    }

    @Test func titleAndDirection() throws {
        let model = try Fixtures.mini
        var options = ChainMapOptions(scope: try Fixtures.scope("CN-GD", in: model), firms: .none)
        options.title = "Slide <one> & 幻灯片"
        options.direction = .LR
        let document = ChainMapDocument(model: model, options: options)
        #expect(document.text.contains("Slide &lt;one&gt; &amp; 幻灯片"))
        #expect(!document.text.contains("Mini chain"))
        #expect(document.graph.attributes["rankdir"] == .text("LR"))
    }

    @Test func pageFitsTheMapAndMovesFirmNamesToTooltips() throws {
        let model = try Fixtures.mini
        var options = ChainMapOptions(scope: try Fixtures.scope("CN-GD", in: model), firms: .top)
        options.page = .widescreen
        let document = ChainMapDocument(model: model, results: [Fixtures.shareLike, Fixtures.gapLike], options: options)
        #expect(document.graph.attributes["size"] == .text("12.93,7.1"))
        // Firm names only in tooltips: the joint's local suppliers are Zhaowei and Inovance.
        let joint = try #require(document.graph.statements.lazy.compactMap { statement -> DOTNode? in
            guard case .subgraph(let cluster) = statement else { return nil }
            return cluster.statements.lazy.compactMap { if case .node(let node) = $0, node.id == "c.joint" { node } else { nil } }.first
        }.first)
        guard case .html(let label)? = joint.attributes["label"], case .text(let tooltip)? = joint.attributes["tooltip"] else {
            Issue.record("the joint has no label or tooltip")
            return
        }
        #expect(!label.contains("Zhaowei") && !label.contains("suppliers"))
        #expect(tooltip.contains("Zhaowei 兆威") && tooltip.contains("2 local / 2 suppliers"))
        // Natural size off a page.
        let plain = ChainMapDocument(model: model, options: ChainMapOptions(scope: options.scope))
        #expect(plain.graph.attributes["size"] == nil)
    }

    @Test func leavesAreStaggeredOnAPage() throws {
        let model = try Self.star(leaves: 12)
        var options = ChainMapOptions(scope: 0, firms: .none)
        options.page = .widescreen
        let document = ChainMapDocument(model: model, options: options)
        #expect(document.plan == .detailed(firms: .none))
        let lengths = document.graph.statements.compactMap { statement -> Double? in
            guard case .edge(let edge) = statement else { return nil }
            if case .number(let length)? = edge.attributes["minlen"] { return length }
            return 1
        }
        #expect(lengths == (0..<12).map { $0 % 2 == 0 ? 1 : 2 })
    }

    @Test func aMapTooWideToReadIsAggregated() throws {
        // 200 parts side by side: more than a PNG can hold legibly, though under --max-nodes.
        let wide = ChainMapDocument(model: try Self.star(leaves: 200), options: ChainMapOptions(scope: 0, firms: .none))
        guard case .aggregated = wide.plan else {
            Issue.record("expected an aggregated map, got \(wide.plan)")
            return
        }
        #expect(wide.notes.first?.hasPrefix("the model has 201 components, too many side by side for one legible map;") == true)
        #expect(ChainMapDocument(model: try Self.star(leaves: 100), options: ChainMapOptions(scope: 0, firms: .none)).plan == .detailed(firms: .none))
        // On a 16:9 page, 50 parts over two ranks are too many; 30 fit.
        var options = ChainMapOptions(scope: 0, firms: .none)
        options.page = .widescreen
        #expect(ChainMapDocument(model: try Self.star(leaves: 30), options: options).plan == .detailed(firms: .none))
        let page = ChainMapDocument(model: try Self.star(leaves: 50), options: options)
        #expect(page.notes.first?.contains("too many side by side to fit the page 16:9 legibly") == true)
    }

    @Test func drawnScaleIsReadFromTheSVG() {
        let svg = Array("<svg width=\"10pt\">\n<g id=\"graph0\" class=\"graph\" transform=\"scale(0.43 0.43) rotate(0)\">".utf8)
        #expect(ChainMapDocument.drawnScale(ofSVG: svg) == 0.43)
        #expect(ChainMapDocument.drawnScale(ofSVG: Array("<svg/>".utf8)) == nil)
    }

    @Test func guangdongOnASlide() throws {
        let directory = try TemporaryDirectory("page")
        defer { directory.remove() }
        let path = directory.path + "/slide.svg"
        let result = try RenderCommandTests.robochain(["render", RenderCommandTests.guangdong] + RenderCommandTests.analyses + ["--page", "16:9", "--output", path])
        #expect(result.exitStatus == 0)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let scale = try #require(ChainMapDocument.drawnScale(ofSVG: bytes))
        // Measured 0.51; the whole chain cannot be drawn larger on a slide, and the note says so.
        #expect(scale >= 0.45)
        #expect(result.standardError.contains("of full size to fit the page 16:9; for larger text draw one product at a time with --root (humanoid,"))
        let svg = try ParsedSVG(String(decoding: bytes, as: UTF8.self))
        #expect(svg.groups(class: "node").count == 46)
        // One product fits at a larger size, without the note.
        let product = try RenderCommandTests.robochain(
            ["render", RenderCommandTests.guangdong] + RenderCommandTests.analyses
                + ["--page", "16:9", "--root", "industrial-robot", "--title", "Industrial robot 工业机器人", "--output", path])
        #expect(product.exitStatus == 0)
        #expect(product.standardError == "")
        let productScale = try #require(ChainMapDocument.drawnScale(ofSVG: try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))))
        #expect(productScale >= 0.7)
    }

    @Test(arguments: [
        (["--root", "no-such"], "unknown component 'no-such' for --root; the model's whole products are: humanoid, service-robot"),
        (["--page", "letter"], "The value 'letter' is invalid for '--page <page>'. Please provide one of '16:9', 'a4' or 'a4-landscape'."),
        (["--direction", "RL"], "The value 'RL' is invalid for '--direction <direction>'. Please provide one of 'TB' and 'LR'."),
    ])
    func badMapOptionsAreExit64WithTheChoices(arguments: [String], message: String) throws {
        let directory = try TemporaryDirectory("page")
        defer { directory.remove() }
        let result = try RenderCommandTests.robochain(
            ["render", CommandRunner.packageDirectory.path + "/" + RenderCommandTests.guangdong, "--output", "m.svg"] + arguments,
            directory: directory.url)
        #expect(result.exitStatus == 64)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
