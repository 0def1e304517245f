import RoboChainJSON

/// Splits CSV text (RFC 4180) into records and fields, without copying.
///
/// Fields are separated by a separator (`,`, `;` or tab: ``separator(ofHeader:)`` tells which
/// from the first line) and records by LF, CRLF or CR. A field may be quoted with `"`; inside
/// quotes, separators and line breaks are data and `""` is one quote. Spaces (and tabs, when the
/// separator is not a tab) around a field, outside its quotes, are not data. Blank lines, and
/// rows whose every cell is empty (`,,` as spreadsheets write a cleared row), are skipped. A
/// UTF-8 byte-order mark at the start is skipped. Fields are byte ranges into the text;
/// ``text(of:)`` makes strings.
///
/// - Complexity: O(n) in the length of the text, one pass.
struct CSVTokenizer {
    /// One field: a byte range, and whether it holds doubled quotes to collapse.
    struct Field {
        var start: Int
        var end: Int
        var hasEscapedQuotes: Bool
        var isQuoted: Bool
    }

    /// The fields of one record, in storage kept from record to record: reading a record
    /// allocates nothing, and checks that the storage is its own once, not once per field.
    /// A value: a copy keeps the fields it had when the next record is read into the original.
    struct Fields: RandomAccessCollection {
        /// Room for fields, grown by doubling.
        final class Storage {
            let base: UnsafeMutablePointer<Field>
            let capacity: Int

            init(capacity: Int) {
                base = UnsafeMutablePointer<Field>.allocate(capacity: capacity)
                self.capacity = capacity
            }

            deinit { base.deallocate() }
        }

        private var storage = Storage(capacity: 8)
        private(set) var count = 0

        var startIndex: Int { 0 }
        var endIndex: Int { count }

        subscript(position: Int) -> Field {
            precondition(position >= 0 && position < count, "field index out of range")
            return storage.base[position]
        }

        /// Empties the list for the next record, with storage of its own.
        mutating func removeAll() {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(capacity: storage.capacity) }
            count = 0
        }

        /// Adds a field (after ``removeAll()``, the storage is this list's own).
        @inline(__always)
        mutating func append(_ field: Field) {
            if count == storage.capacity {
                let larger = Storage(capacity: storage.capacity * 2)
                larger.base.initialize(from: storage.base, count: count)
                storage = larger
            }
            (storage.base + count).initialize(to: field)
            count += 1
        }
    }

    /// A break in the CSV grammar, at a 1-based line.
    struct Problem: Swift.Error {
        var line: Int
        var message: String
    }

    let bytes: UnsafeBufferPointer<UInt8>
    /// The byte between fields.
    let separator: UInt8
    /// Tab is a blank around fields unless it is the separator.
    private let tabIsBlank: Bool
    private(set) var position = 0
    /// The line the next record starts on.
    private(set) var line = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>, separator: UInt8 = UInt8(ascii: ",")) {
        self.bytes = bytes
        self.separator = separator
        tabIsBlank = separator != 0x09
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    /// The separator a header line uses: the first of `,`, `;` and tab found in it outside
    /// quotes, in that order of preference, or `nil` when it has none (a one-column header).
    ///
    /// - Complexity: O(length of the first line).
    static func separator(ofHeader bytes: UnsafeBufferPointer<UInt8>) -> UInt8? {
        var quoted = false
        var seen: (comma: Bool, semicolon: Bool, tab: Bool) = (false, false, false)
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { quoted.toggle(); continue }
            if quoted { continue }
            if byte == 0x0A || byte == 0x0D { break }
            switch byte {
            case UInt8(ascii: ","): seen.comma = true
            case UInt8(ascii: ";"): seen.semicolon = true
            case 0x09: seen.tab = true
            default: break
            }
        }
        if seen.comma { return UInt8(ascii: ",") }
        if seen.semicolon { return UInt8(ascii: ";") }
        if seen.tab { return 0x09 }
        return nil
    }

    @inline(__always)
    private func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || (byte == 0x09 && tabIsBlank) }

    /// Reads the next non-blank record into `fields`.
    ///
    /// - Returns: The line the record starts on, or `nil` at the end of the text.
    mutating func nextRecord(into fields: inout Fields) throws(Problem) -> Int? {
        let count = bytes.count
        while true {
            fields.removeAll()
            guard position < count else { return nil }
            let recordLine = line
            var endOfRecord = false
            while !endOfRecord {
                // Leading blanks.
                while position < count, isBlank(bytes[position]) { position += 1 }
                var field: Field
                if position < count, bytes[position] == UInt8(ascii: "\"") {
                    let openingLine = line
                    position += 1
                    let start = position
                    var escaped = false
                    while true {
                        guard position < count else {
                            throw Problem(line: openingLine, message: "a quoted field opened on this line is never closed")
                        }
                        let byte = bytes[position]
                        if byte == UInt8(ascii: "\"") {
                            if position + 1 < count, bytes[position + 1] == UInt8(ascii: "\"") {
                                escaped = true
                                position += 2
                                continue
                            }
                            break
                        }
                        if byte == 0x0A || (byte == 0x0D && !(position + 1 < count && bytes[position + 1] == 0x0A)) {
                            line += 1
                        }
                        position += 1
                    }
                    field = Field(start: start, end: position, hasEscapedQuotes: escaped, isQuoted: true)
                    position += 1  // closing quote
                    while position < count, isBlank(bytes[position]) { position += 1 }
                    if position < count {
                        let byte = bytes[position]
                        if byte != separator, byte != 0x0A, byte != 0x0D {
                            throw Problem(line: line, message: "unexpected text after a closing quote (a quote inside a quoted field is written \"\")")
                        }
                    }
                } else {
                    let start = position
                    if separator == UInt8(ascii: ",") {
                        // The common case, with the separator a constant (a third fewer
                        // instructions per byte than comparing with a stored one).
                        while position < count {
                            let byte = bytes[position]
                            if byte == UInt8(ascii: ",") || byte == 0x0A || byte == 0x0D { break }
                            position += 1
                        }
                    } else {
                        while position < count {
                            let byte = bytes[position]
                            if byte == separator || byte == 0x0A || byte == 0x0D { break }
                            position += 1
                        }
                    }
                    var end = position
                    while end > start, isBlank(bytes[end - 1]) { end -= 1 }
                    field = Field(start: start, end: end, hasEscapedQuotes: false, isQuoted: false)
                }
                fields.append(field)
                if position >= count {
                    endOfRecord = true
                } else {
                    let byte = bytes[position]
                    position += 1
                    if byte == 0x0D {
                        if position < count, bytes[position] == 0x0A { position += 1 }
                        line += 1
                        endOfRecord = true
                    } else if byte == 0x0A {
                        line += 1
                        endOfRecord = true
                    }
                }
            }
            // A blank line, or a row of empty cells (a row cleared in a spreadsheet).
            if fields[0].start == fields[0].end, fields.allSatisfy({ $0.start == $0.end }) { continue }
            return recordLine
        }
    }

    /// The text of a field, or `nil` if it is not valid UTF-8.
    func text(of field: Field) -> String? {
        let slice = UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])
        guard field.hasEscapedQuotes else { return UTF8Text.string(slice) }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(slice.count)
        var index = 0
        while index < slice.count {
            unescaped.append(slice[index])
            index += slice[index] == UInt8(ascii: "\"") ? 2 : 1
        }
        return UTF8Text.string(unescaped)
    }

    /// The bytes of a field (unescaped only if it has no doubled quotes).
    func rawBytes(of field: Field) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])
    }
}
