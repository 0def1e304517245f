import ArgumentParser
import RoboChainAnalysis
import RoboChainComparison
import RoboChainModel
import RoboChainPluginHost
import RoboChainRendering
import RoboChainReports

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two runs of the analyses: a scenario, another scope or another model.",
        discussion: """
            Runs each analysis named with --with (default: the built-in ones) twice and reports what differs (SPEC §7). The \
            base run is MODEL at --scope (default: its home), as loaded. The other run is \
            --against MODEL2 (default: MODEL, loaded once) at --against-scope (default: the base \
            scope), with the scenario options (--without, --relocate) applied.

            Findings are matched by analysis, kind and subject (component or firm): those only in \
            the other run appeared, those only in the base run went, those in both with any member \
            but the message different changed. Every number both results have under the same \
            path moved when it differs (tables' rows matched by their key, never by position).

            Formats: table (default; what appeared, what went, what changed and the values that \
            moved most, with names, largest changes first), markdown, csv (a row per difference), \
            json (per analysis: analysis, base, other, findings {added, removed, changed}, values \
            [{path, base, other}], and, beyond SPEC §7, rows {added, removed} [{path, key}]: table \
            rows only in one run; an array for several analyses). An --output ending in .svg, \
            .png, .pdf or .dot (or --format svg|png|pdf|dot) draws the other run's map instead, \
            coloured by how a share moved — of the first analysis given (in --with order) with a \
            component table with a share column: its such table with the most rows, that table's \
            first share column, named in the legend — with badges where findings appeared (+kind) \
            or went (−kind) and a legend naming the two runs.

            Exit status: 0 (differences are not failures), 64 bad usage (an unknown id in a \
            scenario or --against-scope), 65 invalid model (either), 66 a model does not exist or \
            cannot be read, 70 an analysis failed (the others are still compared), 1 anything else.

            Examples:
              robochain compare Models/guangdong-robots.yaml --with gap-detection \\
                  --without region:JP
              robochain compare Models/guangdong-robots.yaml --with localisation-share \\
                  --against-scope CN-JS
              robochain compare chain-2024.yaml --against chain-2025.yaml \\
                  --with gap-detection --with localisation-share --format json
              robochain compare Models/guangdong-robots.yaml --with localisation-share \\
                  --with gap-detection --relocate nabtesco=CN-GD-SZ --output diff.svg
            """)

    @Argument(
        help: ArgumentHelp("The base model: a .yaml, .yml or .json file, a directory of CSV files, or '-' for standard input.", valueName: "model"),
        completion: ModelArgument.completion)
    var model: String

    @Option(help: ArgumentHelp("The model of the other run (default: MODEL).", valueName: "model"), completion: ModelArgument.completion)
    var against: String?

    @Option(name: .customLong("against-scope"), help: ArgumentHelp("The scope of the other run (default: the base scope).", valueName: "region"))
    var againstScope: String?

    @OptionGroup var selection: AnalysisSelection

    @OptionGroup(title: "Scenario of the other run (what if)") var what: ScenarioOptions

    @Option(help: ArgumentHelp("Output format: table, json, csv, markdown, or a map: svg, png, pdf, dot.", valueName: "format"))
    var format: String?

    @Option(help: ArgumentHelp("Write the output to this file instead of standard output.", valueName: "file"))
    var output: String?

    /// A report or a map.
    enum Output: Equatable {
        case report(TextFormat)
        case map(MapFormat)
    }

    /// The format: --format, else the --output file's extension.
    func resolvedOutput() throws -> Output {
        if let format {
            if format == OutputFormat.xlsx.rawValue {
                throw ValidationError("compare writes table, json, csv, markdown, svg, png, pdf or dot, not a workbook")
            }
            if let report = TextFormat(rawValue: format) { return .report(report) }
            if let map = MapFormat(rawValue: format) { return .map(map) }
            throw ValidationError("unknown --format '\(format)'; give table, json, csv, markdown, svg, png, pdf or dot")
        }
        guard let output, output != "-" else { return .report(.table) }
        if let map = MapFormat(fileName: output) { return .map(map) }
        let name = output.split(separator: "/").last.map(String.init) ?? output
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return .report(.table) }
        switch name[name.index(after: dot)...].lowercased() {
        case "json": return .report(.json)
        case "csv": return .report(.csv)
        case "md", "markdown": return .report(.markdown)
        case "txt", "text": return .report(.table)
        case let other:
            throw ValidationError("cannot tell the format from the extension '.\(other)' of --output '\(output)'; give --format")
        }
    }

    func run() throws {
        try reportingUsageErrors(of: Self.self) { try compare() }
    }

    private func compare() throws {
        let chosen = try resolvedOutput()
        if case .map = chosen, output == nil || output == "-", format == nil {
            throw ValidationError("give --output FILE (or --format) for a map")
        }
        try refuseModelAsOutput(output, model: model)
        if let against { try refuseModelAsOutput(output, model: against) }
        let log = selection.log
        log.version()
        var timer = PhaseTimer(verbose: selection.verbose)
        let display = ProgressDisplay(quiet: selection.quiet)
        let catalog = discoverAnalyses()
        log.catalog(catalog)
        let jobs = try selection.jobsOrBuiltIns(from: catalog)
        log.analyses(jobs)
        let scenario = try what.scenario()
        let stream = try openOutput(output == "-" ? nil : output)

        let base = try loadModel(model, display: display, log: log).model
        // The same model is loaded once: the other run shares its storage.
        let otherSource = against ?? model
        var other = otherSource == model ? base : try loadModel(otherSource, display: display, log: log).model
        let baseScope = try selection.resolveScope(in: base)
        let otherScope = try resolveOtherScope(base.regions.ids[baseScope], in: other, source: otherSource)
        timer.lap("load")
        other = try what.apply(scenario, to: other)
        timer.lap("scenario")

        // Tables that only present the result (views) are wanted by every format: their rows that
        // appear or go are differences (JSON's `rows`, CSV), and their columns type CSV's values.
        let wantsTables = true
        let wantsMap: Bool
        if case .map = chosen { wantsMap = true } else { wantsMap = false }
        let baseOutcomes = selection.run(jobs, model: base, scope: baseScope, wantsMap: wantsMap, wantsTables: wantsTables, display: display)
        timer.lap("base analyses")
        let otherOutcomes = selection.run(
            jobs, model: other, scope: otherScope, wantsMap: wantsMap, wantsTables: wantsTables, scenario: scenario, display: display)
        timer.lap("other analyses")
        var failures: [AnalysisError] = []
        var pairs: [(base: AnalysisResult, other: AnalysisResult)] = []
        for (baseOutcome, otherOutcome) in zip(baseOutcomes, otherOutcomes) {
            switch (baseOutcome, otherOutcome) {
            case (.success(let baseResult), .success(let otherResult)):
                pairs.append((baseResult, otherResult))
            case (.failure(let failure), _), (_, .failure(let failure)):
                if failure.isUsageError { throw ValidationError(failure.description) }
                failures.append(failure)
            }
        }
        let baseRun = RunLabel(model: base.id ?? model, scope: base.regions.ids[baseScope])
        let otherRun = RunLabel(model: other.id ?? otherSource, scope: other.regions.ids[otherScope], scenario: scenario.descriptions)
        let comparisons = ResultComparison.compare(pairs, baseRun: baseRun, otherRun: otherRun)
        timer.lap("comparison")

        if comparisons.isEmpty {
            stream.discard()
        } else {
            switch chosen {
            case .report(let format):
                var report = ComparisonReport(comparisons: comparisons, baseModel: base, otherModel: other)
                report.asList = jobs.count > 1
                let toTerminal = output == nil || output == "-"
                if toTerminal { report.width = OutputFile.terminalWidth(STDOUT_FILENO) }
                report.write(format, colour: toTerminal && OutputFile.isTerminal(1) && !Environment.noColour, to: stream)
            case .map(let format):
                let shares = ComparisonMap.componentShares(pairs.map {
                    ($0.base.analysis, TableShape.tables(in: $0.base), TableShape.tables(in: $0.other))
                })
                let annotations = ComparisonMap.result(comparisons: comparisons, shares: shares)
                let document = ChainMapDocument(
                    model: other, results: [annotations], options: ChainMapOptions(scope: otherScope),
                    measures: SharedMeasures(model: other, scope: otherScope))
                for note in document.notes { printError("note: \(note)") }
                for warning in document.warnings { printError("warning: \(warning)") }
                if let shares {
                    printError("note: the map is filled by how \(shares.description) changed (the first analysis given with a component table with a share column)")
                } else {
                    printError("note: no result has a component table with a share column; the map shows the findings that appeared and went only")
                }
                if format.drawsGlyphs && document.needsCJKFont && FontCheck.hasChineseFont() == false {
                    printError("warning: \(FontCheck.missingChineseFontWarning)")
                }
                do {
                    let rendered = try GraphvizRenderer.render(document.text, format: format, timeLimit: GraphvizRenderer.defaultTimeLimit)
                    for message in rendered.messages { printError("warning: Graphviz: \(message)") }
                    stream.write(rendered.bytes)
                } catch {
                    for failure in failures { printError("error: \(failure)") }
                    printError("error: \(error)")
                    throw ExitStatus.failure
                }
            }
            try commitOutput(stream)
        }
        timer.lap("output")
        for failure in failures { printError("error: \(failure)") }
        finishProcess(failures.isEmpty ? 0 : ExitStatus.pluginFailure.rawValue)
    }

    /// The other run's scope: --against-scope, else the base scope's id, in the other model;
    /// unknown there is a usage error naming it (and a close id).
    private func resolveOtherScope(_ baseScopeID: String, in other: ChainModel, source: String) throws -> Int {
        let id = againstScope ?? baseScopeID
        if let index = other.regions.index(of: id) { return index }
        let suggestion = IDSuggestion.closest(to: id, among: other.regions.ids).map { "; did you mean '\($0)'?" } ?? ""
        if againstScope != nil {
            throw ValidationError("unknown --against-scope '\(id)': '\(source)' has no region '\(id)'\(suggestion)")
        }
        throw ValidationError("the base scope '\(id)' is not a region of '\(source)'\(suggestion); give --against-scope REGION")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
