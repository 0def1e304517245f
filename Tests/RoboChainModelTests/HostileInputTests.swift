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

/// Model files that are not plain files of a sane size: rejected from their type and size,
/// before a byte is read.
@Suite struct HostileFileTests {
    func loadProblem(_ path: String) -> String? {
        do {
            _ = try ModelLoader.load(path: path)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aFIFOModelIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(mkfifo(directory.path + "/model.yaml", 0o600) == 0)
        #expect(loadProblem(directory.path + "/model.yaml") == "cannot read '\(directory.path)/model.yaml': it is a FIFO (named pipe), not a file")
    }

    @Test func aFIFOAmongTheCSVFilesIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("id,name,parent\nCN,China,\n", to: "regions.csv")
        try directory.write("id,name,segment\nhand,Hand,limbs\n", to: "components.csv")
        try directory.write("firm,component\n", to: "supplies.csv")
        #expect(mkfifo(directory.path + "/firms.csv", 0o600) == 0)
        #expect(loadProblem(directory.path)?.contains("cannot read '\(directory.path)/firms.csv': it is a FIFO (named pipe), not a file") == true)
    }

    /// A sparse 64 GiB file aborted in allocation; a 3 GiB one was read whole.
    @Test(arguments: [(Int64(64) << 30, "64 GiB"), (Int64(3) << 30, "3 GiB")])
    func aHugeModelIsRefusedFromItsSize(size: Int64, shown: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/model.yaml"
        try directory.write("home: CN\n", to: "model.yaml")
        #expect(truncate(path, off_t(size)) == 0)
        #expect(loadProblem(path) == "cannot read '\(path)': it is \(shown), more than the 2 GiB a file may be here")
    }
}
