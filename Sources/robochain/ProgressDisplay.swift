import Dispatch
import RoboChainModel
import RoboChainReports
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress display on standard error, for phases that take more than about a
/// second: only when standard error is a terminal and --quiet is not given, redrawn five times
/// a second, erased when the phase ends.
final class ProgressDisplay: Sendable {
    /// Seconds a phase runs before the display appears (`ROBOCHAIN_PROGRESS_DELAY` overrides,
    /// for tests).
    static let delay = Environment.variables["ROBOCHAIN_PROGRESS_DELAY"].flatMap(Double.init) ?? 1.0

    private let enabled: Bool
    private let state = Mutex<(generation: Int, shown: Bool)>((0, false))

    /// A display, active when standard error is a terminal and `quiet` is false.
    init(quiet: Bool) {
        enabled = !quiet && isatty(STDERR_FILENO) == 1
    }

    /// Starts a phase: after the delay, `line` is drawn five times a second until ``finish()``.
    ///
    /// - Parameter line: The text for the time elapsed, in seconds.
    func start(_ line: @escaping @Sendable (_ elapsed: Double) -> String) {
        guard enabled else { return }
        let generation = state.withLock { state -> Int in
            state.generation += 1
            return state.generation
        }
        let started = MonotonicClock.seconds()
        DispatchQueue.global().async { [self] in
            usleep(UInt32(Self.delay * 1_000_000))
            while true {
                let text = line(MonotonicClock.seconds() - started)
                let current = state.withLock { state -> Bool in
                    guard state.generation == generation else { return false }
                    state.shown = true
                    OutputFile.writeAll(Array("\r\u{1B}[2K\(text)".utf8), to: STDERR_FILENO)
                    return true
                }
                guard current else { return }
                usleep(200_000)
            }
        }
    }

    /// Ends the phase and erases the line if it was drawn.
    func finish() {
        guard enabled else { return }
        state.withLock { state in
            state.generation += 1
            if state.shown {
                OutputFile.writeAll(Array("\r\u{1B}[2K".utf8), to: STDERR_FILENO)
                state.shown = false
            }
        }
    }

    /// Shows a model loading: bytes parsed of all, and the rate.
    func load(_ path: String, _ progress: LoadProgress) {
        start { elapsed in
            guard progress.totalBytes > 0 else { return "loading \(path): reading files" }
            let done = Double(progress.processedBytes) / 1_048_576
            let total = Double(progress.totalBytes) / 1_048_576
            return "loading \(path): \(Self.format(done)) of \(Self.format(total)) MB, \(Self.format(done / max(elapsed, 0.001))) MB/s"
        }
    }

    /// Shows analyses running: how many have finished, and the time.
    func analyses(_ names: [String], counter: Counter) {
        start { elapsed in
            "running \(names.joined(separator: ", ")): \(counter.value) of \(names.count) done, \(Self.format(elapsed)) s"
        }
    }

    static func format(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String((value * 10).rounded() / 10)
    }

    /// A count shared between threads.
    final class Counter: Sendable {
        private let count = Atomic<Int>(0)

        var value: Int { count.load(ordering: .relaxed) }

        func increment() {
            count.add(1, ordering: .relaxed)
        }
    }
}
