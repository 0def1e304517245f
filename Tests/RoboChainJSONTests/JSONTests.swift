import RoboChainJSON
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#"{"a": [1, -2.5e3, true, false, null], "b": {"c": "x\"y\\z\n\u00e9\ud83e\udd16"}}"#)
        #expect(value == [
            "a": [1, -2500, true, false, nil],
            "b": ["c": "x\"y\\z\né🤖"],
        ])
    }

    @Test func keepsMemberOrderAndLines() throws {
        let value = try JSONParser.parse("{\n\"z\": 1,\n\"a\": {\n\"k\": 2}}")
        let object = try #require(value.objectValue)
        #expect(object.keys == ["z", "a"])
        #expect(object.line == 1)
        #expect(object["a"]?.objectValue?.line == 3)
    }

    @Test func numbersAreCorrectlyRounded() throws {
        #expect(try JSONParser.parse("0.1") == .number(0.1))
        #expect(try JSONParser.parse("12345678901234567890") == .number(1.2345678901234567e19))
        #expect(try JSONParser.parse("-0.000001") == .number(-0.000001))
    }

    @Test(arguments: [
        ("", "line 1, column 1: expected a JSON value, found the end of the text"),
        ("{\"a\" 1}", "line 1, column 6: expected ':' after the key \"a\", found '1'"),
        ("[1,]", "line 1, column 4: expected a JSON value, found ']'"),
        ("[1] [2]", "line 1, column 5: unexpected '[' after the JSON value"),
        ("\"abc", "line 1, column 5: unterminated string"),
        ("01", "line 1, column 2: invalid number: leading zero"),
        ("\"\\x\"", "line 1, column 3: invalid escape \\'x' in a string"),
        ("\"\\ud800\"", "line 1, column 8: unpaired UTF-16 surrogate in a \\u escape"),
        ("\n\n  nul", "line 3, column 3: expected a JSON value, found 'n'"),
        ("\"a\u{01}b\"", "line 1, column 3: unescaped control character in a string"),
    ])
    func rejectsMalformedText(text: String, message: String) {
        #expect(throws: JSONError.self) { try JSONParser.parse(text) }
        do {
            _ = try JSONParser.parse(text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONError.syntax(line: 1, column: 2, problem: "invalid UTF-8 in a string")) {
            try JSONParser.parse([0x22, 0xC3, 0x28, 0x22])
        }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONError.tooDeep(line: 1, column: 513, limit: 512)) { try JSONParser.parse(deep) }
    }

    @Test func skipsAByteOrderMark() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[]".utf8)) == .array([]))
    }
}

@Suite struct JSONWriterTests {
    @Test func writesPrettyText() {
        let value: JSONValue = ["name": "广东 \"GD\"\n", "values": [1, 0.25, nil, true], "empty": [:], "none": []]
        let text = String(decoding: JSONWriter.encode(value), as: UTF8.self)
        #expect(text == """
            {
              "name": "广东 \\"GD\\"\\n",
              "values": [
                1,
                0.25,
                null,
                true
              ],
              "empty": {},
              "none": []
            }

            """)
    }

    /// Pretty text indents two spaces a level however deep: arrays nested 40 deep, each line
    /// checked.
    @Test func indentsDeepNestingTwoSpacesALevel() {
        var value: JSONValue = 7
        for _ in 0..<40 { value = [value] }
        let lines = String(decoding: JSONWriter.encode(value), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 82)  // 40 openings, the number, 40 closings, and the final line feed's empty line
        for depth in 0..<40 {
            #expect(lines[depth] == String(repeating: " ", count: 2 * depth) + "[")
            #expect(lines[80 - depth] == String(repeating: " ", count: 2 * depth) + "]")
        }
        #expect(lines[40] == String(repeating: " ", count: 80) + "7")
        #expect(lines[81] == "")
    }

    @Test func writesCompactTextAndNumbers() {
        let value: JSONValue = [1e-7, 1.5e20, -0.0, .number(.nan), .number(.infinity), 123456789012, .number(0.1 + 0.2)]
        let text = String(decoding: JSONWriter.encode(value, style: .compact), as: UTF8.self)
        #expect(text == "[1e-07,1.5e+20,0,null,null,123456789012,0.30000000000000004]")
    }

    @Test func escapesControlCharacters() {
        let text = String(decoding: JSONWriter.encode("a\u{01}\t\\", style: .compact), as: UTF8.self)
        #expect(text == #""a\u0001\t\\""#)
    }

    @Test func roundTrips() throws {
        let value: JSONValue = ["a": ["b": [1, 2, ["c": "d"]]], "e": "é🤖", "f": -3.75]
        #expect(try JSONParser.parse(JSONWriter.encode(value)) == value)
        #expect(try JSONParser.parse(JSONWriter.encode(value, style: .compact)) == value)
    }
}

@Suite struct ParallelEncodingTests {
    static let elements: [JSONValue] = (0..<10_000).map { index in
        ["id": .string("c\(index)"), "value": .number(Double(index) / 7), "tags": [.string("a\"b"), .number(Double(index))]]
    }

    func sequential(_ style: JSONWriter.Style, leading: Bool, asObject: Bool) -> [UInt8] {
        var writer = JSONWriter(style: style)
        writer.beginObject()
        writer.key("items")
        asObject ? writer.beginObject() : writer.beginArray()
        if leading { asObject ? (writer.key("first"), writer.null()).1 : writer.null() }
        for (index, element) in Self.elements.enumerated() {
            if asObject { writer.key("k\(index)") }
            writer.value(element)
        }
        asObject ? writer.endObject() : writer.endArray()
        writer.endObject()
        writer.finish()
        return writer.bytes
    }

    func parallel(_ style: JSONWriter.Style, leading: Bool, asObject: Bool) -> [UInt8] {
        var writer = JSONWriter(style: style)
        writer.beginObject()
        writer.key("items")
        asObject ? writer.beginObject() : writer.beginArray()
        if leading { asObject ? (writer.key("first"), writer.null()).1 : writer.null() }
        let elements = Self.elements
        writer.writeElements(count: elements.count) { index, writer in
            if asObject { writer.key("k\(index)") }
            writer.value(elements[index])
        }
        asObject ? writer.endObject() : writer.endArray()
        writer.endObject()
        writer.finish()
        return writer.bytes
    }

    @Test(arguments: [(JSONWriter.Style.pretty, false), (.pretty, true), (.compact, false), (.compact, true)])
    func parallelChunksGiveTheSameText(style: JSONWriter.Style, leading: Bool) {
        #expect(parallel(style, leading: leading, asObject: false) == sequential(style, leading: leading, asObject: false))
        #expect(parallel(style, leading: leading, asObject: true) == sequential(style, leading: leading, asObject: true))
    }

    /// With a sink, each wave of chunks is handed to it while the next wave is encoded: over
    /// many waves, with text before and after the elements, the text is still the same.
    @Test(arguments: [false, true])
    func streamingManyWavesGivesTheSameText(asObject: Bool) {
        // At least six waves of chunks (2,048 elements each, two chunks per core in a wave).
        let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let elements = (0..<max(70_000, 6 * 2 * cores * 2048)).map { JSONValue.number(Double($0) / 3) }
        func write(_ writer: inout JSONWriter, parallel: Bool) {
            writer.beginObject()
            writer.key("before")
            writer.string("text")
            writer.key("items")
            asObject ? writer.beginObject() : writer.beginArray()
            let encode: @Sendable (Int, inout JSONWriter) -> Void = { index, writer in
                if asObject { writer.key("k\(index)") }
                writer.value(elements[index])
            }
            if parallel {
                writer.writeElements(count: elements.count, encode)
            } else {
                for index in elements.indices { encode(index, &writer) }
            }
            asObject ? writer.endObject() : writer.endArray()
            writer.key("after")
            writer.null()
            writer.endObject()
            writer.finish()
        }
        let collected = Collected()
        var streamed = JSONWriter(style: .pretty, flushThreshold: 4096) { collected.append($0) }
        write(&streamed, parallel: true)
        var plain = JSONWriter(style: .pretty)
        write(&plain, parallel: false)
        #expect(collected.bytes == plain.bytes)
        #expect(collected.chunks > 10)
    }

    @Test func streamingToASinkGivesTheSameText() {
        let collected = Collected()
        var writer = JSONWriter(style: .pretty, flushThreshold: 1000) { collected.append($0) }
        let elements = Self.elements
        writer.beginArray()
        writer.writeElements(count: elements.count) { index, writer in writer.value(elements[index]) }
        writer.endArray()
        writer.finish()
        #expect(collected.bytes == JSONWriter.encode(.array(elements)))
        #expect(collected.chunks > 1, "the text went out in pieces")
    }
}

/// Bytes collected from a writer's sink.
final class Collected: @unchecked Sendable {
    var bytes: [UInt8] = []
    var chunks = 0

    func append(_ buffer: UnsafeRawBufferPointer) {
        bytes += buffer
        chunks += 1
    }
}

/// Limits for text from untrusted programs (issue #16).
@Suite struct JSONLimitTests {
    @Test func numbersBeyondDoubleRangeAreErrors() throws {
        #expect(throws: JSONError.syntax(line: 1, column: 6, problem: "the number 1e400 is beyond the range of a double (about ±1.8e308)")) {
            try JSONParser.parse("{\"x\":1e400}")
        }
        #expect(try JSONParser.parse("1e-400") == .number(0))
    }

    @Test func duplicateKeysCanBeRejected() throws {
        let text = #"{"a": 1, "b": 2, "a": 3}"#
        #expect(try JSONParser.parse(text).objectValue?.members.count == 3)
        #expect(throws: JSONError.syntax(line: 1, column: 18, problem: #"the key "a" appears twice in one object"#)) {
            try JSONParser.parse(text, limits: .init(rejectsDuplicateKeys: true))
        }
        let wide = "{" + (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + ", \"k39\": 0}"
        #expect(throws: JSONError.self) { try JSONParser.parse(wide, limits: .init(rejectsDuplicateKeys: true)) }
    }

    @Test func valuesCanBeBounded() throws {
        #expect(try JSONParser.parse("[1, 2, 3]", limits: .init(maximumValues: 4)).arrayValue?.count == 3)
        #expect(throws: JSONError.tooManyValues(line: 1, column: 8, limit: 3)) {
            try JSONParser.parse("[1, 2, 3]", limits: .init(maximumValues: 3))
        }
    }
}

/// Decimals are converted to the nearest double, whether by the exact fast path (short
/// decimals without an exponent) or by `strtod`: the two always agree.
@Suite struct DecimalConversionTests {
    static func strtodValue(_ text: String) -> Double { strtod(text, nil) }

    static func converted(_ text: String) -> Double {
        Array(text.utf8).withUnsafeBufferPointer { JSONParser.decimalToDouble($0) }
    }

    @Test(arguments: [
        "0", "-0", "30", "0.158", "0.0081", "5.", ".5", "-12.5", "0.1", "0.3", "1.0000000000000002",
        "9007199254740992", "9007199254740993", "0.0000000000000000000001", "0.00000000000000000000001",
        "123456789012345678", "1234567890123456789", "12345678901234567890", "1e3", "2.5E-3", "0.30000000000000004",
    ])
    func agreesWithStrtod(text: String) {
        let value = Self.converted(text)
        #expect(value.bitPattern == Self.strtodValue(text).bitPattern, "\(text)")
    }

    /// Random decimals of up to 19 digits, the point anywhere: bit for bit as `strtod`.
    @Test func randomDecimalsAgreeWithStrtod() {
        var state: UInt64 = 12345
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var fast = 0
        for _ in 0..<20_000 {
            let length = 1 + Int(next() % 19)
            var digits = (0..<length).map { _ in Character(String(next() % 10)) }
            if next() % 4 != 0 { digits.insert(".", at: Int(next() % UInt64(length + 1))) }
            let text = (next() % 3 == 0 ? "-" : "") + String(digits)
            let value = Self.converted(text)
            #expect(value.bitPattern == Self.strtodValue(text).bitPattern, "\(text)")
            if length <= 15 { fast += 1 }
        }
        #expect(fast > 10_000)
    }
}
