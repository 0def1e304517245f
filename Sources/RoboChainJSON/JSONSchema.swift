/// A JSON Schema (draft 2020-12) and a validator for the part of the vocabulary the protocol's
/// schemas use.
///
/// Understood: `$ref` to `#/$defs/NAME` (or `#`), `type` (a name or a list; `integer` is a
/// number with no fractional part), `enum`, `const`, `properties`, `required`,
/// `additionalProperties`, `propertyNames`, `items`, `minItems`, `minLength`, `minimum`,
/// `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `pattern` (Swift's regular-expression
/// syntax, which agrees with ECMA-262 on the classes and anchors used here), `allOf`, `anyOf`,
/// `oneOf`, `not`. Annotations (`$schema`, `$id`, `title`, `description`, `default`,
/// `$comment`, `examples`) are ignored. Any other keyword is reported by
/// ``unsupportedKeywords()``, so a schema that needs more fails its tests rather than passing
/// values unchecked.
public struct JSONSchema: Sendable {
    /// The schema document.
    public let document: JSONValue

    /// One way a value breaks the schema.
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        /// Where in the value: a JSON Pointer (`/findings/0/kind`; empty for the whole value).
        public var path: String
        /// What is wrong, in words.
        public var problem: String

        public var description: String { "\(path.isEmpty ? "(top level)" : path): \(problem)" }
    }

    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "default", "$comment", "examples", "$defs"]
    static let keywords: Set<String> = [
        "$ref", "type", "enum", "const", "properties", "required", "additionalProperties", "propertyNames", "items",
        "minItems", "minLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "pattern", "allOf", "anyOf",
        "oneOf", "not",
    ]

    /// A schema from its document.
    public init(_ document: JSONValue) {
        self.document = document
    }

    /// A schema from its JSON text.
    ///
    /// - Throws: ``JSONError`` when the text is not JSON.
    public init(text: String) throws(JSONError) {
        document = try JSONParser.parse(text)
    }

    /// The keywords used in the schema that this validator does not understand, sorted.
    public func unsupportedKeywords() -> [String] {
        var found: Set<String> = []
        func visit(_ schema: JSONValue) {
            guard case .object(let object) = schema else { return }
            for member in object.members {
                switch member.key {
                case "properties", "$defs":
                    for child in member.value.objectValue?.members ?? [] { visit(child.value) }
                case "allOf", "anyOf", "oneOf":
                    for child in member.value.arrayValue ?? [] { visit(child) }
                case "items", "additionalProperties", "propertyNames", "not":
                    visit(member.value)
                default:
                    if !Self.keywords.contains(member.key) && !Self.annotations.contains(member.key) { found.insert(member.key) }
                }
            }
        }
        visit(document)
        return found.sorted()
    }

    /// Every way `value` breaks the schema; empty when it conforms.
    ///
    /// - Complexity: O(*n* · *s*) for a value of *n* nodes and a schema of *s* keywords, times
    ///   the branches `anyOf` and `oneOf` try.
    public func validate(_ value: JSONValue) -> [Violation] {
        var violations: [Violation] = []
        check(value, against: document, path: "", into: &violations)
        return violations
    }

    private func resolve(_ reference: String) -> JSONValue? {
        if reference == "#" { return document }
        guard reference.hasPrefix("#/$defs/") else { return nil }
        return document.objectValue?["$defs"]?.objectValue?[String(reference.dropFirst("#/$defs/".count))]
    }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, into violations: inout [Violation]) {
        if case .bool(let accepts) = schema {
            if !accepts { violations.append(Violation(path: path, problem: "is not allowed here")) }
            return
        }
        guard case .object(let rules) = schema else { return }
        func fail(_ problem: String, at place: String = path) { violations.append(Violation(path: place, problem: problem)) }
        if let reference = rules["$ref"]?.stringValue {
            if let target = resolve(reference) {
                check(value, against: target, path: path, into: &violations)
            } else {
                fail("the schema's $ref '\(reference)' names nothing")
            }
        }
        if let type = rules["type"] {
            let names = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue].compactMap { $0 }
            if !names.contains(where: { Self.hasType(value, $0) }) {
                fail("must be \(names.joined(separator: " or ")), found \(value.typeDescription)")
                return
            }
        }
        if let constant = rules["const"], !Self.equal(constant, value) {
            fail("must be \(Self.text(constant)), found \(Self.text(value))")
        }
        if let choices = rules["enum"]?.arrayValue, !choices.contains(where: { Self.equal($0, value) }) {
            fail("must be one of \(choices.map(Self.text).joined(separator: ", ")), found \(Self.text(value))")
        }
        switch value {
        case .object(let object):
            for name in rules["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
                fail("lacks the required member '\(name)'")
            }
            let properties = rules["properties"]?.objectValue
            for member in object.members {
                let place = path + "/" + Self.escape(member.key)
                if let names = rules["propertyNames"] {
                    var nameViolations: [Violation] = []
                    check(.string(member.key), against: names, path: place, into: &nameViolations)
                    for violation in nameViolations { fail("the name '\(member.key)' \(violation.problem)", at: place) }
                }
                if let property = properties?[member.key] {
                    check(member.value, against: property, path: place, into: &violations)
                } else if let additional = rules["additionalProperties"] {
                    if additional == .bool(false) {
                        fail("is not a member this message has", at: place)
                    } else {
                        check(member.value, against: additional, path: place, into: &violations)
                    }
                }
            }
        case .array(let elements):
            if let minimum = rules["minItems"]?.numberValue, Double(elements.count) < minimum {
                fail("must have at least \(Int(minimum)) element(s)")
            }
            if let items = rules["items"] {
                for (index, element) in elements.enumerated() {
                    check(element, against: items, path: "\(path)/\(index)", into: &violations)
                }
            }
        case .string(let text):
            if let minimum = rules["minLength"]?.numberValue, Double(text.count) < minimum {
                fail(minimum == 1 ? "must not be empty" : "must have at least \(Int(minimum)) characters")
            }
            if let pattern = rules["pattern"]?.stringValue {
                if let regex = try? Regex(pattern) {
                    if !text.contains(regex) { fail("is '\(text)', which does not match \(pattern)") }
                } else {
                    fail("the schema's pattern \(pattern) is not a regular expression")
                }
            }
        case .number(let number):
            if let bound = rules["minimum"]?.numberValue, number < bound { fail("must be at least \(Self.text(.number(bound)))") }
            if let bound = rules["maximum"]?.numberValue, number > bound { fail("must be at most \(Self.text(.number(bound)))") }
            if let bound = rules["exclusiveMinimum"]?.numberValue, number <= bound {
                fail("must be more than \(Self.text(.number(bound)))")
            }
            if let bound = rules["exclusiveMaximum"]?.numberValue, number >= bound {
                fail("must be less than \(Self.text(.number(bound)))")
            }
        default:
            break
        }
        for part in rules["allOf"]?.arrayValue ?? [] { check(value, against: part, path: path, into: &violations) }
        if let branches = rules["anyOf"]?.arrayValue {
            let outcomes = branches.map { branch in
                var found: [Violation] = []
                check(value, against: branch, path: path, into: &found)
                return found
            }
            if !outcomes.contains(where: \.isEmpty) {
                // The branch that came closest says best what to fix.
                violations += outcomes.min { $0.count < $1.count } ?? []
            }
        }
        if let branches = rules["oneOf"]?.arrayValue {
            let outcomes = branches.map { branch in
                var found: [Violation] = []
                check(value, against: branch, path: path, into: &found)
                return found
            }
            let matching = outcomes.filter(\.isEmpty).count
            if matching == 0 {
                violations += outcomes.min { $0.count < $1.count } ?? []
            } else if matching > 1 {
                fail("matches \(matching) of the alternatives where exactly one must match")
            }
        }
        if let negated = rules["not"] {
            var found: [Violation] = []
            check(value, against: negated, path: path, into: &found)
            if found.isEmpty { fail("must not match \(Self.text(negated))") }
        }
    }

    static func hasType(_ value: JSONValue, _ name: String) -> Bool {
        switch (name, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array),
            ("object", .object):
            true
        case ("integer", .number(let number)): number.isFinite && number == number.rounded()
        default: false
        }
    }

    /// JSON equality, with objects compared as sets of members (JSON Schema's sense).
    static func equal(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch (left, right) {
        case (.object(let a), .object(let b)):
            a.members.count == b.members.count && a.members.allSatisfy { member in b[member.key].map { equal(member.value, $0) } ?? false }
        case (.array(let a), .array(let b)):
            a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        default:
            left == right
        }
    }

    /// A value as compact JSON, cut at 80 characters (for messages).
    public static func text(_ value: JSONValue) -> String {
        let bytes = JSONWriter.encode(value, style: .compact)
        let text = String(decoding: bytes, as: UTF8.self)
        return text.count > 80 ? String(text.prefix(77)) + "…" : text
    }

    /// A member name as a JSON Pointer token (RFC 6901).
    static func escape(_ key: String) -> String {
        key.replacing("~", with: "~0").replacing("/", with: "~1")
    }
}
