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
        // It ran for hours; a bound far above the milliseconds it takes, so a loaded machine or
        // a sanitizer build does not fail it.
        #expect(Date().timeIntervalSince(started) < 30)
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

    /// A file of zeros just under the size limit (sparse: it takes no disk) was read whole and
    /// parsed, 21 s and 4.2 GB for 2 GiB; its first block now says it is not text. The same for
    /// a model saved as UTF-16 and a binary file with a text start.
    @Test(arguments: [("zeros.yaml", ""), ("zeros.json", ""), ("text-then-zeros.yaml", "home: CN\nregions:\n")])
    func aFileOfZerosIsRefusedFromItsFirstBlock(name: String, start: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/" + name
        try directory.write(start, to: name)
        #expect(truncate(path, off_t(2 << 30) - 1) == 0)
        let line = start.filter { $0 == "\n" }.count + 1
        #expect(loadProblem(path) == "\(path):\(line): a NUL byte (byte \(start.utf8.count + 1)): the file is not text (a binary file, or one of zeros)")
    }

    @Test func aModelSavedAsUTF16IsNamedSo() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/model.yaml"
        let text = "home: CN\nregions: [{id: CN, name: China}]\n"
        #expect(FileManager.default.createFile(atPath: path, contents: Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!))
        #expect(loadProblem(path) == "\(path):1: the file is UTF-16 text; save it as UTF-8")
    }
}

/// Messages quote what they must, never megabytes (issue #16, item 12).
@Suite struct CappedMessageTests {
    func problems(_ yaml: String) -> [String] {
        do {
            _ = try ModelLoader.loadYAML(yaml, file: "m.yaml")
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    static let head = "home: CN\nregions: [{id: CN, name: China}]\ncomponents: [{id: hand, name: Hand, segment: limbs}]\n"

    @Test func anEightMegabyteIDIsCut() {
        let id = String(repeating: "x", count: 8 << 20)
        let found = problems(Self.head + "firms: [{id: acme, name: Acme, region: \(id)}]\n")
        #expect(found == ["m.yaml:4: 'region' of firm 'acme' names unknown region '" + String(repeating: "x", count: 120) + "… (8388608 bytes in all)'"])
    }

    @Test func aFiftyMegabyteScalarInANumberFieldIsCut() {
        let scalar = String(repeating: "y", count: 50 << 20)
        let found = problems(Self.head + "firms: [{id: acme, name: Acme, region: CN, supplies: [{component: hand, share: \(scalar)}]}]\n")
        #expect(found.count == 1)
        #expect(found.first.map { $0.utf8.count < 600 } == true)
        #expect(found.first?.hasPrefix("m.yaml:4: 'share' of supply of 'hand' by firm 'acme' must be a number, found the text 'yyyy") == true)
    }

    @Test func controlCharactersAreShownEscaped() {
        #expect(MessageText.quoted("a\u{1B}[2Jb\u{202E}c\td") == "a\\u{1B}[2Jb\\u{202E}c\td")
    }
}

/// A CSV header of 200,000 columns took over a minute (a list searched for each name).
@Suite struct WideHeaderTests {
    @Test func aHeaderOf200000ColumnsIsLinear() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("id,name,parent\nCN,China,\n", to: "regions.csv")
        try directory.write("id,name,segment\nhand,Hand,limbs\n", to: "components.csv")
        try directory.write("id,name,region" + (0..<200_000).map { ",c\($0)" }.joined() + ",c7\nacme,Acme,CN\n", to: "firms.csv")
        try directory.write("firm,component\nacme,hand\n", to: "supplies.csv")
        let started = Date()
        #expect(throws: ModelError.syntax(SourceLocation(file: directory.path + "/firms.csv", line: 1), problem: "the header has the column 'c7' twice")) {
            try ModelLoader.load(path: directory.path)
        }
        // Quadratic, it took over a minute; linear, a fraction of a second. The bound leaves room
        // for a loaded machine or a sanitizer build.
        #expect(Date().timeIntervalSince(started) < 30)
    }
}

/// Standard input as the model (`-`) had no size limit: `validate - </dev/zero` grew to 14 GB.
@Suite struct BoundedStandardInputTests {
    /// A pipe holding `bytes` (at most its buffer, 64 KiB), its writing end closed.
    func pipe(holding bytes: [UInt8]) throws -> Int32 {
        var ends: [Int32] = [0, 0]
        try #require(Glibc.pipe(&ends) == 0)
        let written = bytes.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
        try #require(written == bytes.count)
        close(ends[1])
        return ends[0]
    }

    @Test func aStreamUpToTheLimitIsRead() throws {
        let descriptor = try pipe(holding: Array(repeating: 0x61, count: 1000))
        defer { close(descriptor) }
        #expect(try FileAccess.readAll(descriptor: descriptor, name: "<stdin>", limit: 1000) == Array(repeating: 0x61, count: 1000))
    }

    @Test func aStreamPastTheLimitIsRefused() throws {
        let descriptor = try pipe(holding: Array(repeating: 0x61, count: 1001))
        defer { close(descriptor) }
        #expect(throws: ModelError.unreadable(path: "<stdin>", reason: "it is more than the 1000 bytes a model may be")) {
            _ = try FileAccess.readAll(descriptor: descriptor, name: "<stdin>", limit: 1000)
        }
    }

    /// `/dev/zero` never ends: reading stops at the limit, without reading past it.
    @Test func anEndlessStreamStopsAtTheLimit() throws {
        let descriptor = open("/dev/zero", O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        #expect(throws: ModelError.unreadable(path: "<stdin>", reason: "it is more than the 1 MiB a model may be")) {
            _ = try FileAccess.readAll(descriptor: descriptor, name: "<stdin>", limit: 1 << 20)
        }
    }

    @Test func theLimitIsAModelFilesLimit() {
        #expect(FileAccess.maximumModelFileSize == 2_147_483_647)
    }

    /// `validate - </dev/zero` read 2 GiB before it was refused: a NUL byte in the first 64 KiB
    /// now stops the read there (the check robochain gives standard input), and a short input
    /// is checked when it ends.
    @Test func aNULByteAtTheStartStopsTheRead() throws {
        let descriptor = open("/dev/zero", O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        #expect(throws: ModelError.syntax(SourceLocation(file: "<stdin>", line: 1),
            problem: "a NUL byte (byte 1): the file is not text (a binary file, or one of zeros)")) {
            _ = try FileAccess.readAll(descriptor: descriptor, name: "<stdin>") { (start) throws(ModelError) in
                #expect(start.count == 1 << 16)
                try ModelLoader.refuseBinaryStart(start, name: "<stdin>")
            }
        }
        let short = try pipe(holding: Array("home: CN\n\0".utf8))
        defer { close(short) }
        #expect(throws: ModelError.syntax(SourceLocation(file: "<stdin>", line: 2),
            problem: "a NUL byte (byte 10): the file is not text (a binary file, or one of zeros)")) {
            _ = try FileAccess.readAll(descriptor: short, name: "<stdin>") { (start) throws(ModelError) in
                try ModelLoader.refuseBinaryStart(start, name: "<stdin>")
            }
        }
    }
}
