import ArgumentParser
import RoboChainAnalysis
import RoboChainGraphExchange
import RoboChainModel
import RoboChainPluginHost
import RoboChainRendering
import RoboChainReports

/// What `render` writes: a map (through Graphviz, or its DOT text) or the graph for other tools.
enum RenderFormat: String, CaseIterable, ExpressibleByArgument {
    case svg, png, pdf, dot, graphml, gexf

    /// The format a file name's extension names (`.svg`, `.png`, `.pdf`, `.dot`, `.gv`,
    /// `.graphml`, `.gexf`), if any.
    init?(fileName: String) {
        if let map = MapFormat(fileName: fileName) {
            self.init(rawValue: map.rawValue)
        } else if let dot = fileName.lastIndex(of: "."), !fileName[dot...].contains("/") {
            let suffix = fileName[fileName.index(after: dot)...].lowercased()
            guard suffix == "graphml" || suffix == "gexf" else { return nil }
            self.init(rawValue: suffix)
        } else {
            return nil
        }
    }

    /// The map format, or `nil` for a graph-exchange format.
    var map: MapFormat? { MapFormat(rawValue: rawValue) }

    static let names = allCases.map(\.rawValue).joined(separator: ", ")
}
extension FirmDisplay: ExpressibleByArgument {}
extension MapDirection: ExpressibleByArgument {}
extension MapPage: ExpressibleByArgument {}

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Draw the chain map, or export it as GraphML or GEXF.",
        discussion: """
            Draws MODEL as a chain map with Graphviz (in process, through libgvc; the 'dot' \
            program is not needed): one cluster per segment, an arrow from each \
            part to the assembly that requires it (upstream to downstream), as thick as the \
            part's share of the assembly's cost. Each node shows the component's name and, when \
            analyses ran or firms are shown, its suppliers in the scope and in all.

            --with runs analyses (as 'robochain analyze' does) and applies their annotations: \
            localisation-share fills each node by its direct local share (dark red 0 % → pale \
            green 100 %, readable in grey print), gap-detection borders and badges its findings \
            (卡脖子 foreign-only, 补链 no local supplier, …); external plugins' annotations apply \
            the same way. A legend explains the colours and badges. If an analysis fails the map \
            is still drawn with the others' annotations, and the exit status is 70.

            --firms: none (no firm information), count (supplier counts), top (counts and the \
            first few suppliers in the scope, with "+N more"; the default), all (a node per firm, \
            grouped by region).

            --without and --relocate draw the map of a what-if scenario (see 'robochain analyze \
            --help'); 'robochain compare … --output diff.svg' draws what it changes.

            Slides and print: --page 16:9, a4 or a4-landscape fits the map to the page at a \
            legible size: firm names move to the nodes' tooltips (the report lists them), names \
            wrap narrower, the legend is laid out in columns, parts that require nothing are \
            staggered over two ranks. No page is drawn below 9/11 of full size (no text under 9 pt \
            on the page): a map that does not fit is split into pages, an overview (the \
            segments, each naming its pages) then a page per segment, cut by level when needed, \
            with dashed boxes for the parts on other pages; page k is written beside the output \
            as NAME-k.EXT. --root ID draws one product and \
            what it requires (an unknown ID lists the whole products); --direction TB (parts at \
            the top, the default) or LR (parts on the left); --title replaces the model's title.

            Graph exchange: --format graphml or gexf (or a .graphml or .gexf file) writes the \
            chain for Gephi, Cytoscape, yEd or NetworkX instead of a map: components, firms and \
            regions as nodes (ids c.ID, f.ID, r.ID), requires, supply, location and region edges, \
            with names, segments, weights, shares, local supplier counts and share, and each \
            analysis' annotations and findings as NAME.fill, NAME.badge, NAME.tooltip, \
            NAME.kind, NAME.severity, … attributes. The whole model is written, never aggregated.

            Large models: above --max-nodes nodes (default 2000) the map is simplified and a note \
            says how: firm nodes give way to names, then components are aggregated into one node \
            per segment and level (also when more than 150 components would stand side by side \
            in one rank). Each layout and rendering gets --layout-timeout seconds (default 60; \
            a map split into pages lays out each page, and tries a few layouts to choose the \
            split) and fails with a message when it runs out.

            The format is --format, else the --output file's extension (.svg, .png, .pdf, .dot, \
            .gv, .graphml or .gexf); a --format that another known extension contradicts is a \
            usage error. The file is written atomically, never over the model's own files; '--output -' writes to standard output (give \
            --format). PNG and PDF need a font for Chinese: without one a warning names the \
            package to install (fonts-wqy-microhei).

            Exit status: 0 success, 64 bad usage, 65 invalid model, 66 MODEL does not exist or \
            cannot be read, 70 an analysis failed (the map is still written), 1 anything else (output not writable, layout over its time \
            budget, Graphviz failed).

            Examples:
              robochain render Models/guangdong-robots.yaml --output map.svg
              robochain render Models/guangdong-robots.yaml --with localisation-share \\
                  --with gap-detection --output map.png
              robochain render Models/guangdong-robots.yaml --with gap-detection \\
                  --scope CN-GD-SZ --option threshold=0.5 --firms all --output shenzhen.pdf
              robochain render big-model/ --max-nodes 500 --layout-timeout 30 \\
                  --output big.svg
              robochain render Models/guangdong-robots.yaml --with localisation-share \\
                  --with gap-detection --page 16:9 --output slide.png
              robochain render Models/guangdong-robots.yaml --root humanoid --page a4 \\
                  --title "Humanoid robot 人形机器人" --output humanoid.pdf
              robochain render Models/guangdong-robots.yaml --with gap-detection \\
                  --output chain.gexf
              robochain render Models/guangdong-robots.yaml --format dot --output - | less
              robochain render Models/guangdong-robots.yaml --with localisation-share \\
                  --without region:JP --output without-japan.svg
            """)

    @Argument(help: ModelArgument.help, completion: ModelArgument.completion)
    var model: String

    @Option(help: ArgumentHelp("The file to write ('-' for standard output).", valueName: "file"), completion: .file(extensions: ["svg", "png", "pdf", "dot", "gv", "graphml", "gexf"]))
    var output: String

    @Option(help: ArgumentHelp("Output format (default: from the --output file's extension).", valueName: "format"))
    var format: RenderFormat?

    @OptionGroup var selection: AnalysisSelection

    @OptionGroup(title: "Scenario (what if)") var what: ScenarioOptions

    @Option(help: ArgumentHelp("How firms appear on the map.", valueName: "mode"))
    var firms: FirmDisplay = .top

    @Option(parsing: .unconditional, help: ArgumentHelp("Above this many nodes, draw a simplified map.", valueName: "n"))
    var maxNodes: Int = ChainMapOptions.defaultMaxNodes

    @Option(help: ArgumentHelp("Draw only this component (a whole product) and what it requires, directly or not.", valueName: "component"))
    var root: String?

    @Option(help: ArgumentHelp("Direction: TB (parts at the top) or LR (parts on the left).", valueName: "direction"))
    var direction: MapDirection = .TB

    @Option(help: ArgumentHelp("Fit a page at a legible size: 16:9 (a slide), a4 or a4-landscape.", valueName: "page"))
    var page: MapPage?

    @Option(help: ArgumentHelp("The title drawn at the top (default: the model's title).", valueName: "text"))
    var title: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds layout and rendering may take before they are stopped.", valueName: "seconds"))
    var layoutTimeout: Double = GraphvizRenderer.defaultTimeLimit

    func validate() throws {
        guard maxNodes >= 1 else { throw ValidationError("--max-nodes must be at least 1, not \(maxNodes)") }
        guard layoutTimeout > 0, layoutTimeout.isFinite else {
            throw ValidationError("--layout-timeout must be a positive number of seconds")
        }
        _ = try resolvedFormat()
    }

    /// The format: --format, else the output file's extension; the two must agree.
    func resolvedFormat() throws -> RenderFormat {
        let named = output == "-" ? nil : RenderFormat(fileName: output)
        if let format {
            if let named, named != format {
                throw ValidationError("--format \(format.rawValue) does not match the extension of '\(output)' (\(named.rawValue)); give one or make them agree")
            }
            return format
        }
        if output == "-" { throw ValidationError("give --format (\(RenderFormat.names)) to write to standard output") }
        guard let named else {
            throw ValidationError("cannot tell the format from '\(output)'; give --format (\(RenderFormat.names)) or end the file name in .svg, .png, .pdf, .dot, .graphml or .gexf")
        }
        return named
    }

    func run() throws {
        try reportingUsageErrors(of: Self.self) { try render() }
    }

    private func render() throws {
        let format = try resolvedFormat()
        let log = selection.log
        log.version()
        var timer = PhaseTimer(verbose: selection.verbose)
        let catalog = discoverAnalyses()
        log.catalog(catalog)
        let jobs = try selection.jobs(from: catalog)
        log.analyses(jobs)
        let scenario = try what.scenario()
        let display = ProgressDisplay(quiet: selection.quiet)
        try refuseModelAsOutput(output, model: model)
        let stream = try openOutput(output == "-" ? nil : output)
        var loaded = try loadModel(model, display: display, log: log)
        loaded.model = try what.apply(scenario, to: loaded.model)
        timer.lap("load")
        let scope = try selection.resolveScope(in: loaded.model)
        var rootIndex: Int?
        if let root {
            guard let component = loaded.model.components.index(of: root) else {
                let roots = loaded.model.components.roots.map { loaded.model.components.ids[Int($0)] }
                let shown = roots.count > 30 ? roots.prefix(30).joined(separator: ", ") + ", … (\(roots.count) in all)" : roots.joined(separator: ", ")
                throw ValidationError("unknown component '\(root)' for --root; the model's whole products are: \(shown)")
            }
            rootIndex = component
        }

        // The map shows the same supply counts and shares the analyses compute: once for both.
        let measures = SharedMeasures(model: loaded.model, scope: scope)
        let outcomes = jobs.isEmpty ? [] : selection.run(jobs, model: loaded.model, scope: scope, wantsMap: true, scenario: scenario, measures: measures,
            display: display)
        var results: [AnalysisResult] = []
        var failures: [AnalysisError] = []
        for outcome in outcomes {
            switch outcome {
            case .success(let result): results.append(result)
            case .failure(let failure):
                if failure.isUsageError { throw ValidationError(failure.description) }
                failures.append(failure)
            }
        }

        timer.lap("analyses")
        guard let mapFormat = format.map else {
            let mapOnly = [root.map { _ in "--root" }, page.map { _ in "--page" }, direction == .LR ? "--direction" : nil].compactMap { $0 }
            if !mapOnly.isEmpty {
                printError("note: \(mapOnly.joined(separator: ", ")) shape\(mapOnly.count == 1 ? "s" : "") maps; the \(format.rawValue) file has the whole chain")
            }
            var graph = ChainGraph(model: loaded.model, results: results, scope: scope, measures: measures)
            if let title { graph.attributes["title"] = .text(title) }
            stream.write(Array((format == .graphml ? graph.graphML() : graph.gexf()).utf8))
            try commitOutput(stream)
            for failure in failures { printError("error: \(failure)") }
            if !failures.isEmpty { throw ExitStatus.pluginFailure }
            return
        }
        var options = ChainMapOptions(scope: scope, firms: firms, maxNodes: maxNodes)
        options.title = title
        options.direction = direction
        options.page = page
        options.root = rootIndex
        var documents: [ChainMapDocument]
        var pageNotes: [String] = []
        if page != nil {
            do {
                let paged = try ChainMapPages(model: loaded.model, results: results, options: options, measures: measures,
                    language: selection.language, timeLimit: layoutTimeout)
                documents = paged.pages.map(\.document)
                pageNotes = paged.notes
            } catch {
                for failure in failures { printError("error: \(failure)") }
                printError("error: \(error)")
                throw ExitStatus.failure
            }
        } else {
            documents = [ChainMapDocument(model: loaded.model, results: results, options: options, measures: measures, language: selection.language)]
        }
        let document = documents[0]
        for note in document.notes + pageNotes { printError("note: \(note)") }
        for warning in document.warnings { printError("warning: \(warning)") }
        if mapFormat.drawsGlyphs && documents.contains(where: \.needsCJKFont) && FontCheck.hasChineseFont() == false {
            printError("warning: \(FontCheck.missingChineseFontWarning)")
        }
        if output == "-" && documents.count > 1 {
            printError("note: only the first page (the overview) is written to standard output; give --output FILE to write all \(documents.count) pages")
            documents = [document]
        }
        var rendered: [GraphvizRenderer.Output] = []
        do {
            for page in documents { rendered.append(try GraphvizRenderer.render(page.text, format: mapFormat, timeLimit: layoutTimeout)) }
        } catch {
            for failure in failures { printError("error: \(failure)") }
            printError("error: \(error)")
            throw ExitStatus.failure
        }
        timer.lap("layout and rendering")
        for message in rendered.flatMap(\.messages) { printError("warning: Graphviz: \(message)") }
        // Every page is written, or none: all are written and synced beside their targets before
        // any is renamed into place (OutputFile.commitAll).
        var streams = [stream]
        for number in rendered.indices.dropFirst() {
            let path = ChainMapPages.pageFile(output, number: number + 1, count: rendered.count)
            try refuseModelAsOutput(path, model: model)
            streams.append(try openOutput(path))
        }
        for (page, output) in zip(rendered, streams) { output.write(page.bytes) }
        do {
            try OutputFile.commitAll(streams)
        } catch {
            printError("error: \(error)")
            throw ExitStatus.failure
        }
        if streams.count > 1 {
            printError("note: wrote \(streams.count) pages: " + rendered.indices.map { ChainMapPages.pageFile(output, number: $0 + 1, count: rendered.count) }.joined(separator: ", "))
        }
        if output != "-" {
            let stale = Self.stalePages(of: output, count: streams.count)
            if !stale.isEmpty {
                printError("note: \(stale.joined(separator: ", ")) beside the output \(stale.count == 1 ? "is" : "are") not a page of this map (left from an earlier render?); robochain leaves \(stale.count == 1 ? "it" : "them") as \(stale.count == 1 ? "it is" : "they are")")
            }
        }
        timer.lap("output")
        for failure in failures { printError("error: \(failure)") }
        if !failures.isEmpty { throw ExitStatus.pluginFailure }
    }

    /// Files named as pages after the last of `count` pages of `output` (`map-6.svg`,
    /// `map-06.svg`, … up to the most pages a map has), which a render with more pages left.
    static func stalePages(of output: String, count: Int) -> [String] {
        guard count < ChainMapPages.maximumPages else { return [] }
        var found: [String] = []
        for number in (count + 1)...ChainMapPages.maximumPages {
            for digits in [1, 2] where String(number).count <= digits {
                let name = ChainMapPages.pageFile(output, number: number, count: digits == 1 ? 9 : 99)
                if !found.contains(name), access(ByteText.cString(name), F_OK) == 0 { found.append(name) }
            }
        }
        return found
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
