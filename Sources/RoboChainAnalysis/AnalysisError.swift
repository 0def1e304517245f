import RoboChainModel

/// Why an analysis, or a message of the plugin protocol, failed.
public enum AnalysisError: Swift.Error, Sendable, Equatable, CustomStringConvertible {
    /// An option was set to something the analysis does not accept (a usage error).
    case invalidOption(analysis: String, option: String, problem: String)
    /// The analysis ran and failed.
    case failed(analysis: String, reason: String)
    /// A protocol-1 message (request, response or manifest) is malformed; `path` locates the
    /// offending value, e.g. `findings[3].severity`.
    case malformedMessage(message: String, path: String, problem: String)
    /// An external plugin failed (SPEC §5): why, and the last lines of its standard error.
    case pluginFailed(analysis: String, cause: String, standardErrorTail: [String])
    /// A plugin could not run on what it was given and said so (SPEC §5 `error`): an option
    /// value it rejects (`usage`, exit 64) or a model it cannot work on (`model`, exit 65).
    case rejected(analysis: String, kind: RejectionKind, message: String)

    /// The kinds of SPEC §5 `error` response.
    public enum RejectionKind: String, Sendable {
        case usage, model
    }

    /// Whether the user is at fault (an option value the analysis rejects): a usage error.
    public var isUsageError: Bool {
        switch self {
        case .invalidOption, .rejected(_, .usage, _): true
        default: false
        }
    }

    /// Whether the analysis found the model unfit to work on (a plugin's `model` error).
    public var isModelError: Bool {
        if case .rejected(_, .model, _) = self { return true }
        return false
    }

    /// What went wrong, in one sentence without the analysis' name (for a JSON error entry).
    public var cause: String {
        switch self {
        case .invalidOption(_, let option, let problem): "option '\(option)' \(problem)"
        case .failed(_, let reason): reason
        case .malformedMessage: description
        case .pluginFailed(_, let cause, _): cause
        case .rejected(_, _, let message): message
        }
    }

    /// The characters shown of each line of a failed plugin's standard error (the last 20
    /// lines of its last 64 KiB are shown: one long line would otherwise be 64 KiB).
    public static let maximumLogLine = 400

    public var description: String {
        switch self {
        case .invalidOption(let analysis, let option, let problem):
            "option '\(option)' of '\(analysis)' \(problem)"
        case .failed(let analysis, let reason):
            "analysis '\(analysis)' failed: \(reason)"
        case .malformedMessage(let message, let path, let problem):
            // Both may hold a plugin's text (a key, a value): never more than a screenful.
            path.isEmpty ? "malformed \(message): \(MessageText.shortened(problem))"
                : "malformed \(message): '\(MessageText.shortened(path, limit: MessageText.maximumQuoted * 4))' \(MessageText.shortened(problem))"
        case .pluginFailed(let analysis, let cause, let tail):
            "analysis '\(analysis)' failed: \(cause)"
                + (tail.isEmpty ? "" : "\n  its standard error ended with:\n"
                    + tail.map { "  | " + MessageText.shortened($0, limit: Self.maximumLogLine) }.joined(separator: "\n"))
        case .rejected(_, _, let message):
            message
        }
    }
}
