import CTermination
import RoboChainModel
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
        case .cannotWrite(let path, let reason): "cannot write '\(MessageText.quoted(path, limit: 4096))': \(reason)"
        }
    }
}

/// Writing output files atomically: to a temporary file beside the target, then renamed over it,
/// so a reader never sees a half-written file and a failure leaves any old file untouched.
/// What is not a regular file is respected: a symbolic link is written through (atomically,
/// at its target), a FIFO or a device (`/dev/stdout`) is written into directly.
///
/// Bytes are kept in memory until ``Stream/commit()`` or until they pass 4 MiB; then they go to
/// an anonymous file in the target's directory (Linux's `O_TMPFILE`), which gets a temporary
/// name only at commit, just before the rename. So a robochain killed by `kill -9` while it
/// works leaves nothing behind (only a kill in the moment between naming and renaming could).
/// Where the file system or a missing `/proc` does not allow anonymous files, a named
/// temporary file is made instead, and a `kill -9` while a large output is written leaves it
/// (`.NAME.tmp-XXXXXX`; other signals remove it). A replaced file keeps its mode and owner (a private `0600`
/// report stays private); a file with other hard links is rewritten in place instead, so the
/// links keep sharing it (not atomically: that is the price of keeping them), as is a file
/// owned by someone else that this process cannot give back to its owner.
public enum OutputFile {
    /// Bytes kept in memory before a temporary file is made for them (then written in chunks of
    /// this size).
    public static let memoryLimit = 4 << 20

    /// Writes `bytes` to `path` atomically (new files get mode 0666 less the umask).
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
            /// A temporary file in `directory`, renamed to `path` on commit.
            case replacing(path: String, directory: String, name: String)
            /// The existing file rewritten in place on commit (it has other hard links, or an
            /// owner this process cannot give a new file).
            case inPlace(path: String)
            /// The file itself (a FIFO, a device, or a file through a dangling link).
            case direct(path: String)
        }

        private var target: Target
        /// The open file, or -1 until the first bytes are flushed to it.
        private var descriptor: Int32 = -1
        private var temporary: String?
        /// Whether the open file is anonymous (O_TMPFILE): it gets a name only at commit.
        private var anonymous = false
        private var pending: [UInt8] = []
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
            if lstat(ByteText.cString(path), &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK {
                if let resolved = realpath(ByteText.cString(path), nil) {
                    path = ByteText.decode(cString: resolved)  // write at the link's target; the link stays
                    free(resolved)
                } else {
                    // A dangling link: create its target through it.
                    descriptor = open(ByteText.cString(path), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
                    guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: OutputFile.systemReason()) }
                    target = .direct(path: path)
                    return
                }
            }
            if stat(ByteText.cString(path), &status) == 0 {
                switch status.st_mode & S_IFMT {
                case S_IFDIR:
                    throw .cannotWrite(path: path, reason: "it is a directory")
                case S_IFREG:
                    if status.st_nlink > 1 || (status.st_uid != geteuid() && geteuid() != 0) {
                        guard access(ByteText.cString(path), W_OK) == 0 else { throw .cannotWrite(path: path, reason: OutputFile.systemReason()) }
                        target = .inPlace(path: path)
                        return
                    }
                default:
                    descriptor = open(ByteText.cString(path), O_WRONLY | O_CLOEXEC)
                    guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: OutputFile.systemReason()) }
                    target = .direct(path: path)
                    return
                }
            }
            let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let folder = directory.isEmpty ? "/" : directory
            // Checked now, so an unwritable path fails before any work; the file is made at commit.
            var folderStatus = stat()
            guard stat(ByteText.cString(folder), &folderStatus) == 0, (folderStatus.st_mode & S_IFMT) == S_IFDIR,
                access(ByteText.cString(folder), W_OK | X_OK) == 0
            else {
                throw .cannotWrite(path: path, reason: OutputFile.directoryProblem(directory))
            }
            target = .replacing(path: path, directory: folder, name: name)
        }

        /// Writes bytes; the first failure is kept and reported by ``commit()``.
        public func write(_ bytes: UnsafeRawBufferPointer) {
            guard failure == nil, !bytes.isEmpty else { return }
            switch target {
            case .standardOutput, .direct:
                writeOut(bytes)
            case .replacing, .inPlace:
                // Flushed before the buffer would outgrow the limit (never by doubling past it):
                // a large output costs at most `memoryLimit` of memory, once the temporary exists.
                if pending.count + bytes.count > OutputFile.memoryLimit { flush() }
                if descriptor >= 0 && bytes.count >= OutputFile.memoryLimit {
                    writeOut(bytes)
                } else {
                    if pending.capacity == 0 { pending.reserveCapacity(OutputFile.memoryLimit) }
                    pending.append(contentsOf: bytes)
                }
            }
        }

        /// Writes bytes.
        public func write(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { write($0) }
        }

        private func writeOut(_ bytes: UnsafeRawBufferPointer) {
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

        /// Opens the file the bytes go to (the temporary file is made now) and writes the
        /// bytes kept in memory.
        private func flush() {
            guard failure == nil else { return }
            if descriptor < 0 {
                switch target {
                case .replacing(let path, let directory, let name):
                    // An anonymous file where the system allows it: killed by SIGKILL while it
                    // is written, robochain leaves nothing behind; it is named at commit.
                    descriptor = robochain_open_anonymous(ByteText.cString(directory))
                    if descriptor >= 0 {
                        anonymous = true
                        break
                    }
                    var template = ByteText.cString(directory + "/.\(name).tmp-XXXXXX")
                    descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
                    guard descriptor >= 0 else {
                        failure = OutputFile.directoryProblem(String(path.dropLast(name.count + 1)))
                        return
                    }
                    _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)  // not inherited by processes started meanwhile
                    let made = template.withUnsafeBufferPointer { ByteText.decode(cString: $0.baseAddress!) }
                    temporary = made
                    _ = robochain_termination_add_file(ByteText.cString(made))  // removed if robochain is stopped by a signal
                case .inPlace(let path):
                    descriptor = open(ByteText.cString(path), O_WRONLY | O_TRUNC | O_CLOEXEC)
                    guard descriptor >= 0 else {
                        failure = OutputFile.systemReason()
                        return
                    }
                case .standardOutput, .direct:
                    return
                }
            }
            pending.withUnsafeBytes { writeOut($0) }
            pending.removeAll(keepingCapacity: true)
        }

        /// Finishes: a replaced file is made permanent under its name, with the mode and owner
        /// of the file it replaces (a new file: mode 0666 less the umask).
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
            case .inPlace(let path):
                flush()
                if descriptor >= 0 {
                    if failure == nil, fsync(descriptor) != 0 { failure = OutputFile.systemReason() }
                    if close(descriptor) != 0, failure == nil { failure = OutputFile.systemReason() }
                }
                if let failure { throw .cannotWrite(path: path, reason: failure) }
            case .replacing(let path, _, _):
                if !prepared { prepareReplacement(of: path) }
                if let temporary {
                    if failure == nil, rename(ByteText.cString(temporary), ByteText.cString(path)) != 0 { failure = OutputFile.systemReason() }
                    robochain_termination_remove_file(ByteText.cString(temporary))
                    if failure != nil { unlink(ByteText.cString(temporary)) }
                }
                if let failure { throw .cannotWrite(path: path, reason: failure) }
            }
        }

        /// Whether the output replaces a file through a temporary one, renamed at commit.
        var replaces: Bool {
            if case .replacing = target { return true }
            return false
        }

        /// For a replaced file: its temporary file written, given its mode and owner, synced
        /// and closed, so that ``commit()`` has only the rename left.
        private var prepared = false

        /// Does all of a replacing commit but the rename; failures are kept for ``commit()``.
        func prepare() throws(ReportError) {
            guard case .replacing(let path, _, _) = target, !prepared else { return }
            prepareReplacement(of: path)
            if let failure {
                discard()
                throw .cannotWrite(path: path, reason: failure)
            }
        }

        private func prepareReplacement(of path: String) {
            prepared = true
            flush()
            if failure == nil { keepModeAndOwner(of: path) }
            if failure == nil, fsync(descriptor) != 0 { failure = OutputFile.systemReason() }
            if failure == nil, anonymous, case .replacing(_, let directory, let name) = target { nameAnonymous(directory: directory, name: name) }
            if descriptor >= 0, close(descriptor) != 0, failure == nil { failure = OutputFile.systemReason() }
            descriptor = -1
        }

        /// Links the anonymous file into `directory` under a new temporary name, for the rename.
        private func nameAnonymous(directory: String, name: String) {
            let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            for _ in 0..<100 {
                let made = directory + "/.\(name).tmp-" + String((0..<6).map { _ in letters.randomElement()! })
                _ = robochain_termination_add_file(ByteText.cString(made))
                if robochain_link_anonymous(descriptor, ByteText.cString(made)) == 0 {
                    temporary = made
                    return
                }
                let error = errno
                robochain_termination_remove_file(ByteText.cString(made))
                guard error == EEXIST else {
                    failure = OutputFile.systemReason(error)
                    return
                }
            }
            failure = "no unused temporary name in \(directory)"
        }

        /// Gives the temporary file the mode and owner of the file it replaces, or, for a new
        /// file, mode 0666 less the umask.
        private func keepModeAndOwner(of path: String) {
            var old = stat()
            if stat(ByteText.cString(path), &old) == 0, (old.st_mode & S_IFMT) == S_IFREG {
                if fchmod(descriptor, old.st_mode & 0o7777) != 0 { failure = OutputFile.systemReason() }
                if old.st_uid != geteuid() || old.st_gid != getegid() {
                    // As root, the owner too; otherwise the group, if this user is in it.
                    if fchown(descriptor, old.st_uid, old.st_gid) != 0 {
                        _ = fchown(descriptor, UInt32.max, old.st_gid)
                    }
                    // The set-id bits are cleared by a change of owner: set the mode again.
                    _ = fchmod(descriptor, old.st_mode & 0o7777)
                }
            } else {
                let mask = umask(0)
                umask(mask)
                if fchmod(descriptor, 0o666 & ~mask) != 0 { failure = OutputFile.systemReason() }
            }
        }

        /// Abandons the output: a file being replaced keeps its old contents, and the temporary
        /// file is removed. (Also done when the stream is released uncommitted; this is for a
        /// process about to exit, which releases nothing.)
        public func discard() {
            guard !committed else { return }
            committed = true
            pending = []
            switch target {
            case .standardOutput: break
            case .direct: close(descriptor)
            case .replacing, .inPlace:
                if descriptor >= 0 { close(descriptor) }
                if let temporary {
                    unlink(ByteText.cString(temporary))
                    robochain_termination_remove_file(ByteText.cString(temporary))
                }
            }
        }

        deinit {
            discard()  // never committed: leave no temporary file behind
        }
    }

    /// Commits several outputs as one: every file that replaces another is first written and
    /// synced beside its target, then the outputs written directly (a device, a FIFO, a file
    /// rewritten in place) are committed, and only if all of that succeeded are the replacing
    /// files renamed into place. So a failure leaves every regular file as it was, and no
    /// partial set is written (a device or FIFO among them excepted, which cannot be undone).
    ///
    /// - Throws: ``ReportError`` with the first failure; the outputs not committed are
    ///   discarded.
    public static func commitAll(_ streams: [Stream]) throws(ReportError) {
        do {
            for stream in streams where stream.replaces { try stream.prepare() }
            for stream in streams where !stream.replaces { try stream.commit() }
        } catch {
            for stream in streams { stream.discard() }
            throw error
        }
        var first: ReportError?
        for stream in streams where stream.replaces {
            do { try stream.commit() } catch { first = first ?? error }
        }
        if let first { throw first }
    }

    /// Creates a directory and its missing parents (like `mkdir -p`).
    ///
    /// - Throws: ``ReportError/cannotWrite(path:reason:)`` naming the directory that could not be made.
    public static func createDirectories(_ path: String) throws(ReportError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component + "/"
            if mkdir(ByteText.cString(prefix), 0o777) != 0 && errno != EEXIST {
                throw .cannotWrite(path: prefix, reason: systemReason())
            }
        }
    }

    /// Adds execute permission (for everyone who can read the file).
    public static func makeExecutable(_ path: String) throws(ReportError) {
        var status = stat()
        guard stat(ByteText.cString(path), &status) == 0, chmod(ByteText.cString(path), (status.st_mode & 0o7777) | 0o111) == 0 else {
            throw .cannotWrite(path: path, reason: systemReason())
        }
    }

    /// Why a new file cannot be made in `directory`, in words.
    static func directoryProblem(_ directory: String) -> String {
        let reason = systemReason()
        let path = directory.isEmpty ? "/" : directory
        var status = stat()
        let shown = MessageText.quoted(path, limit: 4096)
        guard stat(ByteText.cString(path), &status) == 0 else {
            return errno == ENOENT ? "directory '\(shown)' does not exist" : "directory '\(shown)': \(systemReason())"
        }
        if (status.st_mode & S_IFMT) != S_IFDIR { return "'\(shown)' is not a directory" }
        if access(ByteText.cString(path), W_OK) != 0 { return "directory '\(shown)' is not writable" }
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

    fileprivate static func systemReason(_ error: Int32 = errno) -> String {
        String(cString: strerror(error))
    }
}

/// `write(2)`, under a name the `OutputFile.write` methods do not shadow.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
