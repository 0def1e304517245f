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

    @Test func anUnwritableDirectoryFailsAtOpen() throws {
        #expect(throws: ReportError.cannotWrite(path: "/nonexistent-dir/x.json", reason: "directory '/nonexistent-dir' does not exist")) {
            _ = try OutputFile.Stream(path: "/nonexistent-dir/x.json")
        }
    }
}
