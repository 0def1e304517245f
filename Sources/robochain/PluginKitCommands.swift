import ArgumentParser
import RoboChainAnalysis
import RoboChainJSON
import RoboChainModel
import RoboChainPluginHost
import RoboChainReports

struct PluginsCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a plugin against protocol 1 and print a conformance report.",
        discussion: """
            PLUGIN is a plugin's directory (holding plugin.json) or the name of an available \
            analysis (built in or found as 'plugins list' finds them). The check reads the manifest \
            (against docs/schemas/protocol-1/manifest.schema.json and as robochain reads it), then \
            runs the analysis on robochain's fixture models — tiny, a scenario of it, a generated \
            one, the Guangdong model when this robochain's sources are beside it, and each --model — \
            as CSV files when the manifest asks for them. Every request and response is checked \
            against the protocol's schemas; every finding's and annotation's id must be in the \
            model; each answer must come within --time-limit; the same request must get the same \
            answer twice; each declared option must change the answer at some other value; a \
            wrongly typed option value must be stopped by robochain; an out-of-range value must be \
            answered normally or with SPEC §5's usage error, exit status 0.

            Exit status: 0 when every check passes, 70 when one fails, 64 for bad usage.

            Examples:
              robochain plugins check ./supplier-count
              robochain plugins check gap-detection
              robochain plugins check ./slow-plugin --time-limit 30 --model big.yaml
            """)

    @Argument(help: ArgumentHelp("The plugin's directory, or an analysis name.", valueName: "plugin"))
    var plugin: String

    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Seconds one answer may take.", valueName: "seconds"))
    var timeLimit: Double = 10

    @Option(name: .customLong("model"), help: ArgumentHelp("Another model to check on (repeatable).", valueName: "model"))
    var models: [String] = []

    @Option(name: .customLong("option"),
        help: ArgumentHelp("An option value to check with (KEY=VALUE; needed for an option without a default).", valueName: "key=value"))
    var options: [String] = []

    @Option(help: ArgumentHelp("Output format: table or json.", valueName: "format"))
    var format: ListFormat = .table

    func validate() throws {
        guard timeLimit > 0, timeLimit.isFinite else { throw ValidationError("--time-limit must be a positive number of seconds") }
    }

    func run() throws {
        var fixtures = ConformanceFixture.builtIn()
        let guangdong = PackageLocation.sourceDirectory + "/Models/guangdong-robots.yaml"
        if FileAccess.exists(guangdong), let fixture = try? ConformanceFixture.file(guangdong) {
            fixtures.insert(ConformanceFixture(name: "guangdong", model: fixture.model), at: 1)
        }
        for path in models {
            // Loaded as every command loads a model: 66 when missing, 65 when invalid.
            let loaded = try loadModel(path)
            fixtures.append(ConformanceFixture(name: String(path.split(separator: "/").last ?? Substring(path)), model: loaded.model))
        }
        let limits = PluginConformance.Limits(seconds: timeLimit, options: options)
        let report: ConformanceReport
        if FileAccess.exists(FileAccess.join(plugin, "plugin.json")) {
            report = PluginConformance.check(directory: plugin, fixtures: fixtures, limits: limits)
        } else {
            let catalog = AnalysisCatalog.discover(environment: Environment.variables)
            if let analysis = catalog.analysis(named: plugin) {
                switch analysis.origin {
                case .builtIn(let builtIn): report = PluginConformance.check(builtIn: builtIn, fixtures: fixtures, limits: limits)
                case .external(let external):
                    report = PluginConformance.check(directory: external.directory, fixtures: fixtures, limits: limits)
                }
            } else if let skipped = catalog.skipped.first(where: { $0.directory.split(separator: "/").last.map(String.init) == plugin }) {
                report = PluginConformance.check(directory: skipped.directory, fixtures: fixtures, limits: limits)
            } else if FileAccess.isDirectory(plugin) {
                throw usageFailure("'\(plugin)' holds no plugin.json; a plugin's directory holds its manifest", command: Self.self)
            } else {
                throw usageFailure("'\(plugin)' is neither a plugin directory nor an available analysis (\(catalog.analyses.map(\.name).joined(separator: ", ")))",
                    command: Self.self)
            }
        }
        // Checked: a report that cannot be written is a failure (exit 1), whatever it says.
        switch format {
        case .table: try writeStandardOutput(Array(report.text.utf8))
        case .json: try writeStandardOutput(JSONWriter.encode(report.json))
        }
        if !report.passed { throw ExitStatus.pluginFailure }
    }
}

struct PluginsRequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Write the request a plugin would be sent.",
        discussion: """
            Writes exactly the JSON request (SPEC §5) that 'robochain analyze MODEL --with NAME' \
            with the same --scope, --option and scenario options (--without, --relocate, SPEC §6) \
            would write to the plugin's standard input: pipe it into the plugin to run it by \
            hand, or keep it as a test fixture. For a plugin that \
            takes the model as CSV files, --model-directory says where to write them (the request \
            names that directory).

            Examples:
              robochain plugins request Models/guangdong-robots.yaml \\
                  --with supplier-count --option minimum=3 > request.json
              ./run.py < request.json
              robochain plugins request Models/guangdong-robots.yaml \\
                  --with supplier-count --without region:JP > without-japan.json
              robochain plugins request model.yaml --with supplier-concentration \\
                  --model-directory /tmp/model-csv
            """)

    @Argument(help: ArgumentHelp("The model: a .yaml, .yml or .json file, or a CSV directory.", valueName: "model"))
    var model: String

    @Option(name: .customLong("with"),
        help: ArgumentHelp("The analysis the request is for: a name, or a plugin's directory.", valueName: "name|directory"))
    var analysis: String

    @Option(help: ArgumentHelp("The region to analyse (default: the model's home).", valueName: "region"))
    var scope: String?

    @Option(
        name: .customLong("option"),
        help: ArgumentHelp("An option of the analysis: KEY=VALUE or NAME.KEY=VALUE, as for analyze.", valueName: "key=value"))
    var options: [String] = []

    @OptionGroup(title: "Scenario (what if)") var what: ScenarioOptions

    @Option(name: .customLong("model-directory"),
        help: ArgumentHelp("For a plugin that takes CSV files: where to write them.", valueName: "directory"))
    var modelDirectory: String?

    @Option(help: ArgumentHelp("The language the request asks for: en or zh (default: from the locale), as analyze sends it.", valueName: "lang"))
    var lang: Language?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the request to this file instead of standard output.", valueName: "file"))
    var output: String?

    func run() throws {
        try reportingUsageErrors(of: Self.self) {
            try refuseModelAsOutput(output, model: model)
            var selection = AnalysisSelection()
            selection.scope = scope
            selection.options = options
            selection.lang = lang
            let job: AnalysisJob
            if FileAccess.exists(FileAccess.join(analysis, "plugin.json")) {
                // A plugin's directory, installed or not.
                switch PluginDiscovery.load(analysis) {
                case .skipped(let skipped): throw ValidationError("\(skipped)")
                case .usable(let plugin):
                    let available = AvailableAnalysis(external: plugin)
                    do {
                        let values = try OptionAssignment.assign(options, to: [(available.name, available.options)])
                        job = AnalysisJob(analysis: available, options: values[0])
                    } catch {
                        throw ValidationError("\(error)")
                    }
                }
            } else {
                selection.analyses = [analysis]
                job = try selection.jobs(from: discoverAnalyses())[0]
            }
            let scenario = try what.scenario()
            let stream = try openOutput(output == "-" ? nil : output)
            var loaded = try loadModel(model)
            // The plugin is sent the model as changed by the scenario (SPEC §6).
            loaded.model = try what.apply(scenario, to: loaded.model)
            let scope = try selection.resolveScope(in: loaded.model)
            do {
                stream.write(try AnalysisRunner.request(for: job.analysis, model: loaded.model, scope: scope, options: job.options,
                    csvDirectory: modelDirectory, language: selection.language))
                stream.write([0x0A])
            } catch {
                stream.discard()
                throw ValidationError("\(error)")
            }
            try commitOutput(stream)
        }
    }
}

struct PluginsInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install a plugin into ~/.robochain/plugins.",
        discussion: """
            Checks PATH's plugin.json and executable as robochain does when it looks for plugins, \
            then copies the plugin's directory to ~/.robochain/plugins/NAME (NAME from its \
            manifest) — leaving out .build and .git, except the executable a Swift plugin's manifest \
            names — or, with --link, links it there, so a rebuilt plugin is used at once. Run \
            'robochain plugins check PATH' first to check it against the protocol.

            Examples:
              robochain plugins install ./supplier-count
              robochain plugins install ./my-swift-plugin --link
            """)

    @Argument(help: ArgumentHelp("The plugin's directory.", valueName: "path"))
    var path: String

    @Flag(help: "Link the directory instead of copying it.")
    var link = false

    @Flag(help: "Replace an installed plugin of the same name.")
    var force = false

    func run() throws {
        let message: String
        do {
            let directory = try PluginInstallation.userDirectory(environment: Environment.variables)
            let installed = try PluginInstallation.install(path, into: directory, mode: link ? .link : .copy, replace: force)
            let how = link ? "linked" : "copied"
            message = "installed \(installed.manifest.name) \(installed.manifest.version) (\(how)) in \(FileAccess.join(directory, installed.manifest.name))\n"
        } catch {
            printError("error: \(error)")
            throw ExitStatus.failure
        }
        // Checked: the plugin is installed, but a confirmation nobody can read is a failure (1).
        try writeStandardOutput(Array(message.utf8))
    }
}

struct PluginsRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a plugin from ~/.robochain/plugins.",
        discussion: """
            Removes the installed plugin NAME: the link 'plugins install --link' made (never what \
            it links to), or the copied directory. Plugins in ROBOCHAIN_PLUGIN_PATH directories \
            are not robochain's to remove.

            Examples:
              robochain plugins remove supplier-count
            """)

    @Argument(help: ArgumentHelp("The plugin's name.", valueName: "name"))
    var name: String

    func run() throws {
        let removed: String
        do {
            let directory = try PluginInstallation.userDirectory(environment: Environment.variables)
            removed = try PluginInstallation.remove(name, from: directory)
        } catch {
            printError("error: \(error)")
            throw ExitStatus.failure
        }
        // Checked: the plugin is removed, but a confirmation nobody can read is a failure (1).
        try writeStandardOutput(Array("removed \(removed)\n".utf8))
    }
}

struct PluginsInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show one analysis: version, protocol, where it is, its options.",
        discussion: """
            For an external plugin also its executable, how it takes the model, the robochain \
            versions it works with; for a skipped plugin directory of that name, why it is skipped.

            Examples:
              robochain plugins info gap-detection
              robochain plugins info supplier-count --format json
            """)

    @Argument(help: ArgumentHelp("The analysis name.", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("Output format: table or json.", valueName: "format"))
    var format: ListFormat = .table

    func run() throws {
        let catalog = AnalysisCatalog.discover(environment: Environment.variables)
        guard let analysis = catalog.analysis(named: name) else {
            if let skipped = catalog.skipped.first(where: { $0.directory.split(separator: "/").last.map(String.init) == name }) {
                printError("error: \(skipped)")
                throw ExitStatus.failure
            }
            throw usageFailure("unknown analysis '\(name)'; available: \(catalog.analyses.map(\.name).joined(separator: ", "))",
                command: Self.self)
        }
        let single = catalog.only(analysis)
        var members = single.listingJSON.objectValue?["analyses"]?.arrayValue?.first?.objectValue ?? JSONObject([])
        var lines = [single.listing.trimmingSuffix()]
        if case .external(let plugin) = analysis.origin {
            members.append("executable", .string(plugin.executablePath))
            members.append("input", .string(plugin.manifest.input.rawValue))
            members.append("robochain", plugin.manifest.robochain.map { .string($0.description) } ?? .null)
            lines.append("  executable: \(plugin.executablePath)")
            lines.append("  input: \(plugin.manifest.input == .csv ? "the model as CSV files (modelDirectory)" : "the model as JSON (model)")")
            lines.append("  works with: robochain \(plugin.manifest.robochain?.description ?? "any version") (this is \(RoboChainVersion.current))")
        }
        // Checked: information that cannot be written is a failure (exit 1).
        switch format {
        case .table: try writeStandardOutput(Array((lines.joined(separator: "\n") + "\n").utf8))
        case .json: try writeStandardOutput(JSONWriter.encode(.object(members)))
        }
    }
}

extension String {
    func trimmingSuffix() -> String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
