import ArgumentParser
import RoboChainAnalysis
import RoboChainModel
import RoboChainPluginHost
import RoboChainRendering
import RoboChainReports

extension MapFormat: ExpressibleByArgument {}
extension FirmDisplay: ExpressibleByArgument {}

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Draw the chain map (SVG, PNG, PDF or DOT).",
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

            Large models: above --max-nodes nodes (default 2000) the map is simplified and a note \
            says how: firm nodes give way to names, then components are aggregated into one node \
            per segment and level. Layout and rendering get --layout-timeout seconds (default 60) \
            and fail with a message when they run out.

            The format is --format, else the --output file's extension (.svg, .png, .pdf, .dot or \
            .gv). The file is written atomically, never over the model's own files; '--output -' writes to standard output (give \
            --format). PNG and PDF need a font for Chinese: without one a warning names the \
            package to install (fonts-wqy-microhei).

            Exit status: 0 success, 64 bad usage, 65 invalid model, 70 an analysis failed (the \
            map is still written), 1 anything else (output not writable, layout over its time \
            budget, Graphviz failed).

            Examples:
              robochain render Models/guangdong-robots.yaml --output map.svg
              robochain render Models/guangdong-robots.yaml --with localisation-share \\
                  --with gap-detection --output map.png
              robochain render Models/guangdong-robots.yaml --with gap-detection \\
                  --scope CN-GD-SZ --option threshold=0.5 --firms all --output shenzhen.pdf
              robochain render big-model/ --max-nodes 500 --layout-timeout 30 \\
                  --output big.svg
              robochain render Models/guangdong-robots.yaml --format dot --output - | less
            """)

    @Argument(help: "The model: a .yaml, .yml or .json file, a directory of CSV files, or an .xlsx workbook.")
    var model: String

    @Option(help: ArgumentHelp("The file to write ('-' for standard output).", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("Output format (default: from the --output file's extension).", valueName: "format"))
    var format: MapFormat?

    @OptionGroup var selection: AnalysisSelection

    @Option(help: ArgumentHelp("How firms appear on the map.", valueName: "mode"))
    var firms: FirmDisplay = .top

    @Option(parsing: .unconditional, help: ArgumentHelp("Above this many nodes, draw a simplified map.", valueName: "n"))
    var maxNodes: Int = ChainMapOptions.defaultMaxNodes

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds layout and rendering may take before they are stopped.", valueName: "seconds"))
    var layoutTimeout: Double = GraphvizRenderer.defaultTimeLimit

    func validate() throws {
        guard maxNodes >= 1 else { throw ValidationError("--max-nodes must be at least 1, not \(maxNodes)") }
        guard layoutTimeout > 0, layoutTimeout.isFinite else {
            throw ValidationError("--layout-timeout must be a positive number of seconds")
        }
        _ = try resolvedFormat()
    }

    /// The format: --format, else the output file's extension.
    func resolvedFormat() throws -> MapFormat {
        if let format { return format }
        if output == "-" { throw ValidationError("give --format (svg, png, pdf or dot) to write to standard output") }
        guard let format = MapFormat(fileName: output) else {
            throw ValidationError("cannot tell the format from '\(output)'; give --format (svg, png, pdf or dot) or end the file name in .svg, .png, .pdf or .dot")
        }
        return format
    }

    func run() throws {
        try reportingUsageErrors(of: Self.self) { try render() }
    }

    private func render() throws {
        let format = try resolvedFormat()
        let catalog = discoverAnalyses()
        let jobs = try selection.jobs(from: catalog)
        let display = ProgressDisplay(quiet: selection.quiet)
        try refuseModelAsOutput(output, model: model)
        let stream = try openOutput(output == "-" ? nil : output)
        let loaded = try loadModel(model, display: display)
        let scope = try selection.resolveScope(in: loaded.model)

        // The map shows the same supply counts and shares the analyses compute: once for both.
        let measures = SharedMeasures(model: loaded.model, scope: scope)
        let outcomes = jobs.isEmpty ? [] : selection.run(jobs, model: loaded.model, scope: scope, wantsMap: true, measures: measures, display: display)
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

        let options = ChainMapOptions(scope: scope, firms: firms, maxNodes: maxNodes)
        let document = ChainMapDocument(model: loaded.model, results: results, options: options, measures: measures)
        for note in document.notes { printError("note: \(note)") }
        for warning in document.warnings { printError("warning: \(warning)") }
        if format.drawsGlyphs && document.needsCJKFont && FontCheck.hasChineseFont() == false {
            printError("warning: \(FontCheck.missingChineseFontWarning)")
        }
        let rendered: GraphvizRenderer.Output
        do {
            rendered = try GraphvizRenderer.render(document.text, format: format, timeLimit: layoutTimeout)
        } catch {
            for failure in failures { printError("error: \(failure)") }
            printError("error: \(error)")
            throw ExitStatus.failure
        }
        for message in rendered.messages { printError("warning: Graphviz: \(message)") }
        stream.write(rendered.bytes)
        try commitOutput(stream)
        for failure in failures { printError("error: \(failure)") }
        if !failures.isEmpty { throw ExitStatus.pluginFailure }
    }

}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
