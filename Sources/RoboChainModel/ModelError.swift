/// Where something was read: a file and, where known, a 1-based line; in a workbook, a sheet,
/// its row (`line`) and, where the problem is in one cell, its 1-based column.
///
/// A CSV, YAML or JSON file is named `file:line`. A workbook's sheet is named as Excel
/// references it: a cell `book.xlsx: firms!B12`, a whole row `book.xlsx: firms!12:12`, the
/// whole sheet `book.xlsx: sheet firms` (a sheet name that Excel would quote is quoted,
/// `'my firms'!B12`).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// The sheet of a workbook (`file`), or `nil` for a file of text.
    public var sheet: String?
    /// The 1-based column of a cell of a sheet (A is 1), or `nil` for a whole row or file.
    public var column: Int?

    public init(file: String, line: Int? = nil) {
        self.file = file
        self.line = line
    }

    /// A place in sheet `sheet` of workbook `file`: a cell, a row, or the whole sheet.
    public init(workbook file: String, sheet: String, row: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = row
        self.sheet = sheet
        self.column = row == nil ? nil : column
    }

    /// `file:line`, or `file` when the line is unknown; in a workbook, `file: sheet!B12`,
    /// `file: sheet!12:12` or `file: sheet sheet` (the file's name as ``MessageText`` shows it:
    /// bytes that are not UTF-8 as `\xFF`).
    public var description: String {
        let shown = MessageText.quoted(file, limit: 4096)
        guard let sheet else { return line.map { "\(shown):\($0)" } ?? shown }
        let name = Self.sheetReference(sheet)
        guard let line else { return "\(shown): sheet \(name)" }
        guard let column else { return "\(shown): \(name)!\(line):\(line)" }
        return "\(shown): \(name)!\(Self.columnLetters(column))\(line)"
    }

    /// The letters of 1-based column `column`: 1 is `A`, 27 `AA`, 16,384 `XFD`.
    public static func columnLetters(_ column: Int) -> String {
        var letters: [Character] = []
        var rest = max(column, 1)
        while rest > 0 {
            rest -= 1
            letters.append(Character(Unicode.Scalar(UInt8(ascii: "A") + UInt8(rest % 26))))
            rest /= 26
        }
        return String(letters.reversed())
    }

    /// A sheet name as a reference writes it: as is when it is letters, digits, `_` and `.`
    /// starting with a letter or `_` and not like a cell (`AB12`), else in single quotes with
    /// any quote doubled, as Excel writes `'my firms'!A1`.
    static func sheetReference(_ name: String) -> String {
        let scalars = Array(name.unicodeScalars)
        let plain = !scalars.isEmpty
            && scalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "." }
            && (scalars[0].properties.isAlphabetic || scalars[0] == "_")
        let letters = scalars.prefix { ("A"..."Z").contains($0) || ("a"..."z").contains($0) }
        let digits = scalars.dropFirst(letters.count)
        let cellLike = !letters.isEmpty && letters.count <= 3 && !digits.isEmpty && digits.allSatisfy { ("0"..."9").contains($0) }
        if plain && !cellLike { return name }
        return "'" + String(name.flatMap { $0 == "'" ? ["'", "'"] : [$0] }) + "'"
    }
}

/// The kinds of element a model holds, named as in messages.
public enum ElementKind: String, Sendable, CaseIterable {
    case region, segment, component, firm
}

/// Why a model could not be loaded (SPEC §1.3), or a scenario could not be applied to it
/// (SPEC §6: the last three cases, usage errors rather than invalid models). Loading collects
/// every problem it finds; several come back as ``several(_:)``.
public enum ModelError: Swift.Error, Sendable, Equatable, CustomStringConvertible {
    /// The model path or one of its files cannot be read.
    case unreadable(path: String, reason: String)
    /// The path is neither a `.yaml`/`.yml`/`.json` file nor a directory.
    case unsupportedFormat(path: String)
    /// A file breaks the syntax of its format.
    case syntax(SourceLocation, problem: String)
    /// A required file of a CSV model is missing.
    case missingFile(path: String)
    /// A CSV file's header lacks a required column.
    case missingColumn(SourceLocation, column: String)
    /// An element lacks a required field (`element` describes it, e.g. "firm 'ubtech'").
    case missingField(SourceLocation, element: String, field: String)
    /// A field has a value of the wrong type or form.
    case invalidValue(SourceLocation, element: String, field: String, problem: String)
    /// An id breaks the rule of SPEC §1: letters of any script, digits, `.`, `_` and `-`,
    /// starting with a letter or digit.
    case invalidID(SourceLocation, kind: ElementKind, id: String)
    /// Two elements of one kind share an id.
    case duplicateID(SourceLocation, kind: ElementKind, id: String, first: SourceLocation)
    /// Two ids of one kind differ only by Unicode normalisation (`é` as one scalar and as `e`
    /// and a combining accent): exact comparison would keep them apart, a reader cannot.
    case normalisationDuplicate(SourceLocation, kind: ElementKind, id: String, other: String, first: SourceLocation)
    /// A reference names an element that does not exist.
    case unknownReference(SourceLocation, element: String, field: String, kind: ElementKind, id: String)
    /// `requires` is not acyclic; the ids go round the cycle, the first repeated at the end.
    case requiresCycle(SourceLocation, cycle: [String])
    /// Region parents form a cycle; the ids go round it, the first repeated at the end.
    case regionCycle(SourceLocation, cycle: [String])
    /// One component's `requires` lists a child twice.
    case duplicateRequirement(SourceLocation, component: String, child: String)
    /// A firm supplies one component twice.
    case duplicateSupply(SourceLocation, firm: String, component: String)
    /// A `requires` weight outside (0, 1].
    case weightOutOfRange(SourceLocation, component: String, child: String, weight: Double)
    /// A supply share outside [0, 1].
    case shareOutOfRange(SourceLocation, firm: String, component: String, share: Double)
    /// The given weights of one component's `requires` sum to more than 1 (+1e-6).
    case weightsExceedOne(SourceLocation, component: String, sum: Double)
    /// More problems were found than are kept; this many more are not listed.
    case moreProblems(count: Int)
    /// More than one problem, in the order found.
    case several([ModelError])
    /// A scenario operation that is not one of SPEC §6 (`operation` as written, e.g. `without x:1`).
    case invalidScenario(operation: String, problem: String)
    /// A scenario operation names a firm or region the model does not have; `suggestion` is a
    /// close id of that kind, if there is one.
    case unknownScenarioID(operation: String, kind: ElementKind, id: String, suggestion: String?)
    /// A scenario operation names a firm that an earlier operation removed.
    case scenarioFirmRemoved(operation: String, firm: String, removedBy: String)

    /// Whether this is a scenario's problem (a usage error, SPEC §6) rather than the model's.
    public var isScenarioError: Bool {
        switch self {
        case .invalidScenario, .unknownScenarioID, .scenarioFirmRemoved: true
        default: false
        }
    }

    /// The individual problems (one, unless this is ``several(_:)``).
    public var problems: [ModelError] {
        if case .several(let errors) = self { return errors.flatMap(\.problems) }
        return [self]
    }

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read '\(Self.q(path))': \(reason)"
        case .unsupportedFormat(let path):
            return "'\(Self.q(path))' is not a model: expected a .yaml, .yml or .json file, a directory of CSV files, or an .xlsx workbook"
        case .syntax(let location, let problem):
            return "\(location): \(Self.q(problem, limit: 400))"
        case .missingFile(let path):
            return "missing file '\(Self.q(path))' (a CSV model needs regions.csv, components.csv, firms.csv and supplies.csv)"
        case .missingColumn(let location, let column):
            return "\(location): the header has no column '\(Self.q(column))'"
        case .missingField(let location, let element, let field):
            return "\(location): \(Self.q(element, limit: 300)) has no '\(Self.q(field))'"
        case .invalidValue(let location, let element, let field, let problem):
            return "\(location): '\(Self.q(field))' of \(Self.q(element, limit: 300)) \(Self.q(problem, limit: 400))"
        case .invalidID(let location, let kind, let id):
            return "\(location): invalid \(kind.rawValue) id '\(Self.q(id))': ids are letters (of any script), digits, '.', '_' and '-', starting with a letter or digit"
        case .duplicateID(let location, let kind, let id, let first):
            return "\(location): duplicate \(kind.rawValue) id '\(Self.q(id))' (first defined at \(first))"
        case .normalisationDuplicate(let location, let kind, let id, let other, let first):
            return "\(location): \(kind.rawValue) id '\(Self.q(id))' (\(IDRule.scalars(id))) differs from '\(Self.q(other))' (\(IDRule.scalars(other)), first defined at \(first)) only by Unicode normalisation: write both the same way"
        case .unknownReference(let location, let element, let field, let kind, let id):
            return "\(location): '\(Self.q(field))' of \(Self.q(element, limit: 300)) names unknown \(kind.rawValue) '\(Self.q(id))'"
        case .requiresCycle(let location, let cycle):
            return "\(location): 'requires' has a cycle: \(cycle.map { Self.q($0) }.joined(separator: " → "))"
        case .regionCycle(let location, let cycle):
            return "\(location): region parents form a cycle: \(cycle.map { Self.q($0) }.joined(separator: " → "))"
        case .duplicateRequirement(let location, let component, let child):
            return "\(location): component '\(Self.q(component))' requires '\(Self.q(child))' more than once"
        case .duplicateSupply(let location, let firm, let component):
            return "\(location): firm '\(Self.q(firm))' supplies component '\(Self.q(component))' more than once"
        case .weightOutOfRange(let location, let component, let child, let weight):
            return "\(location): weight \(Self.format(weight)) of '\(Self.q(component))' requiring '\(Self.q(child))' is outside (0, 1]"
        case .shareOutOfRange(let location, let firm, let component, let share):
            return "\(location): share \(Self.format(share)) of firm '\(Self.q(firm))' in component '\(Self.q(component))' is outside [0, 1]"
        case .weightsExceedOne(let location, let component, let sum):
            return "\(location): the weights given in the requires of component '\(Self.q(component))' sum to \(Self.format(sum)), more than 1"
        case .moreProblems(let count):
            return "… and \(count) more problems"
        case .several(let errors):
            return errors.map(\.description).joined(separator: "\n")
        case .invalidScenario(let operation, let problem):
            return "scenario '\(operation)': \(problem)"
        case .unknownScenarioID(let operation, let kind, let id, let suggestion):
            return "scenario '\(operation)': unknown \(kind.rawValue) '\(id)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .scenarioFirmRemoved(let operation, let firm, let removedBy):
            return "scenario '\(operation)': firm '\(firm)' was already removed by '\(removedBy)'"
        }
    }

    /// Quoted input text, capped (an id may be megabytes long).
    private static func q(_ text: String, limit: Int = MessageText.maximumQuoted) -> String {
        MessageText.quoted(text, limit: limit)
    }

    private static func format(_ value: Double) -> String {
        let rounded = (value * 1e9).rounded() / 1e9
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int(rounded)) : String(rounded)
    }
}

/// Something in a model file that was accepted but is probably a mistake (an unknown key).
public struct ModelWarning: Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(MessageText.quoted(message, limit: 400))" }
}
