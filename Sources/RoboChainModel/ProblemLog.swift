/// Where an element was read, compactly: a file number (into ``ProblemLog/files``) and a line.
struct ElementLocation: Sendable {
    var file: Int32
    var line: Int32

    static let unknown = ElementLocation(file: -1, line: 0)
}

/// Where each element of a table was read, in half the memory of an array of
/// ``ElementLocation``: a table's elements come from one file (or sheet), so the file is kept
/// once and a line per element; an element from another file (a model made by
/// ``ModelBuilder`` may mix them) has its file kept apart.
struct LocationColumn: Sendable {
    /// The file of the first element; -1 before any.
    private var file: Int32 = -1
    private var lines: [Int32] = []
    /// The file of each element whose file is not `file`, by position.
    private var otherFiles: [Int: Int32] = [:]

    init() {}

    var count: Int { lines.count }

    mutating func reserveCapacity(_ capacity: Int) { lines.reserveCapacity(capacity) }

    mutating func append(_ location: ElementLocation) {
        if lines.isEmpty { file = location.file }
        if location.file != file { otherFiles[lines.count] = location.file }
        lines.append(location.line)
    }

    subscript(position: Int) -> ElementLocation {
        ElementLocation(file: otherFiles.isEmpty ? file : otherFiles[position] ?? file, line: lines[position])
    }
}

/// A sheet of a workbook read as CSV text (``WorkbookReader``): the workbook, the sheet's
/// name, and where its CSV lines stop being its rows. Sheet row *n* is CSV line *n* until a
/// text cell holds a line break, which takes a line of its own: from each `shifts` entry's
/// line on, the row is the line plus its offset.
struct SheetPlace: Sendable {
    var workbook: String
    var name: String
    var shifts: [(line: Int32, offset: Int32)] = []

    /// The sheet row that CSV line `line` (where a row starts) is.
    ///
    /// - Complexity: O(log shifts).
    func row(ofLine line: Int) -> Int {
        var low = 0
        var high = shifts.count
        while low < high {
            let middle = (low + high) / 2
            if Int(shifts[middle].line) <= line { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? line : line + Int(shifts[low - 1].offset)
    }
}

/// The problems found while loading a model, kept in the order of the files and lines they are
/// at, so a user reads them top to bottom.
struct ProblemLog: Sendable {
    /// The most problems kept; the rest are counted in ``ModelError/moreProblems(count:)``.
    static let limit = 1000

    /// The files read, in reading order (a location's `file` indexes this).
    var files: [String] = []
    /// The files that are sheets of a workbook, by number: their cells are named as Excel
    /// names them (``SourceLocation``).
    var sheets: [Int32: SheetPlace] = [:]
    private(set) var problems: [(rank: Int, problem: ModelError)] = []
    private(set) var omitted = 0
    /// Kinds some of whose elements could not be read: references to them are not reported as
    /// unknown, since the reading problem already was.
    private(set) var incompleteKinds: Set<ElementKind> = []

    var isEmpty: Bool { problems.isEmpty && omitted == 0 }
    var count: Int { problems.count + omitted }

    /// The number of a file, adding it if new.
    mutating func file(_ path: String) -> Int32 {
        if let index = files.lastIndex(of: path) { return Int32(index) }
        files.append(path)
        return Int32(files.count - 1)
    }

    /// A sheet of a workbook: its lines are named as its rows, `column` as its column.
    mutating func sheet(_ path: String, _ place: SheetPlace) -> Int32 {
        let number = file(path)
        sheets[number] = place
        return number
    }

    /// An empty log that names the same files (for a file read on another thread).
    func emptyCopy() -> ProblemLog {
        var copy = ProblemLog()
        copy.files = files
        copy.sheets = sheets
        return copy
    }

    /// The public form of a location. `column` is the field of the row the problem is in (0 is
    /// the first), or -1 for the whole row; only a workbook's sheet names it (as its column
    /// letter), a CSV file is named by line alone.
    ///
    /// - Complexity: O(1), or O(log s) in a sheet where a text cell's line break shifted s rows.
    func describe(_ location: ElementLocation, column: Int = -1) -> SourceLocation {
        guard location.file >= 0 else { return SourceLocation(file: "model") }
        let line = location.line > 0 ? Int(location.line) : nil
        if let sheet = sheets[location.file] {
            return SourceLocation(workbook: sheet.workbook, sheet: sheet.name, row: line.map(sheet.row(ofLine:)),
                column: column >= 0 ? column + 1 : nil)
        }
        return SourceLocation(file: files[Int(location.file)], line: line)
    }

    /// The public form of line `line` (0 for none) of file number `file`, at field `column`.
    func describe(file: Int32, line: Int, column: Int = -1) -> SourceLocation {
        describe(ElementLocation(file: file, line: Int32(clamping: line)), column: column)
    }

    mutating func markIncomplete(_ kind: ElementKind) {
        incompleteKinds.insert(kind)
    }

    /// Records a problem. An unknown reference into an incomplete kind is dropped; an empty
    /// reference is reported as a missing field.
    mutating func report(_ problem: ModelError) {
        if case .unknownReference(let location, let element, let field, let kind, let id) = problem {
            if incompleteKinds.contains(kind) { return }
            if id.isEmpty {
                report(.missingField(location, element: element, field: field))
                return
            }
        }
        for single in problem.problems {
            guard problems.count < Self.limit else {
                omitted += 1
                continue
            }
            problems.append((rank(of: single), single))
        }
    }

    /// Adds another log's problems (from a file read on another thread).
    mutating func merge(_ other: ProblemLog) {
        for kind in other.incompleteKinds { incompleteKinds.insert(kind) }
        for (_, problem) in other.problems { report(problem) }
        omitted += other.omitted
    }

    /// Sorts problems by file (in reading order), then line; problems without a file come first.
    private func rank(of problem: ModelError) -> Int {
        guard let location = problem.location,
            let file = files.firstIndex(of: location.sheet.map { WorkbookReader.sheetPath(location.file, $0) } ?? location.file)
        else { return -1 }
        return (file + 1) << 32 | (location.line ?? 0)
    }

    /// The error to throw, or `nil` when there is no problem.
    var error: ModelError? {
        guard !isEmpty else { return nil }
        var sorted = problems.enumerated().sorted { left, right in
            left.element.rank != right.element.rank ? left.element.rank < right.element.rank : left.offset < right.offset
        }.map(\.element.problem)
        if omitted > 0 { sorted.append(.moreProblems(count: omitted)) }
        return sorted.count == 1 ? sorted[0] : .several(sorted)
    }
}

extension ModelError {
    /// Where the problem is, when it is at a place in a file.
    var location: SourceLocation? {
        switch self {
        case .syntax(let location, _), .missingColumn(let location, _), .missingField(let location, _, _),
            .invalidValue(let location, _, _, _), .invalidID(let location, _, _), .duplicateID(let location, _, _, _),
            .normalisationDuplicate(let location, _, _, _, _),
            .unknownReference(let location, _, _, _, _), .requiresCycle(let location, _), .regionCycle(let location, _),
            .duplicateRequirement(let location, _, _), .duplicateSupply(let location, _, _),
            .weightOutOfRange(let location, _, _, _), .shareOutOfRange(let location, _, _, _),
            .weightsExceedOne(let location, _, _):
            location
        case .unreadable, .unsupportedFormat, .missingFile, .moreProblems, .several, .invalidScenario, .unknownScenarioID,
            .scenarioFirmRemoved:
            nil
        }
    }
}
