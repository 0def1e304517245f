import ArgumentParser
import RoboChainAnalysis
import RoboChainModel
import RoboChainPluginHost
import RoboChainReports
import RoboChainWorkbook

extension OutputFormat: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}

/// The options `analyze` and `render` share: which analyses, on what scope, with which options.
struct AnalysisSelection: ParsableArguments {
    @Option(
        name: .customLong("with"),
        help: ArgumentHelp("An analysis to run (repeat for several; without it, analyze and compare run all the built-ins, render and report none).", valueName: "name"),
        completion: .custom { _, _, _ in CompletionCandidates.analysisNames() })
    var analyses: [String] = []

    @Option(
        help: ArgumentHelp("The region to analyse (default: the model's home).", valueName: "region"),
        completion: .custom { words, index, _ in CompletionCandidates.regionIDs(words: words, index: index) })
    var scope: String?

    @Option(
        name: .customLong("option"),
        help: ArgumentHelp(
            "An analysis option: KEY=VALUE for every chosen analysis that declares KEY, or NAME.KEY=VALUE for one (which wins over KEY=VALUE).",
            valueName: "key=value"),
        completion: .custom { _, _, _ in CompletionCandidates.optionKeys() })
    var options: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds an external plugin may run before it is killed.", valueName: "seconds"))
    var timeout: Double = 120

    @Flag(help: "Show no progress, even at a terminal.")
    var quiet = false

    @Flag(help: "Report on standard error what was loaded, which plugins were found and run, and how long each phase took.")
    var verbose = false

    @Option(help: ArgumentHelp("The language of headings, notes and the analyses' own words: en or zh (default: from the locale, LC_ALL, LC_MESSAGES or LANG).", valueName: "lang"))
    var lang: Language?

    /// `--lang`, else the locale's language.
    var language: Language { lang ?? Language.fromLocale(Environment.variables) }

    func validate() throws {
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    /// What `--verbose` prints to.
    var log: VerboseLog { VerboseLog(enabled: verbose) }

    /// The scope: `--scope`, or the model's home.
    func resolveScope(in model: ChainModel) throws -> Int {
        if let scope {
            guard let index = model.regions.index(of: scope) else {
                let ids = model.regions.ids
                if let match = ids.first(where: { $0.lowercased() == scope.lowercased() }) {
                    throw ValidationError("unknown scope '\(scope)'; did you mean '\(match)'? (region ids are case-sensitive)")
                }
                if let match = IDSuggestion.closest(to: scope, among: ids) {
                    throw ValidationError("unknown scope '\(scope)'; did you mean '\(match)'?")
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
        scenario: Scenario = Scenario(), measures: SharedMeasures? = nil, display: ProgressDisplay
    ) -> [Result<AnalysisResult, AnalysisError>] {
        let counter = ProgressDisplay.Counter()
        display.analyses(jobs.map(\.analysis.name), counter: counter)
        defer { display.finish() }
        return AnalysisRunner.run(
            jobs, model: model, scope: scope, timeout: timeout, wantsMap: wantsMap, wantsTables: wantsTables,
            scenario: scenario.isEmpty ? nil : scenario.descriptions, measures: measures, language: language
        ) { _ in
            counter.increment()
        }
    }

    /// The chosen analyses, or without --with every built-in one (as analyze and compare run).
    func jobsOrBuiltIns(from catalog: AnalysisCatalog) throws -> [AnalysisJob] {
        let builtIns = catalog.analyses.filter { if case .builtIn = $0.origin { true } else { false } }.map(\.name)
        return try jobs(from: catalog, names: analyses.isEmpty ? builtIns : nil)
    }

    /// The chosen analyses with their option values: those named with `--with`, or `names`.
    func jobs(from catalog: AnalysisCatalog, names: [String]? = nil) throws -> [AnalysisJob] {
        do {
            let chosen = try catalog.select(names ?? analyses)
            let values = try OptionAssignment.assign(options, to: chosen.map { ($0.name, $0.options) })
            for (analysis, options) in zip(chosen, values) {
                if case .builtIn(let builtIn) = analysis.origin { try builtIn.validate(options) }
            }
            return zip(chosen, values).map { AnalysisJob(analysis: $0, options: $1) }
        } catch PluginHostError.unknownAnalysis(let name, let available) {
            let suggestion = IDSuggestion.closest(to: name, among: available).map { " did you mean '\($0)'?" } ?? ""
            throw ValidationError("unknown analysis '\(name)';\(suggestion) available: \(available.joined(separator: ", "))")
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
            region) and prints the results; without --with, runs every built-in analysis. MODEL '-' \
            reads YAML or JSON from standard input. Built in: gap-detection, localisation-share, \
            value-origin, recruitment and critical-firms ('robochain plugins list' shows their options, \
            types and defaults). External plugins \
            are found in ROBOCHAIN_PLUGIN_PATH and ~/.robochain/plugins; see 'robochain plugins list'. \
            A plugin that fails (non-zero exit, crash, output that is not one JSON object, past \
            --timeout) is reported on standard error with the end of its own standard error; the \
            other analyses' results are still printed. When every analysis fails, nothing is \
            printed and no --output file is written.

            Formats: table (for a terminal; coloured when standard output is one, unless NO_COLOR \
            is set or --color never is given; --color always colours a pipe too), markdown (for a \
            report), csv (one row per table row; a file gets a UTF-8 byte-order mark so Excel reads \
            Chinese correctly), xlsx (a workbook: a sheet per table, names beside ids, shares as \
            percentages), json (the result object; an array of them for several analyses). Without \
            --format, an --output file's extension picks (.json, .csv, .md, .xlsx; .txt or none for \
            a table; any other is an error, as is a --format the extension contradicts). --output \
            writes the file atomically, never over the model's own files; --output - is standard \
            output. --lang zh writes headings, notes and the built-in analyses' words in Chinese. \
            For an HTML report with the map, see 'robochain report'.

            Loading and analysing a large model shows progress on standard error when it is a \
            terminal (not with --quiet); --verbose reports what was loaded, the plugins found and \
            run, and how long each phase took.

            What if: --without firm:ID, --without region:ID and --relocate FIRM=REGION change the \
            loaded model first, in the order given, for every analysis (plugins included); the \
            results carry 'scenario'. 'robochain compare' shows what such a change changes.

            Exit status: 0 (findings are not failures), 64 bad usage, 65 invalid model, 66 MODEL \
            does not exist or cannot be read, 70 an analysis failed (the others' results are \
            still printed), 1 output not writable.

            Examples:
              robochain analyze Models/guangdong-robots.yaml
              robochain analyze Models/guangdong-robots.yaml --with gap-detection
              robochain analyze Models/guangdong-robots.yaml \\
                  --with gap-detection --with localisation-share \\
                  --format markdown --output report.md
              robochain analyze chain-csv/ --with gap-detection --scope CN-GD-SZ \\
                  --option threshold=0.5 --format json
              robochain analyze Models/guangdong-robots.yaml --with gap-detection \\
                  --relocate nabtesco=CN-GD-SZ --without region:JP
            """)

    @Argument(help: ModelArgument.help, completion: ModelArgument.completion)
    var model: String

    @OptionGroup var selection: AnalysisSelection

    @OptionGroup(title: "Scenario (what if)") var what: ScenarioOptions

    @Option(help: ArgumentHelp("Output format: table, json, csv, markdown or xlsx.", valueName: "format"))
    var format: OutputFormat?

    @Option(help: ArgumentHelp("Write the output to this file instead of standard output.", valueName: "file"), completion: .file())
    var output: String?

    @Option(name: .customLong("color"), help: ArgumentHelp("Colour the table: auto (at a terminal, unless NO_COLOR is set), always or never.", valueName: "when"))
    var colour: ColourChoice = .auto

    /// The format: --format, else the output file's extension (`.json`, `.csv`, `.md` or
    /// `.markdown`; `.txt` or none for a table). Any other extension is a usage error, so that a
    /// report is not written as a table into `gaps.xlsx` by mistake.
    func resolvedFormat() throws -> OutputFormat {
        guard let output, output != "-" else {
            if format == .xlsx { throw ValidationError("--format xlsx writes a file: give --output FILE.xlsx") }
            return format ?? .table
        }
        let name = output.split(separator: "/").last.map(String.init) ?? output
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return format ?? .table }
        let suffix = String(name[name.index(after: dot)...])
        guard let named = OutputFormat(extension: suffix) else {
            if let format { return format }
            let hint = suffix.lowercased() == "html" ? " (an HTML report is 'robochain report')" : ""
            throw ValidationError("cannot tell the format from the extension '.\(suffix)' of --output '\(output)'\(hint); give --format table, json, csv, markdown or xlsx")
        }
        // A format and an extension that disagree is a mistake (a workbook named .csv, say).
        if let format, format != named, !(named == .table && format != .xlsx) {
            throw ValidationError("--format \(format.rawValue) does not match the extension '.\(suffix)' of --output '\(output)'")
        }
        return format ?? named
    }

    func run() throws {
        try reportingUsageErrors(of: Self.self) { try analyze() }
    }

    private func analyze() throws {
        try refuseModelAsOutput(output, model: model)
        let format = try resolvedFormat()
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
        var loaded = try loadModel(model, display: display, log: log)
        loaded.model = try what.apply(scenario, to: loaded.model)
        timer.lap("load")
        let scope = try selection.resolveScope(in: loaded.model)
        let outcomes = selection.run(jobs, model: loaded.model, scope: scope, wantsMap: false, wantsTables: format != .json,
            scenario: scenario, display: display)
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
            let colour = self.colour.applies(toTerminal: (output == nil || output == "-") && OutputFile.isTerminal(1))
            if let text = format.text {
                var report = ResultReport(model: loaded.model, scope: scope, entries: entries)
                report.language = selection.language
                // A CSV file gets a byte-order mark, so Excel reads it as UTF-8 (standard output stays plain for pipes).
                report.byteOrderMark = text == .csv && output != nil && output != "-"
                if output == nil || output == "-" { report.width = OutputFile.terminalWidth(STDOUT_FILENO) }
                report.write(text, colour: colour, to: stream)
            } else {
                let workbook = ResultWorkbook(model: loaded.model, scope: scope, entries: entries, date: reportDate(),
                    language: selection.language)
                do {
                    stream.write(try workbook.workbook.xlsx())
                } catch {
                    stream.discard()
                    printError("error: \(error)")
                    throw ExitStatus.failure
                }
            }
            try commitOutput(stream)
        } else {
            stream.discard()
        }
        timer.lap("output")
        for case .failure(let failure) in outcomes { printError("error: \(failure)") }
        finishProcess(status)
    }
}

/// When to colour output (`--color`).
enum ColourChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    /// Whether to colour: `always`; `never`; for `auto`, when the output is a terminal and
    /// NO_COLOR is not set (https://no-color.org).
    func applies(toTerminal isTerminal: Bool) -> Bool {
        switch self {
        case .always: true
        case .never: false
        case .auto: isTerminal && !Environment.noColour
        }
    }
}

/// The available analyses, with a warning on standard error for each skipped plugin
/// directory (SPEC §5) — always when `warn` (`plugins list`); otherwise once per change: the
/// warnings given are kept in `~/.robochain/skipped-plugins.txt`, and the same set again is
/// not repeated on every command. `--with` naming a skipped plugin says why it was skipped.
func discoverAnalyses(warn: Bool = false) -> AnalysisCatalog {
    let catalog = AnalysisCatalog.discover(environment: Environment.variables)
    let warnings = catalog.skipped.map { "warning: \($0)" }
    let record = Environment.variables["HOME"].flatMap { $0.isEmpty ? nil : $0 + "/.robochain/skipped-plugins.txt" }
    let text = warnings.map { $0 + "\n" }.joined()
    let previous = record.flatMap { try? FileAccess.readFile($0) }.map { String(decoding: $0, as: UTF8.self) }
    if warn || previous != text {
        for warning in warnings { printError(warning) }
        if let record, previous != text, !(previous == nil && text.isEmpty) {
            // Best effort: without a record (no HOME, a read-only home) every command warns.
            try? OutputFile.createDirectories(String(record.dropLast("/skipped-plugins.txt".count)))
            try? OutputFile.write(Array(text.utf8), to: record)
        }
    }
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
            let text = ByteText.decode(cString: entry)  // a path in it may hold bytes that are not UTF-8
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
