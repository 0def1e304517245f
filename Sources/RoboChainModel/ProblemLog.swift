/// Where an element was read, compactly: a file number (into ``ProblemLog/files``) and a line.
struct ElementLocation: Sendable {
    var file: Int32
    var line: Int32

    static let unknown = ElementLocation(file: -1, line: 0)
}

/// The problems found while loading a model, kept in the order of the files and lines they are
/// at, so a user reads them top to bottom.
struct ProblemLog: Sendable {
    /// The most problems kept; the rest are counted in ``ModelError/moreProblems(count:)``.
    static let limit = 1000

    /// The files read, in reading order (a location's `file` indexes this).
    var files: [String] = []
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

    /// The public form of a location.
    func describe(_ location: ElementLocation) -> SourceLocation {
        guard location.file >= 0 else { return SourceLocation(file: "model") }
        return SourceLocation(file: files[Int(location.file)], line: location.line > 0 ? Int(location.line) : nil)
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
        guard let location = problem.location, let file = files.firstIndex(of: location.file) else { return -1 }
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
