/// The ids of one kind as the resolver holds them: as strings (for the model), as byte ranges
/// of one buffer (to compare references with, without making strings), their index and where
/// each was defined.
///
/// The buffer is whatever the reader has: the bytes of a CSV file or workbook sheet (so an id
/// is never copied), or the ids of a ``ModelBuilder`` laid end to end.
struct IDTable: Sendable {
    var strings: [String] = []
    var start: [Int32] = []
    var length: [Int32] = []
    var bytes = FileBytes.empty
    var index: IDIndex
    var locations = LocationColumn()
    let kind: ElementKind
    /// The positions of ids beyond ASCII (only those can differ by normalisation alone).
    var unicodePositions: [Int32] = []
    /// The field of a row the ids are in (for messages naming a workbook's cell), or -1.
    var idColumn = -1

    /// An empty table with room for `capacity` ids held in `bytes`; its index is made by
    /// ``indexAll()``, when every id is in.
    init(kind: ElementKind, capacity: Int, bytes: FileBytes) {
        self.kind = kind
        self.bytes = bytes
        index = IDIndex(capacity: 0)
        strings.reserveCapacity(capacity)
        start.reserveCapacity(capacity)
        length.reserveCapacity(capacity)
        locations.reserveCapacity(capacity)
    }

    var count: Int { strings.count }

    /// Adds an id at a byte range of `bytes`, not yet indexed (see ``indexAll()``).
    @inline(__always)
    mutating func append(_ text: String, start fieldStart: Int, end fieldEnd: Int, at location: ElementLocation) {
        strings.append(text)
        start.append(Int32(fieldStart))
        length.append(Int32(fieldEnd - fieldStart))
        locations.append(location)
    }

    /// Copies the ids' bytes out of the file they were read from into a buffer of their own,
    /// end to end, so that the file's bytes (names and every other cell too) can be freed
    /// while the ids are still indexed and looked up.
    ///
    /// - Complexity: O(bytes of the ids).
    mutating func keepOwnBytes() {
        let total = length.reduce(0) { $0 + Int($1) }
        bytes = FileBytes(bytes.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: total) { own, count in
                start.withUnsafeMutableBufferPointer { start in
                    length.withUnsafeBufferPointer { length in
                        var end = 0
                        for position in start.indices {
                            let lower = Int(start[position])
                            let size = Int(length[position])
                            (own.baseAddress! + end).initialize(from: source.baseAddress! + lower, count: size)
                            start[position] = Int32(end)
                            end += size
                        }
                        count = end
                    }
                }
            }
        })
    }

    /// How many ids ahead of the one inserted or looked up a batch asks for its slot: enough
    /// to overlap the cache misses, few enough that the lines are still there.
    static let lookAhead = 12

    /// Indexes every id appended, in order; returns each id that repeats an earlier one, with
    /// the earlier one's position (the repeat is not indexed).
    ///
    /// The ids are inserted as a batch: the key of the id `lookAhead` places on is made and
    /// its slot prefetched while this one is inserted, so the random accesses of a table too
    /// large for the cache overlap instead of waiting one after the other.
    ///
    /// - Complexity: O(bytes of the ids) expected.
    mutating func indexAll() -> [(duplicate: Int32, first: Int32)] {
        let count = strings.count
        var index = IDIndex(capacity: count)
        var duplicates: [(duplicate: Int32, first: Int32)] = []
        let ahead = Self.lookAhead
        start.withUnsafeBufferPointer { start in
            length.withUnsafeBufferPointer { length in
                bytes.withUnsafeBufferPointer { buffer in
                    func field(_ position: Int) -> UnsafeBufferPointer<UInt8> {
                        let lower = Int(start[position])
                        return UnsafeBufferPointer(rebasing: buffer[lower..<(lower + Int(length[position]))])
                    }
                    // The keys of the next `ahead` ids, in a ring.
                    var keys = [IDIndex.Key](repeating: IDIndex.Key(hash: 0, prefix: 0, tag: 0, isShort: true), count: ahead)
                    for position in 0..<min(ahead, count) {
                        keys[position] = IDIndex.key(field(position))
                        index.prefetch(keys[position])
                    }
                    for position in 0..<count {
                        let key = keys[position % ahead]
                        if position + ahead < count {
                            let next = IDIndex.key(field(position + ahead))
                            index.prefetch(next)
                            keys[position % ahead] = next
                        }
                        let mine = field(position)
                        if let first = index.insert(Int32(position), key: key, matches: { existing in
                            Self.equal(buffer, Int(start[Int(existing)]), Int(length[Int(existing)]), mine)
                        }) {
                            duplicates.append((Int32(position), first))
                        }
                    }
                }
            }
        }
        self.index = index
        return duplicates
    }

    /// The position of the id whose bytes are `field`, trying first the id at `near` and
    /// the next one: references in files sorted by their target (supply links listed firm
    /// by firm, requirements component by component) then cost a comparison of neighbouring
    /// ids instead of a probe into the hash table.
    @inline(__always)
    func find(_ field: UnsafeBufferPointer<UInt8>, near: Int32) -> Int32? {
        if near >= 0 {
            let found: Int32? = bytes.withUnsafeBufferPointer { buffer in
                // (If ids repeat, this may pick another of the equal ones than the index would;
                // a model with a repeated id is rejected, so it cannot matter.)
                for candidate in near...min(near + 1, Int32(start.count - 1))
                where Self.equal(buffer, Int(start[Int(candidate)]), Int(length[Int(candidate)]), field) {
                    return candidate
                }
                return nil
            }
            if let found { return found }
        }
        return find(field)
    }

    /// The position of the id whose bytes are `field`.
    @inline(__always)
    func find(_ field: UnsafeBufferPointer<UInt8>) -> Int32? {
        let key = IDIndex.key(field)
        return bytes.withUnsafeBufferPointer { buffer in
            index.find(key: key) { existing in
                Self.equal(buffer, Int(start[Int(existing)]), Int(length[Int(existing)]), field)
            }
        }
    }

    /// Looks up a batch of references, the ids at `starts[i]..<starts[i] + lengths[i]` of
    /// `source` for each `i` in `range`: writes each one's position to `output[i]`, and
    /// returns the `i` of those not found (their `output` is left as it was). Like
    /// ``indexAll()``, it prefetches the slot of the reference `lookAhead` places on, so that
    /// the cache misses of random look-ups overlap.
    ///
    /// - Complexity: O(bytes of the references) expected.
    func findAll(
        starts: UnsafeBufferPointer<Int32>, lengths: UnsafeBufferPointer<Int32>, in source: UnsafeBufferPointer<UInt8>,
        range: Range<Int>, into output: UnsafeMutableBufferPointer<Int32>
    ) -> [Int] {
        var missing: [Int] = []
        let ahead = Self.lookAhead
        func field(_ reference: Int) -> UnsafeBufferPointer<UInt8> {
            let lower = Int(starts[reference])
            return UnsafeBufferPointer(rebasing: source[lower..<(lower + Int(lengths[reference]))])
        }
        bytes.withUnsafeBufferPointer { buffer in
            var keys = [IDIndex.Key](repeating: IDIndex.Key(hash: 0, prefix: 0, tag: 0, isShort: true), count: ahead)
            for reference in range.prefix(ahead) {
                keys[(reference - range.lowerBound) % ahead] = IDIndex.key(field(reference))
                index.prefetch(keys[(reference - range.lowerBound) % ahead])
            }
            for reference in range {
                let ring = (reference - range.lowerBound) % ahead
                let key = keys[ring]
                if reference + ahead < range.upperBound {
                    let next = IDIndex.key(field(reference + ahead))
                    index.prefetch(next)
                    keys[ring] = next
                }
                let wanted = field(reference)
                if let found = index.find(key: key, matches: { existing in
                    Self.equal(buffer, Int(start[Int(existing)]), Int(length[Int(existing)]), wanted)
                }) {
                    output[reference] = found
                } else {
                    missing.append(reference)
                }
            }
        }
        return missing
    }

    /// Whether the id at `start` in `buffer` has the bytes of `field`: eight bytes at a time,
    /// inline (ids are short; a call to `memcmp` costs more than the comparison).
    @inline(__always)
    static func equal(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int, _ field: UnsafeBufferPointer<UInt8>) -> Bool {
        guard length == field.count else { return false }
        guard length > 0 else { return true }
        let left = UnsafeRawPointer(buffer.baseAddress! + start)
        let right = UnsafeRawPointer(field.baseAddress!)
        var offset = 0
        while offset + 8 <= length {
            if left.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != right.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
                return false
            }
            offset += 8
        }
        while offset < length {
            if left.load(fromByteOffset: offset, as: UInt8.self) != right.load(fromByteOffset: offset, as: UInt8.self) { return false }
            offset += 1
        }
        return true
    }
}

extension IDTable {
    /// A table of ids given as strings (``ModelBuilder``): their bytes are laid end to end in
    /// one buffer, then each is added through ``ModelResolver/addID(_:start:end:at:to:log:)``,
    /// so that they are checked as a file's ids are.
    init(kind: ElementKind, ids: [String], locations: LocationColumn, log: inout ProblemLog) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(ids.reduce(0) { $0 + $1.utf8.count })
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(ids.count)
        for id in ids {
            let lower = buffer.count
            buffer.append(contentsOf: id.utf8)
            ranges.append(lower..<buffer.count)
        }
        self.init(kind: kind, capacity: ids.count, bytes: FileBytes(buffer))
        for (position, id) in ids.enumerated() {
            ModelResolver.addID(id, start: ranges[position].lowerBound, end: ranges[position].upperBound,
                at: locations[position], to: &self, log: &log)
        }
        ModelResolver.indexIDs(&self, log: &log)
    }
}

/// The rules of SPEC §1.3 that hold for single elements — ids valid and unique (also under
/// Unicode normalisation), references resolved, weights and shares in range, segment orders
/// whole — each with its message, for every reader: ``ModelBuilder`` (YAML, JSON, code) hands
/// it ids as strings, the CSV and workbook reader as bytes of the file. What spans elements
/// (cycles, repeated requirements and supplies, weight sums) is ``ModelAssembly``'s.
///
/// A reference is given as the bytes of the id it names and, for messages, a closure that
/// makes its text: the closure runs only when there is a problem. Where the reader knows the
/// field of its row a value is in (`column`, 0 for the first; -1 when unknown), a message about
/// it names that cell of a workbook's sheet (``ProblemLog/describe(_:column:)``); it costs
/// nothing until a message is made.
enum ModelResolver {
    // MARK: - Ids

    /// Adds the id at `start..<end` of `ids.bytes`, with its text, reporting an id that breaks
    /// the id rule. When every id of the kind is added, ``indexIDs(_:log:)`` checks that they
    /// are unique.
    ///
    /// - Complexity: O(length of the id).
    @inline(__always)
    static func addID(
        _ text: String, start: Int, end: Int, at location: ElementLocation, to ids: inout IDTable, log: inout ProblemLog
    ) {
        let form = ids.bytes.withUnsafeBufferPointer { IDRule.form(UnsafeBufferPointer(rebasing: $0[start..<end])) }
        if form == .invalid {
            log.report(.invalidID(log.describe(location, column: ids.idColumn), kind: ids.kind, id: text))
        } else if form == .unicode {
            ids.unicodePositions.append(Int32(ids.count))
        }
        ids.append(text, start: start, end: end, at: location)
    }

    /// Indexes the ids of a kind, reporting each that repeats an earlier one, and each that
    /// differs from an earlier one only by Unicode normalisation.
    ///
    /// - Complexity: O(bytes of the ids) expected.
    static func indexIDs(_ ids: inout IDTable, log: inout ProblemLog) {
        let duplicates = ids.indexAll()
        for (duplicate, first) in duplicates {
            log.report(.duplicateID(log.describe(ids.locations[Int(duplicate)], column: ids.idColumn), kind: ids.kind,
                id: ids.strings[Int(duplicate)], first: log.describe(ids.locations[Int(first)], column: ids.idColumn)))
        }
        guard !ids.unicodePositions.isEmpty else { return }
        let repeated = Set(duplicates.map(\.duplicate))
        var normalisation = NormalisationCheck()
        for position in ids.unicodePositions where !repeated.contains(position) {
            if let earlier = normalisation.add(ids.strings[Int(position)], at: position, ids: ids.strings) {
                log.report(.normalisationDuplicate(log.describe(ids.locations[Int(position)], column: ids.idColumn), kind: ids.kind,
                    id: ids.strings[Int(position)], other: ids.strings[Int(earlier)],
                    first: log.describe(ids.locations[Int(earlier)], column: ids.idColumn)))
            }
        }
    }

    // MARK: - References

    /// The position of the id `field` in `ids`, or -1 after reporting that `name` of `element`
    /// names an unknown id of that kind.
    @inline(__always)
    static func reference(
        _ field: UnsafeBufferPointer<UInt8>, in ids: IDTable, near: Int32 = -1, at location: ElementLocation, column: Int = -1,
        of element: @autoclosure () -> String, field name: String, shown: @autoclosure () -> String, log: inout ProblemLog
    ) -> Int32 {
        if let found = ids.find(field, near: near) { return found }
        unknown(ids.kind, at: location, column: column, of: element(), field: name, id: shown(), log: &log)
        return -1
    }

    /// Reports that `name` of `element` names an unknown id of `kind`.
    static func unknown(
        _ kind: ElementKind, at location: ElementLocation, column: Int = -1, of element: String, field name: String, id: String,
        log: inout ProblemLog
    ) {
        log.report(.unknownReference(log.describe(location, column: column), element: element, field: name, kind: kind, id: id))
    }

    /// A region's parent.
    static func regionParent(
        _ field: UnsafeBufferPointer<UInt8>, shown: String, of region: String, regions: IDTable, at location: ElementLocation,
        column: Int = -1, log: inout ProblemLog
    ) -> Int32 {
        reference(field, in: regions, at: location, column: column, of: "region '\(region)'", field: "parent", shown: shown, log: &log)
    }

    /// The model's home region.
    static func home(
        _ field: UnsafeBufferPointer<UInt8>, shown: @autoclosure () -> String, regions: IDTable, at location: ElementLocation,
        column: Int = -1, log: inout ProblemLog
    ) -> Int? {
        let found = reference(field, in: regions, at: location, column: column, of: "the model", field: "home", shown: shown(), log: &log)
        return found < 0 ? nil : Int(found)
    }

    /// A firm's region.
    @inline(__always)
    static func firmRegion(
        _ field: UnsafeBufferPointer<UInt8>, shown: @autoclosure () -> String, of firm: @autoclosure () -> String,
        regions: IDTable, at location: ElementLocation, column: Int = -1, log: inout ProblemLog
    ) -> Int32 {
        reference(field, in: regions, at: location, column: column, of: "firm '\(firm())'", field: "region", shown: shown(), log: &log)
    }

    /// A component's segment, when segments are listed.
    static func componentSegment(
        _ field: UnsafeBufferPointer<UInt8>, shown: @autoclosure () -> String, of component: @autoclosure () -> String,
        segments: IDTable, at location: ElementLocation, column: Int = -1, log: inout ProblemLog
    ) -> Int32 {
        reference(field, in: segments, at: location, column: column, of: "component '\(component())'", field: "segment", shown: shown(), log: &log)
    }

    /// The two ends of a `requires` edge. `near` is the parent of the edge before, tried first.
    /// `columns` are the fields of the parent and the child.
    @inline(__always)
    static func requirement(
        parent: UnsafeBufferPointer<UInt8>, child: UnsafeBufferPointer<UInt8>, near: Int32 = -1,
        parentShown: () -> String, childShown: () -> String, components: IDTable, at location: ElementLocation,
        columns: (parent: Int, child: Int) = (-1, -1), log: inout ProblemLog
    ) -> (parent: Int32, child: Int32) {
        let parentPosition = reference(parent, in: components, near: near, at: location, column: columns.parent,
            of: "a requirement", field: "parent", shown: parentShown(), log: &log)
        let childPosition = reference(child, in: components, at: location, column: columns.child, of: "component '\(parentShown())'", field: "requires",
            shown: childShown(), log: &log)
        return (parentPosition, childPosition)
    }

    /// A `requires` weight as kept: NaN when none is given, or when it is outside (0, 1]
    /// (reported).
    @inline(__always)
    static func weight(
        _ weight: Double, component: () -> String, child: () -> String, at location: ElementLocation, column: Int = -1,
        log: inout ProblemLog
    ) -> Double {
        guard !weight.isNaN && !ValueChecks.isValidWeight(weight) else { return weight }
        log.report(.weightOutOfRange(log.describe(location, column: column), component: component(), child: child(), weight: weight))
        return .nan
    }

    /// The component of a supply link.
    @inline(__always)
    static func supplyComponent(
        _ field: UnsafeBufferPointer<UInt8>, firmShown: () -> String, componentShown: () -> String,
        components: IDTable, at location: ElementLocation, column: Int = -1, log: inout ProblemLog
    ) -> Int32 {
        if let found = components.find(field) { return found }
        unknownSupplyComponent(componentShown(), firm: firmShown(), at: location, column: column, log: &log)
        return -1
    }

    /// Reports a supply link's component reference that did not resolve.
    static func unknownSupplyComponent(_ id: String, firm: String, at location: ElementLocation, column: Int = -1, log: inout ProblemLog) {
        unknown(.component, at: location, column: column, of: "firm '\(firm)'", field: "supplies", id: id, log: &log)
    }

    /// Checks a supply link's share: outside [0, 1] is reported (and kept, as read).
    @inline(__always)
    static func share(
        _ share: Double, firm: () -> String, component: () -> String, at location: ElementLocation, column: Int = -1, log: inout ProblemLog
    ) {
        if !share.isNaN && !ValueChecks.isValidShare(share) {
            log.report(.shareOutOfRange(log.describe(location, column: column), firm: firm(), component: component(), share: share))
        }
    }

    /// Reports a supply link's firm reference that did not resolve.
    static func unknownSupplyFirm(_ id: String, at location: ElementLocation, column: Int = -1, log: inout ProblemLog) {
        unknown(.firm, at: location, column: column, of: "a supply link", field: "firm", id: id, log: &log)
    }

    // MARK: - Values

    /// A segment's `order` as a whole number, or `nil` and the problem.
    static func segmentOrder(_ value: Double, of segment: String, at location: SourceLocation) -> (order: Int?, problem: ModelError?) {
        if let order = ValueChecks.segmentOrder(value) { return (order, nil) }
        return (nil, .invalidValue(location, element: segment, field: "order", problem: ValueChecks.segmentOrderProblem(value)))
    }

    // MARK: - Segments named only by components

    /// The segments of a model that lists none: each distinct `segment` of the components, in
    /// the order first named, compared by bytes as ids are. Matched by comparison while there
    /// are few (a string and a hash per component cost more), by a dictionary past 64.
    struct DerivedSegments {
        private var derived: [[UInt8]] = []
        private var index: [[UInt8]: Int32] = [:]

        /// The position of the segment `field`, adding it to `model` (and checking its id) if new.
        mutating func segment(
            _ field: UnsafeBufferPointer<UInt8>, shown: @autoclosure () -> String, into model: inout ResolvedModel,
            at location: ElementLocation, column: Int = -1, log: inout ProblemLog
        ) -> Int32 {
            let found = derived.count <= 64
                ? derived.firstIndex(where: { $0.elementsEqual(field) }).map(Int32.init)
                : index[Array(field)]
            if let found { return found }
            let text = shown()
            let position = Int32(model.segmentIDs.count)
            derived.append(Array(field))
            index[Array(field)] = position
            if !IDRule.isValid(field) { log.report(.invalidID(log.describe(location, column: column), kind: .segment, id: text)) }
            model.segmentIDs.append(text)
            model.segmentNames.append(text)
            model.segmentOrders.append(nil)
            return position
        }
    }
}
