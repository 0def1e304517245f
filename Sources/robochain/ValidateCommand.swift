import ArgumentParser
import RoboChainModel
import RoboChainReports

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a model and summarise it.",
        discussion: """
            Loads MODEL and checks every rule of the model format: ids, references, cycles in \
            'requires' and in region parents, duplicates, weights in (0, 1] summing to at most 1, \
            shares in [0, 1], required fields and files. On success prints a summary — regions, \
            segments with their component counts, roots, firms, supply links — and warnings such \
            as components with no supplier; exit status 0. On failure prints every problem with \
            its file, line and id, a workbook's as Excel names its cell ('book.xlsx: firms!C12') \
            or row ('firms!12:12'); exit status 65. When MODEL does not exist or cannot be read, \
            exit status 66. A long load shows progress on standard error when it is a terminal \
            (not with --quiet); --verbose reports what was loaded and how long it took.

            Examples:
              robochain validate Models/guangdong-robots.yaml
              robochain validate path/to/csv-model-directory
              robochain validate book.xlsx
              generate-model | robochain validate -
            """)

    @Argument(help: ModelArgument.help, completion: ModelArgument.completion)
    var model: String

    @Flag(help: "Show no progress, even at a terminal.")
    var quiet = false

    @Flag(help: "Report on standard error what was loaded and how long it took.")
    var verbose = false

    func run() throws {
        let log = VerboseLog(enabled: verbose)
        log.version()
        var timer = PhaseTimer(verbose: verbose)
        let loaded = try loadModel(model, printWarnings: false, display: ProgressDisplay(quiet: quiet), log: log)
        timer.lap("load and check")
        // Checked: a summary that cannot be written (a full disk, a closed standard output) is
        // a failure (exit 1), not a success with nothing shown.
        let output = try openOutput(nil)
        output.write(Array(ModelSummary.text(loaded, path: model == "-" ? standardInputName : model).utf8))
        try commitOutput(output)
        finishProcess()
    }
}
