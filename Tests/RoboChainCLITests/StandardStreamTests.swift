import Foundation
import RoboChainTestSupport
import Testing

/// More commands whose standard output cannot be written (issue #16): these exited 0 with
/// nothing written — the help and `--version` through the C library's buffer, the plugin
/// commands through an unchecked write.
extension UnwritableStandardOutputTests {
    static let printing = [
        "plugins info gap-detection", "plugins info gap-detection --format json", "plugins check gap-detection",
        "--version", "--help", "help", "help analyze", "analyze --help", "--generate-completion-script bash",
        "convert \(model) --output -",
    ]

    @Test(arguments: printing)
    func aFullDiskFailsToo(command: String) throws {
        let result = try shell(command + " >/dev/full")
        #expect(result.exitStatus == 1)
        #expect(result.standardError.hasSuffix("error: cannot write 'standard output': No space left on device\n"), "\(result.standardError)")
    }

    @Test(arguments: printing)
    func aClosedStandardOutputFailsToo(command: String) throws {
        let result = try shell(command + " >&-")
        #expect(result.exitStatus == 1)
        #expect(result.standardError.hasSuffix("error: cannot write 'standard output': Bad file descriptor\n"), "\(result.standardError)")
    }

    /// The same commands, written: 0 and their output (so the check at exit adds nothing).
    @Test(arguments: printing)
    func aWritableStandardOutputSucceeds(command: String) throws {
        let result = try shell(command)
        #expect(result.exitStatus == 0, "\(result.standardError)")
        #expect(!result.standardOutput.isEmpty)
        #expect(!result.standardError.contains("cannot write"))
    }

    /// `plugins install` and `plugins remove` do their work, then fail (1) on the confirmation.
    @Test func installAndRemoveCheckTheirConfirmation() throws {
        let home = try TemporaryDirectory("home")
        defer { home.remove() }
        let plugin = CommandRunner.packageDirectory.path + "/Plugins/SupplierConcentration"
        let robochain = CommandRunner.product("robochain")
        let install = try CommandRunner.run("/bin/sh", ["-c", "\"$0\" plugins install \"$1\" >/dev/full", robochain, plugin],
            environment: ["HOME": home.path])
        #expect(install.exitStatus == 1)
        #expect(install.standardError == "error: cannot write 'standard output': No space left on device\n", "\(install.standardError)")
        #expect(FileManager.default.fileExists(atPath: home.path + "/.robochain/plugins/supplier-concentration/plugin.json"))
        let remove = try CommandRunner.run("/bin/sh", ["-c", "\"$0\" plugins remove supplier-concentration >&-", robochain],
            environment: ["HOME": home.path])
        #expect(remove.exitStatus == 1)
        #expect(remove.standardError == "error: cannot write 'standard output': Bad file descriptor\n", "\(remove.standardError)")
        #expect(!FileManager.default.fileExists(atPath: home.path + "/.robochain/plugins/supplier-concentration"))
    }
}

/// `convert MODEL --output -` made a directory named `-` of CSV files; it writes YAML to
/// standard output.
@Suite struct ConvertToStandardOutputTests {
    @Test func aDashIsStandardOutput() throws {
        let directory = try TemporaryDirectory("convert")
        defer { directory.remove() }
        let model = CommandRunner.packageDirectory.path + "/Models/guangdong-robots.yaml"
        let result = try CommandRunner.robochain(["convert", model, "--output", "-", "--quiet"], directory: directory.url)
        #expect(result.exitStatus == 0, "\(result.standardError)")
        #expect(result.standardError == "")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [])
        // The same YAML convert writes to a file.
        let file = try CommandRunner.robochain(["convert", model, "--output", directory.path + "/m.yaml", "--quiet"])
        #expect(file.exitStatus == 0, "\(file.standardError)")
        #expect(result.standardOutput == (try String(contentsOfFile: directory.path + "/m.yaml", encoding: .utf8)))
        #expect(result.standardOutput.hasPrefix("id: "), "\(result.standardOutput.prefix(200))")
    }
}
