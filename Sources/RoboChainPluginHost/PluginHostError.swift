import RoboChainAnalysis

/// Why the plugin host could not do what was asked.
public enum PluginHostError: Swift.Error, Sendable, Equatable, CustomStringConvertible {
    /// `--with` names no available analysis.
    case unknownAnalysis(name: String, available: [String])
    /// `--with` names a plugin that was found but skipped (its directory has the name).
    case skippedAnalysis(name: String, plugin: SkippedPlugin)
    /// The same analysis was chosen twice.
    case repeatedAnalysis(name: String)
    /// `--option` is malformed, names an option no chosen analysis declares, or has a value of
    /// the wrong type.
    case invalidOption(argument: String, problem: String)
    /// A chosen analysis declares an option without a default, and no `--option` sets it.
    case missingOption(analysis: String, option: String, type: OptionType)
    /// A name is not a valid analysis name.
    case invalidName(String)
    /// An option value is of its declared type but the analysis' check rejects it.
    case rejectedOption(AnalysisError)
    /// `plugins install` or `plugins remove` could not do it, for the reason given.
    case installation(String)

    public var description: String {
        switch self {
        case .unknownAnalysis(let name, let available):
            "unknown analysis '\(name)'; available: \(available.joined(separator: ", "))"
        case .skippedAnalysis(let name, let plugin):
            "the analysis '\(name)' is not available: \(plugin)"
        case .repeatedAnalysis(let name):
            "the analysis '\(name)' is chosen more than once"
        case .invalidOption(let argument, let problem):
            "--option '\(argument)': \(problem)"
        case .missingOption(let analysis, let option, let type):
            "'\(analysis)' needs its option '\(option)' (\(type.withArticle), no default): give --option \(analysis).\(option)=VALUE"
        case .rejectedOption(let error):
            error.description
        case .installation(let problem):
            problem
        case .invalidName(let name):
            "'\(name)' is not a valid analysis name: use lowercase letters, digits and hyphens, starting with a letter"
        }
    }
}
