import ArgumentParser
import RoboChainJSON
import RoboChainModel
import RoboChainPluginHost
import RoboChainReports

#if canImport(Glibc)
import Glibc
#endif

struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List, write, check, install and remove plugins.",
        discussion: """
            External plugins are executables in any language that speak protocol 1: a JSON \
            request on standard input, a JSON response on standard output. They are found in \
            each directory of ROBOCHAIN_PLUGIN_PATH (separated by ':'), then in \
            ~/.robochain/plugins: a plugin is a sub-directory holding plugin.json. \
            docs/plugins.md in the RoboChain repository explains writing one.

            Examples:
              robochain plugins list
              robochain plugins new supplier-count --language python
              robochain plugins check ./supplier-count
              robochain plugins install ./supplier-count
              ROBOCHAIN_PLUGIN_PATH=Plugins robochain analyze \\
                  Models/guangdong-robots.yaml --with supplier-concentration
            """,
        subcommands: [
            PluginsListCommand.self, PluginsNewCommand.self, PluginsCheckCommand.self, PluginsRequestCommand.self,
            PluginsInstallCommand.self, PluginsRemoveCommand.self, PluginsInfoCommand.self,
        ])
}

enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

struct PluginsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every available analysis, built in and external.",
        discussion: """
            First the version of robochain; then, for each analysis: name, version, protocol, source (built-in, or the plugin's \
            directory), description and options (type, default, help). Plugin directories that \
            were skipped — a bad manifest, a missing or non-executable executable, an unsupported \
            protocol, an incompatible robochain version range, a name already taken — are listed \
            with the reason and warned about on standard error (other commands warn once per \
            change, not every time; --with naming one says why it was skipped).

            Examples:
              robochain plugins list
              ROBOCHAIN_PLUGIN_PATH=./my-plugins robochain plugins list --format json
            """)

    @Option(help: ArgumentHelp("Output format: table or json.", valueName: "format"))
    var format: ListFormat = .table

    func run() throws {
        let catalog = discoverAnalyses(warn: true)  // skipped plugins: a warning on standard error every time
        // Checked: a listing that cannot be written is a failure (exit 1).
        let output = try openOutput(nil)
        switch format {
        case .table:
            output.write(Array("robochain \(RoboChainVersion.current)\n\n\(catalog.listing)".utf8))
        case .json:
            // The version of the host first, then the listing's own keys.
            var listing = catalog.listingJSON.objectValue ?? JSONObject([])
            listing = JSONObject([.init("robochain", .string(RoboChainVersion.current))] + listing.members)
            output.write(JSONWriter.encode(.object(listing)))
        }
        try commitOutput(output)
    }
}

extension PluginScaffold.Language: ExpressibleByArgument {}

struct PluginsNewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a ready-to-run plugin to start from.",
        discussion: """
            Writes OUTPUT/NAME: for Swift, a package depending on the RoboChain plugin SDK (the \
            RoboChain package by URL and version: --sdk-url, or the repository robochain's checkout was \
            cloned from when that checkout has this version's tag; otherwise, or with --sdk-path, a \
            local checkout by path), with the analysis, the plugin executable, a test and \
            plugin.json; for Python, run.py (standard library only), a test and plugin.json. The \
            example analysis flags components with fewer than `minimum` suppliers in the scope. \
            The README in the new directory says how to build, test and run it.

            Examples:
              robochain plugins new supplier-count --language python \\
                  --output ~/.robochain/plugins
              robochain plugins new supplier-count --language swift --output plugins
            """)

    @Argument(help: "The analysis name: lowercase letters, digits and hyphens.")
    var name: String

    @Option(help: ArgumentHelp("The plugin's language: swift or python.", valueName: "language"))
    var language: PluginScaffold.Language = .swift

    @Option(help: ArgumentHelp("The directory to create the plugin in.", valueName: "directory"))
    var output: String = "."

    @Option(
        name: .customLong("sdk-path"),
        help: ArgumentHelp("For Swift: depend on the RoboChain package at this path (a local checkout).", valueName: "path"))
    var sdkPath: String?

    @Option(
        name: .customLong("sdk-url"),
        help: ArgumentHelp("For Swift: depend on the RoboChain package at this URL, from this robochain's version.", valueName: "url"))
    var sdkURL: String?

    /// Where the Swift package gets the SDK: --sdk-url, --sdk-path, or by default by URL and
    /// version where one is known (``PluginScaffold/defaultSDK(checkout:version:published:)``),
    /// else the checkout this robochain was built from.
    func sdkSource() throws -> PluginScaffold.SDKSource {
        if sdkPath != nil && sdkURL != nil { throw usageFailure("give --sdk-path or --sdk-url, not both", command: Self.self) }
        if let sdkURL { return .url(sdkURL, version: PluginScaffold.sdkVersion) }
        if sdkPath == nil, case .url(let url, let version) = PluginScaffold.defaultSDK(checkout: PackageLocation.sourceDirectory) {
            return .url(url, version: version)
        }
        let path = sdkPath ?? PackageLocation.sourceDirectory
        if language == .swift && !FileAccess.exists(path + "/Package.swift") {
            throw usageFailure("no RoboChain package at '\(path)'; give its path with --sdk-path, or its URL with --sdk-url", command: Self.self)
        }
        return .path(path)
    }

    func run() throws {
        let sdk = try sdkSource()
        let files: [PluginScaffold.File]
        do {
            files = try PluginScaffold.files(name: name, language: language, sdk: sdk)
        } catch {
            throw usageFailure(error.description, command: Self.self)
        }
        let directory = FileAccess.join(output, name)
        guard !FileAccess.exists(directory) else {
            printError("error: cannot create '\(directory)': it exists already; choose another name or --output")
            throw ExitStatus.failure
        }
        // A plugin whose name is taken would be skipped, every time, with a warning.
        let catalog = AnalysisCatalog.discover(environment: Environment.variables)
        if let taken = catalog.analyses.first(where: { $0.name == name }) {
            let owner = if case .external(let plugin) = taken.origin { "the plugin in '\(plugin.directory)'" } else { "a built-in analysis" }
            throw usageFailure("the name '\(name)' is taken by \(owner); a plugin of that name would never run. Choose another name",
                command: Self.self)
        }
        do {
            for file in files {
                let path = FileAccess.join(directory, file.path)
                try OutputFile.createDirectories(String(path[..<path.lastIndex(of: "/")!]))
                try OutputFile.write(Array(file.text.utf8), to: path)
                if file.isExecutable { try OutputFile.makeExecutable(path) }
            }
            if case .path(let path) = sdk, sdkPath == nil, language == .swift {
                printError("note: the RoboChain package has no published URL yet and '\(path)' is not a clone of a tagged release: the plugin depends on it by path (--sdk-path, --sdk-url to choose)")
            }
            let lines = ["wrote \(directory):"] + files.map { "  \($0.path)" } + ["next: see \(directory)/README.md"]
            let output = try OutputFile.Stream(path: nil)
            output.write(Array((lines.joined(separator: "\n") + "\n").utf8))
            try output.commit()
        } catch {
            printError("error: \(error)")
            throw ExitStatus.failure
        }
    }
}

/// Where this robochain's package sources were when it was built.
enum PackageLocation {
    static var sourceDirectory: String {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path
    }
}

