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
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard !name.isEmpty, !path.hasSuffix("/") else {
            throw Problem(path: path, reason: "it names a directory, not a file")
        }
        var status = stat()
        if stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            throw Problem(path: path, reason: "it is a directory")
        }
        var template = ((directory.isEmpty ? "/" : directory) + "/.\(name).tmp-XXXXXX").utf8CString
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw Problem(path: path, reason: systemReason()) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = systemReason()
                    return
                }
                offset += written
            }
        }
        let mask = umask(0)
        umask(mask)
        if failure == nil, fchmod(descriptor, 0o666 & ~mask) != 0 { failure = systemReason() }
        if failure == nil, fsync(descriptor) != 0 { failure = systemReason() }
        if close(descriptor) != 0, failure == nil { failure = systemReason() }
        if failure == nil, rename(temporary, path) != 0 { failure = systemReason() }
        if let failure {
            unlink(temporary)
            throw Problem(path: path, reason: failure)
        }
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

    private static func systemReason() -> String {
        String(cString: strerror(errno))
    }
}

/// `write(2)`, under a name the `OutputFile.write` methods do not shadow.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
