@testable import RoboChainModel
import Testing

/// The id index: short ids matched from the slot alone, longer ones by comparison; nothing mixed up.
@Suite struct IDIndexTests {
    static let ids = [
        "a", "ab", "abcdefgh", "abcdefghi", "abcdefghij", "abcdefgh.", "abcdefgg", "x", "c12345", "f999999",
        "harmonic-reducer", "harmonic-reducer-2", "harmonic-reducerX", "HARMONIC-REDUCER", "1", "11", "111",
    ]

    @Test func findsEveryIdAndNothingElse() {
        let index = IDIndex(uniqueIDs: Self.ids)
        for (position, id) in Self.ids.enumerated() {
            #expect(index.find(id, in: Self.ids) == position, "\(id)")
        }
        for absent in ["", "b", "abcdefg", "abcdefghk", "harmonic-reduce", "harmonic-reducer-3", "1111", "a\u{0}", "c1234"] {
            #expect(index.find(absent, in: Self.ids) == nil, "\(absent)")
        }
    }

    @Test func reportsDuplicatesWithTheFirstPosition() {
        var duplicates: [(duplicate: Int, first: Int)] = []
        _ = IDIndex(["abcdefghij", "short", "abcdefghij", "short", "abcdefghik"], duplicates: &duplicates)
        #expect(duplicates.map(\.duplicate) == [2, 3])
        #expect(duplicates.map(\.first) == [0, 1])
    }

    @Test func manyIdsStayDistinct() {
        let ids = (0..<50_000).map { "firm-\($0)" } + (0..<50_000).map { "f\($0)" }
        var duplicates: [(duplicate: Int, first: Int)] = []
        let index = IDIndex(ids, duplicates: &duplicates)
        #expect(duplicates.isEmpty)
        for position in stride(from: 0, to: ids.count, by: 997) {
            #expect(index.find(ids[position], in: ids) == position)
        }
    }
}

/// The resolver's id table: ids indexed as a prefetching batch, references looked up as one.
@Suite struct IDTableTests {
    /// A table of `ids` laid end to end in one buffer, not yet indexed.
    static func table(_ ids: [String]) -> IDTable {
        var table = IDTable(kind: .firm, capacity: ids.count, bytes: FileBytes(Array(ids.joined().utf8)))
        var offset = 0
        for id in ids {
            table.append(id, start: offset, end: offset + id.utf8.count, at: .unknown)
            offset += id.utf8.count
        }
        return table
    }

    /// References laid end to end in one buffer, with each one's start and length.
    static func laidEndToEnd(_ references: [String]) -> (source: [UInt8], starts: [Int32], lengths: [Int32]) {
        var starts: [Int32] = []
        var offset: Int32 = 0
        for reference in references {
            starts.append(offset)
            offset += Int32(reference.utf8.count)
        }
        return (Array(references.joined().utf8), starts, references.map { Int32($0.utf8.count) })
    }

    @Test func batchIndexingReportsRepeatsNearAndFarWithTheFirstPosition() {
        // Repeats closer than the look-ahead, farther than it, and of long and short ids.
        var ids = (0..<1000).map { $0 % 3 == 0 ? "firm-number-\($0)" : "f\($0)" }
        ids[5] = ids[2]  // 3 places on
        ids[900] = ids[1]  // far
        ids[901] = ids[3]  // a long id, far
        var table = Self.table(ids)
        let duplicates = table.indexAll()
        #expect(duplicates.map(\.duplicate) == [5, 900, 901])
        #expect(duplicates.map(\.first) == [2, 1, 3])
        for position in [0, 1, 2, 3, 4, 6, 899, 999] {
            var id = ids[position]
            #expect(id.withUTF8 { table.find($0) } == Int32(position), "\(id)")
        }
    }

    /// The loader resolves references in place: the positions are written over the start
    /// offsets they are read from (the look-ahead reads only starts not yet written).
    @Test func batchLookUpInPlace() {
        let ids = (0..<300).map { "c\($0)" }
        var table = Self.table(ids)
        #expect(table.indexAll().isEmpty)
        let references = (0..<100).map { $0 % 7 == 3 ? "x\($0)" : "c\($0 * 3 % 300)" }
        let (source, original, lengths) = Self.laidEndToEnd(references)
        var starts = original
        let missing = starts.withUnsafeMutableBufferPointer { positions in
            lengths.withUnsafeBufferPointer { lengths in
                source.withUnsafeBufferPointer { source in
                    table.findAll(starts: UnsafeBufferPointer(positions), lengths: lengths, in: source, range: 0..<references.count,
                        into: positions)
                }
            }
        }
        #expect(missing == (0..<100).filter { $0 % 7 == 3 })
        for index in 0..<100 {
            // Found: the position; not found: the start, left as it was.
            #expect(starts[index] == (index % 7 == 3 ? original[index] : Int32(index * 3 % 300)), "\(index)")
        }
    }

    /// Once the ids keep their own bytes (so that the file's can be freed), the table indexes,
    /// finds (near and far) and reports repeats as it did over the file.
    @Test func idsKeepTheirOwnBytes() {
        let ids = (0..<300).map { $0 % 4 == 0 ? "firm-number-\($0)" : "f\($0)" } + ["f1"]
        var file: [UInt8] = []
        var ranges: [Range<Int>] = []
        for id in ids {
            file += Array("row,".utf8)
            ranges.append(file.count..<(file.count + id.utf8.count))
            file += Array(id.utf8) + Array(",a name,CN\n".utf8)
        }
        var table = IDTable(kind: .firm, capacity: ids.count, bytes: FileBytes(file))
        for (id, range) in zip(ids, ranges) { table.append(id, start: range.lowerBound, end: range.upperBound, at: .unknown) }
        table.keepOwnBytes()
        #expect(table.bytes[0..<table.bytes.count] == Array(ids.joined().utf8))
        let duplicates = table.indexAll()
        #expect(duplicates.map(\.duplicate) == [300])
        #expect(duplicates.map(\.first) == [1])
        for position in [0, 1, 2, 4, 99, 299] {
            var id = ids[position]
            #expect(id.withUTF8 { table.find($0) } == Int32(position), "\(id)")
            #expect(id.withUTF8 { table.find($0, near: Int32(position)) } == Int32(position), "\(id)")
            #expect(id.withUTF8 { table.find($0, near: 7) } == Int32(position), "\(id)")
        }
        var absent = "firm-number-1"
        #expect(absent.withUTF8 { table.find($0) } == nil)
    }

    @Test func batchLookUpFindsEachReferenceAndListsTheUnknown() {
        let ids = (0..<500).map { "c\($0)" } + ["a-much-longer-component-id"]
        var table = Self.table(ids)
        #expect(table.indexAll().isEmpty)
        let references = ["c7", "zz", "c499", "a-much-longer-component-id", "c5000", "a-much-longer-component-iX"]
            + (0..<40).map { "c\($0 * 11)" }
        let (source, starts, lengths) = Self.laidEndToEnd(references)
        var output = [Int32](repeating: -1, count: references.count)
        let missing = starts.withUnsafeBufferPointer { starts in
            lengths.withUnsafeBufferPointer { lengths in
                source.withUnsafeBufferPointer { source in
                    output.withUnsafeMutableBufferPointer { output in
                        table.findAll(starts: starts, lengths: lengths, in: source, range: 0..<references.count, into: output)
                    }
                }
            }
        }
        #expect(missing == [1, 4, 5])
        #expect(Array(output.prefix(6)) == [7, -1, 499, 500, -1, -1])
        #expect(Array(output.dropFirst(6)) == (0..<40).map { Int32($0 * 11) })
    }
}

/// A large model's firm index is dropped after loading and made on the first look-up by id.
@Suite struct OnDemandIndexTests {
    @Test func madeOnFirstUseAndSharedWithTheTablesAScenarioMakes() throws {
        let loaded = try ModelLoader.loadYAML("""
            regions: [{id: CN, name: China}, {id: JP, name: Japan}]
            components: [{id: p, name: Part, segment: s}]
            firms:
              - {id: a, name: A, region: CN, supplies: [p]}
              - {id: firm-with-a-long-id, name: B, region: JP, supplies: [p]}
              - {id: c, name: C, region: CN}
            """).model
        let firms = loaded.firms
        let model = loaded.replacingFirms(FirmTable(
            ids: firms.ids, names: firms.names, regionIndex: firms.regionIndex, linkStart: firms.linkStart,
            sources: firms.sources, notes: firms.notes, attributes: firms.attributes, index: OnDemandIndex(nil), indexRemap: nil))
        #expect(model.firms.index(of: "firm-with-a-long-id") == 1)
        #expect(model.firms.index(of: "c") == 2)
        #expect(model.firms.index(of: "b") == nil)
        let without = try Scenario([try ScenarioOperation(without: "firm:a")]).apply(to: model)
        #expect(without.firms.ids == ["firm-with-a-long-id", "c"])
        #expect(without.firms.index(of: "a") == nil)
        #expect(without.firms.index(of: "firm-with-a-long-id") == 0)
        #expect(without.firms.index(of: "c") == 1)
        // A model of at most FirmTable.keptIndexLimit firms keeps the index it was loaded with.
        #expect(loaded.firms.count <= FirmTable.keptIndexLimit && loaded.firms.index(of: "c") == 2)
    }
}

/// Where elements were read, a line each and the file once, or apart when it differs.
@Suite struct LocationColumnTests {
    @Test func keepsEachElementsFileAndLine() {
        let locations = [
            ElementLocation(file: 2, line: 5), ElementLocation(file: 2, line: 9), ElementLocation(file: -1, line: 0),
            ElementLocation(file: 3, line: 1), ElementLocation(file: 2, line: 12),
        ]
        var column = LocationColumn()
        for location in locations { column.append(location) }
        #expect(column.count == 5)
        #expect((0..<5).map { column[$0].file } == [2, 2, -1, 3, 2])
        #expect((0..<5).map { column[$0].line } == [5, 9, 0, 1, 12])
        var one = LocationColumn()
        one.append(ElementLocation(file: 4, line: 2))
        one.append(ElementLocation(file: 4, line: 3))
        #expect(one[1].file == 4 && one[1].line == 3)
    }
}
