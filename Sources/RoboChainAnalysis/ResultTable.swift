import RoboChainModel

/// The type of a table column (SPEC §5): how its cells are read, checked and shown.
public enum ColumnType: String, Sendable, CaseIterable {
    /// Free text.
    case text
    /// A number, shown with up to three decimals.
    case number
    /// A whole number.
    case integer
    /// A share from 0 to 1, shown as a percentage.
    case share
    /// True or false.
    case boolean
    /// A component id, shown by the component's name.
    case component
    /// A firm id, shown by the firm's name.
    case firm
    /// A region id, shown by the region's name.
    case region
    /// A list of component ids.
    case components
    /// A list of firm ids.
    case firms

    /// Whether a column of this type can be a row's key (SPEC §5: the first column of type
    /// `component`, `firm` or `region`).
    public var isKey: Bool { self == .component || self == .firm || self == .region }

    /// The kind of model element the ids of this column name, if it holds ids.
    public var element: ModelElement? {
        switch self {
        case .component, .components: .component
        case .firm, .firms: .firm
        case .region: .region
        default: nil
        }
    }

    /// Whether a column of this type holds a list of ids.
    public var isList: Bool { self == .components || self == .firms }

    /// Whether a column of this type holds numbers (shown right-aligned).
    public var isNumeric: Bool { self == .number || self == .integer || self == .share }
}

/// The kinds of model element a table cell or a finding can name.
public enum ModelElement: String, Sendable {
    case component, firm, region

    /// The element's name in `model`, or nil when `id` names none.
    public func name(of id: String, in model: ChainModel) -> String? {
        switch self {
        case .component: model.components.index(of: id).map { model.components.names[$0] }
        case .firm: model.firms.index(of: id).map { model.firms.names[$0] }
        case .region: model.regions.index(of: id).map { model.regions.names[$0] }
        }
    }
}

/// One column of a ``ResultTable``, or one member of an analysis' findings (see
/// ``AnalysisResult/findingColumns``).
public struct TableColumn: Sendable, Equatable {
    /// The column's id: the key of its cells in a row (JSON) and its CSV header.
    public var id: String
    /// The heading shown to people.
    public var title: String
    public var type: ColumnType
    /// What the column means, shown as a note under the table; nil for none.
    public var help: String?

    public init(_ id: String, _ title: String, _ type: ColumnType, help: String? = nil) {
        self.id = id
        self.title = title
        self.type = type
        self.help = help
    }
}

/// A typed table cell. Its case follows the column's ``ColumnType``: `text` for text, `number`
/// for number and share, `integer`, `boolean`, `id` for component, firm and region, `ids` for
/// components and firms.
public enum CellValue: Sendable, Equatable {
    case text(String)
    case number(Double)
    case integer(Int)
    case boolean(Bool)
    case id(String)
    case ids([String])

    /// Whether this value may stand in a column of `type`. An integer fits a number or share
    /// column too.
    public func fits(_ type: ColumnType) -> Bool {
        switch (self, type) {
        case (.text, .text), (.number, .number), (.number, .share), (.integer, .integer), (.integer, .number),
            (.integer, .share), (.boolean, .boolean), (.id, .component), (.id, .firm), (.id, .region),
            (.ids, .components), (.ids, .firms):
            true
        default: false
        }
    }

    /// The number in a number, share or integer cell.
    public var numberValue: Double? {
        switch self {
        case .number(let number): number
        case .integer(let integer): Double(integer)
        default: nil
        }
    }

    /// The ids this cell names: one for an id, the list for ids, none otherwise.
    public var idValues: [String] {
        switch self {
        case .id(let id): [id]
        case .ids(let ids): ids
        default: []
        }
    }
}

/// A table of an analysis' result (SPEC §5 `tables`): typed columns and rows, shown by every
/// output format — names beside ids, shares as percentages — without the format knowing the
/// analysis.
///
/// Rows are arrays of cells aligned with ``columns``; `nil` is a missing cell (absent in JSON).
///
/// ```swift
/// var table = ResultTable(id: "by-country", title: "Suppliers by country", columns: [
///     TableColumn("component", "Component", .component),
///     TableColumn("countries", "Countries", .integer),
///     TableColumn("top", "Largest share", .share),
/// ])
/// table.rows.append([.id("rv-reducer"), .integer(3), .number(0.62)])
/// ```
public struct ResultTable: Sendable, Equatable {
    /// The table's id within its result (e.g. `by-country`).
    public var id: String
    public var title: String
    public var columns: [TableColumn]
    public var rows: [[CellValue?]]
    /// Whether the table presents data that the result's other keys already hold (as the
    /// built-ins' tables present SPEC §2–3 data): JSON output leaves such a table out, the other
    /// formats show it. An extension of protocol 1 (`"view": true`); plugins' tables are not
    /// views unless they say so.
    public var isView: Bool

    public init(id: String, title: String, columns: [TableColumn], rows: [[CellValue?]] = [], isView: Bool = false) {
        self.id = id
        self.title = title
        self.columns = columns
        self.rows = rows
        self.isView = isView
    }

    /// The index of the key column (SPEC §5): the first of type component, firm or region.
    public var keyColumn: Int? { columns.firstIndex { $0.type.isKey } }

    /// The key of row `row` (its key column's id), if the table has a key column and the row a
    /// key cell.
    public func key(ofRow row: Int) -> String? {
        guard let column = keyColumn, case .id(let id) = rows[row][column] else { return nil }
        return id
    }

    /// Checks the table against its own columns and against `model`: column ids unique, every
    /// cell of its column's type, every id cell naming an element of the model.
    ///
    /// - Parameter path: Where the table sits in its message, for the error (`tables[0]`).
    /// - Throws: ``AnalysisError/malformedMessage(message:path:problem:)`` naming the table, row
    ///   and column.
    /// - Complexity: O(cells) id look-ups.
    public func check(against model: ChainModel, path: String) throws(AnalysisError) {
        var seen: Set<String> = []
        for column in columns where !seen.insert(column.id).inserted {
            throw .malformedMessage(message: "response", path: "\(path) '\(id)'", problem: "has two columns with id '\(column.id)'")
        }
        for (rowIndex, row) in rows.enumerated() {
            guard row.count == columns.count else {
                throw .malformedMessage(message: "response", path: "\(path) '\(id)' row \(rowIndex)",
                    problem: "has \(row.count) cells for \(columns.count) columns")
            }
            for (column, cell) in zip(columns, row) {
                guard let cell else { continue }
                let place = "\(path) '\(id)' row \(rowIndex) column '\(column.id)'"
                guard cell.fits(column.type) else {
                    throw .malformedMessage(message: "response", path: place, problem: "must be \(column.type.cellDescription)")
                }
                guard let element = column.type.element else { continue }
                for id in cell.idValues where element.name(of: id, in: model) == nil {
                    throw .malformedMessage(message: "response", path: place,
                        problem: "names \(element.rawValue) '\(PlainTextCap.quote(id))', which is not in the model")
                }
            }
        }
    }
}

extension ColumnType {
    /// What a cell of this type is, for messages: "a share (a number from 0 to 1)".
    public var cellDescription: String {
        switch self {
        case .text: "text (a string)"
        case .number: "a number"
        case .integer: "an integer"
        case .share: "a share (a number, 0 to 1)"
        case .boolean: "true or false"
        case .component: "a component id (a string)"
        case .firm: "a firm id (a string)"
        case .region: "a region id (a string)"
        case .components: "a list of component ids"
        case .firms: "a list of firm ids"
        }
    }
}

/// Quoting of untrusted text in messages: at most 80 characters, the rest elided.
enum PlainTextCap {
    static func quote(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(77)) + "…"
    }
}

extension ResultTable {
    /// The table as shown to people, with the model's firm attributes (SPEC §1) beside the
    /// firms it lists: for the first column of type `firm`, one column per attribute name that
    /// a firm of the table has (titled by the name; typed `number` or `boolean` when every value
    /// is one, else `text`), and for each column of type `firms`, one `text` column after the
    /// others giving each listed firm's attributes (`Name: revenue 1200000000, listed true; …`).
    /// A table that lists no firm with an attribute is returned as it is.
    ///
    /// Generic over tables: no analysis or attribute is named. The results themselves (JSON,
    /// CSV, plugins) are unchanged; table, Markdown, workbook and report output show this form.
    ///
    /// - Complexity: O((r + l) × a log f) for r rows, l firms listed in `firms` cells, a
    ///   attribute names and f firms with one; a new column's id is checked against a set of
    ///   the ids taken, not against every column.
    public func withFirmAttributes(of model: ChainModel, language: Language = .en) -> ResultTable {
        let attributes = model.firms.attributes
        guard !attributes.isEmpty else { return self }
        func firm(_ id: String) -> Int? { model.firms.index(of: id) }
        var table = self
        // The ids taken, so a new column's id is unique in O(1) a try (a search of the columns
        // for each of 20,000 attributes was quadratic).
        var taken = Set(columns.map(\.id))
        func uniqueID(_ base: String) -> String {
            var id = base
            while taken.contains(id) { id += "_" }
            taken.insert(id)
            return id
        }
        if let column = columns.firstIndex(where: { $0.type == .firm }) {
            let firms = rows.map { row -> Int? in if case .id(let id)? = row[column] { firm(id) } else { nil } }
            for name in attributes.names {
                let values = firms.map { $0.flatMap { attributes.value(name, of: $0) } }
                let given = values.compactMap { $0 }
                guard !given.isEmpty else { continue }
                let type: ColumnType = given.allSatisfy { $0.number != nil } ? .number
                    : (given.allSatisfy { $0.boolean != nil } ? .boolean : .text)
                let id = uniqueID(columns[column].id + "." + name)
                table.columns.append(TableColumn(id, name, type, help: language.pick(
                    "attribute '\(name)' of the firm in '\(columns[column].title)' (from the model)",
                    "“\(columns[column].title)”中企业的属性“\(name)”（来自模型）")))
                for (row, value) in values.enumerated() {
                    let cell: CellValue? = value.map { value in
                        switch type {
                        case .number: .number(value.number!)
                        case .boolean: .boolean(value.boolean!)
                        default: .text(value.description)
                        }
                    }
                    table.rows[row].append(cell)
                }
            }
        }
        for (index, column) in columns.enumerated() where column.type == .firms {
            var texts: [String?] = []
            for row in rows {
                guard case .ids(let ids)? = row[index] else {
                    texts.append(nil)
                    continue
                }
                let parts = ids.compactMap { id -> String? in
                    guard let firm = firm(id) else { return nil }
                    let pairs = attributes.attributes(of: firm)
                    guard !pairs.isEmpty else { return nil }
                    return model.firms.names[firm] + language.pick(": ", "：")
                        + pairs.map { "\($0.name) \($0.value)" }.joined(separator: language.pick(", ", "，"))
                }
                texts.append(parts.isEmpty ? nil : parts.joined(separator: language.pick("; ", "；")))
            }
            guard texts.contains(where: { $0 != nil }) else { continue }
            let id = uniqueID(column.id + ".attributes")
            table.columns.append(TableColumn(id, column.title + language.pick(": attributes", "：属性"), .text, help: language.pick(
                "the model's attributes of the firms in '\(column.title)'", "“\(column.title)”中各企业在模型中的属性")))
            for (row, text) in texts.enumerated() { table.rows[row].append(text.map(CellValue.text)) }
        }
        return table
    }
}
