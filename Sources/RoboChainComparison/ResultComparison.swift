import Dispatch
import RoboChainAnalysis
import RoboChainJSON
import Synchronization

/// Which run a result of a comparison comes from (SPEC §7 `base` and `other`).
public struct RunLabel: Sendable, Equatable {
    /// The model: its id, or the path it was loaded from when it has none.
    public var model: String
    /// The scope (a region id).
    public var scope: String
    /// The scenario applied before the run (SPEC §6), as results carry it; empty for none.
    public var scenario: [String]

    /// A label of the run of `model` on `scope` after `scenario`.
    public init(model: String, scope: String, scenario: [String] = []) {
        self.model = model
        self.scope = scope
        self.scenario = scenario
    }

    /// One line for people: `guangdong-robots, scope CN-GD, without region:JP`.
    public var description: String {
        ([model, "scope " + scope] + scenario).joined(separator: ", ")
    }
}

/// A finding both runs have (same analysis, kind and subject) with some member other than its
/// message different.
public struct ChangedFinding: Sendable, Equatable {
    /// The finding as the base run has it.
    public var base: Finding
    /// The finding as the other run has it.
    public var other: Finding

    /// The finding as each run has it.
    public init(base: Finding, other: Finding) {
        self.base = base
        self.other = other
    }
}

/// A number both runs have under the same path, with different values.
public struct MovedValue: Sendable, Equatable {
    /// Object keys from the top of the result (`["metrics", "hhi"]`,
    /// `["components", "rv-reducer", "direct"]`); a row of a list is named by its key (a table
    /// row by its key column, SPEC §5), never by its position.
    public var path: [String]
    /// The value in the base run.
    public var base: Double
    /// The value in the other run.
    public var other: Double
    /// The type of the table column that shows the value, when a table of the base result
    /// (views included) does: a table's own cell (`["tables", id, key, column]`), or the column
    /// whose id is the path's last key in a table with a row keyed by an earlier key of the path;
    /// `nil` when none does. Not part of the JSON of SPEC §7; formats for people and CSV write
    /// the value as that column's cells are written.
    public var type: ColumnType?

    /// A value at `path` that moved from `base` to `other`; `type`, the type of the table
    /// column that shows it, when one does.
    public init(path: [String], base: Double, other: Double, type: ColumnType? = nil) {
        self.path = path
        self.base = base
        self.other = other
        self.type = type
    }

    /// `other − base`.
    public var change: Double { other - base }
}

/// What differs between two results of one analysis (SPEC §7): the findings that appeared,
/// went or changed, and every number that moved.
///
/// Generic over analyses: it reads only the shapes of SPEC §5 — findings identified by `kind`
/// and subject (`component` or `firm`), objects walked by key, tables matched by `id` and their
/// rows by key — never an analysis' name or its own keys.
public struct ResultComparison: Sendable, Equatable {
    /// The name of the analysis both results come from.
    public var analysis: String
    /// The base run (the first of the comparison).
    public var base: RunLabel
    /// The run compared with the base.
    public var other: RunLabel
    /// Findings only in the other run, in its order.
    public var added: [Finding]
    /// Findings only in the base run, in its order.
    public var removed: [Finding]
    /// Findings in both runs that differ in a member other than `message`, in the other run's order.
    public var changed: [ChangedFinding]
    /// Every number both results have under the same path (findings aside) whose values
    /// differ, in the base result's order.
    public var values: [MovedValue]
    /// How the rows of the results' tables (SPEC §5, views included) moved, for people: what
    /// the formats for people show instead of the values the tables present. Not part of the
    /// JSON of SPEC §7.
    public var tables: [TableChange] = []
    /// Whether the base result has tables that present its other keys (``ResultTable/isView``):
    /// then ``tables`` shows its values to people, and the values' paths need not be.
    public var hasViews = false

    /// A comparison with the given differences (``compare(_:baseRun:otherRun:)`` computes them).
    public init(
        analysis: String, base: RunLabel, other: RunLabel, added: [Finding] = [], removed: [Finding] = [],
        changed: [ChangedFinding] = [], values: [MovedValue] = []
    ) {
        self.analysis = analysis
        self.base = base
        self.other = other
        self.added = added
        self.removed = removed
        self.changed = changed
        self.values = values
    }

    /// Compares two results of the same analysis.
    ///
    /// Findings are matched by `kind` and subject (`component`, else `firm`); when one run has
    /// several with the same identity, the first of one is matched with the first of the other,
    /// and so on. Values: `metrics` by name, then every other key of the result (`findings`,
    /// `annotations` and `legend` aside) walked in parallel — objects by key; a list of objects
    /// that each have a distinct text `id`, `component`, `firm` or `region` (the first of these
    /// that all have) by that member; a table of SPEC §5 (an object with `columns` and `rows`)
    /// row by row by the row's key (its first column of type `component`, `firm` or `region`)
    /// and cell by column id, the path naming the table, the row key and the column. Lists of
    /// any other kind are not compared (there is nothing to match their elements by).
    ///
    /// - Complexity: O(size of the two results): large objects and lists are matched through
    ///   hash tables.
    public init(base baseResult: AnalysisResult, other otherResult: AnalysisResult, baseRun: RunLabel, otherRun: RunLabel) {
        self.init(analysis: baseResult.analysis, base: baseRun, other: otherRun)
        compareFindings(baseResult.findings ?? [], otherResult.findings ?? [])
        var walker = ValueWalker()
        if let baseMetrics = baseResult.metrics, let otherMetrics = otherResult.metrics {
            for name in baseMetrics.keys.sorted() {
                if let x = baseMetrics[name], let y = otherMetrics[name], x != y {
                    walker.moved.append(MovedValue(path: ["metrics", name], base: x, other: y))
                }
            }
        }
        walker.walk(baseResult.extra, otherResult.extra)
        values = walker.moved
        // The typed tables that are not views of the keys above (a plugin's own), cell by cell.
        for table in baseResult.tables where !table.isView {
            guard let otherTable = otherResult.tables.first(where: { $0.id == table.id }), let matched = TableMatch(table, otherTable) else { continue }
            for (row, otherRow) in matched.rowPairs {
                guard let key = TableMatch.key(table, row: row, column: matched.baseKey) else { continue }
                for (column, otherColumn) in matched.columnPairs {
                    guard let x = table.rows[row][column]?.numberValue, let y = otherTable.rows[otherRow][otherColumn]?.numberValue, x != y
                    else { continue }
                    values.append(MovedValue(path: ["tables", table.id, key, table.columns[column].id], base: x, other: y))
                }
            }
        }
        hasViews = baseResult.tables.contains(where: \.isView)
        let columnTypes = ColumnTypeIndex(baseResult.tables)
        for index in values.indices { values[index].type = columnTypes.type(of: values[index].path) }
        tables = baseResult.tables.compactMap { table in
            otherResult.tables.first(where: { $0.id == table.id }).flatMap { TableChange(base: table, other: $0) }
        }
    }

    /// Compares the results of several analyses, pair by pair, side by side on the cores.
    ///
    /// - Parameter pairs: For each analysis, its base and other results.
    /// - Returns: The comparisons, in the order of `pairs`.
    public static func compare(
        _ pairs: [(base: AnalysisResult, other: AnalysisResult)], baseRun: RunLabel, otherRun: RunLabel
    ) -> [ResultComparison] {
        let comparisons = Mutex([ResultComparison?](repeating: nil, count: pairs.count))
        DispatchQueue.concurrentPerform(iterations: pairs.count) { index in
            let comparison = ResultComparison(base: pairs[index].base, other: pairs[index].other, baseRun: baseRun, otherRun: otherRun)
            comparisons.withLock { $0[index] = comparison }
        }
        return comparisons.withLock { $0.map { $0! } }
    }

    /// A finding's identity: kind and subject.
    struct FindingKey: Hashable {
        var kind: String
        var component: String?
        var firm: String?

        init(_ finding: Finding) {
            kind = finding.kind
            component = finding.component
            firm = finding.component == nil ? finding.firm : nil
        }
    }

    private mutating func compareFindings(_ baseFindings: [Finding], _ otherFindings: [Finding]) {
        // The positions of the base's findings by identity, in order; each match takes the first left.
        var positions: [FindingKey: [Int]] = [:]
        positions.reserveCapacity(baseFindings.count)
        for (index, finding) in baseFindings.enumerated() { positions[FindingKey(finding), default: []].append(index) }
        var taken: [FindingKey: Int] = [:]
        var matched = [Bool](repeating: false, count: baseFindings.count)
        for finding in otherFindings {
            let key = FindingKey(finding)
            let next = taken[key, default: 0]
            guard let list = positions[key], next < list.count else {
                added.append(finding)
                continue
            }
            taken[key] = next + 1
            matched[list[next]] = true
            let previous = baseFindings[list[next]]
            if !Self.sameApartFromMessage(previous, finding) { changed.append(ChangedFinding(base: previous, other: finding)) }
        }
        removed = baseFindings.indices.filter { !matched[$0] }.map { baseFindings[$0] }
    }

    static func sameApartFromMessage(_ a: Finding, _ b: Finding) -> Bool {
        a.kind == b.kind && a.severity == b.severity && a.component == b.component && a.firm == b.firm
            && sameMembers(a.details, b.details)
    }

    /// Whether two objects have the same members, in any order.
    static func sameMembers(_ a: JSONObject, _ b: JSONObject) -> Bool {
        guard a.members.count == b.members.count else { return false }
        if a.members == b.members { return true }
        return a.members.allSatisfy { member in b[member.key] == member.value }
    }
}

/// Two tables of the same id matched: rows by key (SPEC §5), columns by id.
struct TableMatch {
    /// The key column of each table.
    var baseKey: Int
    var otherKey: Int
    /// Base row and other row with the same key (each key's first row), in the base's order.
    var rowPairs: [(Int, Int)] = []
    /// Rows with a key in one table only.
    var baseOnly: [Int] = []
    var otherOnly: [Int] = []
    /// Base column and other column with the same id.
    var columnPairs: [(Int, Int)] = []

    /// `nil` when the tables have no key column or key different columns.
    ///
    /// - Parameter textKeys: For people only: a table without a key column (SPEC §5) is keyed
    ///   by its first column when that is text (e.g. a segment's name).
    init?(_ base: ResultTable, _ other: ResultTable, textKeys: Bool = false) {
        func key(of table: ResultTable) -> Int? {
            if let key = table.keyColumn { return key }
            return textKeys && table.columns.first?.type == .text ? 0 : nil
        }
        guard let baseKey = key(of: base), let otherKey = key(of: other), base.columns[baseKey].id == other.columns[otherKey].id
        else { return nil }
        self.baseKey = baseKey
        self.otherKey = otherKey
        var otherRows: [String: Int] = [:]
        otherRows.reserveCapacity(other.rows.count)
        for row in other.rows.indices {
            if let id = Self.key(other, row: row, column: otherKey), otherRows[id] == nil { otherRows[id] = row }
        }
        var seen: Set<String> = []
        for row in base.rows.indices {
            guard let id = Self.key(base, row: row, column: baseKey), seen.insert(id).inserted else { continue }
            if let otherRow = otherRows[id] { rowPairs.append((row, otherRow)) } else { baseOnly.append(row) }
        }
        otherOnly = other.rows.indices.filter { row in
            Self.key(other, row: row, column: otherKey).map { !seen.contains($0) && otherRows[$0] == row } ?? false
        }
        var otherColumns: [String: Int] = [:]
        for (index, column) in other.columns.enumerated() where otherColumns[column.id] == nil { otherColumns[column.id] = index }
        columnPairs = base.columns.indices.compactMap { column in otherColumns[base.columns[column].id].map { (column, $0) } }
    }

    /// The key of a row: the id (or text) in its key column.
    static func key(_ table: ResultTable, row: Int, column: Int) -> String? {
        switch table.rows[row][column] {
        case .id(let id)?, .text(let id)?: id
        default: nil
        }
    }
}

/// Which table column shows a value of a result, by path (see ``MovedValue/type``).
struct ColumnTypeIndex {
    /// For each column id, the tables (in result order) with such a column: the column's type
    /// and the table's row keys.
    private var columns: [String: [(type: ColumnType, keys: Set<String>)]] = [:]
    private var ownCells: [String: [String: ColumnType]] = [:]

    /// - Complexity: O(cells of the tables' key columns + columns).
    init(_ tables: [ResultTable]) {
        for table in tables {
            if !table.isView, ownCells[table.id] == nil {
                ownCells[table.id] = Dictionary(table.columns.map { ($0.id, $0.type) }) { first, _ in first }
            }
            guard table.keyColumn != nil else { continue }
            let keys = Set(table.rows.indices.compactMap { table.key(ofRow: $0) })
            for column in table.columns where column.type.isNumeric {
                columns[column.id, default: []].append((column.type, keys))
            }
        }
    }

    /// The type of the column that shows the value at `path`, or `nil`.
    ///
    /// - Complexity: O(length of the path × tables with a column of the path's last key).
    func type(of path: [String]) -> ColumnType? {
        if path.count == 4, path[0] == "tables", let type = ownCells[path[1]]?[path[3]] { return type }
        guard path.count >= 2, let last = path.last, let candidates = columns[last] else { return nil }
        let earlier = path.dropLast()
        return candidates.first { candidate in earlier.contains { candidate.keys.contains($0) } }?.type
    }
}

/// One cell of a table that differs between the runs (`nil`: absent or null in that run).
public struct CellChange: Sendable, Equatable {
    /// The column of the cell.
    public var column: TableColumn
    /// The cell in the base run's row.
    public var base: CellValue?
    /// The cell in the other run's row.
    public var other: CellValue?

    /// A cell of `column` as each run has it.
    public init(column: TableColumn, base: CellValue?, other: CellValue?) {
        self.column = column
        self.base = base
        self.other = other
    }
}

/// A table row that moved: its key and the numeric cells that differ.
public struct RowChange: Sendable, Equatable {
    /// The row's key: an id of the key column's type, or the text of a table's first column
    /// when it has no key column.
    public var key: String
    /// Whether the row is in the base run, the other run, or both.
    public var inBase: Bool
    /// Whether the row is in the other run.
    public var inOther: Bool
    /// The numeric cells that differ, in column order.
    public var cells: [CellChange]

    /// A row `key`, where it is, and the cells that differ.
    public init(key: String, inBase: Bool, inOther: Bool, cells: [CellChange]) {
        self.key = key
        self.inBase = inBase
        self.inOther = inOther
        self.cells = cells
    }

    /// What the rows are sorted by: rows whose shares moved first, by the largest share change;
    /// then the others by their largest change (a number present in one run only counts whole).
    var size: (shares: Double, all: Double) {
        var shares = 0.0
        var all = 0.0
        for cell in cells {
            let change = abs((cell.other?.numberValue ?? 0) - (cell.base?.numberValue ?? 0))
            if cell.column.type == .share { shares = max(shares, change) }
            all = max(all, change)
        }
        return (shares, all)
    }
}

/// How one table's rows moved between the two runs, largest changes first.
public struct TableChange: Sendable, Equatable {
    /// The table's id (SPEC §5), as in both runs.
    public var id: String
    /// The base table's title.
    public var title: String
    /// The key column (its title names what the rows are).
    public var keyColumn: TableColumn
    /// The rows that moved, largest changes first.
    public var rows: [RowChange]

    /// `nil` when the tables have no key or nothing numeric in them moved.
    init?(base: ResultTable, other: ResultTable) {
        guard let matched = TableMatch(base, other, textKeys: true) else { return nil }
        id = base.id
        title = base.title
        keyColumn = base.columns[matched.baseKey]
        let numeric = matched.columnPairs.filter { base.columns[$0.0].type.isNumeric }
        var rows: [RowChange] = []
        for (row, otherRow) in matched.rowPairs {
            var cells: [CellChange] = []
            for (column, otherColumn) in numeric {
                let x = base.rows[row][column]
                let y = other.rows[otherRow][otherColumn]
                if x?.numberValue != y?.numberValue { cells.append(CellChange(column: base.columns[column], base: x, other: y)) }
            }
            if !cells.isEmpty, let id = TableMatch.key(base, row: row, column: matched.baseKey) { rows.append(RowChange(key: id, inBase: true, inOther: true, cells: cells)) }
        }
        for row in matched.baseOnly {
            guard let id = TableMatch.key(base, row: row, column: matched.baseKey) else { continue }
            let cells = numeric.compactMap { pair in base.rows[row][pair.0].map { CellChange(column: base.columns[pair.0], base: $0, other: nil) } }
            rows.append(RowChange(key: id, inBase: true, inOther: false, cells: cells))
        }
        for row in matched.otherOnly {
            guard let id = TableMatch.key(other, row: row, column: matched.otherKey) else { continue }
            let cells = numeric.compactMap { pair in other.rows[row][pair.1].map { CellChange(column: base.columns[pair.0], base: nil, other: $0) } }
            rows.append(RowChange(key: id, inBase: false, inOther: true, cells: cells))
        }
        guard !rows.isEmpty else { return nil }
        // Each row's size computed once, not at every comparison of the sort.
        let sizes = rows.map(\.size)
        self.rows = rows.indices.sorted { left, right in
            let a = sizes[left]
            let b = sizes[right]
            if a.shares != b.shares { return a.shares > b.shares }
            if a.all != b.all { return a.all > b.all }
            return left < right
        }.map { rows[$0] }
    }
}

/// Walks two JSON trees side by side, collecting the numbers that differ under the same path.
struct ValueWalker {
    var moved: [MovedValue] = []
    private var path: [String] = []

    /// The keys of a result that are not values: its identity, findings (compared as findings)
    /// and the map's drawing instructions.
    static let skippedTopLevelKeys: Set<String> = ["analysis", "scope", "scenario", "findings", "annotations", "legend", "protocol"]

    /// The members of a list that can name its rows, in the order tried.
    static let rowKeys = ["id", "component", "firm", "region"]

    /// The column types that make a table row's key (SPEC §5).
    static let keyColumnTypes: Set<String> = ["component", "firm", "region"]

    mutating func walk(_ base: JSONObject, _ other: JSONObject) {
        walkObjects(base, other, topLevel: true)
    }

    private mutating func walk(_ base: JSONValue, _ other: JSONValue) {
        switch (base, other) {
        case (.number(let x), .number(let y)):
            if x != y { moved.append(MovedValue(path: path, base: x, other: y)) }
        case (.object(let a), .object(let b)):
            if let rowsA = a["rows"]?.arrayValue, let rowsB = b["rows"]?.arrayValue, let key = Self.keyColumn(of: a),
                Self.keyColumn(of: b) == key
            {
                walkRows(rowsA, rowsB, key: key)
            } else {
                walkObjects(a, b, topLevel: false)
            }
        case (.array(let a), .array(let b)):
            guard let key = Self.rowKey(of: a), Self.rowKey(of: b) == key else { return }
            walkRows(a, b, key: key)
        default:
            break
        }
    }

    private mutating func walkObjects(_ a: JSONObject, _ b: JSONObject, topLevel: Bool) {
        let index = Self.index(b)
        for member in a.members {
            if topLevel && Self.skippedTopLevelKeys.contains(member.key) { continue }
            guard let otherValue = index.map({ $0[member.key].map { b.members[$0].value } }) ?? b[member.key] else { continue }
            path.append(member.key)
            walk(member.value, otherValue)
            path.removeLast()
        }
    }

    /// Matches the objects of two lists by the text of their `key` member; the path names the row by it.
    private mutating func walkRows(_ a: [JSONValue], _ b: [JSONValue], key: String) {
        var rows: [String: JSONObject] = [:]
        rows.reserveCapacity(b.count)
        for element in b {
            if let object = element.objectValue, let id = object[key]?.stringValue, rows[id] == nil { rows[id] = object }
        }
        var seen: Set<String> = []
        for element in a {
            guard let object = element.objectValue, let id = object[key]?.stringValue, seen.insert(id).inserted,
                let otherObject = rows[id]
            else { continue }
            path.append(id)
            walk(.object(object), .object(otherObject))
            path.removeLast()
        }
    }

    /// A table's key column (SPEC §5): the id of its first column of type component, firm or region.
    static func keyColumn(of table: JSONObject) -> String? {
        guard let columns = table["columns"]?.arrayValue else { return nil }
        for column in columns {
            guard let object = column.objectValue else { return nil }
            if let type = object["type"]?.stringValue, keyColumnTypes.contains(type) { return object["id"]?.stringValue }
        }
        return nil
    }

    /// The member that names the elements of a list: the first of ``rowKeys`` that every
    /// element (all objects) has as a text, with no two elements alike.
    static func rowKey(of list: [JSONValue]) -> String? {
        guard !list.isEmpty else { return nil }
        var objects: [JSONObject] = []
        objects.reserveCapacity(list.count)
        for element in list {
            guard let object = element.objectValue else { return nil }
            objects.append(object)
        }
        for key in rowKeys {
            var seen: Set<String> = []
            seen.reserveCapacity(objects.count)
            if objects.allSatisfy({ object in object[key]?.stringValue.map { seen.insert($0).inserted } ?? false }) { return key }
        }
        return nil
    }

    /// A hash index of a large object's keys (small ones are searched directly).
    static func index(_ object: JSONObject) -> [String: Int]? {
        guard object.members.count > 16 else { return nil }
        var index: [String: Int] = [:]
        index.reserveCapacity(object.members.count)
        for (position, member) in object.members.enumerated() where index[member.key] == nil { index[member.key] = position }
        return index
    }
}

// MARK: - JSON

extension RunLabel {
    /// `{ "model": id, "scope": id, "scenario": [...] }` (SPEC §7).
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("model")
        writer.string(model)
        writer.key("scope")
        writer.string(scope)
        writer.key("scenario")
        writer.beginArray()
        for operation in scenario { writer.string(operation) }
        writer.endArray()
        writer.endObject()
    }
}

extension ResultComparison {
    /// Writes the comparison as SPEC §7 gives it: `analysis`, `base`, `other`,
    /// `findings: {added, removed, changed: [{base, other}]}` and `values: [{path, base, other}]`;
    /// then, an addition, `rows: {added, removed}`: the table rows only in the other run (added)
    /// or only in the base run (removed), each `{path: ["tables", table id], key: row key}`.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("analysis")
        writer.string(analysis)
        writer.key("base")
        base.write(to: &writer)
        writer.key("other")
        other.write(to: &writer)
        writer.key("findings")
        writer.beginObject()
        // Large lists (a country removed from a big model changes thousands of findings) are
        // encoded in parallel chunks.
        writer.key("added")
        writer.beginArray()
        writer.writeElements(count: added.count) { index, writer in added[index].write(to: &writer) }
        writer.endArray()
        writer.key("removed")
        writer.beginArray()
        writer.writeElements(count: removed.count) { index, writer in removed[index].write(to: &writer) }
        writer.endArray()
        writer.key("changed")
        writer.beginArray()
        writer.writeElements(count: changed.count) { index, writer in
            writer.beginObject()
            writer.key("base")
            changed[index].base.write(to: &writer)
            writer.key("other")
            changed[index].other.write(to: &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        writer.key("values")
        writer.beginArray()
        writer.writeElements(count: values.count) { index, writer in
            let value = values[index]
            writer.beginObject()
            writer.key("path")
            writer.beginArray()
            for element in value.path { writer.string(element) }
            writer.endArray()
            writer.key("base")
            writer.number(value.base)
            writer.key("other")
            writer.number(value.other)
            writer.endObject()
        }
        writer.endArray()
        // An addition to SPEC §7: the table rows (§5, matched by table and key) only in one run.
        writer.key("rows")
        writer.beginObject()
        for (key, appeared) in [("added", true), ("removed", false)] {
            writer.key(key)
            writer.beginArray()
            for (table, row) in rows(appeared: appeared) {
                writer.beginObject()
                writer.key("path")
                writer.beginArray()
                writer.string("tables")
                writer.string(table.id)
                writer.endArray()
                writer.key("key")
                writer.string(row.key)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.endObject()
        writer.endObject()
    }

    /// The rows of the results' tables (views included) only in the other run (`appeared:
    /// true`) or only in the base run, table by table in the base result's order.
    public func rows(appeared: Bool) -> [(table: TableChange, row: RowChange)] {
        tables.flatMap { table in
            table.rows.filter { appeared ? !$0.inBase : !$0.inOther }.map { (table, $0) }
        }
    }

    /// The values sorted by the size of their change, largest first (then in result order).
    public var valuesByChange: [MovedValue] {
        let sizes = values.map { abs($0.change) }
        return values.indices.sorted { left, right in
            sizes[left] != sizes[right] ? sizes[left] > sizes[right] : left < right
        }.map { values[$0] }
    }
}
