import Foundation
import RoboChainReports
import RoboChainTestSupport
import Testing

/// Output files from a hostile review (issue #16, item 8): a replaced file keeps its mode, owner
/// and hard links; no temporary file exists before the output is finished.
@Suite struct HostileOutputTests {
    func mode(_ path: String) -> mode_t {
        var status = stat()
        stat(path, &status)
        return status.st_mode & 0o7777
    }

    @Test func aPrivateFileStaysPrivate() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/report.txt"
        try directory.write("old", to: "report.txt")
        chmod(path, 0o600)
        try OutputFile.write(Array("new".utf8), to: path)
        #expect(mode(path) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
    }

    @Test func aNewFileGetsTheUmaskMode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let mask = umask(0o022)
        defer { umask(mask) }
        try OutputFile.write(Array("new".utf8), to: directory.path + "/fresh.txt")
        #expect(mode(directory.path + "/fresh.txt") == 0o644)
    }

    @Test func hardLinksKeepSharingTheFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/report.txt"
        try directory.write("old", to: "report.txt")
        #expect(link(path, directory.path + "/other-name.txt") == 0)
        try OutputFile.write(Array("new".utf8), to: path)
        #expect(try String(contentsOfFile: directory.path + "/other-name.txt", encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["other-name.txt", "report.txt"])
    }

    /// The temporary file was made when the output was opened, before the model was loaded, so a
    /// `kill -9` at any time left it behind; now it exists only during the commit.
    @Test func noTemporaryFileBeforeCommit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let stream = try OutputFile.Stream(path: directory.path + "/result.json")
        stream.write(Array(repeating: 0x20, count: 1 << 20))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [])
        try stream.commit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["result.json"])
    }

    /// An output larger than what is kept in memory goes to an anonymous file: while it is
    /// written the directory holds no new name, so a `kill -9` then leaves nothing behind; at
    /// commit it replaces the old file, keeping its mode. (The audit of issue 16 found
    /// `.NAME.tmp-XXXXXX` left by a `kill -9` during a 48 MB output in 5 of 40 runs.)
    @Test func aLargeOutputHasNoNameBeforeCommit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/large.json"
        try directory.write("old", to: "large.json")
        chmod(path, 0o640)
        let stream = try OutputFile.Stream(path: path)
        for _ in 0..<3 { stream.write(Array(repeating: 0x20, count: OutputFile.memoryLimit)) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["large.json"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        try stream.commit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["large.json"])
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int == 3 * OutputFile.memoryLimit)
        #expect(mode(path) == 0o640)
    }

    /// The same, killed by SIGKILL in the middle of writing a large output: nothing is left.
    @Test func killDashNineDuringALargeOutputLeavesNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // A model of 20,000 firms written as JSON: tens of MB, well past the memory limit.
        var yaml = "regions: [{id: CN, name: China}]\ncomponents: [{id: part, name: Part, segment: limbs}]\nfirms:\n"
        for firm in 0..<20_000 { yaml += "  - {id: f\(firm), name: \"Firm \(firm) \(String(repeating: "x", count: 400))\", region: CN, supplies: [part]}\n" }
        try directory.write(yaml, to: "model.yaml")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.product("robochain"))
        process.arguments = ["convert", directory.path + "/model.yaml", "--output", directory.path + "/out/model.json"]
        try FileManager.default.createDirectory(atPath: directory.path + "/out", withIntermediateDirectories: true)
        try process.run()
        // Kill it once it is writing: the anonymous file shows as an open descriptor to "(deleted)"
        // or "/out/#…" in /proc (at most 120 s: the model loads slowly under AddressSanitizer).
        let start = Date()
        var sawWriting = false
        while Date().timeIntervalSince(start) < 120, process.isRunning {
            let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/fd")) ?? []
            if descriptors.contains(where: { descriptor in
                ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(process.processIdentifier)/fd/\(descriptor)")) ?? "")
                    .hasPrefix(directory.path + "/out/")
            }) {
                sawWriting = true
                break
            }
            usleep(2_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        if sawWriting { #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/out") == []) }
        #expect(sawWriting, "robochain was not seen writing its output before it ended")
    }

    @Test func anUnwritableDirectoryFailsAtOpen() throws {
        #expect(throws: ReportError.cannotWrite(path: "/nonexistent-dir/x.json", reason: "directory '/nonexistent-dir' does not exist")) {
            _ = try OutputFile.Stream(path: "/nonexistent-dir/x.json")
        }
    }
}

/// Standard output that cannot be written is a failure (issue #16, item 11): these exited 0
/// with nothing written.
@Suite struct UnwritableStandardOutputTests {
    static let model = "Models/guangdong-robots.yaml"

    func shell(_ command: String) throws -> CommandResult {
        try CommandRunner.run("/bin/sh", ["-c", "\"$ROBOCHAIN\" " + command], environment: ["ROBOCHAIN": CommandRunner.product("robochain"), "HOME": "/nonexistent"])
    }

    @Test(arguments: ["validate \(model)", "plugins list", "plugins list --format json", "analyze \(model) --with gap-detection"])
    func aFullDiskIsAFailure(command: String) throws {
        let result = try shell(command + " >/dev/full")
        #expect(result.exitStatus == 1)
        #expect(result.standardError.contains("error: cannot write 'standard output': No space left on device"), "\(result.standardError)")
    }

    @Test(arguments: ["validate \(model)", "plugins list", "plugins list --format json"])
    func aClosedStandardOutputIsAFailure(command: String) throws {
        let result = try shell(command + " >&-")
        #expect(result.exitStatus == 1)
        #expect(result.standardError.contains("error: cannot write 'standard output'"), "\(result.standardError)")
    }

    @Test func aMapInPagesIsWrittenWholeOrNotAtAll() throws {
        // Page 3 cannot be written (a link to /dev/full): pages 1 and 2, written and synced beside
        // their targets, are not renamed into place, and no temporary file is left.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let command = "cd \"$1\" && ln -s /dev/full p-3.svg && \"$ROBOCHAIN\" render \"$2\" --page 16:9 --output p.svg; echo \"status $?\"; ls -A"
        let result = try CommandRunner.run("/bin/sh", ["-c", command, "sh", directory.path,
            CommandRunner.packageDirectory.path + "/" + Self.model], environment: ["ROBOCHAIN": CommandRunner.product("robochain"), "HOME": "/nonexistent"])
        #expect(result.standardOutput == "status 1\np-3.svg\n", "\(result.standardError)")
        #expect(result.standardError.contains("error: cannot write '"), "\(result.standardError)")
    }

    @Test func pagesLeftByAnEarlierRenderAreNamed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("an earlier page", to: "p-2.svg")
        try directory.write("an earlier page", to: "p-11.svg")
        let result = try CommandRunner.robochain(["render", CommandRunner.packageDirectory.path + "/" + Self.model, "--output", directory.path + "/p.svg"])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        #expect(result.standardError.contains("note: \(directory.path)/p-2.svg, \(directory.path)/p-11.svg beside the output are not a page of this map (left from an earlier render?); robochain leaves them as they are\n"), "\(result.standardError)")
        #expect(try String(contentsOfFile: directory.path + "/p-2.svg", encoding: .utf8) == "an earlier page")
    }

    @Test func anEmptyOutputNameIsAUsageError() throws {
        let result = try CommandRunner.robochain(["analyze", Self.model, "--with", "gap-detection", "--output", ""])
        #expect(result.exitStatus == 64)
        #expect(result.standardError == "Error: --output needs a file name (or - for standard output)\n")
    }
}

/// 20,000 `--with` took 34 s: the argument parser's time is quadratic in the arguments.
@Suite struct ArgumentLimitTests {
    @Test func twentyThousandWithsAreRefusedAtOnce() throws {
        let started = Date()
        let result = try CommandRunner.robochain(["analyze", "Models/guangdong-robots.yaml"]
            + Array(repeating: ["--with", "gap-detection"], count: 20_000).flatMap { $0 })
        #expect(result.exitStatus == 64)
        #expect(result.standardError == "Error: too many arguments (40002); robochain takes at most 2048\n")
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
