#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing output files atomically: to a temporary file beside the target, then renamed over it,
/// so a reader never sees a half-written file and a failure leaves any old file untouched.
public enum OutputFile {
    /// Why output could not be written.
    public struct Problem: Swift.Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String

        public var description: String { "cannot write '\(path)': \(reason)" }
    }

    /// Writes `bytes` to `path` atomically (new files get mode 0644 less the umask).
    ///
    /// - Throws: ``Problem`` naming the path and the system's reason.
    public static func write(_ bytes: [UInt8], to path: String) throws(Problem) {
        let stream = try Stream(path: path)
        stream.write(bytes)
        try stream.commit()
    }

    /// Creates a directory and its missing parents (like `mkdir -p`).
    ///
    /// - Throws: ``Problem`` naming the directory that could not be made.
    public static func createDirectories(_ path: String) throws(Problem) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component + "/"
            if mkdir(prefix, 0o777) != 0 && errno != EEXIST {
                throw Problem(path: prefix, reason: systemReason())
            }
        }
    }

    /// Adds execute permission (for everyone who can read the file).
    public static func makeExecutable(_ path: String) throws(Problem) {
        var status = stat()
        guard stat(path, &status) == 0, chmod(path, (status.st_mode & 0o7777) | 0o111) == 0 else {
            throw Problem(path: path, reason: systemReason())
        }
    }

    /// Output written in pieces — to a temporary file beside the target, renamed over it by
    /// ``commit()`` (so a reader never sees it half-written), or to standard output.
    public final class Stream {
        private let path: String?
        private var temporary: String?
        private var descriptor: Int32
        private var failure: String?

        /// Opens the output: the file at `path`, or standard output when `path` is `nil`.
        ///
        /// - Throws: ``Problem`` when the file's directory does not take a new file.
        public init(path: String?) throws(Problem) {
            self.path = path
            guard let path else {
                descriptor = STDOUT_FILENO
                return
            }
            let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
            let name = path.split(separator: "/").last.map(String.init) ?? path
            guard !name.isEmpty, !path.hasSuffix("/") else { throw Problem(path: path, reason: "it names a directory, not a file") }
            var status = stat()
            if stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
                throw Problem(path: path, reason: "it is a directory")
            }
            var template = ((directory.isEmpty ? "/" : directory) + "/.\(name).tmp-XXXXXX").utf8CString
            descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else { throw Problem(path: path, reason: OutputFile.systemReason()) }
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)  // not inherited by processes started meanwhile
            temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
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

        /// Finishes: for a file, makes it permanent under its name (mode 0644 less the umask).
        ///
        /// - Throws: ``Problem`` with the first failure; the temporary file is removed.
        public func commit() throws(Problem) {
            guard let path, let temporary else {
                if let failure { throw Problem(path: "standard output", reason: failure) }
                return
            }
            let mask = umask(0)
            umask(mask)
            if failure == nil, fchmod(descriptor, 0o666 & ~mask) != 0 { failure = OutputFile.systemReason() }
            if failure == nil, fsync(descriptor) != 0 { failure = OutputFile.systemReason() }
            if close(descriptor) != 0, failure == nil { failure = OutputFile.systemReason() }
            descriptor = -1
            if failure == nil, rename(temporary, path) != 0 { failure = OutputFile.systemReason() }
            self.temporary = nil
            if let failure {
                unlink(temporary)
                throw Problem(path: path, reason: failure)
            }
        }

        deinit {
            // Never committed: leave no temporary file behind.
            if let temporary {
                close(descriptor)
                unlink(temporary)
            }
        }
    }

    /// Writes `bytes` to standard output.
    public static func writeStandardOutput(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
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

    fileprivate static func systemReason() -> String {
        String(cString: strerror(errno))
    }
}

/// `write(2)`, under a name the `OutputFile.write` methods do not shadow.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
