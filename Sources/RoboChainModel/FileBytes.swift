import CTermination

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a model file, read-only: mapped from the page cache (``FileAccess/mapFile(_:limit:)``)
/// or held in an array (a small file, bytes converted from GB18030, a workbook's sheet).
///
/// Shared, not copied, by the tables that refer to its bytes; a mapping is unmapped when the
/// last of them lets it go. A mapping is not a snapshot: on Linux it shows what another program
/// writes into the file while it is read, as a `read` during such a write would show part of
/// it. While it is mapped, it is registered with the handler of SIGBUS
/// (`robochain_termination_add_mapping`): where that handler is installed (the command line
/// installs it), a file that another program cuts short while it is read ends robochain with a
/// message naming it and exit status 66, rather than a crash.
final class FileBytes: @unchecked Sendable {
    // Immutable after initialisation, and the mapping is read-only: safe to share.
    private let array: [UInt8]
    private let mapping: UnsafePointer<UInt8>?
    /// The number of bytes.
    let count: Int

    /// No bytes.
    static let empty = FileBytes([])

    /// Bytes held in an array.
    init(_ array: [UInt8]) {
        self.array = array
        mapping = nil
        count = array.count
    }

    /// The first `count` bytes of the open file `descriptor` mapped read-only, or `nil` when
    /// the system does not map it or the handler's registry is full (then read it instead).
    init?(mapping descriptor: Int32, count: Int, path: String) {
        guard count > 0 else { return nil }
        let address = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let address, address != MAP_FAILED else { return nil }
        // At a terminal, the message first clears the progress line it would otherwise follow.
        let clearLine = isatty(STDERR_FILENO) == 1 ? "\r\u{1B}[2K" : ""
        let message = clearLine + "error: " + ModelError.unreadable(path: path,
            reason: "it was cut short while robochain read it (is another program writing it?); run again once it is saved").description + "\n"
        guard robochain_termination_add_mapping(address, count, message) == 0 else {
            munmap(address, count)
            return nil
        }
        array = []
        mapping = UnsafePointer(address.bindMemory(to: UInt8.self, capacity: count))
        self.count = count
    }

    deinit {
        guard let mapping else { return }
        robochain_termination_remove_mapping(mapping)
        munmap(UnsafeMutableRawPointer(mutating: mapping), count)
    }

    /// Whether the bytes are mapped from the file rather than held in an array.
    var isMapped: Bool { mapping != nil }

    /// Calls `body` with the bytes.
    func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        guard let mapping else { return try array.withUnsafeBufferPointer(body) }
        return try body(UnsafeBufferPointer(start: mapping, count: count))
    }

    /// A copy of the bytes in `range`.
    subscript(range: Range<Int>) -> [UInt8] {
        withUnsafeBufferPointer { Array($0[range]) }
    }
}
