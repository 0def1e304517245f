/// The value of an attribute (SPEC §1): text, a number or a truth value.
///
/// Models carry attributes such as `revenue: 1.2e9`, `listed: true` or `exchange: HKEX` on any
/// element; analyses read them through ``AttributeTable``.
public enum AttributeValue: Sendable, Hashable, CustomStringConvertible {
    /// Text: a YAML or JSON string, a CSV cell that is quoted or reads as neither of the others,
    /// a text cell of a workbook.
    case text(String)
    /// A finite number: a YAML/JSON number, an unquoted CSV cell in decimal form, a number cell.
    case number(Double)
    /// A truth value: YAML `true`/`false`, JSON Booleans, `TRUE`/`FALSE` in CSV (any case), a
    /// Boolean cell.
    case boolean(Bool)

    /// The number, if this is one.
    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The text, if this is text.
    public var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The truth value, if this is one.
    public var boolean: Bool? {
        if case .boolean(let value) = self { return value }
        return nil
    }

    /// The value as a cell shows it: text as it is, `true`/`false`, a number in its shortest
    /// exact form (`0.25`, `1200000000`).
    public var description: String {
        switch self {
        case .text(let text): text
        case .boolean(let flag): flag ? "true" : "false"
        case .number(let value): CSVWriter.number(value)
        }
    }
}

/// The attributes of one kind of element, stored column by column: one sparse column per
/// attribute name, holding values only for the elements that have one (SPEC §1).
///
/// ```swift
/// if let revenue = model.firms.attributes.value("revenue", of: firm)?.number { … }
/// for (name, value) in model.firms.attributes.attributes(of: firm) { print(name, value) }
/// ```
public struct AttributeTable: Sendable, Equatable {
    /// The attribute names, in the order first met in the file.
    public private(set) var names: [String] = []
    private var columns: [SparseColumn<AttributeValue>] = []
    private var position: [String: Int] = [:]

    public init() {}

    /// Whether no element has an attribute.
    public var isEmpty: Bool { names.isEmpty }

    /// The column of one attribute: its value for each element that has one.
    ///
    /// - Complexity: O(1) expected.
    public func column(_ name: String) -> SparseColumn<AttributeValue>? {
        position[name].map { columns[$0] }
    }

    /// The value of attribute `name` of element `element`, if it has one.
    ///
    /// - Complexity: O(log n) in the number of elements with that attribute.
    public func value(_ name: String, of element: Int) -> AttributeValue? {
        guard let column = position[name] else { return nil }
        return columns[column][element]
    }

    /// Every attribute of element `element`, in the order of ``names``.
    ///
    /// - Complexity: O(a log n) for a attribute names.
    public func attributes(of element: Int) -> [(name: String, value: AttributeValue)] {
        guard !names.isEmpty else { return [] }
        var result: [(name: String, value: AttributeValue)] = []
        for (index, name) in names.enumerated() {
            if let value = columns[index][element] { result.append((name, value)) }
        }
        return result
    }

    /// Sets attribute `name` of element `element`; elements must be set in increasing order
    /// for each name (as loaders read them). Returns `false`, changing nothing, when the
    /// element already has that attribute.
    @discardableResult
    mutating func set(_ name: String, _ value: AttributeValue, of element: Int) -> Bool {
        let index: Int
        if let found = position[name] {
            index = found
        } else {
            index = names.count
            position[name] = index
            names.append(name)
            columns.append(SparseColumn())
        }
        if let last = columns[index].indices.last, last >= Int32(element) { return false }
        columns[index].append(value, at: element)
        return true
    }

    /// Reorders the elements: element `newIndex` takes the attributes of `order[newIndex]`.
    func permuted(by order: [Int32]) -> AttributeTable {
        mapColumns { $0.permuted(by: order) }
    }

    /// The table with `transform` applied to every attribute's column.
    func mapColumns(_ transform: (SparseColumn<AttributeValue>) -> SparseColumn<AttributeValue>) -> AttributeTable {
        guard !names.isEmpty else { return self }
        var result = self
        result.columns = columns.map(transform)
        return result
    }

    /// Equal when the same names hold the same values (the order names were met in aside).
    public static func == (lhs: AttributeTable, rhs: AttributeTable) -> Bool {
        guard lhs.names.count == rhs.names.count else { return false }
        for (index, name) in lhs.names.enumerated() {
            guard let other = rhs.position[name], lhs.columns[index] == rhs.columns[other] else { return false }
        }
        return true
    }
}
