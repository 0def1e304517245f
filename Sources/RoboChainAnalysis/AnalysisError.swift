/// Why an analysis, or a message of the plugin protocol, failed.
public enum AnalysisError: Swift.Error, Sendable, Equatable, CustomStringConvertible {
    /// An option was set to something the analysis does not accept (a usage error).
    case invalidOption(analysis: String, option: String, problem: String)
    /// The analysis ran and failed.
    case failed(analysis: String, reason: String)
    /// A protocol-1 message (request, response or manifest) is malformed; `path` locates the
    /// offending value, e.g. `findings[3].severity`.
    case malformedMessage(message: String, path: String, problem: String)

    public var description: String {
        switch self {
        case .invalidOption(let analysis, let option, let problem):
            "option '\(option)' of '\(analysis)' \(problem)"
        case .failed(let analysis, let reason):
            "analysis '\(analysis)' failed: \(reason)"
        case .malformedMessage(let message, let path, let problem):
            path.isEmpty ? "malformed \(message): \(problem)" : "malformed \(message): '\(path)' \(problem)"
        }
    }
}

/// Why one analysis of a command failed (the command still reports the others).
public struct AnalysisFailure: Swift.Error, Sendable, Equatable, CustomStringConvertible {
    /// The analysis' name.
    public var analysis: String
    /// What went wrong, in one sentence.
    public var cause: String
    /// The last lines of the plugin's standard error (external plugins).
    public var standardErrorTail: [String]
    /// Whether the failure is the user's (an option value the analysis rejects): exit 64, not 70.
    public var isUsageError: Bool

    public init(analysis: String, cause: String, standardErrorTail: [String] = [], isUsageError: Bool = false) {
        self.analysis = analysis
        self.cause = cause
        self.standardErrorTail = standardErrorTail
        self.isUsageError = isUsageError
    }

    public var description: String {
        var text = "analysis '\(analysis)' failed: \(cause)"
        if !standardErrorTail.isEmpty {
            text += "\n  its standard error ended with:\n" + standardErrorTail.map { "  | " + $0 }.joined(separator: "\n")
        }
        return text
    }
}
