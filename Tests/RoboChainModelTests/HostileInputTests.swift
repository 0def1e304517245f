import Foundation
import RoboChainModel
import RoboChainTestSupport
import Testing

/// Inputs from a hostile review (issue #16): each ends in a clear message, quickly, never a
/// crash or a hang.
@Suite struct HostileInputTests {
    func problems(_ yaml: String) -> [String] {
        do {
            _ = try ModelLoader.loadYAML(yaml, file: "m.yaml")
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    /// 50,000 lines each aliasing the one before nested 50,000 deep through aliases; releasing
    /// the composed tree overflowed the stack (SIGSEGV).
    @Test func aliasChainNestingIsLimited() {
        var lines = ["a0: &a0 [x]"]
        for index in 1..<50_000 { lines.append("a\(index): &a\(index) [*a\(index - 1)]") }
        #expect(problems(lines.joined(separator: "\n") + "\n")
            == ["m.yaml:255: YAML: lists and mappings nest deeper than 256 levels (aliases followed)"])
    }

    /// A mapping key that is an alias expanding to 10⁹ nodes: hashing it for the duplicate-key
    /// check ran for hours.
    @Test func billionLaughsKeyIsRejected() {
        var lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for index in 1...9 {
            lines.append("l\(index): &l\(index) [" + Array(repeating: "*l\(index - 1)", count: 10).joined(separator: ", ") + "]")
        }
        lines += ["m:", "  ? *l9", "  : boom"]
        let started = Date()
        #expect(problems(lines.joined(separator: "\n"))
            == ["m.yaml:6: YAML: aliases stand for more than 1000000 nodes (an alias repeats its anchor's whole node)"])
        #expect(Date().timeIntervalSince(started) < 2)
    }

    /// Aliases used as values within the limits still load.
    @Test func modestAliasesStillLoad() {
        #expect(problems("""
            home: CN
            regions: [{id: CN, name: China}]
            components: [{id: hand, name: Hand, segment: limbs}]
            firms:
              - {id: a, name: A, region: CN, supplies: &s [hand]}
              - {id: b, name: B, region: CN, supplies: *s}
            """) == [])
    }
}
