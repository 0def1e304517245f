#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading files and directories through POSIX calls, with the system's reason on failure.
/// Paths are ``ByteText``: a name that is not UTF-8 reaches the system call byte for byte.
public enum FileAccess {
    /// The largest file a model may be read from: 2 GiB less a byte (byte offsets are 32-bit).
    public static let maximumModelFileSize = Int(Int32.max)

    /// Reads a whole regular file, checking its type and size before reading a byte.
    ///
    /// The file is opened without blocking (a FIFO would otherwise wait for a writer for ever),
    /// must be a regular file, and must be at most `limit` bytes: a larger one is rejected at
    /// once, from its size, and a file that grows while it is read stops at `limit` + 1 bytes.
    /// A regular file is read into one buffer of its size, so memory is its size, once.
    ///
    /// - Parameters:
    ///   - path: The file's path.
    ///   - limit: The most bytes accepted (by default ``maximumModelFileSize``).
    /// - Returns: Its bytes.
    /// - Throws: ``ModelError/missingFile(path:)`` if it does not exist, else
    ///   ``ModelError/unreadable(path:reason:)`` with the system's reason, or for a directory, a
    ///   FIFO, a device or socket, or a file larger than `limit`.
    public static func readFile(_ path: String, limit: Int = maximumModelFileSize) throws(ModelError) -> [UInt8] {
        let (descriptor, size) = try openRegularFile(path, limit: limit)
        defer { close(descriptor) }
        return try readOpened(descriptor, size: size, path: path, limit: limit)
    }

    /// Files at least this large are mapped by ``mapFile(_:limit:)`` rather than read.
    static let mappingThreshold = 1 << 20

    /// The bytes of a whole regular file, checked as ``readFile(_:limit:)`` checks it: a file of
    /// at least 1 MiB is mapped from the page cache rather than copied (reading the firms and
    /// supplies of a ten-million-firm model, 630 MB, took about 0.5 s; mapping them and touching
    /// every page, 0.04 s); a smaller one is read.
    ///
    /// A mapped file is its size when it was opened: bytes it gains later are not seen. If
    /// another program cuts it short while it is mapped, a read past its new end ends robochain
    /// with a message and exit status 66, once the handler of `robochain_termination_install`
    /// is installed (as the command line does); see ``FileBytes``.
    ///
    /// - Throws: As ``readFile(_:limit:)``.
    static func mapFile(_ path: String, limit: Int = maximumModelFileSize) throws(ModelError) -> FileBytes {
        let (descriptor, size) = try openRegularFile(path, limit: limit)
        defer { close(descriptor) }
        if size >= mappingThreshold, let mapped = FileBytes(mapping: descriptor, count: size, path: path) {
            return mapped
        }
        return FileBytes(try readOpened(descriptor, size: size, path: path, limit: limit))
    }

    /// Opens a regular file of at most `limit` bytes for reading; returns its descriptor (to
    /// close) and its size.
    private static func openRegularFile(_ path: String, limit: Int) throws(ModelError) -> (descriptor: Int32, size: Int) {
        let descriptor = open(ByteText.cString(path), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else { throw currentProblem(path) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let problem = currentProblem(path)
            close(descriptor)
            throw problem
        }
        let problem: String? = switch status.st_mode & S_IFMT {
        case S_IFREG:
            Int(status.st_size) <= limit ? nil
                : "it is \(describeSize(Int(status.st_size))), more than the \(describeSize(limit)) a file may be here"
        case S_IFDIR: "it is a directory"
        case S_IFIFO: "it is a FIFO (named pipe), not a file"
        default: "it is a device or socket, not a file"
        }
        if let problem {
            close(descriptor)
            throw .unreadable(path: path, reason: problem)
        }
        // A regular file never blocks; reads go back to blocking.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return (descriptor, max(Int(status.st_size), 0))
    }

    /// Reads an open regular file of `size` bytes (as its status said) to its end.
    private static func readOpened(_ descriptor: Int32, size: Int, path: String, limit: Int) throws(ModelError) -> [UInt8] {
        var bytes: [UInt8] = []
        var capacity = min(size, limit) + 1
        var failure: Int32 = 0
        while true {
            let previous = bytes
            bytes = []
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
            // It grew while being read (or reports no size, as /proc files do).
            guard bytes.count <= limit else {
                throw .unreadable(path: path, reason: "it is more than the \(describeSize(limit)) a file may be here")
            }
            capacity = min(capacity * 2, limit + 1)
        }
    }

    /// Reads an open descriptor (standard input, a pipe) to its end, stopping once it has
    /// given more than `limit` bytes: a stream with no end (`/dev/zero`) is refused after
    /// `limit` + 1 bytes rather than read until memory runs out.
    ///
    /// - Parameters:
    ///   - descriptor: The open descriptor; it is not closed.
    ///   - name: What the descriptor is, for messages (`<stdin>`).
    ///   - limit: The most bytes accepted (by default ``maximumModelFileSize``).
    ///   - check: Called once with the first 64 KiB or more (all of a shorter stream) before the
    ///     rest is read; what it throws stops the read (a NUL byte at the start of a model).
    /// - Returns: Its bytes, at most `limit` of them.
    /// - Throws: ``ModelError/unreadable(path:reason:)`` with the system's reason, or when it
    ///   gives more than `limit` bytes ("it is more than the 2 GiB a model may be"); or what
    ///   `check` throws.
    public static func readAll(
        descriptor: Int32, name: String, limit: Int = maximumModelFileSize,
        checkingStart check: (([UInt8]) throws(ModelError) -> Void)? = nil
    ) throws(ModelError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var checked = check == nil
        while true {
            // Never more than one byte past the limit: enough to know it was passed.
            let wanted = min(chunk.count, limit + 1 - bytes.count)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, wanted) }
            if count > 0, !checked, bytes.count + count >= 1 << 16 {
                checked = true
                try check?(bytes + chunk[..<count])  // the start, before the rest is read
            }
            if count == 0 {
                if !checked { try check?(bytes) }
                return bytes
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: name, reason: String(cString: strerror(errno)))
            }
            bytes += chunk[..<count]
            guard bytes.count <= limit else {
                throw .unreadable(path: name, reason: "it is more than the \(describeSize(limit)) a model may be")
            }
        }
    }

    /// The name of a `readdir` entry, read up to its NUL. (Not by copying `d_name`: that copies
    /// all 256 bytes of the field, past the end of a short entry at the end of the kernel's
    /// buffer, which AddressSanitizer reports as a heap overflow.)
    public static func name(of entry: UnsafePointer<dirent>) -> String {
        let field = UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        return ByteText.decode(cString: field.assumingMemoryBound(to: CChar.self))
    }

    /// A size for messages: "3 GiB", "300 MiB", "1 KiB", "12 bytes" (to the nearest unit).
    public static func describeSize(_ bytes: Int) -> String {
        if bytes >= 1 << 30 { return "\((bytes + (1 << 29)) >> 30) GiB" }
        if bytes >= 1 << 20 { return "\((bytes + (1 << 19)) >> 20) MiB" }
        if bytes >= 1 << 10 { return "\((bytes + (1 << 9)) >> 10) KiB" }
        return "\(bytes) bytes"
    }

    /// The number of record ends in `bytes` — line feeds, and carriage returns not followed by
    /// one (old Mac files) — an upper bound on a CSV file's records, less one.
    ///
    /// - Complexity: O(bytes): the line feeds counted eight bytes at a time, then one `memchr`
    ///   scan for carriage returns (a file without them is passed over at once).
    static func lineCount(_ bytes: FileBytes?) -> Int {
        guard let bytes else { return 0 }
        return bytes.withUnsafeBufferPointer(lineCount)
    }

    /// The record ends of a buffer, as for a file.
    static func lineCount(_ buffer: UnsafeBufferPointer<UInt8>) -> Int {
        guard let start = UnsafeRawPointer(buffer.baseAddress) else { return 0 }
        let size = buffer.count
        var count = 0
        // Line feeds, eight bytes to a word: a byte of `word ^ lineFeeds` is zero exactly
        // where a line feed is, and the high bit of each zero byte is set in `zeros` (no carry
        // crosses bytes, as the low seven bits are added apart). A `memchr` per line would cost
        // more than the line: lines are short.
        let lineFeeds: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        @inline(__always) func zeros(_ word: UInt64) -> Int {
            let matched = word ^ lineFeeds
            return (~(((matched & low) &+ low) | matched | low)).nonzeroBitCount
        }
        var offset = 0
        while size - offset >= 32 {
            count += zeros(start.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                + zeros(start.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
                + zeros(start.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
                + zeros(start.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
            offset += 32
        }
        while offset < size {
            if start.load(fromByteOffset: offset, as: UInt8.self) == 0x0A { count += 1 }
            offset += 1
        }
        let end = start + size
        var cursor = start
        while let found = memchr(cursor, 0x0D, end - cursor) {
            let next = UnsafeRawPointer(found) + 1
            if next == end || next.load(as: UInt8.self) != 0x0A { count += 1 }
            cursor = next
        }
        return count
    }

    /// Whether `path` names a directory (following links).
    public static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(ByteText.cString(path), &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether something exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(ByteText.cString(path), &status) == 0
    }

    /// The path with symbolic links and `.`/`..` resolved (`realpath`), or, if that fails, the
    /// path joined to the working directory.
    public static func absolutePath(_ path: String) -> String {
        if let resolved = realpath(ByteText.cString(path), nil) {
            defer { free(resolved) }
            return ByteText.decode(cString: resolved)
        }
        guard !path.hasPrefix("/"), let working = getcwd(nil, 0) else { return path }
        defer { free(working) }
        return join(ByteText.decode(cString: working), path)
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
