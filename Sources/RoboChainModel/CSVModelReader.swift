import Dispatch
import RoboChainJSON
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the CSV-directory form of a model (SPEC §1.2) straight into resolved columns.
///
/// Columns are found by their header names (case and surrounding blanks ignored), so their
/// order is free and extra columns are allowed. A row shorter than the header has empty cells
/// at its end; a row longer than the header is an error. An empty cell is an absent value.
/// Every file may also have `source` and `note` columns; `supplies.csv` may have `product`,
/// `segments.csv` may have `order`.
///
/// Built for registries of millions of rows: each file is read whole and parsed as bytes;
/// ids are hashed and compared in the file's bytes, so a reference never becomes a `String`;
/// only ids and names do. `firms.csv` is parsed on one thread while `requires.csv` and
/// `supplies.csv` are parsed on another, and the supply links' firm references are then
/// resolved in two halves. The rules of SPEC §1.3 are those every reader shares: the
/// single-element ones (ids, references, ranges) in ``ModelResolver``, fed the ids as bytes of
/// the file, the structural ones in ``ModelAssembly``.
///
/// - Complexity: O(bytes) expected.
struct CSVModelReader {
    /// A CSV file of the model: its name, the kind it defines, whether it must exist, its columns.
    struct Table: Sendable {
        let name: String
        let kind: ElementKind?
        let isRequired: Bool
        let columns: [String]
        let requiredCount: Int
        /// Whether other columns are attributes (all tables but `model.csv`).
        var acceptsAttributes = true
    }

    static let regions = Table(name: "regions.csv", kind: .region, isRequired: true,
        columns: ["id", "name", "parent", "source", "note"], requiredCount: 2)
    static let segments = Table(name: "segments.csv", kind: .segment, isRequired: false,
        columns: ["id", "name", "order", "source", "note"], requiredCount: 2)
    static let components = Table(name: "components.csv", kind: .component, isRequired: true,
        columns: ["id", "name", "segment", "source", "note"], requiredCount: 3)
    static let requires = Table(name: "requires.csv", kind: nil, isRequired: false,
        columns: ["parent", "child", "weight", "source", "note"], requiredCount: 2)
    static let firms = Table(name: "firms.csv", kind: .firm, isRequired: true,
        columns: ["id", "name", "region", "source", "note"], requiredCount: 3)
    static let supplies = Table(name: "supplies.csv", kind: nil, isRequired: true,
        columns: ["firm", "component", "share", "product", "source", "note"], requiredCount: 2)

    static let modelInfo = Table(name: "model.csv", kind: nil, isRequired: false,
        columns: ["id", "title", "home"], requiredCount: 0, acceptsAttributes: false)

    /// The files of a CSV model, in reading order.
    static let tables = [modelInfo, regions, segments, components, requires, firms, supplies]

    let directory: String
    var progress: LoadProgress?
    /// The sheets of a workbook model, by lowercased sheet name (`firms`), read as CSV text;
    /// `nil` for a CSV directory.
    var workbookSheets: [String: WorkbookReader.Sheet]? = nil

    init(directory: String, progress: LoadProgress?) {
        self.directory = directory
        self.progress = progress
    }

    /// Reads the sheets of an `.xlsx` workbook (``WorkbookReader``), named `regions`,
    /// `components`, … as the CSV files are.
    init(workbook path: String, sheets: [String: WorkbookReader.Sheet], progress: LoadProgress?) {
        self.directory = path
        self.progress = progress
        workbookSheets = sheets
    }

    /// The name of a table's sheet in a workbook: its file name without `.csv`.
    static func sheetName(_ table: Table) -> String { String(table.name.dropLast(4)) }

    /// How the problem log knows a table: its file in the directory, or its sheet in the
    /// workbook (``WorkbookReader/sheetPath(_:_:)``, by the sheet's own name).
    func path(_ table: Table) -> String {
        guard let sheets = workbookSheets else { return FileAccess.join(directory, table.name) }
        return WorkbookReader.sheetPath(directory, sheets[Self.sheetName(table)]?.place.name ?? Self.sheetName(table))
    }

    /// Reads every file and resolves every reference.
    ///
    /// - Returns: The resolved elements (references that did not resolve are -1) and the
    ///   problems found; the model is only complete when there are none.
    func read() -> (model: ResolvedModel, log: ProblemLog) {
        var log = ProblemLog()
        var contents: [String: FileBytes] = [:]
        // The files of a directory are mapped and checked as text side by side (the check
        // reads every byte, and firms.csv and supplies.csv are most of them); what each gives
        // is taken in the order of the tables below, so the problems are reported in that order.
        let opened = workbookSheets == nil ? openAll() : []
        for (number, table) in Self.tables.enumerated() {
            let path = self.path(table)
            _ = log.file(path)
            if let sheets = workbookSheets {
                if let sheet = sheets[Self.sheetName(table)] {
                    _ = log.sheet(path, sheet.place)
                    contents[table.name] = FileBytes(sheet.bytes)
                    progress?.addTotal(sheet.bytes.count)
                } else if table.isRequired {
                    log.report(.syntax(SourceLocation(file: directory),
                        problem: "the workbook has no sheet '\(Self.sheetName(table))' (a workbook model needs the sheets regions, components, firms and supplies)"))
                    if let kind = table.kind { log.markIncomplete(kind) }
                }
                continue
            }
            do {
                let bytes = try opened[number].get()
                contents[table.name] = bytes
                progress?.addTotal(bytes.count)
            } catch {
                if case .missingFile = error {
                    guard table.isRequired else { continue }  // an optional file may be absent
                }
                log.report(error)
                if let kind = table.kind { log.markIncomplete(kind) }
            }
        }

        var model = ResolvedModel()
        let regionIDs = readRegions(contents[Self.regions.name], into: &model, log: &log)
        readModelInfo(contents.removeValue(forKey: Self.modelInfo.name), regions: regionIDs, into: &model, log: &log)
        let segmentIDs = readSegments(contents[Self.segments.name], into: &model, log: &log)
        contents[Self.regions.name] = nil
        contents[Self.segments.name] = nil

        // firms.csv on one thread; components.csv, requires.csv, then supplies.csv on another
        // (the links need the components, the firms only the regions). Held where the firms'
        // thread can take it, so that it is freed as soon as that thread is done with it
        // rather than when this function returns.
        let firmsBytes = Mutex(contents.removeValue(forKey: Self.firms.name))
        let componentsBytes = contents.removeValue(forKey: Self.components.name)
        let requiresBytes = contents.removeValue(forKey: Self.requires.name)
        let suppliesBytes = contents.removeValue(forKey: Self.supplies.name)
        let files = log.emptyCopy()
        let before = model
        let halves = Mutex<(firms: FirmColumns?, links: LinkReading?, model: ResolvedModel?, components: IDTable?, componentLog: ProblemLog?)>(
            (nil, nil, nil, nil, nil))
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                let firms = readFirms(firmsBytes.withLock { $0.take() }, regions: regionIDs, files: files)
                halves.withLock { $0.firms = firms }
            } else {
                var model = before
                var componentLog = files
                let componentIDs = readComponents(componentsBytes, segments: segmentIDs, into: &model, log: &componentLog)
                let links = readLinks(requires: requiresBytes, supplies: suppliesBytes, components: componentIDs, files: files)
                halves.withLock {
                    $0.links = links
                    $0.model = model
                    $0.components = componentIDs
                    $0.componentLog = componentLog
                }
            }
        }
        model = halves.withLock { $0.model.take()! }
        let componentIDs = halves.withLock { $0.components.take()! }
        // Taken out, not copied: the link columns are resolved in place below.
        let firmPart = halves.withLock { $0.firms.take()! }
        var linkPart = halves.withLock { $0.links.take()! }
        // In the order the files were read in before the two threads (components first): the
        // problems kept, when there are more than a log keeps, are the same.
        log.merge(halves.withLock { $0.componentLog.take()! })
        log.merge(firmPart.log)
        log.merge(linkPart.log)
        model.firmIDs = firmPart.ids.strings
        model.firmNames = firmPart.names
        model.firmRegion = firmPart.region
        model.firmSources = firmPart.sources
        model.firmNotes = firmPart.notes
        model.firmAttributes = firmPart.attributes
        model.firmIndex = firmPart.ids.index
        model.edges = linkPart.edges
        model.links = linkPart.links
        (model.links.firm, model.links.component) = resolveSupplyReferences(&linkPart, firms: firmPart.ids, components: componentIDs,
            log: &log)
        return (model, log)
    }

    /// Maps every file of the directory and makes it UTF-8, on the cores there are: for each
    /// table in ``tables``' order, its bytes or why they cannot be had.
    ///
    /// Byte offsets into a file are kept as 32-bit numbers, for memory: the default limit
    /// (2 GiB) is checked from the file's size before it is read. Spreadsheets save UTF-8 (with
    /// or without a byte-order mark) or, on Chinese Windows, GBK: the bytes are converted only
    /// when they are not valid UTF-8.
    func openAll() -> [Result<FileBytes, ModelError>] {
        let tables = Self.tables
        let paths = tables.map(path)
        let opened = Mutex([Result<FileBytes, ModelError>?](repeating: nil, count: tables.count))
        DispatchQueue.concurrentPerform(iterations: tables.count) { number in
            let result = Result { () throws(ModelError) -> FileBytes in
                try TextEncoding.utf8(try FileAccess.mapFile(paths[number]), path: paths[number])
            }
            opened.withLock { $0[number] = result }
        }
        return opened.withLock { $0.map { $0! } }
    }

    // MARK: - Rows

    /// What a file's header says: its table, where each known column is, the attribute columns.
    /// A class, so that copying ``Rows`` (done for every message's closure) retains one
    /// reference for all of it.
    final class Header: Sendable {
        let table: Table
        /// Position of each of `table.columns` in a row, or -1.
        let positions: [Int]
        let width: Int
        /// The columns that are attributes: their position in a row and their name.
        let extras: [(position: Int, name: String)]

        init(table: Table, positions: [Int] = [], width: Int = 0, extras: [(position: Int, name: String)] = []) {
            self.table = table
            self.positions = positions
            self.width = width
            self.extras = extras
        }
    }

    /// One table being read: its tokenizer, its header, its file number.
    struct Rows {
        var header: Header
        let file: Int32
        var tokenizer: CSVTokenizer
        var fields = CSVTokenizer.Fields()
        var line = 0

        init(table: Table, file: Int32, tokenizer: CSVTokenizer) {
            header = Header(table: table)
            self.file = file
            self.tokenizer = tokenizer
        }

        var table: Table { header.table }
        var positions: [Int] { header.positions }
        var width: Int { header.width }
        var extras: [(position: Int, name: String)] { header.extras }

        var location: ElementLocation { ElementLocation(file: file, line: Int32(clamping: line)) }

        /// The field of the row that column number `column` (in `table.columns`) is, or -1:
        /// where a message about its cell points in a workbook's sheet.
        @inline(__always)
        func position(_ column: Int) -> Int { header.positions[column] }

        /// The field of column number `column` (in `table.columns`), or `nil` when empty or absent.
        @inline(__always)
        func cell(_ column: Int) -> CSVTokenizer.Field? {
            let position = header.positions[column]
            guard position >= 0, position < fields.count else { return nil }
            let field = fields[position]
            return field.start == field.end ? nil : field
        }

        @inline(__always)
        func bytes(_ field: CSVTokenizer.Field) -> UnsafeBufferPointer<UInt8> {
            tokenizer.rawBytes(of: field)
        }
    }

    /// Parses the header of a table and calls `body` for each row; reports the header's and the
    /// grammar's problems. When rows are lost (a bad header, a long row, a syntax error that ends
    /// the reading, or a row whose id cannot be read — see ``addID(_:to:log:)``), the
    /// table's kind is marked incomplete, so that references to the lost ids are not also
    /// reported as unknown; any other problem in a row leaves its id known.
    static func forEachRow(
        _ table: Table, _ bytes: FileBytes, file: Int32, log: inout ProblemLog, progress: LoadProgress? = nil,
        _ body: (inout Rows, inout ProblemLog) -> Void
    ) {
        func rowsLost(_ log: inout ProblemLog) {
            if let kind = table.kind { log.markIncomplete(kind) }
        }
        bytes.withUnsafeBufferPointer { buffer in
            // The header row tells the separator: `,`, or `;` and tab as spreadsheets in some
            // locales save "CSV".
            let separator = CSVTokenizer.separator(ofHeader: buffer)
            var rows = Rows(table: table, file: file, tokenizer: CSVTokenizer(buffer, separator: separator ?? UInt8(ascii: ",")))
            do throws(CSVTokenizer.Problem) {
                guard try rows.tokenizer.nextRecord(into: &rows.fields) != nil else {
                    log.report(.syntax(log.describe(file: file, line: 1), problem: "the file is empty: expected a header row"))
                    rowsLost(&log)
                    return
                }
                // A set of the names and the first position of each: linear in the header's
                // width (a header of 100,000 columns took 16 s with a list).
                var names: [String] = []
                var originals: [String] = []
                var firstPosition: [String: Int] = [:]
                names.reserveCapacity(rows.fields.count)
                originals.reserveCapacity(rows.fields.count)
                for field in rows.fields {
                    guard let name = rows.tokenizer.text(of: field) else {
                        log.report(.syntax(log.describe(file: file, line: 1, column: names.count), problem: "invalid UTF-8 in the header"))
                        rowsLost(&log)
                        return
                    }
                    let lowered = name.lowercased()
                    if firstPosition[lowered] != nil {
                        log.report(.syntax(log.describe(file: file, line: 1, column: names.count),
                            problem: "the header has the column '\(MessageText.quoted(lowered))' twice"))
                    } else {
                        firstPosition[lowered] = names.count
                    }
                    names.append(lowered)
                    originals.append(name)
                }
                let positions = table.columns.map { column in firstPosition[column] ?? -1 }
                var extras: [(position: Int, name: String)] = []
                var missing = false
                if separator == nil, names.count == 1, !table.columns.contains(names[0]), table.requiredCount > 1 {
                    log.report(.syntax(log.describe(file: file, line: 1),
                        problem: "the header '\(MessageText.quoted(names[0]))' is one column: separate the columns with ',', ';' or tabs (save it as CSV UTF-8)"))
                    rowsLost(&log)
                    return
                }
                // Columns other than the table's are the elements' attributes (SPEC §1.2).
                if names.count > table.columns.count || !positions.allSatisfy({ $0 >= 0 }) {
                    let known = Set(table.columns)
                    for position in names.indices where !known.contains(names[position]) {
                        guard firstPosition[names[position]] == position else { continue }
                        let name = originals[position]
                        guard table.acceptsAttributes else {
                            log.report(.syntax(log.describe(file: file, line: 1, column: position),
                                problem: "the header has the column '\(MessageText.quoted(name))', which \(table.name) does not have (its columns: \(table.columns.joined(separator: ", ")))"))
                            continue
                        }
                        if name.isEmpty { continue }
                        if !ValueChecks.isValidID(name) {
                            log.report(.syntax(log.describe(file: file, line: 1, column: position),
                                problem: "the column '\(MessageText.quoted(name))' would be an attribute, but attribute names are ids (letters, digits, '.', '_', '-')"))
                            continue
                        }
                        extras.append((position, name))
                    }
                }
                rows.header = Header(table: table, positions: positions, width: names.count, extras: extras)
                for (column, position) in zip(table.columns, positions).prefix(table.requiredCount) where position < 0 {
                    log.report(.missingColumn(log.describe(file: file, line: 1), column: column))
                    missing = true
                }
                if missing {
                    rowsLost(&log)
                    return
                }
                var reported = 0
                var row = 0
                defer { progress?.addProcessed(buffer.count - reported) }
                while let line = try rows.tokenizer.nextRecord(into: &rows.fields) {
                    rows.line = line
                    row += 1
                    if row & 0x3FFF == 0, let progress {
                        progress.addProcessed(rows.tokenizer.position - reported)
                        reported = rows.tokenizer.position
                    }
                    if rows.fields.count > rows.width {
                        log.report(.syntax(log.describe(rows.location, column: rows.width),
                            problem: "the row has \(rows.fields.count) fields but the header has \(rows.width)"))
                        rowsLost(&log)
                        continue
                    }
                    body(&rows, &log)
                }
            } catch {
                log.report(.syntax(log.describe(file: file, line: error.line), problem: error.message))
                rowsLost(&log)
            }
        }
    }

    /// The text of an optional cell; invalid UTF-8 is reported.
    static func text(_ rows: Rows, _ column: Int, of element: @autoclosure () -> String, log: inout ProblemLog) -> String? {
        guard let field = rows.cell(column) else { return nil }
        guard let text = rows.tokenizer.text(of: field) else {
            log.report(.invalidValue(log.describe(rows.location, column: rows.position(column)), element: element(),
                field: rows.table.columns[column], problem: "is not valid UTF-8"))
            return nil
        }
        return text
    }

    /// The field of a required cell; a missing one is reported.
    static func required(_ rows: Rows, _ column: Int, of element: @autoclosure () -> String, log: inout ProblemLog) -> CSVTokenizer.Field? {
        guard let field = rows.cell(column) else {
            log.report(.missingField(log.describe(rows.location, column: rows.position(column)), element: element(),
                field: rows.table.columns[column]))
            return nil
        }
        return field
    }

    /// The text of a required cell; a missing one or invalid UTF-8 is reported.
    static func requiredText(_ rows: Rows, _ column: Int, of element: @autoclosure () -> String, log: inout ProblemLog) -> String? {
        guard required(rows, column, of: element(), log: &log) != nil else { return nil }
        return text(rows, column, of: element(), log: &log)
    }

    /// A number cell, or NaN when empty; a cell that is not a decimal number is reported. A
    /// share or weight (`isFraction`) may be a percentage, `30%` or `30 %` for 0.3; a
    /// percentage elsewhere is reported.
    static func number(
        _ rows: Rows, _ column: Int, of element: @autoclosure () -> String, isFraction: Bool = false, log: inout ProblemLog
    ) -> Double {
        guard let field = rows.cell(column) else { return .nan }
        let bytes = rows.bytes(field)
        guard !field.hasEscapedQuotes, let value = YAMLNumber.parse(bytes) else {
            let shown = rows.tokenizer.text(of: field) ?? "?"
            if !field.hasEscapedQuotes, let percent = ValueChecks.percentage(bytes) {
                guard isFraction else {
                    log.report(.invalidValue(log.describe(rows.location, column: rows.position(column)), element: element(), field: rows.table.columns[column],
                        problem: "is a percentage ('\(shown)'): only a share or a weight may be written as one"))
                    return .nan
                }
                return percent
            }
            log.report(.invalidValue(log.describe(rows.location, column: rows.position(column)), element: element(), field: rows.table.columns[column],
                problem: "must be a number, found '\(shown)'"))
            return .nan
        }
        guard value.isFinite else {
            log.report(.invalidValue(log.describe(rows.location, column: rows.position(column)), element: element(), field: rows.table.columns[column],
                problem: "is too large a number"))
            return .nan
        }
        return value
    }

    /// Reads the attribute cells of a row (the columns in `rows.extras`) into `table` for
    /// element `position`. An unquoted cell is a number if it reads as one, a Boolean if it is
    /// `true` or `false` (any case, as spreadsheets write `TRUE`), and text otherwise; a quoted
    /// cell is text. A percentage is reported: an attribute is not a share or a weight.
    static func attributes(
        _ rows: Rows, into table: inout AttributeTable, at position: Int, of element: @autoclosure () -> String,
        log: inout ProblemLog
    ) {
        for (column, name) in rows.extras where column < rows.fields.count {
            let field = rows.fields[column]
            guard field.start != field.end else { continue }
            guard let text = rows.tokenizer.text(of: field) else {
                log.report(.invalidValue(log.describe(rows.location, column: column), element: element(), field: name, problem: "is not valid UTF-8"))
                continue
            }
            let value: AttributeValue
            if field.isQuoted {
                value = .text(text)
            } else if let number = YAMLNumber.parse(rows.bytes(field)) {
                guard number.isFinite else {
                    log.report(.invalidValue(log.describe(rows.location, column: column), element: element(), field: name, problem: "is too large a number"))
                    continue
                }
                value = .number(number)
            } else if let flag = ValueChecks.boolean(text) {
                value = .boolean(flag)
            } else if ValueChecks.percentage(rows.bytes(field)) != nil {
                log.report(.invalidValue(log.describe(rows.location, column: column), element: element(), field: name,
                    problem: "is a percentage ('\(text)'): only a share or a weight may be written as one (quote it to keep it as text)"))
                continue
            } else {
                value = .text(text)
            }
            table.set(name, value, of: position)
        }
    }

    /// Adds the id of a row to `ids` through ``ModelResolver/addID(_:start:end:at:to:log:)``.
    /// Returns the id, or `nil` when the row has none it can read (reported, and the kind marked
    /// incomplete).
    static func addID(_ rows: Rows, to ids: inout IDTable, log: inout ProblemLog) -> String? {
        guard let field = required(rows, 0, of: "a \(ids.kind.rawValue)", log: &log) else {
            log.markIncomplete(ids.kind)
            return nil
        }
        guard let id = rows.tokenizer.text(of: field) else {
            log.report(.invalidValue(log.describe(rows.location, column: rows.position(0)), element: "a \(ids.kind.rawValue)", field: "id",
                problem: "is not valid UTF-8"))
            log.markIncomplete(ids.kind)
            return nil
        }
        // (The raw bytes of a field with escaped quotes hold a '"', so such an id is invalid.)
        let bytes = rows.bytes(field)
        let start = bytes.baseAddress! - rows.tokenizer.bytes.baseAddress!
        ids.idColumn = rows.position(0)
        ModelResolver.addID(id, start: start, end: start + bytes.count, at: rows.location, to: &ids, log: &log)
        return id
    }

    /// The text of a reference cell, for messages.
    static func shown(_ rows: Rows, _ field: CSVTokenizer.Field) -> String {
        rows.tokenizer.text(of: field) ?? String(decoding: rows.bytes(field), as: UTF8.self)
    }

    // MARK: - Regions, segments, components

    func readRegions(_ bytes: FileBytes?, into model: inout ResolvedModel, log: inout ProblemLog) -> IDTable {
        let table = Self.regions
        var ids = IDTable(kind: .region, capacity: FileAccess.lineCount(bytes) + 1, bytes: bytes ?? .empty)
        guard let bytes else { return ids }
        let path = self.path(table)
        var parents: [(field: CSVTokenizer.Field?, text: String?)] = []
        var parentColumn = -1
        var parentBytes: [[UInt8]] = []
        Self.forEachRow(table, bytes, file: log.file(path), log: &log, progress: progress) { rows, log in
            guard let id = Self.addID(rows, to: &ids, log: &log) else { return }
            let element = "region '\(id)'"
            let position = model.regionIDs.count
            model.regionIDs.append(id)
            model.regionNames.append(Self.requiredText(rows, 1, of: element, log: &log) ?? "")
            let parent = rows.cell(2)
            parentColumn = rows.position(2)
            parents.append((parent, parent.map { Self.shown(rows, $0) }))
            parentBytes.append(parent.map { Array(rows.bytes($0)) } ?? [])
            if let source = Self.text(rows, 3, of: element, log: &log) { model.regionSources.append(source, at: position) }
            if let note = Self.text(rows, 4, of: element, log: &log) { model.regionNotes.append(note, at: position) }
            if !rows.header.extras.isEmpty { Self.attributes(rows, into: &model.regionAttributes, at: position, of: element, log: &log) }
        }
        ModelResolver.indexIDs(&ids, log: &log)
        model.regionLocations = ids.locations
        model.regionParent = [Int32](repeating: -1, count: model.regionIDs.count)
        for (position, parent) in parents.enumerated() where parent.field != nil {
            model.regionParent[position] = parentBytes[position].withUnsafeBufferPointer {
                ModelResolver.regionParent($0, shown: parent.text ?? "", of: model.regionIDs[position], regions: ids,
                    at: ids.locations[position], column: parentColumn, log: &log)
            }
        }
        model.regionIndex = ids.index
        return ids
    }

    /// Reads `model.csv` (SPEC §1.2): one row of `id`, `title` and `home`, the model's id, title
    /// and default scope, as a YAML file has them.
    func readModelInfo(_ bytes: FileBytes?, regions: IDTable, into model: inout ResolvedModel, log: inout ProblemLog) {
        guard let bytes else { return }
        let path = self.path(Self.modelInfo)
        var rowCount = 0
        Self.forEachRow(Self.modelInfo, bytes, file: log.file(path), log: &log) { rows, log in
            rowCount += 1
            guard rowCount == 1 else {
                log.report(.invalidValue(log.describe(rows.location), element: "the model", field: "row",
                    problem: "model.csv holds one row (id, title, home); this is a second"))
                return
            }
            model.id = Self.text(rows, 0, of: "the model", log: &log)
            model.title = Self.text(rows, 1, of: "the model", log: &log)
            if let home = rows.cell(2) {
                model.home = ModelResolver.home(rows.bytes(home), shown: Self.shown(rows, home), regions: regions, at: rows.location,
                    column: rows.position(2), log: &log)
            }
        }
    }

    func readSegments(_ bytes: FileBytes?, into model: inout ResolvedModel, log: inout ProblemLog) -> IDTable? {
        guard let bytes else { return nil }
        let table = Self.segments
        var ids = IDTable(kind: .segment, capacity: FileAccess.lineCount(bytes) + 1, bytes: bytes)
        let path = self.path(table)
        Self.forEachRow(table, bytes, file: log.file(path), log: &log, progress: progress) { rows, log in
            guard let id = Self.addID(rows, to: &ids, log: &log) else { return }
            let element = "segment '\(id)'"
            let position = model.segmentIDs.count
            model.segmentIDs.append(id)
            model.segmentNames.append(Self.requiredText(rows, 1, of: element, log: &log) ?? "")
            var order: Int?
            let value = Self.number(rows, 2, of: element, log: &log)
            if !value.isNaN {
                let checked = ModelResolver.segmentOrder(value, of: element, at: log.describe(rows.location, column: rows.position(2)))
                order = checked.order
                if let problem = checked.problem { log.report(problem) }
            }
            model.segmentOrders.append(order)
            if let source = Self.text(rows, 3, of: element, log: &log) { model.segmentSources.append(source, at: position) }
            if let note = Self.text(rows, 4, of: element, log: &log) { model.segmentNotes.append(note, at: position) }
            if !rows.header.extras.isEmpty { Self.attributes(rows, into: &model.segmentAttributes, at: position, of: element, log: &log) }
        }
        ModelResolver.indexIDs(&ids, log: &log)
        model.segmentsDeclared = !model.segmentIDs.isEmpty
        model.segmentIndex = ids.index
        return model.segmentsDeclared ? ids : nil
    }

    func readComponents(
        _ bytes: FileBytes?, segments declared: IDTable?, into model: inout ResolvedModel, log: inout ProblemLog
    ) -> IDTable {
        let table = Self.components
        var ids = IDTable(kind: .component, capacity: FileAccess.lineCount(bytes) + 1, bytes: bytes ?? .empty)
        guard let bytes else { return ids }
        let path = self.path(table)
        var derived = ModelResolver.DerivedSegments()
        Self.forEachRow(table, bytes, file: log.file(path), log: &log, progress: progress) { rows, log in
            guard let id = Self.addID(rows, to: &ids, log: &log) else { return }
            let name = Self.requiredText(rows, 1, of: "component '\(id)'", log: &log) ?? ""
            let position = model.componentIDs.count
            var segment: Int32 = -1
            if let segmentField = Self.required(rows, 2, of: "component '\(id)'", log: &log), let declared {
                segment = ModelResolver.componentSegment(rows.bytes(segmentField), shown: Self.shown(rows, segmentField), of: id,
                    segments: declared, at: rows.location, column: rows.position(2), log: &log)
            } else if let segmentField = rows.cell(2) {
                segment = derived.segment(rows.bytes(segmentField), shown: Self.shown(rows, segmentField), into: &model,
                    at: rows.location, column: rows.position(2), log: &log)
            }
            model.componentIDs.append(id)
            model.componentNames.append(name)
            model.componentSegment.append(segment)
            if rows.header.positions[3] >= 0 || rows.header.positions[4] >= 0 {
                if let source = Self.text(rows, 3, of: "component '\(id)'", log: &log) { model.componentSources.append(source, at: position) }
                if let note = Self.text(rows, 4, of: "component '\(id)'", log: &log) { model.componentNotes.append(note, at: position) }
            }
            if !rows.header.extras.isEmpty {
                Self.attributes(rows, into: &model.componentAttributes, at: position, of: "component '\(id)'", log: &log)
            }
        }
        ModelResolver.indexIDs(&ids, log: &log)
        if declared == nil { model.segmentIndex = IDIndex(uniqueIDs: model.segmentIDs) }
        model.componentIndex = ids.index
        return ids
    }

    // MARK: - Firms (one thread)

    struct FirmColumns: Sendable {
        var ids: IDTable
        var names: [String] = []
        var region: [Int32] = []
        var sources = SparseColumn<String>()
        var notes = SparseColumn<String>()
        var attributes = AttributeTable()
        var log: ProblemLog
    }

    /// Reads firms.csv. Its bytes are freed (when the caller holds no other reference to
    /// them) once its rows are read, before the ids are indexed: the ids keep a copy of
    /// their own bytes (``IDTable/keepOwnBytes()``).
    func readFirms(_ bytes: consuming FileBytes?, regions: IDTable, files: ProblemLog) -> FirmColumns {
        let table = Self.firms
        let capacity = FileAccess.lineCount(bytes) + 1
        guard var text = bytes.take() else {
            return FirmColumns(ids: IDTable(kind: .firm, capacity: capacity, bytes: .empty), log: files)
        }
        var log = files
        var firms = FirmColumns(ids: IDTable(kind: .firm, capacity: capacity, bytes: text), log: ProblemLog())
        firms.names.reserveCapacity(capacity)
        firms.region.reserveCapacity(capacity)
        let path = self.path(table)
        Self.forEachRow(table, text, file: log.file(path), log: &log, progress: progress) { rows, log in
            guard let id = Self.addID(rows, to: &firms.ids, log: &log) else { return }
            let position = firms.names.count
            firms.names.append(Self.requiredText(rows, 1, of: "firm '\(id)'", log: &log) ?? "")
            if let regionField = Self.required(rows, 2, of: "firm '\(id)'", log: &log) {
                firms.region.append(ModelResolver.firmRegion(rows.bytes(regionField), shown: Self.shown(rows, regionField), of: id,
                    regions: regions, at: rows.location, column: rows.position(2), log: &log))
            } else {
                firms.region.append(-1)
            }
            if rows.header.positions[3] >= 0, let source = Self.text(rows, 3, of: "firm '\(id)'", log: &log) {
                firms.sources.append(source, at: position)
            }
            if rows.header.positions[4] >= 0, let note = Self.text(rows, 4, of: "firm '\(id)'", log: &log) {
                firms.notes.append(note, at: position)
            }
            if !rows.header.extras.isEmpty { Self.attributes(rows, into: &firms.attributes, at: position, of: "firm '\(id)'", log: &log) }
        }
        firms.ids.keepOwnBytes()
        text = .empty
        ModelResolver.indexIDs(&firms.ids, log: &log)
        firms.log = log
        return firms
    }

    // MARK: - Requirements and supply links (the other thread)

    /// What the second thread reads: the requirements, and the supply links with their firm
    /// references still byte ranges of `suppliesBytes` (resolved once every firm is known).
    struct LinkReading: Sendable {
        var edges = EdgeColumns()
        var links = LinkColumns()
        var firmStart: [Int32] = []
        var firmLength: [Int32] = []
        /// The component references, resolved in a batch (``IDTable/findAll(starts:lengths:in:range:into:)``).
        var componentStart: [Int32] = []
        var componentLength: [Int32] = []
        var suppliesBytes = FileBytes.empty
        /// The fields of a supply link's firm and component (for messages).
        var firmColumn = -1
        var componentColumn = -1
        var log: ProblemLog
    }

    func readLinks(requires: FileBytes?, supplies: FileBytes?, components: IDTable, files: ProblemLog) -> LinkReading {
        var log = files
        var reading = LinkReading(log: ProblemLog())
        if let requires {
            let path = self.path(Self.requires)
            var previousParent: Int32 = -1
            Self.forEachRow(Self.requires, requires, file: log.file(path), log: &log, progress: progress) { rows, log in
                guard let parentField = Self.required(rows, 0, of: "a requirement", log: &log) else { return }
                guard let childField = Self.required(rows, 1, of: "requirement of '\(Self.shown(rows, parentField))'", log: &log)
                else { return }
                let location = rows.location
                let position = reading.edges.parent.count
                func parentShown() -> String { Self.shown(rows, parentField) }
                func childShown() -> String { Self.shown(rows, childField) }
                let (parent, child) = ModelResolver.requirement(parent: rows.bytes(parentField), child: rows.bytes(childField),
                    near: previousParent, parentShown: parentShown, childShown: childShown, components: components, at: location,
                    columns: (rows.position(0), rows.position(1)), log: &log)
                previousParent = parent
                let weight = ModelResolver.weight(
                    Self.number(rows, 2, of: "requirement '\(parentShown())' → '\(childShown())'", isFraction: true, log: &log),
                    component: parentShown, child: childShown, at: location, column: rows.position(2), log: &log)
                reading.edges.parent.append(parent)
                reading.edges.child.append(child)
                reading.edges.weight.append(weight)
                reading.edges.locations.append(location)
                if rows.header.positions[3] >= 0 || rows.header.positions[4] >= 0 {
                    func element() -> String { "requirement '\(Self.shown(rows, parentField))' → '\(Self.shown(rows, childField))'" }
                    if let source = Self.text(rows, 3, of: element(), log: &log) { reading.edges.sources.append(source, at: position) }
                    if let note = Self.text(rows, 4, of: element(), log: &log) { reading.edges.notes.append(note, at: position) }
                }
                if !rows.header.extras.isEmpty {
                    Self.attributes(rows, into: &reading.edges.attributes, at: position,
                        of: "requirement '\(Self.shown(rows, parentField))' → '\(Self.shown(rows, childField))'", log: &log)
                }
            }
        }
        if let supplies {
            let capacity = FileAccess.lineCount(supplies) + 1
            reading.links.share.reserveCapacity(capacity)
            reading.links.locations.reserveCapacity(capacity)
            reading.firmStart.reserveCapacity(capacity)
            reading.firmLength.reserveCapacity(capacity)
            reading.componentStart.reserveCapacity(capacity)
            reading.componentLength.reserveCapacity(capacity)
            let path = self.path(Self.supplies)
            Self.forEachRow(Self.supplies, supplies, file: log.file(path), log: &log, progress: progress) { rows, log in
                guard let firmField = Self.required(rows, 0, of: "a supply link", log: &log) else { return }
                guard let componentField = Self.required(rows, 1, of: "a supply link of firm '\(Self.shown(rows, firmField))'", log: &log)
                else { return }
                let location = rows.location
                let position = reading.links.share.count
                func firmShown() -> String { Self.shown(rows, firmField) }
                func componentShown() -> String { Self.shown(rows, componentField) }
                let share = Self.number(rows, 2, of: "supply of '\(componentShown())' by firm '\(firmShown())'", isFraction: true, log: &log)
                ModelResolver.share(share, firm: firmShown, component: componentShown, at: location, column: rows.position(2), log: &log)
                reading.firmColumn = rows.position(0)
                reading.componentColumn = rows.position(1)
                reading.links.share.append(share)
                reading.links.locations.append(location)
                let firmBytes = rows.bytes(firmField)
                reading.firmStart.append(Int32(firmBytes.baseAddress! - rows.tokenizer.bytes.baseAddress!))
                reading.firmLength.append(Int32(firmBytes.count))
                let componentBytes = rows.bytes(componentField)
                reading.componentStart.append(Int32(componentBytes.baseAddress! - rows.tokenizer.bytes.baseAddress!))
                reading.componentLength.append(Int32(componentBytes.count))
                if rows.header.positions[3] >= 0 || rows.header.positions[4] >= 0 || rows.header.positions[5] >= 0 {
                    // The element is named only if a cell is bad: no string per row.
                    func element() -> String { "supply of '\(Self.shown(rows, componentField))' by firm '\(Self.shown(rows, firmField))'" }
                    if let product = Self.text(rows, 3, of: element(), log: &log) { reading.links.products.append(product, at: position) }
                    if let source = Self.text(rows, 4, of: element(), log: &log) { reading.links.sources.append(source, at: position) }
                    if let note = Self.text(rows, 5, of: element(), log: &log) { reading.links.notes.append(note, at: position) }
                }
                if !rows.header.extras.isEmpty {
                    Self.attributes(rows, into: &reading.links.attributes, at: position,
                        of: "supply of '\(Self.shown(rows, componentField))' by firm '\(Self.shown(rows, firmField))'", log: &log)
                }
            }
            reading.suppliesBytes = supplies
        }
        reading.log = log
        return reading
    }

    /// Resolves the links' firm and component references, in two halves on two threads: the
    /// firms by their neighbours first (links are mostly listed firm by firm), the components
    /// in prefetching batches (``IDTable/findAll(starts:lengths:in:range:into:)``). Then reports
    /// those that name no id, in the order of the links.
    ///
    /// The positions are written over the references' start offsets (each read before it is
    /// written), so that no second pair of columns is made: `reading`'s `firmStart` and
    /// `componentStart` are taken, and returned as the positions (-1: unknown).
    func resolveSupplyReferences(
        _ reading: inout LinkReading, firms: IDTable, components: IDTable, log: inout ProblemLog
    ) -> (firm: [Int32], component: [Int32]) {
        let count = reading.firmStart.count
        var firmOf = reading.firmStart
        var componentOf = reading.componentStart
        reading.firmStart = []
        reading.componentStart = []
        let firmLength = reading.firmLength
        let componentLength = reading.componentLength
        let unknown = Mutex<(firms: [(link: Int, start: Int32)], components: [(link: Int, start: Int32)],
            firmsOfComponents: [(link: Int, start: Int32)])>(([], [], []))
        firmOf.withUnsafeMutableBufferPointer { firmOutput in
            componentOf.withUnsafeMutableBufferPointer { componentOutput in
                let firmTarget = SendableBuffer(pointer: firmOutput)
                let componentTarget = SendableBuffer(pointer: componentOutput)
                reading.suppliesBytes.withUnsafeBufferPointer { bytes in
                    let source = SendableBytes(pointer: bytes)
                    let parts = count < 100_000 ? 1 : 2
                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                        let range = (count * part / parts)..<(count * (part + 1) / parts)
                        // Each look-up reads its start before writing its position over it,
                        // and the batch reads only starts ahead of the one it writes.
                        let missingComponents = componentLength.withUnsafeBufferPointer { lengths in
                            components.findAll(starts: UnsafeBufferPointer(componentTarget.pointer), lengths: lengths,
                                in: source.pointer, range: range, into: componentTarget.pointer)
                        }.map { (link: $0, start: componentTarget.pointer[$0]) }
                        // The firms next; where the component is unknown, the firm's start is
                        // kept too, for the message (which names the firm as written).
                        var missingFirms: [(link: Int, start: Int32)] = []
                        var firmsOfMissingComponents: [(link: Int, start: Int32)] = []
                        var nextMissing = 0
                        var previous: Int32 = -1
                        for link in range {
                            let start = firmTarget.pointer[link]
                            if nextMissing < missingComponents.count && missingComponents[nextMissing].link == link {
                                firmsOfMissingComponents.append((link, start))
                                nextMissing += 1
                            }
                            let lower = Int(start)
                            let field = UnsafeBufferPointer(rebasing: source.pointer[lower..<(lower + Int(firmLength[link]))])
                            if let firm = firms.find(field, near: previous) {
                                firmTarget.pointer[link] = firm
                                previous = firm
                            } else {
                                missingFirms.append((link, start))
                            }
                        }
                        if !missingFirms.isEmpty || !missingComponents.isEmpty {
                            unknown.withLock {
                                $0.firms += missingFirms
                                $0.components += missingComponents
                                $0.firmsOfComponents += firmsOfMissingComponents
                            }
                        }
                    }
                }
            }
        }
        let (missingFirms, missingComponents, firmsOfMissingComponents) = unknown.withLock {
            ($0.firms, $0.components, $0.firmsOfComponents)
        }
        guard !missingFirms.isEmpty || !missingComponents.isEmpty else { return (firmOf, componentOf) }
        func text(_ start: Int32, _ length: Int32) -> String {
            String(decoding: reading.suppliesBytes[Int(start)..<Int(start + length)], as: UTF8.self)
        }
        // The references as written, from the starts kept for the messages.
        var firmText: [Int: String] = [:]
        var componentText: [Int: String] = [:]
        var componentFirmText: [Int: String] = [:]
        for (link, start) in missingFirms { firmText[link] = text(start, firmLength[link]) }
        for (link, start) in missingComponents { componentText[link] = text(start, componentLength[link]) }
        for (link, start) in firmsOfMissingComponents { componentFirmText[link] = text(start, firmLength[link]) }
        for (link, _) in missingFirms { firmOf[link] = -1 }
        for (link, _) in missingComponents { componentOf[link] = -1 }
        for link in Set(firmText.keys).union(componentText.keys).sorted() {
            let location = reading.links.locations[link]
            if let component = componentText[link] {
                ModelResolver.unknownSupplyComponent(component, firm: componentFirmText[link]!, at: location,
                    column: reading.componentColumn, log: &log)
            }
            if let firm = firmText[link] {
                ModelResolver.unknownSupplyFirm(firm, at: location, column: reading.firmColumn, log: &log)
            }
        }
        return (firmOf, componentOf)
    }
}

/// A buffer pointer handed to the threads of `concurrentPerform`, each writing its own range.
private struct SendableBuffer: @unchecked Sendable {
    let pointer: UnsafeMutableBufferPointer<Int32>
}

/// A read-only byte buffer shared by the threads of `concurrentPerform`.
private struct SendableBytes: @unchecked Sendable {
    let pointer: UnsafeBufferPointer<UInt8>
}
