import CZlib
import Foundation
import ZIPFoundation

/// The bytes of one part of a workbook archive, inflated with bounds on what is read and what is
/// written.
///
/// ZIPFoundation reads the archive's central directory (which parts there are, their sizes and
/// checksums); the part's data is inflated here, with zlib, from the workbook's bytes already in
/// memory. ZIPFoundation 0.9.20's own `extract` cannot be used on files from others: its inflate
/// loop (`Data.decode`) repeats until zlib reports the end of the stream, and at the end of the
/// file its reader returns empty chunks, so a part whose deflate stream is cut short spins
/// forever (found by fuzzing: an 11 kB workbook hung the reader).
///
/// Here a part is refused, with a message naming the workbook and the part, when its data lies
/// outside the file, its deflate stream does not end within its compressed size, it inflates to
/// more or fewer bytes than the directory declares (or than deflate can encode, 1,032 bytes per
/// byte), or its checksum is wrong.
enum WorkbookPart {
    /// The most bytes deflate can produce per byte of input (RFC 1951: a length of 258 in a code
    /// of at least 2 bits).
    static let maximumExpansion: UInt64 = 1032

    /// The bytes of `entry`, charged to `budget`.
    ///
    /// - Parameters:
    ///   - entry: A part listed by ZIPFoundation's `Archive`.
    ///   - file: The whole workbook file.
    ///   - path: The workbook, for messages.
    ///   - budget: The bytes parts may still inflate to; reduced by this part's size.
    ///   - limit: The budget all parts started with, for the message.
    /// - Returns: The part's bytes, at most its declared size.
    /// - Throws: ``ModelError/syntax(_:problem:)``.
    /// - Complexity: O(*c* + *u*) for a part of *c* compressed and *u* inflated bytes.
    static func bytes(of entry: Entry, in file: [UInt8], path: String, budget: inout Int, limit: Int) throws(ModelError) -> [UInt8] {
        func damaged(_ why: String) -> ModelError {
            .syntax(SourceLocation(file: path), problem: "the workbook's part \(entry.path) cannot be read: \(why); the file is damaged")
        }
        let declared = entry.uncompressedSize
        guard declared <= UInt64(max(budget, 0)) else {
            throw .syntax(SourceLocation(file: path),
                problem: "the workbook inflates to more than \(FileAccess.describeSize(limit)) (a zip bomb?); it is refused")
        }
        guard let recorded = localHeaderOffset(entry) else {
            // Only if ZIPFoundation renamed its internals: every workbook test fails then too.
            throw damaged("this build's ZIPFoundation does not keep the part's offset where RoboChain reads it (built for 0.9.20)")
        }
        guard recorded != UInt64(UInt32.max) else {
            throw damaged("its offset is a ZIP64 one (workbooks over 4 GiB are not read)")
        }
        let header = recorded
        // The local file header: signature, 22 bytes of fields, then name and extra field lengths.
        guard header <= UInt64(file.count), UInt64(file.count) - header >= 30 else { throw damaged("its header lies past the end of the file") }
        let start = Int(header)
        guard file[start] == 0x50, file[start + 1] == 0x4B, file[start + 2] == 0x03, file[start + 3] == 0x04 else {
            throw damaged("its header has no local-header signature")
        }
        let nameLength = Int(file[start + 26]) | Int(file[start + 27]) << 8
        let extraLength = Int(file[start + 28]) | Int(file[start + 29]) << 8
        let dataStart = start + 30 + nameLength + extraLength
        let compressed = entry.isCompressed ? entry.compressedSize : declared
        guard dataStart <= file.count, compressed <= UInt64(file.count - dataStart) else {
            throw damaged("its data runs past the end of the file")
        }
        let data = file[dataStart..<(dataStart + Int(compressed))]
        let bytes: [UInt8]
        if entry.isCompressed {
            guard declared <= compressed * maximumExpansion + 64 else {
                throw damaged("it declares \(declared) bytes, more than its \(compressed) compressed bytes can hold")
            }
            bytes = try inflate(data, declared: Int(declared), damaged: damaged)
        } else {
            bytes = Array(data)
        }
        guard bytes.count == declared else { throw damaged("it holds \(bytes.count) bytes, not the \(declared) its directory declares") }
        let checksum = bytes.withUnsafeBufferPointer { buffer in
            UInt32(crc32(0, buffer.baseAddress, uInt(buffer.count)))
        }
        guard checksum == entry.checksum else { throw damaged("its checksum does not match") }
        budget -= bytes.count
        return bytes
    }

    /// Raw deflate data inflated to at most `declared` bytes.
    ///
    /// Every call to zlib either consumes input, produces output or fails, and both are bounded, so
    /// this ends: a stream cut short stops with `Z_BUF_ERROR` and no input left.
    private static func inflate(_ input: ArraySlice<UInt8>, declared: Int, damaged: (String) -> ModelError) throws(ModelError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw damaged("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        // At most one byte more than declared, so a part that inflates to more is seen. The
        // output grows as it is produced, a block at a time: a small part that declares a large
        // size (up to the budget) must not cost that memory before it is found short.
        let wanted = declared + 1
        var output: [UInt8] = []
        output.reserveCapacity(min(wanted, input.count * 4 + (1 << 16)))
        var block = [UInt8](repeating: 0, count: 1 << 16)
        var mutableInput = Array(input)
        let status: Int32 = mutableInput.withUnsafeMutableBufferPointer { inBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            var result = Z_OK
            while result == Z_OK {
                let room = min(block.count, wanted - output.count)
                guard room > 0 else { return Z_BUF_ERROR }  // more than declared
                let before = stream.avail_in
                let produced: Int = block.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = uInt(room)
                    result = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return room - Int(stream.avail_out)
                }
                output.append(contentsOf: block[0..<produced])
                if result == Z_OK && produced == 0 && stream.avail_in == before { result = Z_BUF_ERROR }
            }
            return result
        }
        switch status {
        case Z_STREAM_END: break
        case Z_BUF_ERROR where output.count == wanted: throw damaged("it inflates to more than the \(declared) bytes its directory declares")
        case Z_BUF_ERROR: throw damaged("its compressed data ends before its deflate stream does")
        default: throw damaged("its compressed data is not valid deflate data (zlib error \(status))")
        }
        return output
    }

    /// Where the part's local header is, as the central directory says: read from
    /// ZIPFoundation's entry, which keeps it internal (`centralDirectoryStructure`; 0xFFFFFFFF
    /// for a ZIP64 offset); `nil` if this version of ZIPFoundation keeps it elsewhere.
    private static func localHeaderOffset(_ entry: Entry) -> UInt64? {
        guard let offset = Mirror(reflecting: entry).descendant("centralDirectoryStructure", "relativeOffsetOfLocalHeader") as? UInt32
        else { return nil }
        return UInt64(offset)
    }
}
