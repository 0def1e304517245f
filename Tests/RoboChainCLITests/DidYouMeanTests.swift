import Testing

@testable import robochain

@Suite struct DidYouMeanTests {
    @Test(arguments: [
        ("analyse", "analyze", 1), ("valdiate", "validate", 1), ("gap-detetcion", "gap-detection", 1),
        ("", "list", 4), ("list", "list", 0), ("kitten", "sitting", 3), ("ca", "abc", 3),
    ])
    func editDistance(a: String, b: String, distance: Int) {
        #expect(DidYouMean.editDistance(Array(a), Array(b)) == distance)
    }

    @Test func suggestsTheClosestCloseName() {
        let names = ["validate", "analyze", "render", "plugins", "help"]
        #expect(DidYouMean.suggestion(for: "analyse", among: names) == "analyze")
        #expect(DidYouMean.suggestion(for: "RENDER", among: names) == "render")
        #expect(DidYouMean.suggestion(for: "plug", among: names) == "plugins", "the only name it begins")
        #expect(DidYouMean.suggestion(for: "xyz", among: names) == nil)
        #expect(DidYouMean.suggestion(for: "CN-GX-SZ", among: ["CN", "CN-GD", "CN-GD-SZ", "CN-GX"]) == "CN-GD-SZ")
    }
}
