import Foundation
import RoboChainJSON
import RoboChainModel
import RoboChainTestSupport
import Testing

/// End-to-end: the habits of a good command-line tool (issue #20).
@Suite struct CLIHabitsTests {
    static let model = "Models/guangdong-robots.yaml"

    /// Runs the built robochain with bytes on its standard input.
    func robochain(_ arguments: [String], input: String, environment: [String: String] = [:]) throws -> CommandResult {
        try CommandRunner.run(CommandRunner.product("robochain"), arguments, environment: environment, input: Array(input.utf8))
    }

    // MARK: --version

    @Test func versionComesFromOnePlace() throws {
        let result = try CommandRunner.robochain(["--version"])
        #expect(result.exitStatus == 0)
        #expect(result.standardOutput == RoboChainVersion.current + "\n")
        #expect(result.standardError == "")
    }

    @Test func pluginsListShowsTheVersion() throws {
        let text = try CommandRunner.robochain(["plugins", "list"])
        #expect(text.exitStatus == 0)
        #expect(text.standardOutput.hasPrefix("robochain \(RoboChainVersion.current)\n\ngap-detection "))
        let json = try CommandRunner.robochain(["plugins", "list", "--format", "json"])
        let object = try #require(try JSONParser.parse(json.standardOutput).objectValue)
        #expect(object.keys == ["robochain", "analyses", "skipped"])
        #expect(object["robochain"] == .string(RoboChainVersion.current))
    }

    // MARK: analyze without --with

    @Test func analyzeWithoutWithRunsTheBuiltIns() throws {
        let implicit = try CommandRunner.robochain(["analyze", Self.model, "--format", "json"])
        let explicit = try CommandRunner.robochain(["analyze", Self.model, "--with", "gap-detection", "--with", "localisation-share", "--with", "value-origin", "--with", "recruitment", "--with", "critical-firms",
            "--format", "json"])
        #expect(implicit.exitStatus == 0)
        #expect(implicit.standardError == "")
        #expect(implicit.standardOutput == explicit.standardOutput)
        let help = try CommandRunner.robochain(["analyze", "--help"])
        let words = help.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("without --with, runs every built-in analysis"))
    }

    @Test func analyzeWithoutWithRunsNoPlugin() throws {
        let result = try CommandRunner.robochain(["analyze", Self.model, "--format", "json"],
            environment: ["ROBOCHAIN_PLUGIN_PATH": "Plugins"])
        #expect(result.exitStatus == 0)
        let names = try #require(try JSONParser.parse(result.standardOutput).arrayValue).map { $0.objectValue?["analysis"] }
        #expect(names == ["gap-detection", "localisation-share", "value-origin", "recruitment", "critical-firms"])
    }

    // MARK: '-' reads standard input

    @Test func dashReadsYAMLFromStandardInput() throws {
        let text = try String(contentsOf: CommandRunner.packageDirectory.appendingPathComponent(Self.model), encoding: .utf8)
        let fromInput = try robochain(["analyze", "-", "--with", "gap-detection", "--format", "json"], input: text)
        let fromFile = try CommandRunner.robochain(["analyze", Self.model, "--with", "gap-detection", "--format", "json"])
        #expect(fromInput.exitStatus == 0)
        #expect(fromInput.standardOutput == fromFile.standardOutput)
        let summary = try robochain(["validate", "-"], input: text)
        #expect(summary.exitStatus == 0)
        #expect(summary.standardOutput.hasPrefix("<stdin>: valid YAML model (guangdong-robots"))
    }

    @Test func dashReadsJSONFromStandardInput() throws {
        let json = """
            {"home": "CN", "regions": [{"id": "CN", "name": "China"}],
             "components": [{"id": "hand", "name": "Hand", "segment": "limbs"}],
             "firms": [{"id": "acme", "name": "Acme", "region": "CN", "supplies": ["hand"]}]}
            """
        let result = try robochain(["validate", "-"], input: json)
        #expect(result.exitStatus == 0)
        #expect(result.standardOutput.hasPrefix("<stdin>: valid JSON model"))
    }

    @Test func dashWorksForRenderToo() throws {
        let text = try String(contentsOf: CommandRunner.packageDirectory.appendingPathComponent(Self.model), encoding: .utf8)
        let fromInput = try robochain(["render", "-", "--format", "dot", "--output", "-"], input: text)
        let fromFile = try CommandRunner.robochain(["render", Self.model, "--format", "dot", "--output", "-"])
        #expect(fromInput.exitStatus == 0)
        #expect(fromInput.standardOutput == fromFile.standardOutput)
    }

    @Test func anInvalidModelOnStandardInputIsExit65WithLines() throws {
        let result = try robochain(["validate", "-"], input: "regions:\n  - {id: CN, name: China}\n  - {id: CN, name: Again}\n")
        #expect(result.exitStatus == 65)
        #expect(result.standardError.hasPrefix("error: invalid model '<stdin>' (3 problems):\n"))
        #expect(result.standardError.contains("\n  <stdin>:3: duplicate region id 'CN' (first defined at <stdin>:2)\n"))
    }

    // MARK: exit 66 for a missing or unreadable model, 65 for an invalid one

    @Test(arguments: [["validate"], ["analyze"], ["render", "--output", "/tmp/robochain-never-written.svg"]])
    func missingModelIsExit66(command: [String]) throws {
        let arguments = [command[0], "no/such/model.yaml"] + command.dropFirst()
        let result = try CommandRunner.robochain(arguments)
        #expect(result.exitStatus == 66)
        #expect(result.standardOutput == "")
        #expect(result.standardError == "error: cannot read model 'no/such/model.yaml': No such file or directory\n")
    }

    @Test func aModelPathThroughAFileIsExit66() throws {
        let result = try CommandRunner.robochain(["validate", "\(Self.model)/model.yaml"])
        #expect(result.exitStatus == 66)
        #expect(result.standardError == "error: cannot read model '\(Self.model)/model.yaml': Not a directory\n")
    }

    /// A file without read permission and a directory without search permission. Root may read
    /// both, so as root robochain runs as user nobody (setpriv(1)).
    @Test(.enabled(if: getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "as root, needs setpriv"))
    func anUnreadableModelIsExit66() throws {
        let directory = try TemporaryDirectory("cli")
        defer { directory.remove() }
        chmod(directory.path, 0o755)
        let file = try directory.write("regions: []\n", to: "secret.yaml")
        chmod(file, 0)
        try directory.write("id,name,parent\n", to: "closed/regions.csv")
        let closed = directory.url.appendingPathComponent("closed").path
        chmod(closed, 0o700)
        for path in [file, closed] {
            let command = [CommandRunner.product("robochain"), "validate", path]
            let result = getuid() == 0
                ? try CommandRunner.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups"] + command)
                : try CommandRunner.run(command[0], Array(command.dropFirst()))
            #expect(result.exitStatus == 66)
            #expect(result.standardError == "error: cannot read model '\(path)': Permission denied\n")
        }
    }

    @Test func aCSVDirectoryMissingARequiredFileIsInvalid65() throws {
        let directory = try TemporaryDirectory("cli")
        defer { directory.remove() }
        try directory.write("id,name,parent\nCN,China,\n", to: "regions.csv")
        let result = try CommandRunner.robochain(["validate", directory.path])
        #expect(result.exitStatus == 65)
        #expect(result.standardError.hasPrefix("error: invalid model '\(directory.path)'"))
    }

    // MARK: did you mean

    @Test(arguments: [
        (["analyse", Self.model], "Error: unknown command 'analyse'; did you mean 'analyze'? the commands of 'robochain' are: validate, analyze, render, compare, report, convert, plugins, help",
            "See 'robochain --help'"),
        (["valdiate", Self.model], "Error: unknown command 'valdiate'; did you mean 'validate'?", "See 'robochain --help'"),
        (["plugins", "lsit"], "Error: unknown command 'lsit'; did you mean 'list'? the commands of 'robochain plugins' are: list, new",
            "See 'robochain plugins --help'"),
        (["frobnicate"], "Error: unknown command 'frobnicate'; the commands of 'robochain' are:", "See 'robochain --help'"),
        (["analyze", Self.model, "--with", "gap-detetcion"],
            "Error: unknown analysis 'gap-detetcion'; did you mean 'gap-detection'? available: gap-detection, localisation-share",
            "See 'robochain analyze --help'"),
        (["analyze", Self.model, "--with", "localization-share"], "Error: unknown analysis 'localization-share'; did you mean 'localisation-share'?",
            "See 'robochain analyze --help'"),
        (["analyze", Self.model, "--scope", "CN-GX-SZ"], "Error: unknown scope 'CN-GX-SZ'; did you mean 'CN-GD-SZ'?",
            "See 'robochain analyze --help'"),
        (["render", Self.model, "--output", "m.svg", "--scope", "CN-GDD"], "Error: unknown scope 'CN-GDD'; did you mean 'CN-GD'?",
            "See 'robochain render --help'"),
        (["analyze", Self.model, "--ouptut", "x.json"], "Error: Unknown option '--ouptut'. Did you mean '--output'?",
            "See 'robochain analyze --help'"),
    ])
    func mistakesGetADidYouMean(arguments: [String], message: String, help: String) throws {
        let result = try CommandRunner.robochain(arguments)
        #expect(result.exitStatus == 64)
        #expect(result.standardOutput == "")
        #expect(result.standardError.hasPrefix(message), "\(result.standardError)")
        #expect(result.standardError.contains(help))
    }

    @Test func helpAndVersionAreNotCommands() throws {
        #expect(try CommandRunner.robochain(["help", "analyze"]).exitStatus == 0)
    }

    // MARK: --verbose

    @Test func verboseSaysWhatWasLoadedAndHowLongEachPhaseTook() throws {
        let quietRun = try CommandRunner.robochain(["analyze", Self.model, "--format", "json"])
        let result = try CommandRunner.robochain(["analyze", Self.model, "--format", "json", "--verbose"],
            environment: ["ROBOCHAIN_PLUGIN_PATH": "Plugins"])
        #expect(result.exitStatus == 0)
        #expect(result.standardOutput == quietRun.standardOutput, "--verbose changes standard error only")
        let lines = result.standardError.split(separator: "\n").map(String.init)
        #expect(lines.first == "robochain \(RoboChainVersion.current)")
        #expect(lines.contains { $0.hasPrefix("plugin directories: Plugins, ") })
        let pluginDirectory = CommandRunner.packageDirectory.appendingPathComponent("Plugins/SupplierConcentration").path
        #expect(lines.contains("plugins found: supplier-concentration 1.0.0 (\(pluginDirectory))"))
        #expect(lines.contains("analyses: gap-detection 1.0.0 (built-in), localisation-share 1.0.0 (built-in), value-origin 1.0.0 (built-in), recruitment 1.0.0 (built-in), critical-firms 1.0.0 (built-in)"))
        #expect(lines.contains { $0.hasPrefix("loaded '\(Self.model)' (YAML) in ") && $0.hasSuffix(
            " ms: 31 regions, 4 segments, 46 components, 78 requires edges, 148 firms, 218 supply links") })
        let phases = lines.filter { $0.hasPrefix("timing: ") }.map { $0.split(separator: " ")[1] }
        #expect(phases == ["load", "analyses", "output"])
    }

    @Test func verboseValidateAndRender() throws {
        let validate = try CommandRunner.robochain(["validate", Self.model, "--verbose"])
        #expect(validate.exitStatus == 0)
        #expect(validate.standardError.contains("loaded '\(Self.model)' (YAML) in "))
        #expect(validate.standardError.contains("timing: load and check "))
        let render = try CommandRunner.robochain(["render", Self.model, "--format", "dot", "--output", "-", "--verbose"])
        #expect(render.exitStatus == 0)
        #expect(render.standardOutput.hasPrefix("digraph"))
        let phases = render.standardError.split(separator: "\n").filter { $0.hasPrefix("timing: ") }
            .map { $0.dropFirst("timing: ".count).split(separator: " ").dropLast(2).joined(separator: " ") }
        #expect(phases == ["load", "analyses", "layout and rendering", "output"])
        let silent = try CommandRunner.robochain(["validate", Self.model])
        #expect(silent.standardError == "")
    }

    // MARK: colour

    @Test func colourOnlyWhenAskedOrAtATerminal() throws {
        let arguments = ["analyze", Self.model, "--with", "gap-detection"]
        let piped = try CommandRunner.robochain(arguments)
        #expect(!piped.standardOutput.contains("\u{1B}["))
        let always = try CommandRunner.robochain(arguments + ["--color", "always"])
        #expect(always.standardOutput.contains("\u{1B}["), "--color always colours a pipe, NO_COLOR notwithstanding")
        let never = try CommandRunner.robochain(arguments + ["--color", "never"])
        #expect(never.standardOutput == piped.standardOutput)
        let bad = try CommandRunner.robochain(arguments + ["--color", "sometimes"])
        #expect(bad.exitStatus == 64)
    }
}

/// Colour at a terminal: on by default, off with NO_COLOR or --color never.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a terminal"))
struct TerminalColourTests {
    func atTerminal(_ arguments: [String], noColour: String?) throws -> String {
        let command = ([CommandRunner.product("robochain"), "analyze", CLIHabitsTests.model, "--with", "gap-detection"] + arguments)
            .map { "'\($0)'" }.joined(separator: " ")
        let prefix = noColour.map { "NO_COLOR=\($0) " } ?? "unset NO_COLOR; "
        let result = try CommandRunner.run("/usr/bin/script", ["-qec", prefix + command, "/dev/null"])
        #expect(result.exitStatus == 0)
        return result.standardOutput
    }

    @Test func colouredAtATerminal() throws {
        #expect(try atTerminal([], noColour: nil).contains("\u{1B}["))
    }

    @Test func noColourWithNO_COLOR() throws {
        #expect(!(try atTerminal([], noColour: "1").contains("\u{1B}[3")))
        #expect(try atTerminal([], noColour: "").contains("\u{1B}["), "an empty NO_COLOR does not count")
    }

    @Test func noColourWithColorNever() throws {
        #expect(!(try atTerminal(["--color", "never"], noColour: nil).contains("\u{1B}[3")))
    }
}
