import ArgumentParser
import CTermination
import RoboChainModel

@main
struct RoboChainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "robochain",
        abstract: "Map an industry chain and find where it is weak.",
        discussion: """
            RoboChain holds a model of an industry chain — components, the parts each requires with \
            their cost weights, the firms that supply them and the regions they are in — and runs \
            analyses on it: gap detection (补链, 卡脖子), localisation share, value origin, \
            recruitment (招商) and critical firms (单点) are built in; more come as plugins. It draws the chain map with Graphviz.

            MODEL is a .yaml, .yml or .json file, a directory of CSV files, an .xlsx workbook, or \
            '-' for YAML or JSON on standard input.

            Exit status: 0 success (findings are not failures), 64 bad usage, 65 invalid model, \
            66 MODEL does not exist or cannot be read, 70 a failing analysis or plugin, 1 \
            anything else (e.g. an unwritable output file).

            Shell completion: 'robochain --generate-completion-script bash' (or zsh, fish) prints \
            a script that completes commands, options, model files, analysis names and the \
            model's region ids; scripts/install.sh installs it with robochain and its man page.

            Examples:
              robochain validate Models/guangdong-robots.yaml
              robochain analyze Models/guangdong-robots.yaml \\
                  --with gap-detection --with localisation-share
              robochain render Models/guangdong-robots.yaml \\
                  --with localisation-share --with gap-detection --output map.png
              robochain plugins list
            """,
        version: RoboChainVersion.current,
        subcommands: [
            ValidateCommand.self, AnalyzeCommand.self, RenderCommand.self, CompareCommand.self, ReportCommand.self,
            ConvertCommand.self, PluginsCommand.self,
        ])

    /// Runs the command. First, a closed standard descriptor is held by a read-only
    /// `/dev/null`, standard output is checked at exit (help and `--version` that cannot be
    /// written exit 1), and stopping robochain by a signal (Ctrl-C, SIGTERM, SIGHUP)
    /// is made to kill the plugins it started and remove its temporary output files.
    static func main() {
        holdClosedStandardDescriptors()
        checkStandardOutputAtExit()
        robochain_termination_install()
        // swift-argument-parser takes time quadratic in the number of arguments (20,000
        // `--with` took 34 s): past a number no command needs, refuse before parsing.
        // Every byte kept: a file name that is not UTF-8 must reach open(2) as it is.
        let arguments = Array(ByteText.commandLineArguments.dropFirst())
        let count = arguments.count
        if count > maximumArguments {
            printError("Error: too many arguments (\(count)); robochain takes at most \(maximumArguments)")
            Self.exit(withError: ExitStatus.usage)
        }
        refuseUnknownCommand(arguments)
        refuseWithBytesShown(arguments)
        main(arguments)
    }

    /// Exits as swift-argument-parser would for an argument it refuses, but with the bytes of
    /// an argument that are not UTF-8 shown as `\xFF` (as every other message shows them)
    /// rather than as the private-use characters ``ByteText`` carries them in. Only when an
    /// argument holds such bytes (the arguments are then parsed twice; parsing has no effects).
    static func refuseWithBytesShown(_ arguments: [String]) {
        guard arguments.contains(where: ByteText.holdsEscapes) else { return }
        do {
            _ = try parseAsRoot(arguments)
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { return }  // help and --version: printed as usual
            printError(MessageText.showingBytes(fullMessage(for: error)))
            Self.exit(withError: ExitCode(code.rawValue))
        }
    }

    /// The most arguments accepted (parsing them takes well under a second).
    static let maximumArguments = 2048

    /// Exits 64 with "did you mean" when a word where a command belongs names none: without
    /// this, swift-argument-parser would report only an unexpected argument.
    static func refuseUnknownCommand(_ arguments: [String]) {
        var command: ParsableCommand.Type = Self.self
        var path = ["robochain"]
        for word in arguments {
            let subcommands = command.configuration.subcommands
            guard !word.hasPrefix("-"), !subcommands.isEmpty else { return }
            // `help` is a command of robochain itself (swift-argument-parser's), not of `plugins`.
            let names = subcommands.compactMap { $0.configuration.commandName } + (command == Self.self ? ["help"] : [])
            guard let next = subcommands.first(where: { $0.configuration.commandName == word }) else {
                if word == "help" && command == Self.self { return }
                let suggestion = IDSuggestion.closest(to: word, among: names).map { " did you mean '\($0)'?" } ?? ""
                printError("Error: unknown command '\(word)';\(suggestion) the commands of '\(path.joined(separator: " "))' are: \(names.joined(separator: ", "))")
                printError("Usage: \(Self.usageString(for: command))")
                printError("  See '\(path.joined(separator: " ")) --help' for more information.")
                finishProcess(ExitStatus.usage.rawValue)
            }
            command = next
            path.append(word)
        }
    }

    /// No subcommand is bad usage (64), not success: the help goes to standard error.
    func run() throws {
        printError(Self.helpMessage())
        throw ExitStatus.usage
    }
}
