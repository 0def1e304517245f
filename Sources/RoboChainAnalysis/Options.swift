import RoboChainJSON
import RoboChainModel

/// The type of an analysis option (SPEC §5).
public enum OptionType: String, Sendable, CaseIterable {
    case number, integer, string, boolean

    /// The type with its article, for messages: "a number", "an integer".
    public var withArticle: String { self == .integer ? "an integer" : "a \(rawValue)" }
}

/// A typed option value.
public enum OptionValue: Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case integer(Int)
    case string(String)
    case boolean(Bool)

    /// The value's type.
    public var type: OptionType {
        switch self {
        case .number: .number
        case .integer: .integer
        case .string: .string
        case .boolean: .boolean
        }
    }

    /// The value as JSON.
    public var json: JSONValue {
        switch self {
        case .number(let number): .number(number)
        case .integer(let integer): .number(Double(integer))
        case .string(let text): .string(text)
        case .boolean(let flag): .bool(flag)
        }
    }

    /// The value as a user would type it.
    public var description: String {
        switch self {
        case .number(let number):
            number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .integer(let integer): String(integer)
        case .string(let text): text
        case .boolean(let flag): String(flag)
        }
    }

    /// Reads a value of `type` from JSON.
    ///
    /// - Returns: The value, or `nil` if the JSON is not of that type (an integer must be whole).
    public static func fromJSON(_ json: JSONValue, as type: OptionType) -> OptionValue? {
        switch (type, json) {
        case (.number, .number(let number)) where number.isFinite: .number(number)
        case (.integer, .number(let number)) where number == number.rounded() && abs(number) < 9e15: .integer(Int(number))
        case (.string, .string(let text)): .string(text)
        case (.boolean, .bool(let flag)): .boolean(flag)
        default: nil
        }
    }

    /// Reads a value of `type` from command-line text.
    ///
    /// Numbers are decimal (`0.3`, `1e-3`); integers are whole (`5`); Booleans are `true` or
    /// `false` (also `yes`/`no`, `1`/`0`); any text is a string.
    /// - Returns: The value, or `nil` if the text is not of that type.
    public static func parse(_ text: String, as type: OptionType) -> OptionValue? {
        let trimmed = text.trimmingASCIIWhitespace
        switch type {
        case .number:
            guard let number = Double(trimmed), number.isFinite, !trimmed.isEmpty,
                trimmed.allSatisfy({ "0123456789+-.eE".contains($0) })
            else { return nil }
            return .number(number)
        case .integer:
            // JSON numbers are doubles: beyond 2^53 an integer would not reach a plugin intact.
            guard let integer = Int(trimmed), integer.magnitude <= 9_007_199_254_740_991 else { return nil }
            return .integer(integer)
        case .string:
            return .string(text)
        case .boolean:
            switch trimmed.lowercased() {
            case "true", "yes", "1": return .boolean(true)
            case "false", "no", "0": return .boolean(false)
            default: return nil
            }
        }
    }
}

/// An option an analysis declares: its name, type, default, help and check (SPEC §5).
///
/// An option without a default is required: the user must give it a value. Analyses declare
/// options through ``AnalysisOption``, which keeps all of this in one declaration with a typed value;
/// a plugin's manifest gives the same without the check.
public struct OptionDeclaration: Sendable, Equatable {
    public var name: String
    public var type: OptionType
    /// The value used where the user sets none; `nil` for a required option.
    public var defaultValue: OptionValue?
    public var help: String
    /// Checks a value of the option's type beyond its type: returns what is wrong with it, as
    /// the end of a sentence ("must be 0 or more, not -1"), or nil when it is acceptable.
    public var check: (@Sendable (OptionValue) -> String?)?

    /// Whether `name` is a valid option name: like a model id, `[A-Za-z0-9][A-Za-z0-9._-]*`.
    public static func isValidName(_ name: String) -> Bool { ChainModel.isValidASCIIName(name) }

    /// Whether the user must give this option a value (it has no default).
    public var isRequired: Bool { defaultValue == nil }

    /// Declares an option. The default, if any, must be of the option's type; without one the
    /// option is required.
    public init(
        name: String, type: OptionType, defaultValue: OptionValue?, help: String,
        check: (@Sendable (OptionValue) -> String?)? = nil
    ) {
        precondition(defaultValue.map { $0.type == type } ?? true, "the default of option '\(name)' is not a \(type.rawValue)")
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.help = help
        self.check = check
    }

    /// Equal when name, type, default and help are (checks are code, not compared).
    public static func == (lhs: OptionDeclaration, rhs: OptionDeclaration) -> Bool {
        lhs.name == rhs.name && lhs.type == rhs.type && lhs.defaultValue == rhs.defaultValue && lhs.help == rhs.help
    }
}

/// A Swift type an option's value can have: `Double` (number), `Int` (integer), `String`,
/// `Bool` (boolean).
public protocol OptionValueConvertible: Sendable {
    static var optionType: OptionType { get }
    init?(optionValue: OptionValue)
    var optionValue: OptionValue { get }
}

extension Double: OptionValueConvertible {
    public static var optionType: OptionType { .number }
    public init?(optionValue: OptionValue) {
        switch optionValue {
        case .number(let number): self = number
        case .integer(let integer): self = Double(integer)
        default: return nil
        }
    }
    public var optionValue: OptionValue { .number(self) }
}

extension Int: OptionValueConvertible {
    public static var optionType: OptionType { .integer }
    public init?(optionValue: OptionValue) {
        guard case .integer(let integer) = optionValue else { return nil }
        self = integer
    }
    public var optionValue: OptionValue { .integer(self) }
}

extension String: OptionValueConvertible {
    public static var optionType: OptionType { .string }
    public init?(optionValue: OptionValue) {
        guard case .string(let text) = optionValue else { return nil }
        self = text
    }
    public var optionValue: OptionValue { .string(self) }
}

extension Bool: OptionValueConvertible {
    public static var optionType: OptionType { .boolean }
    public init?(optionValue: OptionValue) {
        guard case .boolean(let flag) = optionValue else { return nil }
        self = flag
    }
    public var optionValue: OptionValue { .boolean(self) }
}

/// An analysis option declared once — name, type, default, help and check — and read back
/// typed, the way swift-argument-parser's `@Option` keeps them in one declaration.
///
/// ```swift
/// static let limit = AnalysisOption<Int>("limit", default: 20, help: "Most firms listed; 0 lists all.") {
///     $0 >= 0 ? nil : "must be 0 or more, not \($0)"
/// }
/// public var options: [OptionDeclaration] { [Self.limit.declaration] }
/// // in run(_:):
/// let limit = request.options[Self.limit]
/// ```
public struct AnalysisOption<Value: OptionValueConvertible>: Sendable {
    /// The declaration the host, the manifest and `plugins list` see.
    public let declaration: OptionDeclaration

    /// Declares an option.
    ///
    /// - Parameters:
    ///   - name: The option's name (`--option NAME=VALUE`).
    ///   - default: The value where the user sets none; nil makes the option required.
    ///   - help: One sentence for `plugins list` and the manifest.
    ///   - check: What is wrong with a value, as the end of a sentence, or nil when it is fine.
    public init(_ name: String, default: Value?, help: String, check: (@Sendable (Value) -> String?)? = nil) {
        var untyped: (@Sendable (OptionValue) -> String?)?
        if let check {
            untyped = { (value: OptionValue) -> String? in
                guard let typed = Value(optionValue: value) else { return nil }
                return check(typed)
            }
        }
        declaration = OptionDeclaration(
            name: name, type: Value.optionType, defaultValue: `default`?.optionValue, help: help, check: untyped)
    }

    /// The option's name.
    public var name: String { declaration.name }
}

/// The option values an analysis runs with, one per declared option.
public struct OptionValues: Sendable, Equatable {
    /// The values in declaration order.
    public private(set) var entries: [(name: String, value: OptionValue)]

    /// Every declared option at its default, then `overrides` applied.
    ///
    /// - Throws: ``AnalysisError/invalidOption(analysis:option:problem:)`` for an override that
    ///   names no declared option or has the wrong type, or a required option (one without a
    ///   default) that `overrides` does not set.
    public init(
        declarations: [OptionDeclaration], overrides: [String: OptionValue] = [:], analysis: String
    ) throws(AnalysisError) {
        var values = declarations.map(\.defaultValue)
        for (name, value) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let index = declarations.firstIndex(where: { $0.name == name }) else {
                throw .invalidOption(analysis: analysis, option: name, problem: "is not an option of '\(analysis)'")
            }
            guard value.type == declarations[index].type else {
                throw .invalidOption(analysis: analysis, option: name,
                    problem: "must be \(declarations[index].type.withArticle), not \(value.type.withArticle) '\(value)'")
            }
            values[index] = value
        }
        entries = []
        for (declaration, value) in zip(declarations, values) {
            guard let value else {
                throw .invalidOption(analysis: analysis, option: declaration.name,
                    problem: "has no default and was given no value (\(declaration.type.withArticle) is required)")
            }
            if let problem = declaration.check?(value) {
                throw .invalidOption(analysis: analysis, option: declaration.name, problem: problem)
            }
            entries.append((declaration.name, value))
        }
    }

    /// The value of a declared option, typed.
    ///
    /// - Precondition: `option` is one of the declarations these values were made from.
    public subscript<Value>(option: AnalysisOption<Value>) -> Value {
        guard let value = self[option.name].flatMap(Value.init(optionValue:)) else {
            preconditionFailure("option '\(option.name)' is not declared by this analysis")
        }
        return value
    }

    /// How the options read in a report heading or summary, the same in every format:
    /// "name value" pairs in declaration order joined by ", ", leaving out options whose value
    /// is the empty string (an empty string means "not set"); `nil` when none is left.
    public var readable: String? {
        let shown = entries.filter { $0.value != .string("") }
        return shown.isEmpty ? nil : shown.map { "\($0.name) \($0.value)" }.joined(separator: ", ")
    }

    /// The value of an option, if declared.
    public subscript(name: String) -> OptionValue? {
        entries.first { $0.name == name }?.value
    }

    /// A declared number option's value (an integer value is converted).
    public func number(_ name: String) -> Double? {
        switch self[name] {
        case .number(let number): number
        case .integer(let integer): Double(integer)
        default: nil
        }
    }

    /// A declared integer option's value.
    public func integer(_ name: String) -> Int? {
        if case .integer(let integer) = self[name] { return integer }
        return nil
    }

    /// A declared string option's value.
    public func string(_ name: String) -> String? {
        if case .string(let text) = self[name] { return text }
        return nil
    }

    /// A declared Boolean option's value.
    public func boolean(_ name: String) -> Bool? {
        if case .boolean(let flag) = self[name] { return flag }
        return nil
    }

    /// The values as a JSON object, in declaration order (the request's `options`).
    public var json: JSONObject {
        JSONObject(entries.map { JSONObject.Member($0.name, $0.value.json) })
    }

    public static func == (lhs: OptionValues, rhs: OptionValues) -> Bool {
        lhs.entries.elementsEqual(rhs.entries) { $0.name == $1.name && $0.value == $1.value }
    }
}

extension String {
    var trimmingASCIIWhitespace: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" || first == "\n" || first == "\r" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\n" || last == "\r" { text.removeLast() }
        return String(text)
    }
}

extension OptionDeclaration {
    /// Declarations as a manifest's `options` object (SPEC §5): name → `{type, default, help}`,
    /// without `default` for a required option.
    public static func json(_ declarations: [OptionDeclaration]) -> JSONValue {
        var object = JSONObject()
        for option in declarations {
            var entry = JSONObject([.init("type", .string(option.type.rawValue))])
            if let defaultValue = option.defaultValue { entry.append("default", defaultValue.json) }
            entry.append("help", .string(option.help))
            object.append(option.name, .object(entry))
        }
        return .object(object)
    }

    /// The default as text for listings and messages: the value, or `required`.
    public var defaultDescription: String {
        defaultValue.map { "default \($0)" } ?? "required"
    }
}
