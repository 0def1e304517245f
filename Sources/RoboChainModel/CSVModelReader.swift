import RoboChainJSON

/// Reads the CSV-directory form of a model (SPEC §1.2) into a ``ModelBuilder``.
///
/// Columns are found by their header names (case and surrounding blanks ignored), so their
/// order is free and extra columns are allowed. A row shorter than the header has empty cells
/// at its end; a row longer than the header is an error. An empty cell is an absent value.
/// Every CSV model file may also have `source` and `note` columns; `supplies.csv` may have
/// `product`, `segments.csv` may have `order`.
struct CSVModelReader {
    /// A CSV file of the model: its name, whether it must exist, its required and optional columns.
    struct Table {
        let name: String
        /// The kind of element the file defines (nil for the link files).
        let kind: ElementKind?
        let isRequired: Bool
        let required: [String]
        let optional: [String]
    }

    static let regions = Table(name: "regions.csv", kind: .region, isRequired: true, required: ["id", "name"], optional: ["parent", "source", "note"])
    static let segments = Table(name: "segments.csv", kind: .segment, isRequired: false, required: ["id", "name"], optional: ["order", "source", "note"])
    static let components = Table(name: "components.csv", kind: .component, isRequired: true, required: ["id", "name", "segment"], optional: ["source", "note"])
    static let requires = Table(name: "requires.csv", kind: nil, isRequired: false, required: ["parent", "child"], optional: ["weight", "source", "note"])
    static let firms = Table(name: "firms.csv", kind: .firm, isRequired: true, required: ["id", "name", "region"], optional: ["source", "note"])
    static let supplies = Table(name: "supplies.csv", kind: nil, isRequired: true, required: ["firm", "component"], optional: ["share", "product", "source", "note"])

    /// The files of a CSV model, in reading order.
    static let tables = [regions, segments, components, requires, firms, supplies]

    let directory: String
    var builder = ModelBuilder()

    init(directory: String) {
        self.directory = directory
    }

    /// Reads every file of the model.
    mutating func read() {
        var contents: [String: [UInt8]] = [:]
        for table in Self.tables {
            let path = FileAccess.join(directory, table.name)
            switch FileAccess.readFile(path) {
            case .success(let bytes): contents[table.name] = bytes
            case .failure(let problem):
                if problem.isMissing {
                    if table.isRequired { builder.report(.missingFile(path: path)) }
                } else {
                    builder.report(.unreadable(path: path, reason: problem.reason))
                }
                if problem.isMissing == false || table.isRequired, let kind = table.kind { builder.markIncomplete(kind) }
            }
        }
        if let bytes = contents[Self.firms.name], let supplies = contents[Self.supplies.name] {
            builder.reserveCapacity(firms: Self.estimateRows(bytes), supplies: Self.estimateRows(supplies))
        }
        for table in Self.tables {
            guard let bytes = contents[table.name] else { continue }
            contents[table.name] = nil
            readTable(table, bytes)
        }
    }

    /// A cheap upper estimate of the rows in a file: its newlines.
    static func estimateRows(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { buffer in buffer.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
    }

    private mutating func readTable(_ table: Table, _ bytes: [UInt8]) {
        let path = FileAccess.join(directory, table.name)
        let problemsBefore = builder.problemCount
        defer {
            if builder.problemCount > problemsBefore, let kind = table.kind { builder.markIncomplete(kind) }
        }
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            builder.report(.syntax(SourceLocation(file: path, line: 1), problem: "the file is UTF-16; save it as UTF-8 (CSV UTF-8 in spreadsheets)"))
            return
        }
        bytes.withUnsafeBufferPointer { buffer in
            var tokenizer = CSVTokenizer(buffer)
            var fields: [CSVTokenizer.Field] = []
            do throws(CSVTokenizer.Problem) {
                guard try tokenizer.nextRecord(into: &fields) != nil else {
                    builder.report(.syntax(SourceLocation(file: path, line: 1), problem: "the file is empty: expected a header row"))
                    return
                }
                var columns: [String: Int] = [:]
                for (position, field) in fields.enumerated() {
                    guard let name = tokenizer.text(of: field)?.lowercased() else {
                        builder.report(.syntax(SourceLocation(file: path, line: 1), problem: "invalid UTF-8 in the header"))
                        return
                    }
                    if columns[name] != nil {
                        builder.report(.syntax(SourceLocation(file: path, line: 1), problem: "the header has the column '\(name)' twice"))
                    }
                    columns[name] = columns[name] ?? position
                }
                let headerWidth = fields.count
                var missing = false
                for column in table.required where columns[column] == nil {
                    builder.report(.missingColumn(SourceLocation(file: path, line: 1), column: column))
                    missing = true
                }
                if missing { return }
                var row = Row(tokenizer: tokenizer, columns: columns, path: path)
                while let line = try tokenizer.nextRecord(into: &fields) {
                    row.tokenizer = tokenizer
                    row.line = line
                    if fields.count > headerWidth {
                        builder.report(.syntax(row.location, problem: "the row has \(fields.count) fields but the header has \(headerWidth)"))
                        continue
                    }
                    readRow(table, &row, fields)
                }
            } catch {
                builder.report(.syntax(SourceLocation(file: path, line: error.line), problem: error.message))
            }
        }
    }

    /// The cells of one row, by column name.
    private struct Row {
        var tokenizer: CSVTokenizer
        let columns: [String: Int]
        let path: String
        var line = 0

        var location: SourceLocation { SourceLocation(file: path, line: line) }
    }

    private mutating func readRow(_ table: Table, _ row: inout Row, _ fields: [CSVTokenizer.Field]) {
        func cell(_ column: String) -> CSVTokenizer.Field? {
            guard let position = row.columns[column], position < fields.count else { return nil }
            let field = fields[position]
            return row.tokenizer.isEmpty(field) ? nil : field
        }
        func text(_ column: String, of element: @autoclosure () -> String) -> String? {
            guard let field = cell(column) else { return nil }
            guard let text = row.tokenizer.text(of: field) else {
                builder.report(.invalidValue(row.location, element: element(), field: column, problem: "is not valid UTF-8"))
                return nil
            }
            return text
        }
        func required(_ column: String, of element: @autoclosure () -> String) -> String? {
            guard cell(column) != nil else {
                builder.report(.missingField(row.location, element: element(), field: column))
                return nil
            }
            return text(column, of: element())
        }
        func number(_ column: String, of element: @autoclosure () -> String) -> Double? {
            guard let field = cell(column) else { return nil }
            let bytes = row.tokenizer.rawBytes(of: field)
            guard !field.hasEscapedQuotes, YAMLNumber.isDecimal(bytes) else {
                let shown = row.tokenizer.text(of: field) ?? "?"
                builder.report(.invalidValue(row.location, element: element(), field: column, problem: "must be a number, found '\(shown)'"))
                return nil
            }
            let unsigned = bytes.first == UInt8(ascii: "+") ? UnsafeBufferPointer(rebasing: bytes.dropFirst()) : bytes
            return JSONParser.decimalToDouble(unsigned)
        }
        let location = row.location
        switch table.name {
        case Self.regions.name:
            guard let id = required("id", of: "a region") else { return }
            let element = "region '\(id)'"
            builder.addRegion(
                id: id, name: required("name", of: element) ?? "", parent: text("parent", of: element),
                source: text("source", of: element), note: text("note", of: element), at: location)
        case Self.segments.name:
            guard let id = required("id", of: "a segment") else { return }
            let element = "segment '\(id)'"
            var order: Int?
            if let value = number("order", of: element) {
                if value == value.rounded(), abs(value) < 1e9 {
                    order = Int(value)
                } else {
                    builder.report(.invalidValue(location, element: element, field: "order", problem: "must be a whole number"))
                }
            }
            builder.addSegment(
                id: id, name: required("name", of: element) ?? "", order: order, source: text("source", of: element),
                note: text("note", of: element), at: location)
        case Self.components.name:
            guard let id = required("id", of: "a component") else { return }
            let element = "component '\(id)'"
            let name = required("name", of: element) ?? ""
            guard let segment = required("segment", of: element) else { return }
            builder.addComponent(
                id: id, name: name, segment: segment,
                source: text("source", of: element), note: text("note", of: element), at: location)
        case Self.requires.name:
            guard let parent = required("parent", of: "a requirement"), let child = required("child", of: "requirement of '\(parent)'") else {
                return
            }
            let element = "requirement '\(parent)' → '\(child)'"
            builder.addRequirement(
                component: parent, child: child, weight: number("weight", of: element), source: text("source", of: element),
                note: text("note", of: element), at: location)
        case Self.firms.name:
            guard let id = required("id", of: "a firm") else { return }
            let element = "firm '\(id)'"
            let name = required("name", of: element) ?? ""
            guard let region = required("region", of: element) else { return }
            builder.addFirm(
                id: id, name: name, region: region,
                source: text("source", of: element), note: text("note", of: element), at: location)
        case Self.supplies.name:
            guard let firm = required("firm", of: "a supply link"), let component = required("component", of: "a supply link of firm '\(firm)'") else {
                return
            }
            let element = "supply of '\(component)' by firm '\(firm)'"
            builder.addSupply(
                firm: firm, component: component, share: number("share", of: element), product: text("product", of: element),
                source: text("source", of: element), note: text("note", of: element), at: location)
        default:
            break
        }
    }
}
