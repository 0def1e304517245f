/// A pull reader of the XML of a workbook's parts (`xl/workbook.xml`, its relations,
/// `xl/sharedStrings.xml`, the worksheets): RoboChain's own, so that a release binary does not
/// need libxml2 (Foundation's `XMLParser` is libxml2 underneath).
///
/// It reads UTF-8 bytes and hands out, one at a time, the start of an element (its qualified
/// name, `x:row` or `row`, and its attributes in the order written), its end (a self-closing
/// tag gives both), and text (character data and CDATA sections, as separate events; a run of
/// text may come as several). Character references (`&#233;`, `&#xE9;`) and the five predefined
/// entities (`&lt; &gt; &amp; &apos; &quot;`) are replaced; line breaks are normalised as XML 1.0
/// §2.11 says (CR LF and a lone CR become LF) and, in attribute values, white space becomes a
/// space (§3.3.3: a tab or line break written as a character reference stays). Comments, the XML
/// declaration and processing instructions are skipped. Namespaces are not resolved: a name is
/// given as written, with ``prefix(of:)`` and ``localName(of:)`` to split it.
///
/// Refused, as ``ModelError/syntax(_:problem:)`` naming the workbook, the part and the line
/// (`the workbook's part xl/worksheets/sheet1.xml is not well-formed XML at line 3: …`): bytes
/// that are not UTF-8 or characters XML 1.0 does not allow; a document type declaration (no
/// entity is ever expanded); an unknown entity, or a character reference to a code point XML
/// does not allow; an end tag that does not match its start tag; markup or text cut short by the
/// end of the part; a second root element, or text outside the root; an attribute twice in one
/// tag; elements nested deeper than ``maximumDepth``, a tag with more than ``maximumAttributes``
/// attributes, a name longer than ``maximumNameLength`` bytes. Nothing here recurses, so no
/// input can exhaust the stack; text and values are at most the part's size, which
/// ``WorkbookPart`` bounds.
struct XMLScanner {
    /// An attribute as written in a start tag: its qualified name and its value, references
    /// replaced and white space normalised.
    struct Attribute: Sendable, Equatable {
        var name: String
        var value: String
    }

    /// What the scanner found next.
    enum Event: Sendable, Equatable {
        /// A start tag (or a self-closing one): the element's qualified name and attributes.
        case start(String, [Attribute])
        /// An end tag, or the end of a self-closing one.
        case end(String)
        /// Character data or a CDATA section, never empty.
        case text(String)
    }

    /// The deepest elements may nest (workbook parts nest a dozen deep at most).
    static let maximumDepth = 256
    /// The most attributes one tag may have.
    static let maximumAttributes = 1024
    /// The longest name, in bytes.
    static let maximumNameLength = 1024

    private let bytes: [UInt8]
    private let workbook: String
    private let part: String
    private var position: Int
    private let start: Int
    /// The 1-based line of `position`.
    private(set) var line = 1
    /// The open elements, innermost last, with the lines of their start tags.
    private var open: [(name: String, line: Int)] = []
    /// The end a self-closing tag still owes.
    private var owedEnd: String?
    private var sawRoot = false

    /// A scanner of `bytes`, the part `part` of workbook `workbook` (both for messages only).
    init(_ bytes: [UInt8], workbook: String, part: String) {
        self.bytes = bytes
        self.workbook = workbook
        self.part = part
        start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        position = start
    }

    /// The prefix of a qualified name (`x` of `x:row`), or nil.
    static func prefix(of name: String) -> Substring? {
        guard let colon = name.firstIndex(of: ":") else { return nil }
        return name[..<colon]
    }

    /// The local part of a qualified name (`row` of `x:row` and of `row`).
    static func localName(of name: String) -> Substring {
        guard let colon = name.firstIndex(of: ":") else { return name[...] }
        return name[name.index(after: colon)...]
    }

    /// The next event, or nil at the end of a well-formed part.
    ///
    /// - Throws: ``ModelError/syntax(_:problem:)`` where the part stops being well-formed XML.
    /// - Complexity: Amortised O(1) per byte read.
    mutating func next() throws(ModelError) -> Event? {
        if let name = owedEnd {
            owedEnd = nil
            open.removeLast()
            return .end(name)
        }
        while position < bytes.count {
            guard bytes[position] == Self.lessThan else {
                if open.isEmpty {
                    try skipSpaceOutsideRoot()
                    continue
                }
                return .text(try text())
            }
            guard position + 1 < bytes.count else { throw fail("the part ends inside a tag") }
            switch bytes[position + 1] {
            case Self.slash:
                return try endTag()
            case Self.question:
                try instruction()
            case Self.exclamation:
                if isAt("<!--") {
                    try comment()
                } else if isAt("<![CDATA[") {
                    guard !open.isEmpty else { throw fail("a CDATA section outside the root element") }
                    let text = try cdata()
                    if !text.isEmpty { return .text(text) }
                } else if isAt("<!DOCTYPE") {
                    throw fail("the part declares a DTD (<!DOCTYPE), which workbook parts do not; it is refused")
                } else {
                    throw fail("'<!' begins neither a comment nor a CDATA section")
                }
            default:
                return try startTag()
            }
        }
        if let innermost = open.last {
            throw fail("the part ends inside element <\(innermost.name)> of line \(innermost.line)")
        }
        guard sawRoot else { throw fail("the part has no root element") }
        return nil
    }

    // MARK: - Markup

    private mutating func startTag() throws(ModelError) -> Event {
        let tagLine = line
        position += 1
        let name = try self.name(in: "a start tag")
        if open.isEmpty && sawRoot { throw fail("a second root element <\(name)>") }
        guard open.count < Self.maximumDepth else {
            throw fail("elements nest deeper than \(Self.maximumDepth) at <\(name)>")
        }
        var attributes: [Attribute] = []
        var seen: Set<String> = []
        while true {
            let spaced = try skipSpace()
            guard position < bytes.count else { throw fail("the part ends inside the start tag <\(name)> of line \(tagLine)") }
            let byte = bytes[position]
            if byte == Self.greaterThan {
                position += 1
                break
            }
            if byte == Self.slash {
                guard position + 1 < bytes.count else { throw fail("the part ends inside the start tag <\(name)> of line \(tagLine)") }
                guard bytes[position + 1] == Self.greaterThan else { throw fail("'/' in the start tag <\(name)> is not followed by '>'") }
                position += 2
                owedEnd = name
                break
            }
            guard spaced, Self.isNameStart(byte) || byte >= 0x80 else {
                throw fail("unexpected \(describe(byte)) in the start tag <\(name)>")
            }
            let attribute = try self.name(in: "the start tag <\(name)>")
            try skipSpace()
            guard position < bytes.count else { throw fail("the part ends inside the start tag <\(name)> of line \(tagLine)") }
            guard bytes[position] == Self.equals else { throw fail("attribute \(attribute) of <\(name)> has no '=' and value") }
            position += 1
            try skipSpace()
            guard position < bytes.count else { throw fail("the part ends inside the start tag <\(name)> of line \(tagLine)") }
            let quote = bytes[position]
            guard quote == Self.doubleQuote || quote == Self.singleQuote else {
                throw fail("the value of attribute \(attribute) of <\(name)> is not in quotes")
            }
            position += 1
            let value = try attributeValue(quote: quote, attribute: attribute, element: name, tagLine: tagLine)
            if attributes.count < 8 {
                guard !attributes.contains(where: { $0.name == attribute }) else { throw fail("attribute \(attribute) appears twice in <\(name)>") }
            } else {
                if seen.isEmpty { seen = Set(attributes.map(\.name)) }
                guard seen.insert(attribute).inserted else { throw fail("attribute \(attribute) appears twice in <\(name)>") }
            }
            guard attributes.count < Self.maximumAttributes else {
                throw fail("<\(name)> has more than \(Self.maximumAttributes) attributes")
            }
            attributes.append(Attribute(name: attribute, value: value))
        }
        sawRoot = true
        open.append((name, tagLine))
        return .start(name, attributes)
    }

    private mutating func endTag() throws(ModelError) -> Event {
        position += 2
        let name = try self.name(in: "an end tag")
        try skipSpace()
        guard position < bytes.count else { throw fail("the part ends inside the end tag </\(name)>") }
        guard bytes[position] == Self.greaterThan else { throw fail("unexpected \(describe(bytes[position])) in the end tag </\(name)>") }
        position += 1
        guard let innermost = open.last else { throw fail("the end tag </\(name)> has no start tag") }
        guard innermost.name == name else {
            throw fail("the end tag </\(name)> does not match the start tag <\(innermost.name)> of line \(innermost.line)")
        }
        open.removeLast()
        return .end(name)
    }

    /// A processing instruction or the XML declaration, skipped.
    private mutating func instruction() throws(ModelError) {
        let begin = position
        let beginLine = line
        position += 2
        let target = try name(in: "a processing instruction")
        if target.lowercased() == "xml" {
            guard target == "xml", begin == start else {
                throw fail("an XML declaration (<?\(target)) is allowed only at the start of the part")
            }
        }
        guard position < bytes.count else { throw fail("the part ends inside the processing instruction <?\(target) of line \(beginLine)") }
        if !isAt("?>") {
            guard Self.isSpace(bytes[position]) else { throw fail("unexpected \(describe(bytes[position])) after <?\(target)") }
        }
        _ = try skip(to: "?>", inside: "the processing instruction <?\(target) of line \(beginLine)")
    }

    private mutating func comment() throws(ModelError) {
        let beginLine = line
        position += 4
        _ = try skip(to: "--", inside: "a comment of line \(beginLine)")
        guard position < bytes.count, bytes[position] == Self.greaterThan else {
            throw fail("'--' inside a comment")
        }
        position += 1
    }

    private mutating func cdata() throws(ModelError) -> String {
        let beginLine = line
        position += 9
        let content = try skip(to: "]]>", inside: "a CDATA section of line \(beginLine)")
        return Self.normalisedLineBreaks(bytes[content])
    }

    // MARK: - Text

    /// Character data up to the next `<` or the end of the part.
    private mutating func text() throws(ModelError) -> String {
        var out: [UInt8] = []
        var run = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == Self.lessThan { break }
            switch byte {
            case Self.ampersand:
                out.append(contentsOf: bytes[run..<position])
                try reference(into: &out)
                run = position
            case Self.carriageReturn:
                out.append(contentsOf: bytes[run..<position])
                out.append(Self.lineFeed)
                try step()
                if position < bytes.count && bytes[position] == Self.lineFeed { try step() }
                run = position
            case Self.closeBracket:
                if isAt("]]>") { throw fail("']]>' in text outside a CDATA section") }
                position += 1
            default:
                try step()
            }
        }
        if out.isEmpty { return String(decoding: bytes[run..<position], as: UTF8.self) }
        out.append(contentsOf: bytes[run..<position])
        return String(decoding: out, as: UTF8.self)
    }

    /// An attribute value up to its closing `quote` (the opening one already read).
    private mutating func attributeValue(quote: UInt8, attribute: String, element: String, tagLine: Int) throws(ModelError) -> String {
        var out: [UInt8] = []
        var run = position
        while true {
            guard position < bytes.count else {
                throw fail("the part ends inside the value of attribute \(attribute) of <\(element)> of line \(tagLine)")
            }
            let byte = bytes[position]
            if byte == quote { break }
            switch byte {
            case Self.lessThan:
                throw fail("'<' in the value of attribute \(attribute) of <\(element)> (write &lt;)")
            case Self.ampersand:
                out.append(contentsOf: bytes[run..<position])
                try reference(into: &out)
                run = position
            case Self.carriageReturn, Self.lineFeed, Self.tab:
                out.append(contentsOf: bytes[run..<position])
                out.append(Self.space)
                let isCR = byte == Self.carriageReturn
                try step()
                if isCR && position < bytes.count && bytes[position] == Self.lineFeed { try step() }
                run = position
            default:
                try step()
            }
        }
        let value: String
        if out.isEmpty {
            value = String(decoding: bytes[run..<position], as: UTF8.self)
        } else {
            out.append(contentsOf: bytes[run..<position])
            value = String(decoding: out, as: UTF8.self)
        }
        position += 1
        return value
    }

    /// A character or entity reference at `&`, appended to `out` as UTF-8.
    private mutating func reference(into out: inout [UInt8]) throws(ModelError) {
        let begin = position
        position += 1
        func written(_ scanner: XMLScanner) -> String {
            let end = min(scanner.position, begin + 16)
            return String(decoding: scanner.bytes[begin..<end], as: UTF8.self) + (scanner.position > end ? "…" : "")
        }
        if position < bytes.count && bytes[position] == Self.hash {
            position += 1
            let isHex = position < bytes.count && bytes[position] == UInt8(ascii: "x")
            if isHex { position += 1 }
            var value: UInt32 = 0
            var digits = 0
            while position < bytes.count, let digit = Self.digit(bytes[position], hex: isHex) {
                // Saturates past the last code point, so a long run of digits cannot overflow.
                value = min(value * (isHex ? 16 : 10) + UInt32(digit), 0x110000)
                digits += 1
                position += 1
            }
            guard digits > 0, position < bytes.count, bytes[position] == Self.semicolon else {
                throw fail("'\(written(self))' is not a character reference (write &amp; for '&')")
            }
            position += 1
            guard Self.isChar(value), let scalar = Unicode.Scalar(value) else {
                throw fail("the character reference \(written(self)) is to a code point XML does not allow")
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
            return
        }
        var end = position
        while end < bytes.count, end - position < 8, Self.isASCIILetter(bytes[end]) { end += 1 }
        guard end > position, end < bytes.count, bytes[end] == Self.semicolon else {
            throw fail("'&' begins no reference (write &amp; for '&')")
        }
        let replacement: UInt8
        switch String(decoding: bytes[position..<end], as: UTF8.self) {
        case "lt": replacement = Self.lessThan
        case "gt": replacement = Self.greaterThan
        case "amp": replacement = Self.ampersand
        case "apos": replacement = Self.singleQuote
        case "quot": replacement = Self.doubleQuote
        default:
            position = end + 1
            throw fail("unknown entity \(written(self)) (XML without a DTD has only &lt; &gt; &amp; &apos; &quot;)")
        }
        position = end + 1
        out.append(replacement)
    }

    // MARK: - Pieces

    /// An XML name at `position` (XML 1.0 §2.3), stepped past.
    private mutating func name(in context: String) throws(ModelError) -> String {
        let begin = position
        var first = true
        while position < bytes.count {
            let byte = bytes[position]
            let length: Int
            let isName: Bool
            if byte < 0x80 {
                length = 1
                isName = first ? Self.isNameStart(byte) : Self.isNameChar(byte)
            } else {
                let (scalar, count) = try decode()
                length = count
                isName = first ? Self.isNameStart(scalar) : Self.isNameChar(scalar)
            }
            guard isName else { break }
            position += length
            first = false
            guard position - begin <= Self.maximumNameLength else {
                throw fail("a name in \(context) is longer than \(Self.maximumNameLength) bytes")
            }
        }
        guard position > begin else {
            guard position < bytes.count else { throw fail("the part ends inside \(context)") }
            throw fail("\(context) lacks a name (\(describe(bytes[position])) found)")
        }
        return String(decoding: bytes[begin..<position], as: UTF8.self)
    }

    /// Steps past white space; whether there was any.
    @discardableResult
    private mutating func skipSpace() throws(ModelError) -> Bool {
        let begin = position
        while position < bytes.count, Self.isSpace(bytes[position]) { try step() }
        return position > begin
    }

    /// Between the root element and the start or the end of the part: only white space (and
    /// markup, which the caller reads).
    private mutating func skipSpaceOutsideRoot() throws(ModelError) {
        try skipSpace()
        guard position >= bytes.count || bytes[position] == Self.lessThan else {
            throw fail(sawRoot ? "text after the root element" : "text before the root element")
        }
    }

    /// Steps past characters up to and past `terminator`; the range before it.
    private mutating func skip(to terminator: StaticString, inside context: String) throws(ModelError) -> Range<Int> {
        let begin = position
        let first = terminator.utf8Start.pointee
        while position < bytes.count {
            if bytes[position] == first && isAt(terminator) {
                let end = position
                position += terminator.utf8CodeUnitCount
                return begin..<end
            }
            try step()
        }
        throw fail("the part ends inside \(context)")
    }

    /// Steps past the character at `position`, checking that XML allows it and counting lines.
    private mutating func step() throws(ModelError) {
        let byte = bytes[position]
        if byte >= 0x20 && byte < 0x80 {
            position += 1
            return
        }
        if byte < 0x20 {
            switch byte {
            case Self.lineFeed: line += 1
            case Self.carriageReturn:
                if position + 1 >= bytes.count || bytes[position + 1] != Self.lineFeed { line += 1 }
            case Self.tab: break
            default: throw fail("\(describe(byte)) is a character XML does not allow")
            }
            position += 1
            return
        }
        let (scalar, length) = try decode()
        guard Self.isChar(scalar) else {
            throw fail("U+\(String(scalar, radix: 16, uppercase: true)) is a character XML does not allow")
        }
        position += length
    }

    /// The scalar whose UTF-8 encoding starts at `position` (a byte of 0x80 or more), and its
    /// length; an error if the bytes are not UTF-8.
    private func decode() throws(ModelError) -> (UInt32, Int) {
        let lead = bytes[position]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw fail("byte 0x\(String(lead, radix: 16, uppercase: true)) is not UTF-8 text")
        }
        guard position + length <= bytes.count else { throw fail("the part ends inside a UTF-8 sequence") }
        var scalar = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length {
            let byte = bytes[position + offset]
            let range = offset == 1 ? low...high : 0x80...0xBF
            guard range.contains(byte) else {
                throw fail("byte 0x\(String(lead, radix: 16, uppercase: true)) begins no UTF-8 sequence here: the part is not UTF-8 text")
            }
            scalar = scalar << 6 | UInt32(byte & 0x3F)
        }
        return (scalar, length)
    }

    private func isAt(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let pointer = text.utf8Start
        for offset in 0..<count where bytes[position + offset] != pointer[offset] { return false }
        return true
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        if byte == Self.space { return "a space" }
        guard byte < 0x80 else { return "a character beyond ASCII" }
        let digits = String(byte, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// The problem, at the current line.
    private func fail(_ why: String) -> ModelError {
        .syntax(SourceLocation(file: workbook), problem: "the workbook's part \(part) is not well-formed XML at line \(line): \(why)")
    }

    private static func normalisedLineBreaks(_ slice: ArraySlice<UInt8>) -> String {
        guard slice.contains(carriageReturn) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var previous: UInt8 = 0
        for byte in slice {
            if byte == lineFeed && previous == carriageReturn {
                previous = byte
                continue
            }
            out.append(byte == carriageReturn ? lineFeed : byte)
            previous = byte
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Characters

    /// XML 1.0's Char (§2.2).
    static func isChar(_ value: UInt32) -> Bool {
        switch value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        isASCIILetter(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
    }

    private static func isNameChar(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    /// XML 1.0's NameStartChar beyond ASCII.
    private static func isNameStart(_ value: UInt32) -> Bool {
        switch value {
        case 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D, 0x37F...0x1FFF, 0x200C...0x200D,
            0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFFD, 0x10000...0xEFFFF:
            return true
        default: return false
        }
    }

    /// XML 1.0's NameChar beyond ASCII.
    private static func isNameChar(_ value: UInt32) -> Bool {
        isNameStart(value) || value == 0xB7 || (0x300...0x36F).contains(value) || (0x203F...0x2040).contains(value)
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == lineFeed || byte == carriageReturn
    }

    private static func digit(_ byte: UInt8, hex: Bool) -> UInt8? {
        if byte >= 0x30 && byte <= 0x39 { return byte - 0x30 }
        guard hex else { return nil }
        if byte >= 0x41 && byte <= 0x46 { return byte - 0x41 + 10 }
        if byte >= 0x61 && byte <= 0x66 { return byte - 0x61 + 10 }
        return nil
    }

    private static let tab: UInt8 = 0x09
    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D
    private static let space: UInt8 = 0x20
    private static let exclamation = UInt8(ascii: "!")
    private static let doubleQuote = UInt8(ascii: "\"")
    private static let hash = UInt8(ascii: "#")
    private static let ampersand = UInt8(ascii: "&")
    private static let singleQuote = UInt8(ascii: "'")
    private static let slash = UInt8(ascii: "/")
    private static let semicolon = UInt8(ascii: ";")
    private static let lessThan = UInt8(ascii: "<")
    private static let equals = UInt8(ascii: "=")
    private static let greaterThan = UInt8(ascii: ">")
    private static let question = UInt8(ascii: "?")
    private static let closeBracket = UInt8(ascii: "]")
}

extension [XMLScanner.Attribute] {
    /// The value of the attribute named `name` (qualified, as written), or nil.
    subscript(_ name: String) -> String? {
        first { $0.name == name }?.value
    }
}
