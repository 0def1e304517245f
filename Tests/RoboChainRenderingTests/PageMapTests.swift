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

    /// Two segments: `parts` parts in segment "parts", all required by one product in "products";
    /// the first part has `suppliers` local firms.
    static func twoSegments(parts: Int, suppliers: Int = 0) throws -> ChainModel {
        var builder = ModelBuilder()
        builder.id = "two"
        builder.addRegion(id: "CN", name: "China")
        builder.setHome("CN")
        builder.addSegment(id: "parts", name: "Parts")
        builder.addSegment(id: "products", name: "Products")
        builder.addComponent(id: "product", name: "Product", segment: "products")
        for index in 0..<parts {
            builder.addComponent(id: "p\(index)", name: "Part number \(index)", segment: "parts")
            builder.addRequirement(component: "product", child: "p\(index)")
        }
        for index in 0..<suppliers {
            builder.addFirm(id: "f\(index)", name: "Firm \(index)", region: "CN")
            builder.addSupply(firm: "f\(index)", component: "p0")
        }
        return try builder.build()
    }

    @Test func aMapThatFitsIsOnePageAtFullSize() throws {
        var options = ChainMapOptions(scope: 0, firms: .none)
        options.page = .widescreen
        let paged = try ChainMapPages(model: try Self.star(leaves: 4), options: options)
        #expect(paged.pages.count == 1)
        #expect(paged.pages[0].scale == 1)
        #expect(paged.pages[0].heading == nil)
        #expect(paged.notes.isEmpty)
    }

    @Test func aMapTooLargeForThePageIsSplitWithAnOverview() throws {
        let model = try Self.twoSegments(parts: 40)
        var options = ChainMapOptions(scope: 0, firms: .none)
        options.page = .widescreen
        let paged = try ChainMapPages(model: model, options: options)
        // Measured: the 40 parts take 4 pages of 10 (two ranks of 5, and the reference box),
        // the product one; with the overview, 6 pages.
        #expect(paged.pages.map(\.heading) == ["overview", "Parts (1/4)", "Parts (2/4)", "Parts (3/4)", "Parts (4/4)", "Products"])
        for page in paged.pages { #expect(page.scale >= MapPage.minimumScale, "\(page.heading ?? "") at \(page.scale)") }
        #expect(MapPage.minimumScale == 9.0 / 11.0)
        // Every component on exactly one part page.
        var drawn: [String] = []
        for page in paged.pages.dropFirst() { drawn += nodeIDs(page.document).filter { $0.hasPrefix("c.") } }
        #expect(drawn.count == 41 && Set(drawn).count == 41)
        #expect(nodeIDs(paged.pages[1].document).filter { $0.hasPrefix("c.") } == (0..<10).map { "c.p\($0)" })
        // The product's page reaches the parts through one reference box naming their pages.
        #expect(Set(nodeIDs(paged.pages[5].document)) == ["c.product", "x.parts"])
        #expect(paged.pages[5].document.text.contains("Parts<BR/><I>→ pp. 2–5</I>"))
        #expect(paged.pages[1].document.text.contains("Page 2 of 6: Parts (1/4); dashed boxes are drawn on other pages"))
        // The overview's groups name their pages.
        #expect(paged.pages[0].document.text.contains("<I>pages 2, 3, 4, 5</I>"))
        #expect(paged.pages[0].document.text.contains("<I>page 6</I>"))
        #expect(paged.notes == ["the map does not fit the page 16:9 at a legible size (9 pt text); it is split into 6 pages: "
            + "an overview and Parts (1/4), Parts (2/4), Parts (3/4), Parts (4/4), Products"])
    }

    @Test func aModelTooLargeToSplitIsOneAggregatedPage() throws {
        var options = ChainMapOptions(scope: 0, firms: .none)
        options.page = .widescreen
        let paged = try ChainMapPages(model: try Self.twoSegments(parts: ChainMapPages.maximumComponents), options: options)
        #expect(paged.pages.count == 1)
        guard case .aggregated = paged.pages[0].document.plan else {
            Issue.record("expected an aggregated page, got \(paged.pages[0].document.plan)")
            return
        }
        #expect(paged.notes.first == "the map would need more than 40 pages to be legible on the page 16:9; it is drawn as one page")
    }

    /// The smallest text of an SVG map as drawn on the page, in points: its smallest font size
    /// times the scale Graphviz drew it at.
    static func smallestText(_ bytes: [UInt8]) throws -> Double {
        let scale = try #require(ChainMapDocument.drawnScale(ofSVG: bytes))
        let svg = try ParsedSVG(String(decoding: bytes, as: UTF8.self))
        let sizes = svg.elements.compactMap { $0.attributes["font-size"].flatMap(Double.init) }
        return try #require(sizes.min()) * scale
    }

    @Test(arguments: [
        ("16:9", [] as [String], 7), ("16:9", ["--root", "humanoid"], 8), ("a4", [], 9), ("a4", ["--root", "humanoid"], 8),
        ("a4-landscape", [], 7),
    ])
    func guangdongIsLegibleOnEveryPage(page: String, root: [String], pages: Int) throws {
        let directory = try TemporaryDirectory("page")
        defer { directory.remove() }
        let result = try RenderCommandTests.robochain(
            ["render", RenderCommandTests.guangdong] + RenderCommandTests.analyses + root + ["--page", page, "--output", directory.path + "/map.svg"])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        // The split follows the text's widths, so it depends on the fonts installed: `pages` is
        // the count with the fonts scripts/setup.sh installs (WenQuanYi); another CJK font may
        // move it by a page or two. What must hold with any font is checked exactly below.
        let said = try #require(result.standardError.firstMatch(of: /it is split into (\d+) pages: an overview and Brain 大脑/))
        let count = try #require(Int(said.1))
        #expect(abs(count - pages) <= 2, "\(count) pages, expected about \(pages)")
        let width = String(count).count
        #expect(Set(files) == Set(["map.svg"] + (2...count).map { "map-" + String(repeating: "0", count: width - String($0).count) + "\($0).svg" }))
        #expect(result.standardError.contains("note: wrote \(count) pages: \(directory.path)/map.svg, \(directory.path)/map-"))
        #expect(!result.standardError.contains("% of full size"))
        var components = 0
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory.path + "/" + file)))
            let smallest = try Self.smallestText(bytes)
            #expect(smallest >= MapPage.minimumTextPoints, "\(file): text from \(smallest) pt")
            let svg = try ParsedSVG(String(decoding: bytes, as: UTF8.self))
            if file != "map.svg" { components += svg.groups(class: "node").filter { $0.attributes["id"]?.hasPrefix("c.") == true }.count }
        }
        #expect(components == (root.isEmpty ? 46 : 34))
    }

    @Test func oneProductOnASlide() throws {
        // A product small enough for one slide is drawn whole, as one file, at full legibility.
        let directory = try TemporaryDirectory("page")
        defer { directory.remove() }
        let path = directory.path + "/slide.svg"
        let product = try RenderCommandTests.robochain(
            ["render", RenderCommandTests.guangdong] + RenderCommandTests.analyses
                + ["--page", "16:9", "--root", "industrial-robot", "--title", "Industrial robot 工业机器人", "--output", path])
        #expect(product.exitStatus == 0)
        #expect(product.standardError == "")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["slide.svg"])
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(try Self.smallestText(bytes) >= MapPage.minimumTextPoints)
    }

    @Test func pageFileNames() {
        #expect(ChainMapPages.pageFile("out/map.svg", number: 1, count: 12) == "out/map.svg")
        #expect(ChainMapPages.pageFile("out/map.svg", number: 3, count: 12) == "out/map-03.svg")
        #expect(ChainMapPages.pageFile("out.d/map", number: 2, count: 3) == "out.d/map-2")
        #expect(ChainMapPages.pageFile(".hidden", number: 2, count: 3) == ".hidden-2")
        #expect(ChainMapPages.pageFile("地图.png", number: 10, count: 10) == "地图-10.png")
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
