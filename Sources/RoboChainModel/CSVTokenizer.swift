import RoboChainJSON

/// Splits CSV text (RFC 4180) into records and fields, without copying.
///
/// Fields are separated by commas and records by LF, CRLF or CR. A field may be quoted with
/// `"`; inside quotes, commas and line breaks are data and `""` is one quote. Spaces and tabs
/// around a field (outside its quotes) are not data. Blank lines are skipped. A UTF-8 byte-order
/// mark at the start is skipped. Fields are byte ranges into the text; ``text(of:)`` makes strings.
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

    /// A break in the CSV grammar, at a 1-based line.
    struct Problem: Swift.Error {
        var line: Int
        var message: String
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0
    /// The line the next record starts on.
    private(set) var line = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    /// Reads the next non-blank record into `fields`.
    ///
    /// - Returns: The line the record starts on, or `nil` at the end of the text.
    mutating func nextRecord(into fields: inout [Field]) throws(Problem) -> Int? {
        let count = bytes.count
        while true {
            fields.removeAll(keepingCapacity: true)
            guard position < count else { return nil }
            let recordLine = line
            var endOfRecord = false
            while !endOfRecord {
                // Leading blanks.
                while position < count, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
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
                    while position < count, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
                    if position < count {
                        let byte = bytes[position]
                        if byte != UInt8(ascii: ","), byte != 0x0A, byte != 0x0D {
                            throw Problem(line: line, message: "unexpected text after a closing quote (a quote inside a quoted field is written \"\")")
                        }
                    }
                } else {
                    let start = position
                    while position < count {
                        let byte = bytes[position]
                        if byte == UInt8(ascii: ",") || byte == 0x0A || byte == 0x0D { break }
                        position += 1
                    }
                    var end = position
                    while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
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
            if fields.count == 1, !fields[0].isQuoted, fields[0].start == fields[0].end { continue }  // blank line
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
