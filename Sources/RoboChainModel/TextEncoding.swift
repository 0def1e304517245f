import RoboChainJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The encodings spreadsheets save CSV in (SPEC §1.2): UTF-8, with or without a byte-order
/// mark, or GB18030 (which includes GBK, what Excel writes on a Chinese Windows PC).
enum TextEncoding {
    /// The file's text as UTF-8: the bytes themselves (mapped or not) when they are valid UTF-8
    /// (the common case costs one validation pass, 32 ASCII bytes at a time, and no copy), else
    /// the bytes converted from GB18030 by the C library's `iconv`.
    ///
    /// - Parameter path: The file, for the message.
    /// - Throws: ``ModelError/syntax(_:problem:)`` for UTF-16 (a byte-order mark says so), or at the first line whose bytes are neither
    ///   UTF-8 nor GB18030, saying how to save the file instead.
    /// - Complexity: O(n).
    static func utf8(_ bytes: FileBytes, path: String) throws(ModelError) -> FileBytes {
        if bytes.withUnsafeBufferPointer(isUTF16) {
            throw .syntax(SourceLocation(file: path, line: 1), problem: "the file is UTF-16; save it as UTF-8 (CSV UTF-8 in spreadsheets)")
        }
        if bytes.withUnsafeBufferPointer(isUTF8) { return bytes }
        return FileBytes(try converted(bytes[0..<bytes.count], path: path))
    }

    /// Whether the bytes start with a UTF-16 byte-order mark.
    private static func isUTF16(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF))
    }

    /// Bytes that are not UTF-8 converted from GB18030, or the message naming the first line
    /// that is neither.
    private static func converted(_ bytes: [UInt8], path: String) throws(ModelError) -> [UInt8] {
        switch fromGB18030(bytes) {
        case .success(let converted):
            // Offsets into a file are 32-bit; GB18030 grows by up to half as UTF-8.
            guard converted.count <= FileAccess.maximumModelFileSize else {
                throw .unreadable(path: path, reason: "as UTF-8 it is \(FileAccess.describeSize(converted.count)), more than the \(FileAccess.describeSize(FileAccess.maximumModelFileSize)) a file may be here")
            }
            return converted
        case .failure(let offset):
            let line = bytes[..<offset].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw .syntax(SourceLocation(file: path, line: line),
                problem: "the bytes of this line are neither UTF-8 nor GB18030 (GBK): save the file as CSV UTF-8")
        }
    }

    /// Whether a whole file is UTF-8: ASCII 32 bytes at a time (four words OR'd, a test of
    /// the high bits), and the full check from the first block that has a byte above 0x7F.
    static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index + 32 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { break }
            index += 32
        }
        return UTF8Text.isValid(UnsafeBufferPointer(rebasing: bytes[index...]))
    }

    enum Conversion {
        case success([UInt8])
        /// The offset of the first byte that could not be converted.
        case failure(Int)
    }

    /// The bytes converted from GB18030 to UTF-8 with `iconv`.
    static func fromGB18030(_ bytes: [UInt8]) -> Conversion {
        let converter = iconv_open("UTF-8", "GB18030")
        guard converter != iconv_t(bitPattern: -1) else { return .failure(0) }
        defer { iconv_close(converter) }
        // A GB18030 character of 2 bytes becomes at most 3 UTF-8 bytes, one of 4 at most 4.
        let capacity = bytes.count + bytes.count / 2 + 16
        var failedAt = -1
        var input = bytes
        let output = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            input.withUnsafeMutableBufferPointer { source in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(source.baseAddress)?
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = source.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(buffer.baseAddress)?
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = capacity
                while inLeft > 0 {
                    if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1, errno != EINTR {
                        failedAt = source.count - inLeft
                        break
                    }
                }
                count = capacity - outLeft
            }
        }
        return failedAt >= 0 ? .failure(failedAt) : .success(output)
    }
}
