#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading files and directories through POSIX calls, with the system's reason on failure.
public enum FileAccess {
    /// Reads a whole file.
    ///
    /// - Parameter path: The file's path.
    /// - Returns: Its bytes.
    /// - Throws: ``ModelError/missingFile(path:)`` if it does not exist, else
    ///   ``ModelError/unreadable(path:reason:)`` with the system's reason, or for a directory, a
    ///   device, or more than 2 GiB.
    public static func readFile(_ path: String) throws(ModelError) -> [UInt8] {
        let maximumSize = Int(Int32.max)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw currentProblem(path) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw currentProblem(path) }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: throw .unreadable(path: path, reason: "it is a directory")
        case S_IFCHR, S_IFBLK, S_IFSOCK: throw .unreadable(path: path, reason: "it is a device or socket, not a file")
        default: break
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
                throw .unreadable(path: path, reason: String(cString: strerror(failure)))
            }
            if bytes.count < capacity { return bytes }
            // A pipe that never ends must not take all memory: models are far smaller.
            guard capacity <= maximumSize else {
                throw .unreadable(path: path, reason: "it is larger than \(maximumSize >> 30) GiB")
            }
            capacity = min(capacity * 2, maximumSize + 1)
        }
    }

    /// The number of record ends in `bytes` — line feeds, and carriage returns not followed by
    /// one (old Mac files) — an upper bound on a CSV file's records, less one.
    ///
    /// - Complexity: O(bytes), two `memchr` scans.
    public static func lineCount(_ bytes: [UInt8]?) -> Int {
        guard let bytes else { return 0 }
        return bytes.withUnsafeBufferPointer { buffer in
            guard let start = UnsafeRawPointer(buffer.baseAddress) else { return 0 }
            let end = start + buffer.count
            var count = 0
            var cursor = start
            while let found = memchr(cursor, 0x0A, end - cursor) {
                count += 1
                cursor = UnsafeRawPointer(found) + 1
            }
            cursor = start
            while let found = memchr(cursor, 0x0D, end - cursor) {
                let next = UnsafeRawPointer(found) + 1
                if next == end || next.load(as: UInt8.self) != 0x0A { count += 1 }
                cursor = next
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

    static func currentProblem(_ path: String) -> ModelError {
        let code = errno
        return code == ENOENT ? .missingFile(path: path) : .unreadable(path: path, reason: String(cString: strerror(code)))
    }
}
