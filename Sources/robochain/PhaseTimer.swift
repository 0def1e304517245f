#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock time per phase of a command, printed to standard error with `--verbose` or when
/// the environment variable `ROBOCHAIN_TIMING` is `1` (for the benchmark's "where the time goes").
/// With `ROBOCHAIN_TIMING=1` each phase also gets a `resources:` line: the CPU time of all the
/// process' threads in the phase, and the resident memory at its end and at its peak so far.
struct PhaseTimer {
    private let enabled: Bool
    private let resources: Bool
    private var last = MonotonicClock.seconds()
    private var lastCPU = ProcessResources.cpuSeconds()

    init(verbose: Bool = false) {
        resources = Environment.variables["ROBOCHAIN_TIMING"] == "1"
        enabled = verbose || resources
    }

    /// Ends the current phase, naming it.
    mutating func lap(_ name: String) {
        guard enabled else { return }
        let now = MonotonicClock.seconds()
        printError("timing: \(name) \(Int(((now - last) * 1000).rounded())) ms")
        last = now
        guard resources else { return }
        let cpu = ProcessResources.cpuSeconds()
        let (resident, peak) = ProcessResources.residentMiB()
        printError("resources: \(name) cpu \(Int(((cpu - lastCPU) * 1000).rounded())) ms, rss \(resident) MiB, peak \(peak) MiB")
        lastCPU = cpu
    }
}

/// The process' own accounting: CPU time and resident memory.
enum ProcessResources {
    /// User plus system CPU seconds of all threads so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// VmRSS and VmHWM of /proc/self/status in MiB (0 where they cannot be read).
    static func residentMiB() -> (resident: Int, peak: Int) {
        let descriptor = open("/proc/self/status", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return (0, 0) }
        defer { close(descriptor) }
        var status: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            status += buffer[..<count]
        }
        var resident = 0
        var peak = 0
        for line in String(decoding: status, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { continue }
            if fields[0] == "VmRSS:" { resident = kilobytes >> 10 }
            if fields[0] == "VmHWM:" { peak = kilobytes >> 10 }
        }
        return (resident, peak)
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
