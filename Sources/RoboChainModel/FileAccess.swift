#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading files and directories through POSIX calls, with the system's reason on failure.
public enum FileAccess {
    /// Why a file could not be read.
    public struct Problem: Swift.Error, Sendable {
        /// The system's explanation (`strerror`).
        public var reason: String
        /// Whether the file does not exist.
        public var isMissing: Bool
    }

    /// Reads a whole file.
    ///
    /// - Parameter path: The file's path.
    /// - Returns: Its bytes, or the problem.
    public static func readFile(_ path: String) -> Result<[UInt8], Problem> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(currentProblem()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(currentProblem()) }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            return .failure(Problem(reason: "it is a directory", isMissing: false))
        }
        var bytes: [UInt8] = []
        var capacity = max(Int(status.st_size), 0) + 1
        var failure: Int32 = 0
        while true {
            let previous = bytes
            bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                _ = buffer.initialize(fromContentsOf: previous)
                count = previous.count
                while count < capacity {
                    let got = read(descriptor, buffer.baseAddress! + count, capacity - count)
                    if got < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    if got == 0 { break }
                    count += got
                }
            }
            if failure != 0 {
                return .failure(Problem(reason: String(cString: strerror(failure)), isMissing: false))
            }
            if bytes.count < capacity { return .success(bytes) }
            capacity *= 2
        }
    }

    /// The number of line feeds in `bytes` (an upper bound on a CSV file's records, less one).
    public static func lineCount(_ bytes: [UInt8]?) -> Int {
        guard let bytes else { return 0 }
        return bytes.withUnsafeBufferPointer { buffer in
            guard var cursor = UnsafeRawPointer(buffer.baseAddress) else { return 0 }
            let end = cursor + buffer.count
            var count = 0
            while let found = memchr(cursor, 0x0A, end - cursor) {
                count += 1
                cursor = UnsafeRawPointer(found) + 1
            }
            return count
        }
    }

    /// Whether `path` names a directory (following links).
    public static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether something exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    /// The path with symbolic links and `.`/`..` resolved (`realpath`), or, if that fails, the
    /// path joined to the working directory.
    public static func absolutePath(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        guard !path.hasPrefix("/"), let working = getcwd(nil, 0) else { return path }
        defer { free(working) }
        return join(String(cString: working), path)
    }

    /// `directory/name`, without doubling a slash.
    public static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func currentProblem() -> Problem {
        let code = errno
        return Problem(reason: String(cString: strerror(code)), isMissing: code == ENOENT)
    }
}
