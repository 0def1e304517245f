import ArgumentParser
import RoboChainAnalysis
import RoboChainModel
import RoboChainPluginHost
import RoboChainReports

extension OutputFormat: ExpressibleByArgument {}

/// The options `analyze` and `render` share: which analyses, on what scope, with which options.
struct AnalysisSelection: ParsableArguments {
    @Option(name: .customLong("with"), help: ArgumentHelp("An analysis to run (repeat for several).", valueName: "name"))
    var analyses: [String] = []

    @Option(help: ArgumentHelp("The region to analyse (default: the model's home).", valueName: "region"))
    var scope: String?

    @Option(
        name: .customLong("option"),
        help: ArgumentHelp(
            "An analysis option: KEY=VALUE for every chosen analysis that declares KEY, or NAME.KEY=VALUE for one (which wins over KEY=VALUE).",
            valueName: "key=value"))
    var options: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds an external plugin may run before it is killed.", valueName: "seconds"))
    var timeout: Double = 120

    @Flag(help: "Show no progress, even at a terminal.")
    var quiet = false

    func validate() throws {
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    /// The scope: `--scope`, or the model's home.
    func resolveScope(in model: ChainModel) throws -> Int {
        if let scope {
            guard let index = model.regions.index(of: scope) else {
                let ids = model.regions.ids
                if let match = ids.first(where: { $0.lowercased() == scope.lowercased() }) {
                    throw ValidationError("unknown scope '\(scope)'; did you mean '\(match)'? (region ids are case-sensitive)")
                }
                let shown = ids.prefix(40).joined(separator: ", ") + (ids.count > 40 ? " and \(ids.count - 40) more" : "")
                throw ValidationError("unknown scope '\(scope)'; the model's regions are: \(shown)")
            }
            return index
        }
        guard let home = model.home else {
            throw ValidationError("the model names no home region; give one with --scope REGION")
        }
        return home
    }

    /// Runs the jobs, with a progress line at a terminal when they take a while.
    func run(
        _ jobs: [AnalysisJob], model: ChainModel, scope: Int, wantsMap: Bool, wantsTables: Bool = false,
        measures: SharedMeasures? = nil, display: ProgressDisplay
    ) -> [Result<AnalysisResult, AnalysisError>] {
        let counter = ProgressDisplay.Counter()
        display.analyses(jobs.map(\.analysis.name), counter: counter)
        defer { display.finish() }
        return AnalysisRunner.run(
            jobs, model: model, scope: scope, timeout: timeout, wantsMap: wantsMap, wantsTables: wantsTables, measures: measures
        ) { _ in
            counter.increment()
        }
    }

    /// The chosen analyses with their option values.
    func jobs(from catalog: AnalysisCatalog) throws -> [AnalysisJob] {
        do {
            let chosen = try catalog.select(analyses)
            let values = try OptionAssignment.assign(options, to: chosen.map { ($0.name, $0.options) })
            for (analysis, options) in zip(chosen, values) {
                if case .builtIn(let builtIn) = analysis.origin { try builtIn.validate(options) }
            }
            return zip(chosen, values).map { AnalysisJob(analysis: $0, options: $1) }
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Run analyses on a model.",
        discussion: """
            Runs each analysis named with --with on MODEL for the scope (default: the model's home \
            region) and prints the results. Built in: gap-detection (options threshold, number, \
            default 0.3; candidates, integer, default 5) and localisation-share. External plugins \
            are found in ROBOCHAIN_PLUGIN_PATH and ~/.robochain/plugins; see 'robochain plugins list'. \
            A plugin that fails (non-zero exit, crash, output that is not one JSON object, past \
            --timeout) is reported on standard error with the end of its own standard error; the \
            other analyses' results are still printed. When every analysis fails, nothing is \
            printed and no --output file is written.

            Formats: table (for a terminal; coloured when standard output is one), markdown (for a \
            report), csv (one row per finding or component), json (the result object; an array of \
            them for several analyses). Without --format, an --output file's extension picks \
            (.json, .csv, .md; .txt or none for a table; any other is an error). --output writes \
            the file atomically, never over the model's own files; --output - is standard output.

            Loading and analysing a large model shows progress on standard error when it is a \
            terminal (not with --quiet).

            Exit status: 0 (findings are not failures), 64 bad usage, 65 invalid model, 70 an \
            analysis failed (the others' results are still printed), 1 output not writable.

            Examples:
              robochain analyze Models/guangdong-robots.yaml --with gap-detection
              robochain analyze Models/guangdong-robots.yaml \\
                  --with gap-detection --with localisation-share \\
                  --format markdown --output report.md
              robochain analyze chain-csv/ --with gap-detection --scope CN-GD-SZ \\
                  --option threshold=0.5 --format json
            """)

    @Argument(help: "The model: a .yaml, .yml or .json file, a directory of CSV files, or an .xlsx workbook.")
    var model: String

    @OptionGroup var selection: AnalysisSelection

    @Option(help: ArgumentHelp("Output format: table, json, csv or markdown.", valueName: "format"))
    var format: OutputFormat?

    @Option(help: ArgumentHelp("Write the output to this file instead of standard output.", valueName: "file"))
    var output: String?

    /// The format: --format, else the output file's extension (`.json`, `.csv`, `.md` or
    /// `.markdown`; `.txt` or none for a table). Any other extension is a usage error, so that a
    /// report is not written as a table into `gaps.xlsx` by mistake.
    func resolvedFormat() throws -> OutputFormat {
        if let format { return format }
        guard let output, output != "-" else { return .table }
        let name = output.split(separator: "/").last.map(String.init) ?? output
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return .table }
        switch name[name.index(after: dot)...].lowercased() {
        case "json": return .json
        case "csv": return .csv
        case "md", "markdown": return .markdown
        case "txt", "text": return .table
        case let other:
            throw ValidationError("cannot tell the format from the extension '.\(other)' of --output '\(output)'; give --format table, json, csv or markdown")
        }
    }

    func run() throws {
        try reportingUsageErrors(of: Self.self) { try analyze() }
    }

    private func analyze() throws {
        try refuseModelAsOutput(output, model: model)
        let format = try resolvedFormat()
        // Checked here, not in validate(), which runs before unknown options are reported: a
        // mistyped --with must be named as such, not reported as a missing one.
        guard !selection.analyses.isEmpty else {
            throw ValidationError("choose at least one analysis with --with NAME (built in: gap-detection, localisation-share)")
        }
        var timer = PhaseTimer()
        let display = ProgressDisplay(quiet: selection.quiet)
        let catalog = discoverAnalyses()
        let jobs = try selection.jobs(from: catalog)
        let stream = try openOutput(output == "-" ? nil : output)
        let loaded = try loadModel(model, display: display)
        timer.lap("load")
        let scope = try selection.resolveScope(in: loaded.model)
        let outcomes = selection.run(jobs, model: loaded.model, scope: scope, wantsMap: false, wantsTables: format != .json,
            display: display)
        timer.lap("analyses")
        let entries = zip(jobs, outcomes).map { ReportEntry(name: $0.analysis.name, options: $0.options, outcome: $1) }
        // A usage error (an option a plugin's own check rejects, as a built-in's would be) ends
        // the command as a built-in's does, before any output; a model a plugin cannot work on
        // is exit 65; any other failure is a plugin failure (70), after the others' results.
        var status: Int32 = 0
        for case .failure(let failure) in outcomes {
            if failure.isUsageError {
                stream.discard()
                throw ValidationError(failure.description)
            }
            status = max(status, failure.isModelError ? ExitStatus.invalidModel.rawValue : ExitStatus.pluginFailure.rawValue)
        }
        // With no result at all there is nothing to print, and an output file is left as it was.
        if outcomes.contains(where: { if case .success = $0 { true } else { false } }) {
            let colour = (output == nil || output == "-") && OutputFile.isTerminal(1) && !Environment.noColour
            var report = ResultReport(model: loaded.model, scope: scope, entries: entries)
            if output == nil || output == "-" { report.width = OutputFile.terminalWidth(STDOUT_FILENO) }
            report.write(format, colour: colour, to: stream)
            try commitOutput(stream)
        } else {
            stream.discard()
        }
        timer.lap("output")
        for case .failure(let failure) in outcomes { printError("error: \(failure)") }
        finishProcess(status)
    }
}

/// The built-in analyses and the plugins found, with a warning for each plugin skipped.
func discoverAnalyses() -> AnalysisCatalog {
    let catalog = AnalysisCatalog.discover(environment: Environment.variables)
    for skipped in catalog.skipped { printError("warning: \(skipped)") }
    return catalog
}

enum Environment {
    /// Whether NO_COLOR is set (https://no-color.org).
    static var noColour: Bool {
        guard let value = getenv("NO_COLOR") else { return false }
        return value.pointee != 0
    }

    /// The process environment.
    static var variables: [String: String] {
        var variables: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return variables
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
