#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why JSON text could not be parsed.
public enum JSONError: Swift.Error, Equatable, CustomStringConvertible {
    /// The text breaks the JSON grammar at `line`:`column` (1-based; the column counts bytes).
    case syntax(line: Int, column: Int, problem: String)
    /// Arrays and objects nest deeper than ``JSONParser/maximumDepth``.
    case tooDeep(line: Int, column: Int, limit: Int)
    /// The text holds more values than ``JSONParser/Limits/maximumValues`` allows.
    case tooManyValues(line: Int, column: Int, limit: Int)

    public var description: String {
        switch self {
        case .syntax(let line, let column, let problem):
            "line \(line), column \(column): \(problem)"
        case .tooDeep(let line, let column, let limit):
            "line \(line), column \(column): arrays and objects nest deeper than \(limit) levels"
        case .tooManyValues(let line, let column, let limit):
            "line \(line), column \(column): more than \(limit) values (numbers, strings, arrays, objects…)"
        }
    }

    /// The 1-based line of the problem.
    public var line: Int {
        switch self {
        case .syntax(let line, _, _), .tooDeep(let line, _, _), .tooManyValues(let line, _, _): line
        }
    }
}

/// Parses JSON text (RFC 8259) into ``JSONValue``s.
///
/// A recursive-descent parser over UTF-8 bytes. It validates UTF-8, rejects control characters
/// in strings, keeps object members in order (duplicates included), records the line each object
/// starts on, and limits nesting so hostile input cannot overflow the stack. A leading UTF-8
/// byte-order mark is skipped. A number beyond the range of a `Double` (`1e400`) is an error,
/// not infinity. ``Limits`` can bound the values parsed (and so the memory used) and reject
/// duplicate keys, for text from programs that are not trusted to be sane.
///
/// - Complexity: O(n) in the length of the text.
public struct JSONParser {
    /// The deepest nesting of arrays and objects accepted.
    public static let maximumDepth = 512

    /// What a parse accepts beyond the grammar.
    public struct Limits: Sendable {
        /// The most values (each number, string, literal, array and object counts one); the
        /// parse stops at the next one, so memory stays bounded whatever the text's length.
        public var maximumValues: Int
        /// Whether an object may have a key twice.
        public var rejectsDuplicateKeys: Bool

        public init(maximumValues: Int = .max, rejectsDuplicateKeys: Bool = false) {
            self.maximumValues = maximumValues
            self.rejectsDuplicateKeys = rejectsDuplicateKeys
        }

        /// No limit beyond nesting; duplicate keys kept (model files check them themselves).
        public static let standard = Limits()
    }

    /// Parses exactly one JSON value, with nothing but whitespace around it.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 text.
    ///   - limits: What is accepted beyond the grammar.
    /// - Returns: The value.
    /// - Throws: ``JSONError`` naming the line and column of the first problem.
    public static func parse(_ bytes: some Collection<UInt8>, limits: Limits = .standard) throws(JSONError) -> JSONValue {
        let result: Result<JSONValue, JSONError> =
            bytes.withContiguousStorageIfAvailable { buffer in
                parseBuffer(UnsafeRawBufferPointer(buffer), limits: limits)
            } ?? Array(bytes).withUnsafeBytes { parseBuffer($0, limits: limits) }
        return try result.get()
    }

    /// Parses exactly one JSON value from a string.
    public static func parse(_ text: String, limits: Limits = .standard) throws(JSONError) -> JSONValue {
        var text = text
        let result: Result<JSONValue, JSONError> = text.withUTF8 { parseBuffer(UnsafeRawBufferPointer($0), limits: limits) }
        return try result.get()
    }

    private static func parseBuffer(_ buffer: UnsafeRawBufferPointer, limits: Limits) -> Result<JSONValue, JSONError> {
        var parser = JSONParser(buffer, limits: limits)
        do throws(JSONError) {
            if parser.remaining >= 3, parser.peek(0) == 0xEF, parser.peek(1) == 0xBB, parser.peek(2) == 0xBF {
                parser.position += 3
            }
            parser.skipWhitespace()
            guard parser.position < parser.end else {
                throw parser.failure("expected a JSON value, found the end of the text")
            }
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            if parser.position < parser.end {
                throw parser.failure("unexpected \(parser.describeCurrent()) after the JSON value")
            }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    private let base: UnsafePointer<UInt8>?
    private let end: Int
    private var position = 0
    private var line = 1
    private let limits: Limits
    private var valuesLeft: Int

    private init(_ buffer: UnsafeRawBufferPointer, limits: Limits) {
        base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
        end = buffer.count
        self.limits = limits
        valuesLeft = limits.maximumValues
    }

    private var remaining: Int { end - position }

    @inline(__always)
    private func peek(_ offset: Int = 0) -> UInt8 {
        base![position + offset]
    }

    private func column(at offset: Int) -> Int {
        var start = offset
        while start > 0, base![start - 1] != 0x0A { start -= 1 }
        return offset - start + 1
    }

    private func failure(_ problem: String) -> JSONError {
        .syntax(line: line, column: column(at: min(position, end)), problem: problem)
    }

    private func describeCurrent() -> String {
        guard position < end else { return "end of the text" }
        let byte = peek()
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while position < end {
            switch base![position] {
            case 0x20, 0x09, 0x0D: position += 1
            case 0x0A:
                position += 1
                line += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        guard valuesLeft > 0 else {
            throw .tooManyValues(line: line, column: column(at: position), limit: limits.maximumValues)
        }
        valuesLeft -= 1
        switch peek() {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw failure("expected a JSON value, found \(describeCurrent())")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let count = literal.utf8CodeUnitCount
        guard remaining >= count, memcmp(base! + position, literal.utf8Start, count) == 0 else {
            throw failure("expected a JSON value, found \(describeCurrent())")
        }
        position += count
    }

    private mutating func parseObject(depth: Int) throws(JSONError) -> JSONObject {
        guard depth <= Self.maximumDepth else {
            throw .tooDeep(line: line, column: column(at: position), limit: Self.maximumDepth)
        }
        var object = JSONObject([], line: line)
        // Keys seen, for rejecting duplicates: a scan while the object is small, then a set.
        var keys = Set<String>()
        position += 1
        skipWhitespace()
        if position < end, peek() == UInt8(ascii: "}") {
            position += 1
            return object
        }
        while true {
            guard position < end, peek() == UInt8(ascii: "\"") else {
                throw failure("expected a string key in an object, found \(describeCurrent())")
            }
            let keyStart = position
            let key = try parseString()
            if limits.rejectsDuplicateKeys {
                let isDuplicate: Bool
                if object.members.count < 16 {
                    isDuplicate = object.members.contains { $0.key == key }
                } else {
                    if keys.isEmpty { keys = Set(object.members.map(\.key)) }
                    isDuplicate = !keys.insert(key).inserted
                }
                if isDuplicate {
                    position = keyStart
                    throw failure("the key \"\(Self.shown(key))\" appears twice in one object")
                }
            }
            skipWhitespace()
            guard position < end, peek() == UInt8(ascii: ":") else {
                throw failure("expected ':' after the key \"\(Self.shown(key))\", found \(describeCurrent())")
            }
            position += 1
            skipWhitespace()
            guard position < end else { throw failure("expected a value for the key \"\(Self.shown(key))\"") }
            let value = try parseValue(depth: depth)
            object.members.append(JSONObject.Member(key, value))
            skipWhitespace()
            guard position < end else { throw failure("unterminated object: expected ',' or '}'") }
            let byte = peek()
            position += 1
            if byte == UInt8(ascii: "}") { return object }
            guard byte == UInt8(ascii: ",") else {
                position -= 1
                throw failure("expected ',' or '}' in an object, found \(describeCurrent())")
            }
            skipWhitespace()
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= Self.maximumDepth else {
            throw .tooDeep(line: line, column: column(at: position), limit: Self.maximumDepth)
        }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < end, peek() == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            guard position < end else { throw failure("unterminated array: expected a value") }
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard position < end else { throw failure("unterminated array: expected ',' or ']'") }
            let byte = peek()
            position += 1
            if byte == UInt8(ascii: "]") { return .array(elements) }
            guard byte == UInt8(ascii: ",") else {
                position -= 1
                throw failure("expected ',' or ']' in an array, found \(describeCurrent())")
            }
            skipWhitespace()
        }
    }

    private mutating func parseString() throws(JSONError) -> String {
        position += 1  // opening quote
        let start = position
        while position < end {
            let byte = peek()
            if byte == UInt8(ascii: "\"") {
                let bytes = UnsafeBufferPointer(start: base! + start, count: position - start)
                position += 1
                guard let text = UTF8Text.string(bytes) else {
                    position = start
                    throw failure("invalid UTF-8 in a string")
                }
                return text
            }
            if byte == UInt8(ascii: "\\") { return try parseEscapedString(from: start) }
            if byte < 0x20 { throw failure("unescaped control character in a string") }
            position += 1
        }
        throw failure("unterminated string")
    }

    private mutating func parseEscapedString(from start: Int) throws(JSONError) -> String {
        var bytes = [UInt8](UnsafeBufferPointer(start: base! + start, count: position - start))
        while position < end {
            let byte = peek()
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let text = UTF8Text.string(bytes) else {
                    throw failure("invalid UTF-8 in a string")
                }
                return text
            case UInt8(ascii: "\\"):
                guard remaining >= 2 else { throw failure("unterminated string") }
                let escape = peek(1)
                position += 2
                switch escape {
                case UInt8(ascii: "\""): bytes.append(0x22)
                case UInt8(ascii: "\\"): bytes.append(0x5C)
                case UInt8(ascii: "/"): bytes.append(0x2F)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard remaining >= 2, peek() == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "u") else {
                            throw failure("unpaired UTF-16 surrogate in a \\u escape")
                        }
                        position += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else {
                            throw failure("unpaired UTF-16 surrogate in a \\u escape")
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw failure("unpaired UTF-16 surrogate in a \\u escape")
                    }
                    bytes.append(contentsOf: Unicode.UTF8.encode(Unicode.Scalar(scalar)!)!)
                default:
                    position -= 1
                    throw failure("invalid escape \\\(describeCurrent()) in a string")
                }
            default:
                if byte < 0x20 { throw failure("unescaped control character in a string") }
                bytes.append(byte)
                position += 1
            }
        }
        throw failure("unterminated string")
    }

    private mutating func parseHex4() throws(JSONError) -> UInt32 {
        guard remaining >= 4 else { throw failure("a \\u escape needs four hexadecimal digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = peek()
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("a \\u escape needs four hexadecimal digits")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONError) -> Double {
        let start = position
        var isInteger = true
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard position < end, isDigit(peek()) else { throw failure("invalid number: expected a digit") }
        if peek() == UInt8(ascii: "0") {
            position += 1
            if position < end, isDigit(peek()) { throw failure("invalid number: leading zero") }
        } else {
            while position < end, isDigit(peek()) { position += 1 }
        }
        if position < end, peek() == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard position < end, isDigit(peek()) else {
                throw failure("invalid number: expected a digit after '.'")
            }
            while position < end, isDigit(peek()) { position += 1 }
        }
        if position < end, peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if position < end, peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard position < end, isDigit(peek()) else {
                throw failure("invalid number: expected a digit in the exponent")
            }
            while position < end, isDigit(peek()) { position += 1 }
        }
        let length = position - start
        if isInteger && length <= 16 {
            var magnitude: Int64 = 0
            var index = start
            let negative = base![index] == UInt8(ascii: "-")
            if negative { index += 1 }
            while index < position {
                magnitude = magnitude * 10 + Int64(base![index] - UInt8(ascii: "0"))
                index += 1
            }
            return Double(negative ? -magnitude : magnitude)
        }
        let value = Self.decimalToDouble(UnsafeBufferPointer(start: base! + start, count: length))
        guard value.isFinite else {
            let text = String(decoding: UnsafeBufferPointer(start: base! + start, count: min(length, 40)), as: UTF8.self)
            position = start
            throw failure("the number \(text)\(length > 40 ? "…" : "") is beyond the range of a double (about ±1.8e308)")
        }
        return value
    }

    /// A key for a message: at most 120 characters.
    private static func shown(_ key: String) -> String {
        key.unicodeScalars.count <= 120 ? key : String(key.unicodeScalars.prefix(120)) + "…"
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Converts validated decimal text to the nearest `Double`, correctly rounded.
    ///
    /// A number without an exponent whose digits, the point left out, make an integer below
    /// 2⁵³ with at most 22 of them after the point (`0.158`, `30`, `-12.5`) is that integer
    /// divided by a power of ten: both are exact doubles, so the one rounding of the division
    /// gives the nearest double (Clinger's fast path, 1990), as `strtod` would. Any other
    /// number is handed to `strtod`.
    package static func decimalToDouble(_ digits: UnsafeBufferPointer<UInt8>) -> Double {
        if let value = exactSmallDecimal(digits) { return value }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: digits.count + 1) { buffer in
            for index in 0..<digits.count { buffer[index] = CChar(bitPattern: digits[index]) }
            buffer[digits.count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    /// The powers of ten that are exact doubles: 10⁰ to 10²².
    private static let exactPowersOfTen: [Double] = (0...22).map { power in
        (0..<power).reduce(1.0) { value, _ in value * 10 }
    }

    /// ``decimalToDouble(_:)``'s fast path, or `nil` when it does not apply.
    @inline(__always)
    private static func exactSmallDecimal(_ digits: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let count = digits.count
        let negative = count > 0 && digits[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        var mantissa: UInt64 = 0
        var afterPoint = -1
        var significant = 0
        while index < count {
            let byte = digits[index]
            if byte == UInt8(ascii: ".") {
                guard afterPoint < 0 else { return nil }
                afterPoint = 0
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                // At most 19 digits cannot overflow; the bound below is checked after.
                significant += 1
                guard significant <= 19 else { return nil }
                mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
                if afterPoint >= 0 { afterPoint += 1 }
            } else {
                return nil  // an exponent, or anything else: strtod
            }
            index += 1
        }
        let scale = max(afterPoint, 0)
        guard significant > 0, mantissa <= 1 << 53, scale <= 22 else { return nil }
        let value = Double(mantissa) / exactPowersOfTen[scale]
        return negative ? -value : value
    }
}
