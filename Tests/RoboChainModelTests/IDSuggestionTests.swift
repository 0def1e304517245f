import RoboChainModel
import Testing

/// The one "did you mean" rule (``IDSuggestion``), used by scenario ids, scopes, `--option group`,
/// analyses and commands alike.
@Suite struct IDSuggestionTests {
    @Test(arguments: [
        ("analyse", "analyze", 1), ("valdiate", "validate", 1), ("gap-detetcion", "gap-detection", 1),
        ("", "list", 4), ("list", "list", 0), ("kitten", "sitting", 3), ("ca", "abc", 3),
    ])
    func editDistance(a: String, b: String, distance: Int) {
        #expect(IDSuggestion.editDistance(Array(a), Array(b)) == distance)
    }

    @Test func suggestsTheClosestCloseName() {
        let names = ["validate", "analyze", "render", "plugins", "help"]
        #expect(IDSuggestion.closest(to: "analyse", among: names) == "analyze")
        #expect(IDSuggestion.closest(to: "RENDER", among: names) == "render")
        #expect(IDSuggestion.closest(to: "plug", among: names) == "plugins", "the only name it begins")
        #expect(IDSuggestion.closest(to: "xyz", among: names) == nil)
        #expect(IDSuggestion.closest(to: "CN-GX-SZ", among: ["CN", "CN-GD", "CN-GD-SZ", "CN-GX"]) == "CN-GD-SZ")
    }

    @Test func caseThenSwapsThenEditDistance() {
        #expect(IDSuggestion.closest(to: "cn", among: ["JP", "CN"]) == "CN")
        #expect(IDSuggestion.closest(to: "CN-DG", among: ["CN", "CN-GD", "JP"]) == "CN-GD", "two neighbours swapped count once")
        #expect(IDSuggestion.closest(to: "CN-GX", among: ["CN", "CN-GD", "CN-GX-1"]) == "CN-GD")
        #expect(IDSuggestion.closest(to: "Guangdong", among: ["CN", "JP"]) == nil)
        #expect(IDSuggestion.closest(to: "X", among: []) == nil)
    }
}
