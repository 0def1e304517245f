import ArgumentParser
import RoboChainAnalysis
import RoboChainModel

/// The scenario options of `analyze`, `render` and `compare` (SPEC §6): what-if changes made to
/// the loaded model, in the order given, before any analysis.
struct ScenarioOptions: ParsableArguments {
    @Option(
        name: .customLong("without"),
        help: ArgumentHelp(
            "What if this were gone: firm:ID (the firm and its supply links) or region:ID (every firm within the region). Repeatable; applied in the order given with --relocate.",
            valueName: "firm:id|region:id"))
    var withouts: [String] = []

    @Option(
        name: .customLong("relocate"),
        help: ArgumentHelp(
            "What if this firm were in this region (e.g. recruited into the scope). Repeatable.",
            valueName: "firm=region"))
    var relocations: [String] = []

    /// The operations in the order given on the command line.
    ///
    /// The parser keeps `--without` and `--relocate` apart, so their order relative to each
    /// other is read back from `arguments` (the process's own, by default). When those do not
    /// hold the parsed values (the command was parsed from elsewhere), every `--without` comes
    /// before every `--relocate`.
    func scenario(arguments: [String] = CommandLine.arguments) throws -> Scenario {
        var texts: [(isWithout: Bool, text: String)] = []
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { break }
            for (name, isWithout) in [("--without", true), ("--relocate", false)] {
                if argument == name, index + 1 < arguments.count {
                    texts.append((isWithout, arguments[index + 1]))
                    index += 1
                } else if argument.hasPrefix(name + "=") {
                    texts.append((isWithout, String(argument.dropFirst(name.count + 1))))
                }
            }
            index += 1
        }
        if texts.filter(\.isWithout).map(\.text) != withouts || texts.filter({ !$0.isWithout }).map(\.text) != relocations {
            texts = withouts.map { (true, $0) } + relocations.map { (false, $0) }
        }
        do {
            return Scenario(try texts.map { entry throws(ModelError) in
                entry.isWithout ? try ScenarioOperation(without: entry.text) : try ScenarioOperation(relocation: entry.text)
            })
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The model with the scenario applied; an unknown id or a malformed operation is a usage
    /// error (64) naming it.
    func apply(_ scenario: Scenario, to model: ChainModel) throws -> ChainModel {
        do {
            return try scenario.apply(to: model)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
