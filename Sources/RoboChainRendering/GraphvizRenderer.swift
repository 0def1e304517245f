import CGraphviz
import CSpawn
import CTermination
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Lays out DOT text with Graphviz's `dot` engine and renders it to SVG, PNG or PDF, through
/// libgvc in this process's code — never by running the `dot` program.
///
/// **One caller at a time.** Graphviz keeps global state and is not thread-safe, so every call
/// runs under one process-wide lock; concurrent callers wait their turn. This file is the only
/// one that touches `CGraphviz`.
///
/// **One Graphviz context, for the life of the process.** It is made at the first render and
/// never freed. Graphviz 2.42's Pango plugin keeps, in a static variable, a pointer to the last
/// font name it measured; that name belongs to the context (its font dictionary), so freeing a
/// context and rendering with a new one made the plugin read freed memory (`strcmp` on the old
/// name: AddressSanitizer's heap-use-after-free, at every render after the first).
/// scripts/graphviz-context-reuse.c reproduces it with Graphviz alone.
///
/// **A time budget.** `dot` layout cannot be interrupted from inside the process: it checks no
/// flag and has no callback, and a thread cannot be cancelled safely in the middle of it. So
/// layout and rendering run in a forked child process: the parent loads the plugins (a small
/// warm-up render, so that the child finds the layout and render plugins, fontconfig and Pango
/// already loaded instead of loading them after the fork) and parses the DOT text (with
/// `robochain_read_dot`, which keeps clusters in the order written), then forks; the child — running only the C code of
/// `robochain_fork_render` in the shim, never Swift — lays out, renders, writes the bytes to a
/// pipe and leaves with `_exit`. The parent reads the pipe until the budget runs out; then it
/// kills the child with SIGKILL, reaps it, and throws ``RenderingError/layoutTimedOut(seconds:nodes:)``.
/// The calling process is never left with a half-finished Graphviz state, and a Graphviz crash
/// becomes ``RenderingError/graphvizCrashed(signal:graphvizMessage:)`` instead of taking the
/// process down. The cost is one `fork` (copy-on-write; about a millisecond) per render, and the
/// child's memory is its own: a child killed on timeout frees everything with it.
///
/// Caveats, honestly: after `fork` only the forking thread exists in the child, so the child
/// must not take a lock another thread might have held; it runs Graphviz's C code, which takes
/// only `malloc`'s locks (made safe across `fork` by the C library) and those of the plugins
/// already initialised by the warm-up. On Linux the child dies with its parent
/// (`PR_SET_PDEATHSIG`). Pipes are close-on-exec, so processes other threads spawn do not
/// inherit them; the child does inherit (and keeps until it exits) descriptors other threads
/// had open, which can delay an end-of-file another thread waits for by at most the budget.
public enum GraphvizRenderer {
    /// The default time budget for layout and rendering, in seconds.
    public static let defaultTimeLimit = 60.0

    /// A rendered map and what Graphviz said while making it.
    public struct Output: Sendable, Equatable {
        /// The file's bytes.
        public var bytes: [UInt8]
        /// Graphviz's warnings, one per line (empty when it had nothing to say).
        public var messages: [String]
    }

    /// Lays out and renders DOT text.
    ///
    /// - Parameters:
    ///   - dot: A DOT document, e.g. ``ChainMapDocument/text``.
    ///   - format: The output format; for ``MapFormat/dot`` the text is returned unchanged,
    ///     without Graphviz.
    ///   - timeLimit: Seconds that layout and rendering together may take (the parsing and
    ///     warm-up before them are not counted).
    /// - Returns: The bytes of the file and Graphviz's warnings.
    /// - Throws: ``RenderingError``: the budget ran out, the format has no plugin, Graphviz
    ///   rejected the text, failed or crashed, or a pipe or process could not be made.
    public static func render(_ dot: String, format: MapFormat, timeLimit: Double = defaultTimeLimit) throws(RenderingError) -> Output {
        if format == .dot { return Output(bytes: Array(dot.utf8), messages: []) }
        return try serialised.withLock { context throws(RenderingError) -> Output in
            if context == nil { context = gvContext() }
            guard let context else { throw .system(operation: "create a Graphviz context", reason: "out of memory") }
            return try renderLocked(dot, context: context, format: format.rawValue, timeLimit: timeLimit)
        }
    }

    /// The lock that serialises every use of Graphviz in this process, and the one context
    /// (made at the first render, never freed: see above).
    private static let serialised = Mutex<OpaquePointer?>(nil)

    /// Graphviz's messages while the lock is held in this process (the child's go to a pipe).
    private static let captured = Mutex<[String]>([])

    private static func takeMessages() -> String {
        captured.withLock { messages in
            defer { messages.removeAll() }
            return messages.joined()
        }
    }

    private static func renderLocked(_ dot: String, context: OpaquePointer, format: String, timeLimit: Double) throws(RenderingError) -> Output {
        let previousHandler = agseterrf { message in
            if let message { GraphvizRenderer.captured.withLock { $0.append(String(cString: message)) } }
            return 0
        }
        defer {
            agseterrf(previousHandler)
            _ = takeMessages()
        }
        try warmUp(context, format: format)

        let parsed = dot.withCString { robochain_read_dot($0) }
        guard let graph = parsed else { throw .invalidDocument(graphvizMessage: takeMessages()) }
        defer { agclose(graph) }
        let nodes = Int(agnnodes(graph))

        var outputPipe: [Int32] = [-1, -1]
        var errorPipe: [Int32] = [-1, -1]
        guard robochain_pipe_cloexec(&outputPipe) == 0 else { throw .system(operation: "create a pipe", reason: systemReason()) }
        guard robochain_pipe_cloexec(&errorPipe) == 0 else {
            let reason = systemReason()
            close(outputPipe[0])
            close(outputPipe[1])
            throw .system(operation: "create a pipe", reason: reason)
        }
        defer {
            close(outputPipe[0])
            close(errorPipe[0])
        }
        let deadline = ContinuousClock.now + .milliseconds(Int64(min(timeLimit, 1e9) * 1000))
        // Between the fork and its registration a stopping signal waits, so the child cannot
        // outlive robochain.
        guard robochain_termination_begin_start() == 0 else {
            close(outputPipe[1])
            close(errorPipe[1])
            throw .system(operation: "start a process for Graphviz", reason: "robochain is being stopped")
        }
        let child = format.withCString { formatName in
            "dot".withCString { engine in
                robochain_fork_render(context, graph, engine, formatName, outputPipe[1], errorPipe[1], outputPipe[0], errorPipe[0])
            }
        }
        let forkReason = child < 0 ? systemReason() : ""
        if child > 0 { _ = robochain_termination_add_process(child) }  // killed if robochain is stopped by a signal
        robochain_termination_end_start()
        close(outputPipe[1])
        close(errorPipe[1])
        guard child > 0 else { throw .system(operation: "start a process for Graphviz", reason: forkReason) }

        var output: [UInt8] = []
        var errors: [UInt8] = []
        let finished = readBoth(output: outputPipe[0], into: &output, errors: errorPipe[0], into: &errors, until: deadline)
        if !finished {
            kill(child, SIGKILL)
            _ = reap(child)
            throw .layoutTimedOut(seconds: timeLimit, nodes: nodes)
        }
        let messages = String(decoding: errors, as: UTF8.self)
        guard let code = reap(child) else { throw .system(operation: "wait for the Graphviz process", reason: systemReason()) }
        switch code {
        case Int32(ROBOCHAIN_CHILD_OK):
            return Output(bytes: output, messages: messageLines(messages))
        case Int32(ROBOCHAIN_CHILD_LAYOUT_FAILED):
            throw .graphvizFailed(stage: "lay out", format: format, graphvizMessage: messages)
        case Int32(ROBOCHAIN_CHILD_RENDER_FAILED):
            throw .graphvizFailed(stage: "render", format: format, graphvizMessage: messages)
        case Int32(ROBOCHAIN_CHILD_WRITE_FAILED):
            throw .system(operation: "pass the rendered map back from the Graphviz process", reason: "write failed")
        case Int32(ROBOCHAIN_CHILD_ORPHANED):
            throw .system(operation: "start a process for Graphviz", reason: "its parent was gone")
        case ..<0:
            throw .graphvizCrashed(signal: -code, graphvizMessage: messages)
        default:
            throw .graphvizFailed(stage: "render", format: format, graphvizMessage: messages + " (exit status \(code))")
        }
    }

    /// Lays out and renders a two-node graph in this process, so that the layout and render
    /// plugins, fontconfig and Pango are loaded before the fork, and a missing format is reported
    /// with Graphviz's own message.
    private static func warmUp(_ context: OpaquePointer, format: String) throws(RenderingError) {
        let source = "digraph warmup { a [label=<<B>链</B> A>]; b [label=\"b\"]; a -> b }"
        guard let graph = source.withCString({ robochain_read_dot($0) }) else {
            throw .invalidDocument(graphvizMessage: takeMessages())
        }
        defer { agclose(graph) }
        guard gvLayout(context, graph, "dot") == 0 else {
            throw .graphvizFailed(stage: "lay out", format: format, graphvizMessage: takeMessages())
        }
        defer { gvFreeLayout(context, graph) }
        var data: UnsafeMutablePointer<CChar>?
        var length: UInt32 = 0
        guard gvRenderData(context, graph, format, &data, &length) == 0 else {
            throw .formatUnavailable(format: format, graphvizMessage: takeMessages())
        }
        defer { gvFreeRenderData(data) }
        _ = takeMessages()
    }

    /// Reads two pipes to their ends, or until the deadline; `true` when both ended.
    private static func readBoth(
        output: Int32, into outputBytes: inout [UInt8], errors: Int32, into errorBytes: inout [UInt8],
        until deadline: ContinuousClock.Instant
    ) -> Bool {
        var open = [output: true, errors: true]
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while open.values.contains(true) {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return false }
            let milliseconds = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1
            var descriptors = [output, errors].filter { open[$0]! }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), Int32(min(milliseconds, Int64(Int32.max))))
            if ready < 0 {
                if errno == EINTR { continue }
                return false
            }
            for descriptor in descriptors where descriptor.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(descriptor.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    if descriptor.fd == output {
                        outputBytes.append(contentsOf: buffer[0..<count])
                    } else {
                        errorBytes.append(contentsOf: buffer[0..<count])
                    }
                } else if count == 0 || errno != EINTR {
                    open[descriptor.fd] = false
                }
            }
        }
        return true
    }

    /// Waits for a child; its exit code, minus the signal that ended it, or `nil` if it cannot
    /// be waited for.
    private static func reap(_ child: pid_t) -> Int32? {
        robochain_termination_remove_process(child)
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 {
            if errno != EINTR { return nil }
        }
        return robochain_exit_code(status)
    }

    /// Graphviz's messages, one per line, without the `(null): ` it puts where a graph has no name.
    static func messageLines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { line in
            line.hasPrefix("(null): ") ? String(line.dropFirst(8)) : String(line)
        }.filter { !$0.isEmpty }
    }

    private static func systemReason() -> String {
        String(cString: strerror(errno))
    }
}
