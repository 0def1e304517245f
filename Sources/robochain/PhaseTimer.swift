#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock time per phase of a command, printed to standard error with `--verbose` or when
/// the environment variable `ROBOCHAIN_TIMING` is `1` (for the benchmark's "where the time goes").
struct PhaseTimer {
    private let enabled: Bool
    private var last = MonotonicClock.seconds()

    init(verbose: Bool = false) {
        enabled = verbose || Environment.variables["ROBOCHAIN_TIMING"] == "1"
    }

    /// Ends the current phase, naming it.
    mutating func lap(_ name: String) {
        guard enabled else { return }
        let now = MonotonicClock.seconds()
        printError("timing: \(name) \(Int(((now - last) * 1000).rounded())) ms")
        last = now
    }
}

/// Seconds on the monotonic clock.
enum MonotonicClock {
    static func seconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
