import Testing

@testable import Recruitment

/// ``Recruitment/best(_:limit:ids:)``: the bounded selection keeps the full list's order.
@Suite struct RecruitmentRankingTests {
    static let ids = ["a", "b", "c", "d", "e", "f"]

    static func scores(_ values: [Double]) -> [Recruitment.Score] {
        values.enumerated().map { Recruitment.Score(firm: Int32($0.offset), root: 0, score: $0.element) }
    }

    static func firms(_ ranked: [Recruitment.Score]) -> [String] { ranked.map { ids[Int($0.firm)] } }

    @Test func scoreDescendingThenFirmID() {
        let scores = Self.scores([0.1, 0.3, 0.2, 0.3, 0.05, 0.2])
        #expect(Self.firms(Recruitment.best(scores, limit: 0, ids: Self.ids)) == ["b", "d", "c", "f", "a", "e"])
        #expect(Self.firms(Recruitment.best(scores, limit: 3, ids: Self.ids)) == ["b", "d", "c"])
        #expect(Self.firms(Recruitment.best(scores, limit: 1, ids: Self.ids)) == ["b"])
        #expect(Self.firms(Recruitment.best(scores, limit: 99, ids: Self.ids)) == ["b", "d", "c", "f", "a", "e"])
    }

    /// Scores equal but for their last bits tie, also at the cut of a limited list.
    @Test func scoresEqualButForRoundingTie() {
        let third = 1.0 / 3
        let noisy = third.nextUp.nextUp
        let scores = Self.scores([0.5, third.nextDown, 0.1, noisy, 0.9, third])
        #expect(Self.firms(Recruitment.best(scores, limit: 0, ids: Self.ids)) == ["e", "a", "b", "d", "f", "c"])
        #expect(Self.firms(Recruitment.best(scores, limit: 3, ids: Self.ids)) == ["e", "a", "b"])
        #expect(Self.firms(Recruitment.best(scores, limit: 4, ids: Self.ids)) == ["e", "a", "b", "d"])
        #expect(Recruitment.ties(0.0082, 0.0082.nextUp) && !Recruitment.ties(0.0082, 0.0082 * (1 + 1e-9)))
    }

    @Test func boundedHeapKeepsTheBest() {
        var heap = BoundedHeap<Int>(capacity: 3) { $0 > $1 }
        for value in [5, 1, 9, 7, 3, 8, 2] { heap.offer(value) }
        #expect(heap.elements.sorted() == [7, 8, 9])
        #expect(heap.worst == 7)
        var none = BoundedHeap<Int>(capacity: 0) { $0 > $1 }
        none.offer(1)
        #expect(none.worst == nil)
    }
}
