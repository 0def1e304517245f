/// Why a chain map could not be drawn.
///
/// Each case quotes what failed — the format, the time budget, Graphviz's own message — so that
/// the command line can print it as it is.
public enum RenderingError: Swift.Error, Sendable, Equatable, CustomStringConvertible {
    /// Layout and rendering did not finish within the time budget; the Graphviz process was killed.
    case layoutTimedOut(seconds: Double, nodes: Int)
    /// Graphviz cannot produce this format here (no plugin for it is installed).
    case formatUnavailable(format: String, graphvizMessage: String)
    /// Graphviz rejected the DOT text (a bug in the document builder, or DOT from elsewhere).
    case invalidDocument(graphvizMessage: String)
    /// Graphviz failed while laying out or rendering; `stage` is `layout` or `render`.
    case graphvizFailed(stage: String, format: String, graphvizMessage: String)
    /// The Graphviz process ended abnormally (e.g. it crashed with a signal).
    case graphvizCrashed(signal: Int32, graphvizMessage: String)
    /// The operating system refused a resource the renderer needs (a pipe, a process).
    case system(operation: String, reason: String)

    /// The message, quoting what failed and Graphviz's last words (at most five lines).
    public var description: String {
        switch self {
        case .layoutTimedOut(let seconds, let nodes):
            "layout of the map (\(nodes) nodes) did not finish within its time budget of \(Self.seconds(seconds)); "
                + "draw fewer nodes (--max-nodes, --firms none) or allow more time (--layout-timeout)"
        case .formatUnavailable(let format, let message):
            "Graphviz cannot render '\(format)' here (no plugin for it)" + Self.quoted(message)
        case .invalidDocument(let message):
            "Graphviz rejected the DOT document" + Self.quoted(message)
        case .graphvizFailed(let stage, let format, let message):
            "Graphviz failed to \(stage) the map as '\(format)'" + Self.quoted(message)
        case .graphvizCrashed(let signal, let message):
            "Graphviz crashed (signal \(signal)) while drawing the map" + Self.quoted(message)
        case .system(let operation, let reason):
            "cannot \(operation): \(reason)"
        }
    }

    private static func quoted(_ message: String) -> String {
        let trimmed = message.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        guard !trimmed.isEmpty else { return "" }
        return ": " + trimmed.suffix(5).joined(separator: " | ")
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() && value < 1e9 ? "\(Int(value)) s" : "\(value) s"
    }
}
