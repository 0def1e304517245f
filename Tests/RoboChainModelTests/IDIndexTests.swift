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
