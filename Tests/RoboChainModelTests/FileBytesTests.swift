import CTermination
import Foundation
@testable import RoboChainModel
import RoboChainTestSupport
import Testing

/// Model files mapped rather than read (``FileAccess/mapFile(_:limit:)``): the same bytes, the
/// same models, and a file cut short while mapped ends robochain with a message, not a crash.
@Suite struct FileBytesTests {
    /// Bytes that differ from one position to the next, so a misplaced page would show.
    static func pattern(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 12) }
    }

    @Test(arguments: [0, 100, FileAccess.mappingThreshold - 1, FileAccess.mappingThreshold, FileAccess.mappingThreshold + 4097])
    func aFileGivesItsBytesMappedOrRead(size: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/file.csv"
        let expected = Self.pattern(size)
        try Data(expected).write(to: URL(fileURLWithPath: path))
        let bytes = try FileAccess.mapFile(path)
        #expect(bytes.isMapped == (size >= FileAccess.mappingThreshold))
        #expect(bytes.count == size)
        #expect(bytes[0..<bytes.count] == expected)
        #expect(try FileAccess.readFile(path) == expected)
    }

    @Test func whatReadFileRefusesMapFileRefuses() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sparse = directory.path + "/sparse.csv"
        let descriptor = open(sparse, O_WRONLY | O_CREAT, 0o644)
        #expect(ftruncate(descriptor, 3 << 20) == 0)
        close(descriptor)
        for (path, problem) in [
            (directory.path, ModelError.unreadable(path: directory.path, reason: "it is a directory")),
            (directory.path + "/none.csv", ModelError.missingFile(path: directory.path + "/none.csv")),
            (sparse, ModelError.unreadable(path: sparse, reason: "it is 3 MiB, more than the 2 MiB a file may be here")),
        ] {
            #expect(throws: problem) { _ = try FileAccess.mapFile(path, limit: 2 << 20) }
            #expect(throws: problem) { _ = try FileAccess.readFile(path, limit: 2 << 20) }
        }
    }

    /// A model whose firms and supplies files are mapped (over 1 MiB each) loads as the same
    /// rows written small would: every firm, region and link in place, in UTF-8 and in GBK.
    @Test(arguments: [false, true])
    func aLargeCSVModelIsMappedAndLoaded(gbk: Bool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let firmCount = 50_000
        try directory.write("id,name,parent\nCN,China,\nCN-GD,广东,CN\nJP,Japan,\n", to: "regions.csv")
        try directory.write("id,name,segment\nrobot,Robot,body\nhand,Hand 灵巧手,limbs\n", to: "components.csv")
        try directory.write("parent,child,weight\nrobot,hand,0.4\n", to: "requires.csv")
        var firms = "id,name,region\n"
        var supplies = "firm,component,share\n"
        for firm in 0..<firmCount {
            firms += "f\(firm),供应商 \(firm),\(firm % 3 == 0 ? "JP" : "CN-GD")\n"
            supplies += "f\(firm),hand,\n"
            if firm % 2 == 1 { supplies += "f\(firm),robot,0.001\n" }
        }
        var firmBytes = Array(firms.utf8)
        if gbk {
            guard case .success(let converted) = TestEncoding.toGB18030(firmBytes) else {
                Issue.record("no GB18030 conversion")
                return
            }
            firmBytes = converted
        }
        #expect(firmBytes.count >= FileAccess.mappingThreshold)
        #expect(supplies.utf8.count >= FileAccess.mappingThreshold)
        try Data(firmBytes).write(to: URL(fileURLWithPath: directory.path + "/firms.csv"))
        try directory.write(supplies, to: "supplies.csv")
        #expect(try FileAccess.mapFile(directory.path + "/firms.csv").isMapped)
        #expect(try FileAccess.mapFile(directory.path + "/supplies.csv").isMapped)

        let model = try ModelLoader.loadCSV(directory: directory.path).model
        #expect(model.firms.count == firmCount)
        #expect(model.supplies.count == firmCount + firmCount / 2)
        let last = firmCount - 1
        #expect(model.firms.ids[last] == "f49999")
        #expect(model.firms.names[last] == "供应商 49999")
        #expect(model.regions.ids[model.firms.region(of: last)] == "CN-GD")
        #expect(model.regions.ids[model.firms.region(of: last - 1)] == "JP")  // 49,998 is a multiple of 3
        let links = model.firms.links(of: last).map { model.components.ids[model.supplies.component(of: $0)] }
        #expect(links == ["hand", "robot"])
        #expect(model.firms.index(of: "f20000") == 20_000)
    }

    /// Cut short while mapped: the next read past the new end raises SIGBUS, and the handler
    /// names the file, removes the registered files and exits with 66.
    @Test func aFileCutShortWhileMappedEndsWithAMessage() async throws {
        let path = NSTemporaryDirectory() + "/robochain-cut-short-\(getpid()).csv"
        defer { unlink(path) }
        let result = await #expect(processExitsWith: .exitCode(66), observing: [\.standardErrorContent]) {
            robochain_termination_install()
            let path = NSTemporaryDirectory() + "/robochain-cut-short-\(getppid()).csv"
            try Data(repeating: UInt8(ascii: "a"), count: 2 << 20).write(to: URL(fileURLWithPath: path))
            _ = robochain_termination_add_file(path)
            let bytes = try FileAccess.mapFile(path)
            #expect(truncate(path, 0) == 0)
            let byte = bytes.withUnsafeBufferPointer { $0[1 << 20] }
            print("read \(byte) past the end")
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message == "error: cannot read '\(path)': it was cut short while robochain read it (is another program writing it?); run again once it is saved\n")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// Each mapping lets its place in the handler's registry go when it is unmapped: after a
    /// hundred files mapped and dropped (the registry holds 64), a cut file is still caught.
    @Test func mappingsLetTheirPlaceGo() async throws {
        let path = NSTemporaryDirectory() + "/robochain-many-maps-\(getpid()).csv"
        defer { unlink(path) }
        await #expect(processExitsWith: .exitCode(66)) {
            robochain_termination_install()
            let path = NSTemporaryDirectory() + "/robochain-many-maps-\(getppid()).csv"
            try Data(repeating: UInt8(ascii: "a"), count: 2 << 20).write(to: URL(fileURLWithPath: path))
            _ = robochain_termination_add_file(path)
            for _ in 0..<100 {
                #expect(try FileAccess.mapFile(path).isMapped)
            }
            let bytes = try FileAccess.mapFile(path)
            #expect(bytes.isMapped)
            #expect(truncate(path, 0) == 0)
            print("read \(bytes.withUnsafeBufferPointer { $0[1 << 20] }) past the end")
        }
    }
}

/// ``FileAccess/lineCount(_:)`` sizes the columns of a CSV file before it is read, and an
/// index made too small stops the program: it must never count fewer record ends than there are.
@Suite struct LineCountTests {
    /// The record ends counted one byte at a time: line feeds, and carriage returns not
    /// followed by one.
    static func expected(_ bytes: [UInt8]) -> Int {
        bytes.indices.filter { bytes[$0] == 0x0A || (bytes[$0] == 0x0D && ($0 + 1 == bytes.count || bytes[$0 + 1] != 0x0A)) }.count
    }

    @Test func smallCasesHaveTheirExactCounts() {
        #expect(FileAccess.lineCount(nil) == 0)
        #expect(FileAccess.lineCount(FileBytes([])) == 0)
        #expect(FileAccess.lineCount(FileBytes(Array("id,name\n".utf8))) == 1)
        #expect(FileAccess.lineCount(FileBytes(Array("a\r\nb\rc\n\r".utf8))) == 4)
        // Nothing but line feeds, over many blocks of 32 bytes and a tail.
        #expect(FileAccess.lineCount(FileBytes([UInt8](repeating: 0x0A, count: 300 * 32 + 5))) == 300 * 32 + 5)
    }

    /// Random text of every length around the 32-byte blocks and larger, with line feeds and
    /// carriage returns both dense and sparse.
    @Test func randomTextIsCountedAsByteByByte() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let lengths = Array(0...70) + [255 * 32 - 1, 255 * 32, 255 * 32 + 1, 255 * 32 + 33, 20_000]
        for length in lengths {
            for density in [2, 5, 40] {
                let bytes = (0..<length).map { _ -> UInt8 in
                    let draw = next() % UInt64(density)
                    return draw == 0 ? 0x0A : draw == 1 ? 0x0D : UInt8(0x20 + next() % 90)
                }
                #expect(FileAccess.lineCount(FileBytes(bytes)) == Self.expected(bytes), "length \(length), density \(density)")
            }
        }
    }
}
