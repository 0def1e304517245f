import RoboChainAnalysis
import RoboChainJSON

/// A component's share (the map's fill column) in the two runs of a comparison.
public struct ShareChange: Sendable, Equatable {
    /// The share in the base run, nil when it has none.
    public var base: Double?
    /// The share in the other run, nil when it has none.
    public var other: Double?

    /// The share in each run (nil where a run has none).
    public init(base: Double?, other: Double?) {
        self.base = base
        self.other = other
    }

    /// `other − base`, when both runs have a share.
    public var change: Double? {
        guard let base, let other else { return nil }
        return other - base
    }
}

/// The shares the comparison map is filled by, with where they come from: the analysis, and
/// the titles of its table and share column.
public struct ShareSource: Sendable, Equatable {
    /// The analysis whose table gives the shares.
    public var analysis: String
    /// The table's title.
    public var table: String
    /// The share column's title.
    public var column: String
    /// Each component's share in both runs, by component id.
    public var shares: [String: ShareChange]

    /// The shares of column `column` of table `table` of `analysis`, by component id.
    public init(analysis: String, table: String, column: String, shares: [String: ShareChange]) {
        self.analysis = analysis
        self.table = table
        self.column = column
        self.shares = shares
    }

    /// What the fill shows, for the legend: the column, its table and analysis.
    public var description: String { "'\(column)' of table '\(table)' (\(analysis))" }
}

/// The change between two runs drawn on the chain map: components filled by how a share (of the
/// first analysis with a component table with a share column, ``componentShares(_:)``) moved, bordered and badged where findings appeared or went, with a legend naming the
/// two runs. The annotations come as one ``AnalysisResult`` (`comparison`) for the map document.
public enum ComparisonMap {
    /// The name the map's legend gives the comparison.
    public static let analysisName = "comparison"

    /// Fill colours, a diverging red–blue scale that reads in grey print and for red–green
    /// colour blindness (ColorBrewer RdBu).
    public static let fellMuch = "#b2182b"
    /// A share that fell by less than ``muchThreshold``.
    public static let fell = "#ef8a62"
    /// A share that rose by less than ``muchThreshold``.
    public static let rose = "#67a9cf"
    /// A share that rose by ``muchThreshold`` or more.
    public static let roseMuch = "#2166ac"
    /// A component with a share in one run only (its suppliers all went, or it is new).
    public static let oneRunOnly = "#bdbdbd"
    /// Borders of components with findings that appeared or went.
    public static let appearedBorder = "#b2182b"
    /// The border of a component with a finding that went.
    public static let wentBorder = "#2166ac"
    /// A change of at least this much (20 percentage points) is drawn in the darker colour.
    public static let muchThreshold = 0.2

    /// The component shares the map is filled by, read from the results' tables (SPEC §5): the
    /// first analysis (in the order given) with a table whose key column is of type `component`
    /// and which has a column of type `share` (and which the other run has too); of its such
    /// tables, the one with the most rows in the base run (the first on a tie: a table of one
    /// product per row gives way to a table of every component), and that table's first share
    /// column, in both runs (rows matched by key). A later analysis is never looked at once one
    /// has such a table, so the choice does not depend on the other analyses run. Returns `nil`
    /// when no result has such a table.
    ///
    /// - Parameter tables: For each analysis, in the order given, its name and the tables of
    ///   its base and other results.
    /// - Complexity: O(tables + rows of the chosen table).
    public static func componentShares(_ tables: [(analysis: String, base: [TableShape], other: [TableShape])]) -> ShareSource? {
        for (analysis, baseTables, otherTables) in tables {
            var best: (base: TableShape, other: TableShape, column: String)?
            for table in baseTables {
                guard table.keyType == "component", let column = table.columns.first(where: { $0.type == "share" })?.id,
                    let otherTable = otherTables.first(where: { $0.id == table.id && $0.keyColumn == table.keyColumn }),
                    table.rows.count > best?.base.rows.count ?? -1
                else { continue }
                best = (table, otherTable, column)
            }
            guard let (table, otherTable, column) = best else { continue }
            var shares: [String: ShareChange] = [:]
            for (key, cells) in table.rows { shares[key, default: ShareChange(base: nil, other: nil)].base = cells[column] ?? nil }
            for (key, cells) in otherTable.rows { shares[key, default: ShareChange(base: nil, other: nil)].other = cells[column] ?? nil }
            return ShareSource(analysis: analysis, table: table.title.isEmpty ? table.id : table.title,
                column: table.columnTitles[column] ?? column, shares: shares)
        }
        return nil
    }

    /// The annotations and legend of the comparison map.
    ///
    /// - Parameters:
    ///   - comparisons: The comparisons of the analyses run.
    ///   - shares: Each component's share in both runs and where it comes from
    ///     (``componentShares(_:)``), or `nil` when no result had one (the map then shows
    ///     findings only). Tooltips and legend name its table and column.
    public static func result(comparisons: [ResultComparison], shares: ShareSource?) -> AnalysisResult {
        var annotations: [String: Annotation] = [:]
        for (component, share) in (shares?.shares ?? [:]).sorted(by: { $0.key < $1.key }) {
            let tip = "\(shares?.table ?? ""), \(shares?.column ?? ""): \(Wording.percent(share.base)) → \(Wording.percent(share.other))"
            switch (share.base, share.other) {
            case (nil, nil):
                continue
            case (let base?, let other?):
                guard base != other else { continue }
                let change = other - base
                let fill = change <= -muchThreshold ? fellMuch : change < 0 ? fell : change >= muchThreshold ? roseMuch : rose
                annotations[component] = Annotation(fill: fill, tooltip: tip)
            default:
                annotations[component] = Annotation(fill: oneRunOnly, tooltip: tip)
            }
        }
        var appearedAny = false
        var wentAny = false
        for comparison in comparisons {
            for finding in comparison.added {
                guard let component = finding.component else { continue }
                appearedAny = true
                annotations[component] = (annotations[component] ?? Annotation()).merged(with: Annotation(
                    badge: "+" + finding.kind, tooltip: "appeared: \(finding.kind) (\(comparison.analysis))", border: appearedBorder))
            }
            for finding in comparison.removed {
                guard let component = finding.component else { continue }
                wentAny = true
                // An appeared finding's border wins over a finding that went.
                let border = annotations[component]?.border ?? wentBorder
                annotations[component] = (annotations[component] ?? Annotation()).merged(with: Annotation(
                    badge: "−" + finding.kind, tooltip: "went: \(finding.kind) (\(comparison.analysis))", border: border))
            }
        }
        var legend: [LegendEntry] = []
        if let first = comparisons.first {
            legend.append(LegendEntry(label: "Base run: " + first.base.description))
            legend.append(LegendEntry(label: "Other run (drawn): " + first.other.description))
        }
        if let shares {
            let column = shares.column
            legend += [
                LegendEntry(label: "Fill: how \(shares.description) changed"),
                LegendEntry(label: "\(column) fell by 20 points or more", fill: fellMuch),
                LegendEntry(label: "\(column) fell", fill: fell),
                LegendEntry(label: "\(column) rose", fill: rose),
                LegendEntry(label: "\(column) rose by 20 points or more", fill: roseMuch),
                LegendEntry(label: "\(column) in one run only", fill: oneRunOnly),
            ]
        }
        if appearedAny { legend.append(LegendEntry(label: "a finding appeared (+kind)", border: appearedBorder, badge: "+")) }
        if wentAny { legend.append(LegendEntry(label: "a finding went (−kind)", border: wentBorder, badge: "−")) }
        return AnalysisResult(analysis: analysisName, annotations: annotations, legend: legend)
    }
}

/// The shape of a result table that the comparison map needs: its id, key column, columns and
/// the numbers of its rows by key.
public struct TableShape: Sendable, Equatable {
    /// The table's id.
    public var id: String
    /// The table's title (empty: not known).
    public var title: String
    /// The columns' titles by column id (a column missing: its id is shown).
    public var columnTitles: [String: String]
    /// The id of the table's key column.
    public var keyColumn: String
    /// The key column's type (`component`, `firm` or `region`).
    public var keyType: String
    /// The table's columns: id and type, in order.
    public var columns: [(id: String, type: String)]
    /// Each row's numeric cells by column id (`nil`: the cell is null), by row key.
    public var rows: [(key: String, cells: [String: Double?])]

    /// A table shape from its parts.
    public init(id: String, title: String = "", keyColumn: String, keyType: String, columns: [(id: String, type: String)],
        columnTitles: [String: String] = [:], rows: [(key: String, cells: [String: Double?])]) {
        self.id = id
        self.title = title
        self.columnTitles = columnTitles
        self.keyColumn = keyColumn
        self.keyType = keyType
        self.columns = columns
        self.rows = rows
    }

    /// Whether two shapes have the same id, key column, columns and rows (tuples are not `Equatable`).
    public static func == (lhs: TableShape, rhs: TableShape) -> Bool {
        lhs.id == rhs.id && lhs.title == rhs.title && lhs.columnTitles == rhs.columnTitles && lhs.keyColumn == rhs.keyColumn && lhs.keyType == rhs.keyType
            && lhs.columns.map(\.id) == rhs.columns.map(\.id) && lhs.columns.map(\.type) == rhs.columns.map(\.type)
            && lhs.rows.map(\.key) == rhs.rows.map(\.key) && lhs.rows.map(\.cells) == rhs.rows.map(\.cells)
    }

    /// The tables of a result (SPEC §5; views included) that have a key column.
    public static func tables(in result: AnalysisResult) -> [TableShape] {
        result.tables.compactMap { table in
            guard let key = table.keyColumn else { return nil }
            let rows: [(key: String, cells: [String: Double?])] = table.rows.indices.compactMap { row in
                guard let rowKey = table.key(ofRow: row) else { return nil }
                var cells: [String: Double?] = [:]
                for (column, cell) in zip(table.columns, table.rows[row]) where column.type.isNumeric {
                    cells[column.id] = .some(cell?.numberValue)
                }
                return (rowKey, cells)
            }
            return TableShape(id: table.id, title: table.title, keyColumn: table.columns[key].id, keyType: table.columns[key].type.rawValue,
                columns: table.columns.map { ($0.id, $0.type.rawValue) },
                columnTitles: Dictionary(table.columns.map { ($0.id, $0.title) }) { first, _ in first }, rows: rows)
        }
    }
}
