import Dispatch
import RoboChainAnalysis
import RoboChainModel
import RoboChainRendering
import Testing

/// Rendering through libgvc, synchronously: SVG checked by parsing, PNG and PDF by their
/// headers and sizes, the time budget, the lock, and names that try to break things.
@Suite struct GraphvizRendererTests {
    func miniDocument(firms: FirmDisplay = .top) throws -> ChainMapDocument {
        let model = try Fixtures.mini
        return ChainMapDocument(
            model: model, results: [Fixtures.shareLike, Fixtures.gapLike],
            options: ChainMapOptions(scope: try Fixtures.scope("CN-GD", in: model), firms: firms))
    }

    @Test func svgHasEveryNodeEdgeAndCluster() throws {
        let document = try miniDocument()
        let output = try GraphvizRenderer.render(document.text, format: .svg)
        #expect(output.messages == [])
        let svg = try ParsedSVG(String(decoding: output.bytes, as: UTF8.self))
        #expect(Set(svg.groups(class: "node").compactMap { $0.attributes["id"] }) == ["c.robot", "c.joint", "c.reducer", "c.chip"])
        #expect(svg.groups(class: "edge").count == 3)
        #expect(svg.groups(class: "cluster").count == 3)
        #expect(svg.texts(inGroup: "c.robot") == ["Humanoid robot", "人形机器人", "10 % · 单一", "1 local / 1 supplier", "UBTech 优必选"])
        #expect(svg.tooltips.contains { $0.hasPrefix("Humanoid robot 人形机器人 (robot)\nsegment: Whole robots 整机\nLocal share 10 %") })
        // The legend is part of the graph label: every analysis' entries are there.
        let allText = svg.elements.filter { $0.name == "text" }.map(\.text)
        for label in ["local share 0 %", "local share 100 %", "foreign-only", "single-local-source", "卡脖子", "单一"] {
            #expect(allText.contains(label), "legend text '\(label)' missing")
        }
    }

    @Test func pngAndPDFHaveTheLayoutsSize() throws {
        let document = try miniDocument()
        let svg = try ParsedSVG(String(decoding: try GraphvizRenderer.render(document.text, format: .svg).bytes, as: UTF8.self))
        let png = try GraphvizRenderer.render(document.text, format: .png)
        let pdf = try GraphvizRenderer.render(document.text, format: .pdf)
        let pixels = try #require(BinaryChecks.pngSize(png.bytes))
        // PNG at 96 dpi: 4/3 pixel per point.
        #expect(abs(Double(pixels.width) - svg.size.width * 4 / 3) <= 1.5)
        #expect(abs(Double(pixels.height) - svg.size.height * 4 / 3) <= 1.5)
        #expect(pixels.width > 300 && pixels.height > 200)
        #expect(BinaryChecks.isPDF(pdf.bytes))
        let page = try #require(BinaryChecks.pdfPageSize(pdf.bytes))
        #expect(abs(page.width - svg.size.width) <= 1.5)
        #expect(abs(page.height - svg.size.height) <= 1.5)
        #expect(png.messages == [] && pdf.messages == [])
    }

    @Test func dotFormatIsTheDocumentItself() throws {
        let document = try miniDocument()
        #expect(try GraphvizRenderer.render(document.text, format: .dot).bytes == Array(document.text.utf8))
    }

    @Test func hostileNamesSurviveDOTAndSVG() throws {
        let model = try Fixtures.hostileModel
        let hostileAnnotation = AnalysisResult(
            analysis: "hostile-plugin",
            annotations: ["c0": Annotation(fill: "#ffffff", badge: "<b>&\"\\", tooltip: "tip \"&lt;\" \\ 中", border: "#000000")],
            legend: [LegendEntry(label: "</TD></TR></TABLE> & \"", fill: "#ff0000", badge: "]]>")])
        let document = ChainMapDocument(
            model: model, results: [hostileAnnotation], options: ChainMapOptions(scope: try Fixtures.scope("CN-GD", in: model), firms: .all))
        for format in [MapFormat.png, .pdf] {
            let output = try GraphvizRenderer.render(document.text, format: format)
            #expect(output.messages == [], "Graphviz complained while rendering \(format)")
            #expect(!output.bytes.isEmpty)
        }
        let output = try GraphvizRenderer.render(document.text, format: .svg)
        #expect(output.messages == [], "Graphviz complained: it fell back from an HTML label or misread the DOT")
        let svg = try ParsedSVG(String(decoding: output.bytes, as: UTF8.self))
        #expect(svg.groups(class: "node").count == Fixtures.hostileNames.count + 1)
        func squeezed(_ text: String) -> String { String(text.filter { !$0.isWhitespace }) }
        for (index, name) in Fixtures.hostileNames.enumerated() {
            // The label: the name's lines, then the supplier counts.
            let shown = squeezed(svg.texts(inGroup: "c.c\(index)").joined())
            #expect(shown.hasPrefix(squeezed(name)), "label of \(name.debugDescription) reads \(shown.debugDescription)")
            // The tooltip: the name exactly (line breaks normalised, tabs as XML attributes read them).
            let expected = name.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\t", with: " ")
            #expect(svg.tooltips.contains { $0.hasPrefix(expected + " (c\(index))") }, "no tooltip for \(name.debugDescription) in \(svg.tooltips.filter { $0.contains("(c\(index))") })")
        }
        #expect(svg.texts(inGroup: "f.f1") == [Fixtures.hostileFirm])
        #expect(svg.texts(inGroup: "c.c0").contains("<b>&\"\\"))
        #expect(svg.tooltips.contains { $0.contains("tip \"&lt;\" \\ 中") })
        let allText = svg.elements.filter { $0.name == "text" }.map(\.text)
        #expect(allText.contains("Hostile \"title\" <b>bold</b> & \\"))
        #expect(allText.contains("</TD></TR></TABLE> & \""))
        #expect(allText.contains("]]>"))
    }

    @Test func invalidDOTIsRejectedWithGraphvizsMessage() {
        #expect {
            try GraphvizRenderer.render("digraph { a -> }", format: .svg)
        } throws: { error in
            guard case RenderingError.invalidDocument(let message) = error else { return false }
            return message.contains("syntax error")
        }
    }

    @Test func graphvizWarningsAreReturned() throws {
        let output = try GraphvizRenderer.render("digraph { a [shape=\"no-such-shape\"] }", format: .svg)
        #expect(output.messages.contains { $0.contains("no-such-shape") })
        #expect(try ParsedSVG(String(decoding: output.bytes, as: UTF8.self)).groups(class: "node").count == 1)
    }

    @Test func layoutOverItsBudgetIsStoppedAndLeavesTheProcessUsable() throws {
        // A 1,500-component chain with long edges (i requires i−1 and i/2): dot needs far more
        // than the budget for it.
        let model = try Fixtures.generatedModel(components: 1500)
        let document = ChainMapDocument(model: model, options: ChainMapOptions(scope: 1, firms: .none, maxNodes: 5000))
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: RenderingError.layoutTimedOut(seconds: 0.5, nodes: 1500)) {
            try GraphvizRenderer.render(document.text, format: .svg, timeLimit: 0.5)
        }
        #expect(clock.now - start < .seconds(5))
        // The next render works: nothing of the killed layout is left behind.
        let output = try GraphvizRenderer.render(try miniDocument().text, format: .svg)
        #expect(try ParsedSVG(String(decoding: output.bytes, as: UTF8.self)).groups(class: "node").count == 4)
    }

    @Test func concurrentCallersTakeTurns() throws {
        let text = try miniDocument(firms: .all).text
        let results = RenderResults(count: 6)
        DispatchQueue.concurrentPerform(iterations: 6) { index in
            results.set(index, Result { try GraphvizRenderer.render(text, format: index % 2 == 0 ? .svg : .png) })
        }
        let outputs = try results.all.map { try $0.get() }
        #expect(Set(outputs.enumerated().filter { $0.offset % 2 == 0 }.map(\.element.bytes)).count == 1)
        #expect(Set(outputs.enumerated().filter { $0.offset % 2 == 1 }.map(\.element.bytes)).count == 1)
        #expect(outputs.allSatisfy { $0.messages.isEmpty })
    }
}

import Foundation

/// Results gathered from several threads.
private final class RenderResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<GraphvizRenderer.Output, any Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<GraphvizRenderer.Output, any Error>) {
        lock.withLock { results[index] = result }
    }

    var all: [Result<GraphvizRenderer.Output, any Error>] {
        lock.withLock { results.map { $0! } }
    }
}
