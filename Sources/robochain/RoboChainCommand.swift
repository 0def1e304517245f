import ArgumentParser
import CTermination

@main
struct RoboChainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "robochain",
        abstract: "Map an industry chain and find where it is weak.",
        discussion: """
            RoboChain holds a model of an industry chain — components, the parts each requires with \
            their cost weights, the firms that supply them and the regions they are in — and runs \
            analyses on it: gap detection (补链, 卡脖子) and localisation share are built in; more \
            come as plugins. It draws the chain map with Graphviz.

            MODEL is a .yaml, .yml or .json file, a directory of CSV files, or an .xlsx workbook.

            Exit status: 0 success (findings are not failures), 64 bad usage, 65 invalid model, \
            70 a failing analysis or plugin, 1 anything else (e.g. an unwritable output file).

            Examples:
              robochain validate Models/guangdong-robots.yaml
              robochain analyze Models/guangdong-robots.yaml \\
                  --with gap-detection --with localisation-share
              robochain render Models/guangdong-robots.yaml \\
                  --with localisation-share --with gap-detection --output map.png
              robochain plugins list
            """,
        version: "0.1.0",
        subcommands: [ValidateCommand.self, AnalyzeCommand.self, RenderCommand.self, ConvertCommand.self, PluginsCommand.self])

    /// Runs the command. First, stopping robochain by a signal (Ctrl-C, SIGTERM, SIGHUP) is made
    /// to kill the plugins it started and remove its temporary output files.
    static func main() {
        robochain_termination_install()
        // swift-argument-parser takes time quadratic in the number of arguments (20,000
        // `--with` took 34 s): past a number no command needs, refuse before parsing.
        let count = CommandLine.arguments.count - 1
        if count > maximumArguments {
            printError("Error: too many arguments (\(count)); robochain takes at most \(maximumArguments)")
            Self.exit(withError: ExitStatus.usage)
        }
        main(nil)
    }

    /// The most arguments accepted (parsing them takes well under a second).
    static let maximumArguments = 2048

    /// No subcommand is bad usage (64), not success: the help goes to standard error.
    func run() throws {
        printError(Self.helpMessage())
        throw ExitStatus.usage
    }
}
