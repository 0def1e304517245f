import ArgumentParser
import Foundation
import RoboChainAnalysis
import RoboChainHTMLReport
import RoboChainModel
import RoboChainPluginHost
import RoboChainRendering
import RoboChainReports

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML report: the map, every table, charts.",
        discussion: """
            Runs the analyses named with --with (as 'robochain analyze' does) and writes one HTML \
            file that needs nothing else — no network, no external script, style or font — for \
            people who will never run a command: the model's title, scope, scenario, date and the \
            sources of its facts; the chain map (as 'robochain render' draws it) as inline SVG, \
            where a click on a component shows its suppliers with region and product and every \
            table row about it (findings, recruitment candidates), a segment can be picked out and \
            a firm found with what it supplies; a chart of each small table of shares (local share \
            by product and segment); and every analysis' tables and metrics, sortable and paged. \
            It prints to A4.

            The date is today's, or that of SOURCE_DATE_EPOCH when it is set (for a reproducible \
            file). --lang zh writes the report's own words and the built-in analyses' in Chinese; \
            names stay as the model writes them.

            A scenario (--without, --relocate) changes the model before the analyses run, as in \
            'robochain analyze'; the report names it.

            Exit status: 0 success, 64 bad usage, 65 invalid model, 66 MODEL does not exist or \
            cannot be read, 70 an analysis failed (the report is still written, naming it; when \
            every analysis fails, no report is written), 1 anything else.

            Examples:
              robochain report Models/guangdong-robots.yaml --with gap-detection \\
                  --with localisation-share --output report.html
              robochain report Models/guangdong-robots.yaml --with gap-detection \\
                  --lang zh --scope CN-GD-SZ --output shenzhen.html
              robochain report Models/guangdong-robots.yaml --with localisation-share \\
                  --relocate nabtesco=CN-GD-SZ --without region:JP --output what-if.html
            """)

    @Argument(help: "The model: a .yaml, .yml or .json file, or a directory of CSV files.")
    var model: String

    @OptionGroup var selection: AnalysisSelection

    @OptionGroup(title: "Scenario (what if)") var what: ScenarioOptions

    @Option(help: ArgumentHelp("The HTML file to write ('-' for standard output).", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("How firms appear on the map.", valueName: "mode"))
    var firms: FirmDisplay = .top

    @Option(parsing: .unconditional, help: ArgumentHelp("Above this many nodes, draw a simplified map.", valueName: "n"))
    var maxNodes: Int = ChainMapOptions.defaultMaxNodes

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds the map's layout may take before the report goes without it.", valueName: "seconds"))
    var layoutTimeout: Double = GraphvizRenderer.defaultTimeLimit

    func validate() throws {
        guard maxNodes >= 1 else { throw ValidationError("--max-nodes must be at least 1, not \(maxNodes)") }
        guard layoutTimeout > 0, layoutTimeout.isFinite else { throw ValidationError("--layout-timeout must be a positive number of seconds") }
        if output != "-", let dot = output.lastIndex(of: "."), !output[dot...].contains("/") {
            let suffix = output[output.index(after: dot)...].lowercased()
            guard suffix == "html" || suffix == "htm" else {
                throw ValidationError("a report is HTML: end --output in .html, not '.\(suffix)' (for a workbook, 'robochain analyze --format xlsx')")
            }
        }
    }

    func run() throws {
        try reportingUsageErrors(of: Self.self) { try report() }
    }

    private func report() throws {
        let catalog = discoverAnalyses()
        let jobs = try selection.jobs(from: catalog)
        let scenario = try what.scenario()
        let display = ProgressDisplay(quiet: selection.quiet)
        try refuseModelAsOutput(output, model: model)
        let stream = try openOutput(output == "-" ? nil : output)
        var loaded = try loadModel(model, display: display)
        loaded.model = try what.apply(scenario, to: loaded.model)
        let scope = try selection.resolveScope(in: loaded.model)
        let language = selection.language

        let measures = SharedMeasures(model: loaded.model, scope: scope)
        let outcomes = jobs.isEmpty
            ? [] : selection.run(jobs, model: loaded.model, scope: scope, wantsMap: true, wantsTables: true,
                scenario: scenario, measures: measures, display: display)
        var status: Int32 = 0
        for case .failure(let failure) in outcomes {
            if failure.isUsageError {
                stream.discard()
                throw ValidationError(failure.description)
            }
            status = max(status, failure.isModelError ? 65 : 70)
        }
        let results = outcomes.compactMap { try? $0.get() }
        // As 'analyze': when every analysis fails there is nothing to report, and an output
        // file is left as it was.
        if !jobs.isEmpty && results.isEmpty {
            stream.discard()
            for case .failure(let failure) in outcomes { printError("error: \(failure)") }
            finishProcess(status)
        }
        let entries = zip(jobs, outcomes).map { ReportEntry(name: $0.analysis.name, options: $0.options, outcome: $1) }

        // The map, as 'render' draws it; a report without a map is still a report.
        let document = ChainMapDocument(model: loaded.model, results: results,
            options: ChainMapOptions(scope: scope, firms: firms, maxNodes: maxNodes), measures: measures, language: language)
        var map: String?
        do {
            let rendered = try GraphvizRenderer.render(document.text, format: .svg, timeLimit: layoutTimeout)
            map = String(decoding: rendered.bytes, as: UTF8.self)
        } catch {
            printError("warning: the report has no map: \(error)")
        }
        for warning in document.warnings { printError("warning: \(warning)") }
        var page = HTMLReport(model: loaded.model, scope: scope, entries: entries, map: map, date: reportDate(), language: language)
        page.mapNotes = document.notes
        stream.write(page.render())
        try commitOutput(stream)
        for case .failure(let failure) in outcomes { printError("error: \(failure)") }
        finishProcess(status)
    }
}

/// The date of a report: SOURCE_DATE_EPOCH's (reproducible builds' convention) when set, else
/// today's, as `YYYY-MM-DD` in UTC.
func reportDate() -> String {
    let seconds = Environment.variables["SOURCE_DATE_EPOCH"].flatMap(Double.init) ?? Date().timeIntervalSince1970
    var time = time_t(seconds)
    var parts = tm()
    gmtime_r(&time, &parts)
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
}
