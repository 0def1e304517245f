import ArgumentParser
import RoboChainJSON
import RoboChainModel
import RoboChainReports

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Write a model in another form: YAML, JSON, a CSV directory or an .xlsx workbook.",
        discussion: """
            Loads MODEL (checking it as validate does; an invalid model exits 65) and writes it \
            to --output in the form its name says: a .yaml or .yml file, a .json file, an .xlsx \
            workbook (sheets model, regions, segments, components, requires, firms, supplies), \
            or, for any other name, a directory of CSV files (created if missing); '--output -' \
            writes YAML to standard output. Nothing is \
            lost: attributes, sources, notes, shares, weights, products, the model's id, title \
            and home. Loading the output gives back the same model.

            Examples:
              robochain convert Models/guangdong-robots.yaml --output guangdong.xlsx
              robochain convert guangdong.xlsx --output guangdong.yaml
              robochain convert guangdong.yaml --output guangdong-csv
              robochain convert guangdong-csv --output - | less
            """)

    @Argument(help: "The model: a .yaml, .yml or .json file, a directory of CSV files, or an .xlsx workbook.")
    var model: String

    @Option(help: "Where to write: FILE.yaml, FILE.yml, FILE.json, FILE.xlsx, a DIRECTORY for CSV files, or - for YAML on standard output.")
    var output: String

    @Flag(help: "Show no progress, even at a terminal.")
    var quiet = false

    func run() throws {
        try reportingUsageErrors(of: Self.self) {
            if output.isEmpty { throw ValidationError("--output '' names no file") }
            try refuseModelAsOutput(output, model: model)
            if output != "-" && FileAccess.isDirectory(model) && FileAccess.isDirectory(output)
                && FileAccess.join(model, "") == FileAccess.join(output, "") {
                throw ValidationError("--output '\(output)' is the model's own directory; writing there would replace the model. Choose another directory")
            }
        }
        let loaded = try loadModel(model, printWarnings: true, display: ProgressDisplay(quiet: quiet))
        let lowered = output.lowercased()
        do {
            if output == "-" {
                // Standard output, not a directory named '-': YAML, checked (a full disk exits 1).
                try writeStandardOutput(loaded.model.encodedYAML())
            } else if lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") {
                try OutputFile.write(loaded.model.encodedYAML(), to: output)
            } else if lowered.hasSuffix(".json") {
                var writer = JSONWriter(style: .pretty)
                loaded.model.writeJSON(to: &writer)
                writer.finish()
                try OutputFile.write(writer.takeBytes(), to: output)
            } else if lowered.hasSuffix(".xlsx") {
                let bytes: [UInt8]
                do {
                    bytes = try loaded.model.encodedWorkbook()
                } catch {
                    printError("error: \(error)")
                    throw ExitStatus.failure
                }
                try OutputFile.write(bytes, to: output)
            } else {
                try OutputFile.createDirectories(output)
                for (name, bytes) in loaded.model.csvFiles() {
                    try OutputFile.write(bytes, to: FileAccess.join(output, name))
                }
            }
        } catch let error as ReportError {
            printError("error: \(error)")
            throw ExitStatus.failure
        }
        finishProcess()
    }
}
