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

/// An option an analysis declares: its name, type, default and help (SPEC §5).
///
/// An option without a default is required: the user must give it a value.
public struct OptionDeclaration: Sendable, Equatable {
    public var name: String
    public var type: OptionType
    /// The value used where the user sets none; `nil` for a required option.
    public var defaultValue: OptionValue?
    public var help: String

    /// Whether `name` is a valid option name: like a model id, `[A-Za-z0-9][A-Za-z0-9._-]*`.
    public static func isValidName(_ name: String) -> Bool { ChainModel.isValidID(name) }

    /// Whether the user must give this option a value (it has no default).
    public var isRequired: Bool { defaultValue == nil }

    /// Declares an option. The default, if any, must be of the option's type; without one the
    /// option is required.
    public init(name: String, type: OptionType, defaultValue: OptionValue?, help: String) {
        precondition(defaultValue.map { $0.type == type } ?? true, "the default of option '\(name)' is not a \(type.rawValue)")
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.help = help
    }
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
            entries.append((declaration.name, value))
        }
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
