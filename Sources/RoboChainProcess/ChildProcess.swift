import CSpawn
import CTermination
import RoboChainModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How a child process ended, and what it wrote.
public struct ChildProcessOutcome: Sendable {
    /// How the process ended.
    public enum Termination: Sendable, Equatable {
        /// It exited with this status.
        case exited(Int32)
        /// A signal killed it.
        case signalled(Int32)
        /// It could not be started (the system's reason).
        case notStarted(String)
    }

    public var termination: Termination
    /// Everything it wrote on standard output (up to the limit).
    public var standardOutput: [UInt8]
    /// The end of what it wrote on standard error.
    public var standardErrorTail: [UInt8]
    /// Whether it was killed for running past the timeout.
    public var timedOut: Bool
    /// Whether it was killed for writing more than the output limit.
    public var exceededOutputLimit: Bool
    /// How much of the input it took before closing its standard input, if it closed it early.
    public var inputWrittenBeforeClose: Int?

    /// The last `count` lines of standard error, decoded as UTF-8 (invalid bytes replaced).
    public func standardErrorLines(last count: Int) -> [String] {
        var lines = String(decoding: standardErrorTail, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return Array(lines.suffix(count))
    }
}

/// Runs one executable, isolated: the caller can never be hung or crashed by it.
///
/// The child is started under a supervisor of its own (see `CTermination.h`): a small process
/// started with `posix_spawn` from this program's own executable, which becomes a child
/// subreaper and starts the child in its own process group, in its own directory, with default
/// signal handling. Every process the child starts stays the supervisor's descendant (an orphan
/// is reparented to it, even one that called `setsid`), and when the child exits the supervisor
/// kills whatever is left of that tree before it exits itself, with the child's own exit status
/// or signal. Past the deadline or the output limit, or when this process ends (by `kill -9`
/// too: a socket only this process holds closes), the supervisor kills the whole tree.
///
/// The pipes are created close-on-exec, so no other child started meanwhile (on another thread)
/// inherits them and holds them open. One `poll(2)` loop writes the input to the child's standard
/// input while reading its standard output and standard error, so no pipe can fill up and
/// deadlock either side. Standard error keeps only its tail. In the robochain executable (which
/// calls `robochain_termination_install`), Ctrl-C, SIGTERM and SIGHUP ask every supervisor to
/// kill its tree before robochain dies, and robochain, a child subreaper too, kills what a
/// supervisor killed by `kill -9` leaves.
public enum ChildProcess {
    /// Runs `executable` in `directory`, writes `input` to it and closes it.
    ///
    /// - Parameters:
    ///   - executable: The program's path.
    ///   - arguments: Its arguments (after its own name).
    ///   - environment: Its environment, or `nil` for this process's.
    ///   - directory: Its working directory.
    ///   - input: Bytes for its standard input.
    ///   - timeout: Seconds before it is killed.
    ///   - outputLimit: Bytes of standard output before it is killed.
    ///   - errorTailBytes: Bytes of standard error kept (the last ones).
    /// - Returns: How it ended and what it wrote.
    public static func run(
        executable: String, arguments: [String] = [], environment: [String: String]? = nil, directory: String,
        input: [UInt8], timeout: Double, outputLimit: Int, errorTailBytes: Int = 64 << 10
    ) -> ChildProcessOutcome {
        ignoreBrokenPipes()
        var outcome = ChildProcessOutcome(
            termination: .notStarted(""), standardOutput: [], standardErrorTail: [], timedOut: false,
            exceededOutputLimit: false, inputWrittenBeforeClose: nil)
        var inputPipe: [Int32] = [-1, -1]
        var outputPipe: [Int32] = [-1, -1]
        var errorPipe: [Int32] = [-1, -1]
        guard robochain_pipe_cloexec(&inputPipe) == 0 else { return failed(outcome, "pipe: \(systemError())") }
        guard robochain_pipe_cloexec(&outputPipe) == 0 else {
            closeAll(inputPipe)
            return failed(outcome, "pipe: \(systemError())")
        }
        guard robochain_pipe_cloexec(&errorPipe) == 0 else {
            closeAll(inputPipe + outputPipe)
            return failed(outcome, "pipe: \(systemError())")
        }

        // The control socket: the supervisor's end becomes its descriptor 3; robochain's end
        // (close-on-exec, like every descriptor it makes) is held by robochain alone, so it closes
        // when robochain ends, however it ends.
        var control: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &control) == 0 else {
            closeAll(inputPipe + outputPipe + errorPipe)
            return failed(outcome, "socketpair: \(systemError())")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
        posix_spawn_file_actions_adddup2(&actions, control[1], ROBOCHAIN_SUPERVISOR_CONTROL_FD)
        let chdirResult = robochain_spawn_addchdir(&actions, ByteText.cString(directory))
        guard chdirResult == 0 else {
            closeAll(inputPipe + outputPipe + errorPipe + control)
            return failed(outcome, "cannot set its working directory '\(directory)': \(String(cString: strerror(chdirResult)))")
        }

        // The supervisor runs in a process group of its own (the terminal's Ctrl-C reaches
        // robochain, which stops it), with the signals it waits for blocked from the start.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var blocked = sigset_t()
        sigemptyset(&blocked)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGCHLD] { sigaddset(&blocked, signal) }
        posix_spawnattr_setsigmask(&attributes, &blocked)

        var pid: pid_t = 0
        let environmentStrings = environment.map { $0.map { "\($0.key)=\($0.value)" } } ?? inheritedEnvironment()
        let supervisorArguments = [ROBOCHAIN_SUPERVISOR_NAME, ROBOCHAIN_SUPERVISOR_FLAG, String(1 + arguments.count), executable]
            + arguments
        // The child's environment goes in the supervisor's (readable by this user only, unlike
        // its arguments), with nothing else of robochain's but the loader's library path.
        let supervisorEnvironment = inheritedEnvironment().filter { $0.hasPrefix("LD_LIBRARY_PATH=") }
            + environmentStrings.map { ROBOCHAIN_SUPERVISOR_ENVIRONMENT + $0 }
        // Between the start and its registration a stopping signal waits, so the process cannot
        // outlive robochain.
        guard robochain_termination_begin_start() == 0 else {
            closeAll(inputPipe + outputPipe + errorPipe + control)
            return failed(outcome, "robochain is being stopped")
        }
        let spawned = withCStrings(supervisorArguments) { argv in
            withCStrings(supervisorEnvironment) { envp in
                posix_spawn(&pid, robochain_supervisor_executable(), &actions, &attributes, argv, envp)
            }
        }
        // If robochain is stopped by a signal meanwhile, the supervisor is asked to stop, and
        // waited for.
        if spawned == 0 { _ = robochain_termination_add_supervisor(pid) }
        robochain_termination_end_start()
        close(inputPipe[0])
        close(outputPipe[1])
        close(errorPipe[1])
        close(control[1])
        guard spawned == 0 else {
            closeAll([inputPipe[1], outputPipe[0], errorPipe[0], control[0]])
            return failed(outcome, String(cString: strerror(spawned)))
        }

        var inputDescriptor = inputPipe[1]
        var outputDescriptor = outputPipe[0]
        var errorDescriptor = errorPipe[0]
        var controlDescriptor = control[0]
        /// The supervisor's report of the start: two `Int32`, an error number (0: started) and the child's pid.
        var report: [UInt8] = []
        for descriptor in [inputDescriptor, outputDescriptor, errorDescriptor, controlDescriptor] {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
        if input.isEmpty {
            close(inputDescriptor)
            inputDescriptor = -1
        }

        let deadline = monotonicSeconds() + timeout
        var drainDeadline: Double?
        var written = 0
        var status: Int32 = 0
        var exited = false
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        /// Reads what `descriptor` has and hands it to `keep`; closes it at its end or on an error.
        func readReady(_ descriptor: inout Int32, _ keep: (ArraySlice<UInt8>) -> Void) {
            let count = read(descriptor, &buffer, buffer.count)
            if count > 0 {
                keep(buffer[0..<count])
            } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                close(descriptor)
                descriptor = -1
            }
        }

        /// The error number the supervisor reported, if the child could not be started.
        func startError() -> Int32? {
            guard report.count >= 8 else { return nil }
            let error = report.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
            return error == 0 ? nil : error
        }

        while true {
            if startError() != nil { break }
            if !exited && hasExited(pid) {
                exited = true
                drainDeadline = monotonicSeconds() + 2
            }
            if outputDescriptor < 0 && errorDescriptor < 0 && exited { break }
            let now = monotonicSeconds()
            if now >= deadline {
                // Past the time limit; a child that has exited did not overrun it, it only
                // left its pipes open (to a grandchild, say): its own status is the outcome.
                outcome.timedOut = !exited
                break
            }
            if let drainDeadline, now >= drainDeadline { break }

            var descriptors: [pollfd] = []
            if inputDescriptor >= 0 { descriptors.append(pollfd(fd: inputDescriptor, events: Int16(POLLOUT), revents: 0)) }
            if outputDescriptor >= 0 { descriptors.append(pollfd(fd: outputDescriptor, events: Int16(POLLIN), revents: 0)) }
            if errorDescriptor >= 0 { descriptors.append(pollfd(fd: errorDescriptor, events: Int16(POLLIN), revents: 0)) }
            // Readable with the report, then at the supervisor's end.
            if controlDescriptor >= 0 { descriptors.append(pollfd(fd: controlDescriptor, events: Int16(POLLIN), revents: 0)) }
            let wait = Int32(max(1, min(100, (min(deadline, drainDeadline ?? deadline) - now) * 1000)))
            if descriptors.isEmpty {
                // Only the exit is left to wait for.
                usleep(UInt32(min(wait, 20)) * 1000)
                continue
            }
            let ready = poll(&descriptors, nfds_t(descriptors.count), wait)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in descriptors where entry.revents != 0 {
                if entry.fd == inputDescriptor {
                    if entry.revents & Int16(POLLOUT) != 0 {
                        let count = min(input.count - written, 1 << 16)
                        let result = input.withUnsafeBytes { write(inputDescriptor, $0.baseAddress! + written, count) }
                        if result > 0 {
                            written += result
                        } else if result < 0 && errno != EAGAIN && errno != EINTR {
                            outcome.inputWrittenBeforeClose = written  // EPIPE: it closed its end
                        }
                    } else {
                        outcome.inputWrittenBeforeClose = written  // POLLERR / POLLHUP
                    }
                    if written == input.count || outcome.inputWrittenBeforeClose != nil {
                        close(inputDescriptor)
                        inputDescriptor = -1
                    }
                } else if entry.fd == outputDescriptor {
                    readReady(&outputDescriptor) { bytes in
                        outcome.standardOutput.append(contentsOf: bytes)
                        if outcome.standardOutput.count > outputLimit {
                            outcome.exceededOutputLimit = true
                            outcome.standardOutput.removeSubrange(outputLimit...)
                        }
                    }
                } else if entry.fd == errorDescriptor {
                    readReady(&errorDescriptor) { bytes in
                        outcome.standardErrorTail.append(contentsOf: bytes)
                        if outcome.standardErrorTail.count > 2 * errorTailBytes {
                            outcome.standardErrorTail.removeFirst(outcome.standardErrorTail.count - errorTailBytes)
                        }
                    }
                } else if entry.fd == controlDescriptor {
                    readReady(&controlDescriptor) { bytes in report.append(contentsOf: bytes) }
                }
            }
            if outcome.exceededOutputLimit { break }
        }

        // The supervisor kills what is left of the child's tree when the child exits; a child past
        // its time or output, or one whose start failed, is stopped by asking the supervisor
        // (SIGTERM: it kills the whole tree, then exits as the child ended). It is not reaped yet,
        // so its pid cannot have been reused. One that does not finish within 10 s (it never
        // should) is killed, and what it leaves becomes robochain's, swept below.
        if !hasExited(pid) {
            kill(pid, SIGTERM)
            let given = monotonicSeconds() + 10
            while !hasExited(pid) {
                if monotonicSeconds() > given {
                    kill(pid, SIGKILL)
                    break
                }
                usleep(2000)
            }
        }
        // Reaped before it is unregistered: an unregistered child is an orphan to the sweep.
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        robochain_termination_remove_supervisor(pid)
        if controlDescriptor >= 0 && report.count < 8 {
            readReady(&controlDescriptor) { bytes in report.append(contentsOf: bytes) }
        }
        // Orphans robochain adopted (a child subreaper, in the robochain executable) from a
        // supervisor that was killed go now.
        _ = robochain_termination_kill_orphans()
        closeAll([inputDescriptor, outputDescriptor, errorDescriptor, controlDescriptor].filter { $0 >= 0 })
        if outcome.standardErrorTail.count > errorTailBytes {
            outcome.standardErrorTail.removeFirst(outcome.standardErrorTail.count - errorTailBytes)
        }
        // status >> 8 is the exit status, status & 0x7f the signal (the WIFEXITED macros do not import).
        let signal = status & 0x7F
        outcome.termination = signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
        if let error = startError() {
            outcome.termination = .notStarted(String(cString: strerror(error)))
        } else if report.count < 8 {
            let ending = signal == 0 ? "exit status \((status >> 8) & 0xFF)" : "signal \(signal)"
            outcome.termination = .notStarted(
                "its supervisor (\(String(cString: robochain_supervisor_executable()))) ended before starting it (\(ending))")
        }
        return outcome
    }

    /// Whether the child has exited, without reaping it (`WNOWAIT`), so its pid stays reserved.
    private static func hasExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        return result == 0 && info.si_signo == SIGCHLD
    }

    private static func failed(_ outcome: ChildProcessOutcome, _ reason: String) -> ChildProcessOutcome {
        var outcome = outcome
        outcome.termination = .notStarted(reason)
        return outcome
    }

    private static func closeAll(_ descriptors: [Int32]) {
        for descriptor in descriptors where descriptor >= 0 { close(descriptor) }
    }

    private static func systemError() -> String { String(cString: strerror(errno)) }

    private static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// A write to a pipe whose reader is gone must return EPIPE, not kill robochain.
    private static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// This process's environment, as a dictionary (the first of a name repeated wins).
    public static var currentEnvironment: [String: String] {
        var variables: [String: String] = [:]
        for entry in inheritedEnvironment() {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            let name = String(entry[..<equals])
            if variables[name] == nil { variables[name] = String(entry[entry.index(after: equals)...]) }
        }
        return variables
    }

    private static func inheritedEnvironment() -> [String] {
        var strings: [String] = []
        var pointer = environ
        while let entry = pointer.pointee {
            strings.append(ByteText.decode(cString: entry))
            pointer += 1
        }
        return strings
    }

    private static func withCStrings<Result>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Result) -> Result {
        let pointers = strings.map { strdup(ByteText.cString($0)) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }

    /// A signal's name, e.g. "Segmentation fault".
    public static func describe(signal: Int32) -> String {
        strsignal(signal).map { String(cString: $0) } ?? "signal \(signal)"
    }
}
