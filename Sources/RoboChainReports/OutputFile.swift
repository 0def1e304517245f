import CTermination
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why output could not be written.
public enum ReportError: Swift.Error, Sendable, Equatable, CustomStringConvertible {
    /// The file at `path` cannot be written, for the system's `reason`.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason): "cannot write '\(path)': \(reason)"
        }
    }
}

/// Writing output files atomically: to a temporary file beside the target, then renamed over it,
/// so a reader never sees a half-written file and a failure leaves any old file untouched.
/// What is not a regular file is respected: a symbolic link is written through (atomically,
/// at its target), a FIFO or a device (`/dev/stdout`) is written into directly.
public enum OutputFile {
    /// Writes `bytes` to `path` atomically (new files get mode 0644 less the umask).
    ///
    /// - Throws: ``ReportError`` naming the path and the system's reason.
    public static func write(_ bytes: [UInt8], to path: String) throws(ReportError) {
        let stream = try Stream(path: path)
        stream.write(bytes)
        try stream.commit()
    }

    /// Output written in pieces, then made permanent by ``commit()``: to a temporary file beside
    /// the target, renamed over it; or, for a FIFO or a device, straight into it; or to standard
    /// output. Opening it early checks that the output can be written before any work is done.
    public final class Stream {
        /// Where the bytes go.
        private enum Target {
            case standardOutput
            /// A temporary file, renamed to `path` on commit.
            case replacing(path: String, temporary: String)
            /// The file itself (a FIFO, a device, or a file through a dangling link).
            case direct(path: String)
        }

        private var target: Target
        private var descriptor: Int32
        private var failure: String?
        private var committed = false

        /// Opens the output: the file at `path`, or standard output when `path` is `nil`.
        ///
        /// - Throws: ``ReportError`` when the path is a directory or cannot take a new file.
        public init(path: String?) throws(ReportError) {
            guard var path else {
                target = .standardOutput
                descriptor = STDOUT_FILENO
                return
            }
            guard !path.isEmpty, !path.hasSuffix("/") else { throw .cannotWrite(path: path, reason: "it names a directory, not a file") }
            var status = stat()
            if lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK {
                if let resolved = realpath(path, nil) {
                    path = String(cString: resolved)  // write at the link's target; the link stays
                    free(resolved)
                } else {
                    // A dangling link: create its target through it.
                    descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
                    guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: OutputFile.systemReason()) }
                    target = .direct(path: path)
                    return
                }
            }
            if stat(path, &status) == 0 {
                switch status.st_mode & S_IFMT {
                case S_IFDIR:
                    throw .cannotWrite(path: path, reason: "it is a directory")
                case S_IFREG:
                    break
                default:
                    descriptor = open(path, O_WRONLY | O_CLOEXEC)
                    guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: OutputFile.systemReason()) }
                    target = .direct(path: path)
                    return
                }
            }
            let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
            let name = path.split(separator: "/").last.map(String.init) ?? path
            var template = ((directory.isEmpty ? "/" : directory) + "/.\(name).tmp-XXXXXX").utf8CString
            descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: OutputFile.directoryProblem(directory)) }
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)  // not inherited by processes started meanwhile
            let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            target = .replacing(path: path, temporary: temporary)
            _ = robochain_termination_add_file(temporary)  // removed if robochain is stopped by a signal
        }

        /// Writes bytes; the first failure is kept and reported by ``commit()``.
        public func write(_ bytes: UnsafeRawBufferPointer) {
            guard failure == nil, !bytes.isEmpty else { return }
            var offset = 0
            while offset < bytes.count {
                let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = OutputFile.systemReason()
                    return
                }
                offset += written
            }
        }

        /// Writes bytes.
        public func write(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { write($0) }
        }

        /// Finishes: a replaced file is made permanent under its name (mode 0644 less the umask).
        ///
        /// - Throws: ``ReportError`` with the first failure; a temporary file is removed.
        public func commit() throws(ReportError) {
            committed = true
            switch target {
            case .standardOutput:
                if let failure { throw .cannotWrite(path: "standard output", reason: failure) }
            case .direct(let path):
                if close(descriptor) != 0, failure == nil { failure = OutputFile.systemReason() }
                if let failure { throw .cannotWrite(path: path, reason: failure) }
            case .replacing(let path, let temporary):
                let mask = umask(0)
                umask(mask)
                if failure == nil, fchmod(descriptor, 0o666 & ~mask) != 0 { failure = OutputFile.systemReason() }
                if failure == nil, fsync(descriptor) != 0 { failure = OutputFile.systemReason() }
                if close(descriptor) != 0, failure == nil { failure = OutputFile.systemReason() }
                if failure == nil, rename(temporary, path) != 0 { failure = OutputFile.systemReason() }
                robochain_termination_remove_file(temporary)
                if let failure {
                    unlink(temporary)
                    throw .cannotWrite(path: path, reason: failure)
                }
            }
        }

        /// Abandons the output: a file being replaced keeps its old contents, and the temporary
        /// file is removed. (Also done when the stream is released uncommitted; this is for a
        /// process about to exit, which releases nothing.)
        public func discard() {
            guard !committed else { return }
            committed = true
            switch target {
            case .standardOutput: break
            case .direct: close(descriptor)
            case .replacing(_, let temporary):
                close(descriptor)
                unlink(temporary)
                robochain_termination_remove_file(temporary)
            }
        }

        deinit {
            discard()  // never committed: leave no temporary file behind
        }
    }

    /// Creates a directory and its missing parents (like `mkdir -p`).
    ///
    /// - Throws: ``ReportError/cannotWrite(path:reason:)`` naming the directory that could not be made.
    public static func createDirectories(_ path: String) throws(ReportError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component + "/"
            if mkdir(prefix, 0o777) != 0 && errno != EEXIST {
                throw .cannotWrite(path: prefix, reason: systemReason())
            }
        }
    }

    /// Adds execute permission (for everyone who can read the file).
    public static func makeExecutable(_ path: String) throws(ReportError) {
        var status = stat()
        guard stat(path, &status) == 0, chmod(path, (status.st_mode & 0o7777) | 0o111) == 0 else {
            throw .cannotWrite(path: path, reason: systemReason())
        }
    }

    /// Why a new file cannot be made in `directory`, in words.
    static func directoryProblem(_ directory: String) -> String {
        let reason = systemReason()
        let path = directory.isEmpty ? "/" : directory
        var status = stat()
        guard stat(path, &status) == 0 else {
            return errno == ENOENT ? "directory '\(path)' does not exist" : "directory '\(path)': \(systemReason())"
        }
        if (status.st_mode & S_IFMT) != S_IFDIR { return "'\(path)' is not a directory" }
        if access(path, W_OK) != 0 { return "directory '\(path)' is not writable" }
        return reason
    }

    /// Writes `bytes` to standard output.
    public static func writeStandardOutput(_ bytes: [UInt8]) {
        writeAll(bytes, to: STDOUT_FILENO)
    }

    /// Writes all of `bytes` to an open descriptor (standard error, say), retrying interrupted
    /// writes; stops quietly if the descriptor fails (a closed pipe: nobody is reading).
    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// Whether a file descriptor is a terminal.
    public static func isTerminal(_ descriptor: Int32) -> Bool {
        isatty(descriptor) == 1
    }

    /// The width in columns of the terminal `descriptor` is, or nil when it is not one (or
    /// does not say).
    public static func terminalWidth(_ descriptor: Int32) -> Int? {
        guard isTerminal(descriptor) else { return nil }
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    fileprivate static func systemReason() -> String {
        String(cString: strerror(errno))
    }
}

/// `write(2)`, under a name the `OutputFile.write` methods do not shadow.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
