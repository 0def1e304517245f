import ArgumentParser
import RoboChainModel
import RoboChainReports

/// The exit statuses of SPEC §4.
enum ExitStatus {
    static let usage = ExitCode(64)
    static let invalidModel = ExitCode(65)
    static let modelUnreadable = ExitCode(66)
    static let pluginFailure = ExitCode(70)
    static let failure = ExitCode(1)
}

/// Reports a usage error found while running (after parsing) the way swift-argument-parser
/// reports one found while parsing — the message, the command's usage, where to find help — and
/// returns exit status 64 to throw.
func usageFailure(_ message: String, command: ParsableCommand.Type) -> ExitCode {
    var name = command.configuration.commandName ?? "\(command)"
    if PluginsCommand.configuration.subcommands.contains(where: { $0 == command }) { name = "plugins " + name }
    printError("Error: \(message)")
    printError("Usage: \(RoboChainCommand.usageString(for: command))")
    printError("  See 'robochain \(name) --help' for more information.")
    return ExitStatus.usage
}

/// Runs `body`, turning a `ValidationError` thrown inside into ``usageFailure(_:command:)``.
func reportingUsageErrors(of command: ParsableCommand.Type, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ValidationError {
        throw usageFailure(error.message, command: command)
    }
}

/// Ends the process now, with `status`. Used once a command's output is complete: a large model
/// (millions of strings and arrays) need not be freed piece by piece just before the process
/// ends and the system takes its memory back whole.
func finishProcess(_ status: Int32 = 0) -> Never {
    exit(status)
}

/// Makes the end of the process check standard output: what was printed through the C
/// library's buffer (the help, `--version`, completion scripts — swift-argument-parser prints
/// them with `print`) is flushed, and when that flush or an earlier write failed (a full disk,
/// a closed descriptor, a pipe nobody reads while broken pipes are ignored) the process says
/// so on standard error and exits 1 instead of 0 with nothing shown. Called first in `main`,
/// so the check runs after every exit handler registered later.
func checkStandardOutputAtExit() {
    atexit {
        // Every stream (standard error is unbuffered, so only standard output holds bytes);
        // the C library keeps the bytes a failed write left, so an earlier failure fails here
        // again, with its reason.
        guard fflush(nil) != 0 else { return }
        let reason = String(cString: strerror(errno))
        printError("error: \(ReportError.cannotWrite(path: "standard output", reason: reason))")
        _exit(ExitStatus.failure.rawValue)
    }
}

/// Puts `/dev/null` on each of descriptors 0–2 that is closed (`robochain … >&-`), opened the
/// other way (standard input for writing only, the others for reading only): otherwise the
/// first file or pipe robochain opens would take the number, and standard output would be
/// written into it or the model read from it. Used the wrong way round, it still fails
/// ("Bad file descriptor"), so a closed descriptor is still reported as one.
func holdClosedStandardDescriptors() {
    for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) < 0 && errno == EBADF {
        let null = open("/dev/null", descriptor == STDIN_FILENO ? O_WRONLY : O_RDONLY)
        guard null >= 0 else { continue }
        if null != descriptor {
            _ = dup2(null, descriptor)
            close(null)
        }
    }
}

/// Writes `bytes` to standard output, checked: when they cannot be written the reason goes
/// to standard error and this throws exit status 1.
func writeStandardOutput(_ bytes: [UInt8]) throws {
    let output = try openOutput(nil)
    output.write(bytes)
    try commitOutput(output)
}

/// Writes a line to standard error (control characters from names made visible).
func printError(_ text: String) {
    var standardError = StandardError()
    print(PlainText.lines(text), to: &standardError)
}

struct StandardError: TextOutputStream {
    mutating func write(_ text: String) {
        OutputFile.writeAll(Array(text.utf8), to: STDERR_FILENO)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads the model — a file, a CSV directory, or `-` for YAML or JSON on standard input — or
/// exits: 66 when MODEL does not exist or cannot be read, 65 with every problem on standard
/// error when it is invalid. Warnings go to standard error; so does progress, for a long load at
/// a terminal, and with `--verbose` what was loaded and how long it took.
func loadModel(_ path: String, printWarnings: Bool = true, display: ProgressDisplay? = nil, log: VerboseLog = .off) throws -> LoadedModel {
    let started = MonotonicClock.seconds()
    let loaded: LoadedModel
    if path == "-" {
        loaded = try loadStandardInput()
    } else {
        try checkReadable(path)
        let progress = LoadProgress()
        display?.load(path, progress)
        defer { display?.finish() }
        do {
            loaded = try ModelLoader.load(path: path, progress: progress)
        } catch {
            // The model itself vanished or turned unreadable after the check: still 66.
            if case .unreadable(let file, let reason) = error, file == path {
                printError("error: cannot read model '\(MessageText.quoted(path, limit: 4096))': \(reason)")
                throw ExitStatus.modelUnreadable
            }
            reportInvalidModel(error, path: path)
            throw ExitStatus.invalidModel
        }
    }
    if printWarnings {
        for warning in loaded.warnings.prefix(20) { printError("warning: \(warning)") }
        if loaded.warnings.count > 20 { printError("warning: … and \(loaded.warnings.count - 20) more warnings") }
    }
    log.model(loaded, path: path, seconds: MonotonicClock.seconds() - started)
    return loaded
}

/// The name standard input has in messages when it is the model (`-`).
let standardInputName = "<stdin>"

/// Exits 66 unless `path` exists and can be read (a directory: listed and entered).
private func checkReadable(_ path: String) throws {
    var status = stat()
    var problem: String?
    if stat(ByteText.cString(path), &status) != 0 {
        problem = String(cString: strerror(errno))
    } else {
        let isDirectory = (status.st_mode & S_IFMT) == S_IFDIR
        if access(ByteText.cString(path), isDirectory ? R_OK | X_OK : R_OK) != 0 { problem = String(cString: strerror(errno)) }
    }
    guard let problem else { return }
    printError("error: cannot read model '\(MessageText.quoted(path, limit: 4096))': \(problem)")
    throw ExitStatus.modelUnreadable
}

/// Reads a model from standard input: JSON when its first character (after white space and a
/// byte-order mark) is `{`, YAML otherwise. More than ``FileAccess/maximumModelFileSize``
/// bytes (2 GiB) is refused with exit status 66, as a model file that large is.
private func loadStandardInput() throws -> LoadedModel {
    let bytes: [UInt8]
    do {
        // At most the size a model file may be, and a NUL byte in the first 64 KiB stops the
        // read at once: `validate - </dev/zero` is refused, not read until memory runs out.
        bytes = try FileAccess.readAll(descriptor: STDIN_FILENO, name: standardInputName) { (start) throws(ModelError) in
            try ModelLoader.refuseBinaryStart(start, name: standardInputName)
        }
    } catch {
        guard case .unreadable(_, let reason) = error else {
            reportInvalidModel(error, path: standardInputName)
            throw ExitStatus.invalidModel
        }
        printError("error: cannot read model from standard input: \(reason)")
        throw ExitStatus.modelUnreadable
    }
    let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    let first = bytes[start...].first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    do {
        return first == UInt8(ascii: "{")
            ? try ModelLoader.loadJSON(Array(bytes[start...]), file: standardInputName)
            : try ModelLoader.loadYAML(bytes, file: standardInputName)
    } catch {
        reportInvalidModel(error, path: standardInputName)
        throw ExitStatus.invalidModel
    }
}

/// Prints a model's problems: the first 50 and how many more.
func reportInvalidModel(_ error: ModelError, path: String) {
    let problems = error.problems
    printError("error: invalid model '\(MessageText.quoted(path, limit: 4096))' (\(problems.count == 1 ? "1 problem" : "\(problems.count) problems")):")
    for problem in problems.prefix(50) { printError("  \(problem)") }
    if problems.count > 50 { printError("  … and \(problems.count - 50) more") }
}

/// Opens the output — a file (written atomically: a temporary file renamed when complete) or
/// standard output — before any long work, so that an unwritable path fails at once; exits 1
/// if it cannot be written.
func openOutput(_ path: String?) throws -> OutputFile.Stream {
    // An empty name is a usage error (64), not a file that cannot be written (1).
    if path == "" {
        printError("Error: --output needs a file name (or - for standard output)")
        throw ExitStatus.usage
    }
    do {
        return try OutputFile.Stream(path: path)
    } catch {
        printError("error: \(error)")
        throw ExitStatus.failure
    }
}

/// Completes the output opened by ``openOutput(_:)``; exits 1 if writing failed.
func commitOutput(_ stream: OutputFile.Stream) throws {
    do {
        try stream.commit()
    } catch {
        printError("error: \(error)")
        throw ExitStatus.failure
    }
}

/// Refuses (a usage error, 64) an output that is the model file or one of the files of a CSV
/// model directory — the same file by device and inode, links and other spellings included:
/// writing it would destroy the model.
func refuseModelAsOutput(_ output: String?, model: String) throws {
    guard let output, output != "-", model != "-", isModelFile(output, model: model) else { return }
    throw ValidationError("--output '\(MessageText.quoted(output, limit: 4096))' is a file of the model '\(MessageText.quoted(model, limit: 4096))'; writing there would replace the model. Choose another output file")
}

private func isModelFile(_ output: String, model: String) -> Bool {
    var outputStatus = stat()
    guard stat(ByteText.cString(output), &outputStatus) == 0 else { return false }
    var modelStatus = stat()
    guard stat(ByteText.cString(model), &modelStatus) == 0 else { return false }
    let candidates = (modelStatus.st_mode & S_IFMT) == S_IFDIR
        ? ModelLoader.csvFileNames.map { model + "/" + $0 } : [model]
    return candidates.contains { candidate in
        var status = stat()
        return stat(ByteText.cString(candidate), &status) == 0 && status.st_dev == outputStatus.st_dev && status.st_ino == outputStatus.st_ino
    }
}
