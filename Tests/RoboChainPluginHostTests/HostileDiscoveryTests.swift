import Foundation
import RoboChainPluginHost
import RoboChainTestSupport
import Testing

/// Plugin directories from a hostile review (issue #16): each is skipped with a reason, at once.
@Suite struct HostileDiscoveryTests {
    func skippedReasons(_ plugins: PluginFixtures) -> [String] {
        AnalysisCatalog.discover(environment: ["ROBOCHAIN_PLUGIN_PATH": plugins.path]).skipped.map(\.reason)
    }

    /// A FIFO named plugin.json hung every command, even one using built-ins only.
    @Test func aFIFOManifestIsSkipped() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try FileManager.default.createDirectory(atPath: plugins.path + "/fifo", withIntermediateDirectories: true)
        #expect(mkfifo(plugins.path + "/fifo/plugin.json", 0o600) == 0)
        #expect(skippedReasons(plugins) == ["cannot read plugin.json: cannot read '\(plugins.path)/fifo/plugin.json': it is a FIFO (named pipe), not a file"])
        let result = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection", "--format", "json"], timeout: 20)
        #expect(result.exitStatus == 0)
        #expect(!result.timedOut)
    }

    /// A 300 MB manifest was read whole for a plugin never used.
    @Test func aHugeManifestIsNotRead() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let path = try plugins.root.write("{", to: "huge/plugin.json")
        #expect(truncate(path, 300_000_000) == 0)
        #expect(skippedReasons(plugins) == ["cannot read plugin.json: cannot read '\(plugins.path)/huge/plugin.json': it is 286 MiB, more than the 1 MiB a file may be here"])
    }

    /// A default of 1e400 said "must be a number, found a number".
    @Test func aDefaultBeyondDoubleRangeIsNamed() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("huge", script: "cat", options: #"{"t": {"type": "number", "default": 1e400}}"#)
        #expect(skippedReasons(plugins) == ["malformed plugin.json: is not JSON: line 2, column 84: the number 1e400 is beyond the range of a double (about ±1.8e308)"])
    }

    @Test func executablesOutsideThePluginDirectoryAreSkipped() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.root.write("#!/bin/sh\ncat\n", to: "outside", executable: true)
        try plugins.root.write(#"{"name": "up", "version": "1", "protocol": 1, "executable": "../outside"}"#, to: "up/plugin.json")
        try plugins.root.write(#"{"name": "linked", "version": "1", "protocol": 1, "executable": "run"}"#, to: "linked/plugin.json")
        try FileManager.default.createSymbolicLink(atPath: plugins.path + "/linked/run", withDestinationPath: plugins.path + "/outside")
        try plugins.root.write(#"{"name": "nul", "version": "1", "protocol": 1, "executable": "run\u0000.txt"}"#, to: "nul/plugin.json")
        // A link that stays inside the directory is fine.
        try plugins.plugin("inside", script: "cat")
        try FileManager.default.moveItem(atPath: plugins.path + "/inside/run", toPath: plugins.path + "/inside/real")
        try FileManager.default.createSymbolicLink(atPath: plugins.path + "/inside/run", withDestinationPath: "real")
        let catalog = AnalysisCatalog.discover(environment: ["ROBOCHAIN_PLUGIN_PATH": plugins.path])
        #expect(catalog.analyses.map(\.name).contains("inside"))
        let root = FileManager.default.resolvingSymlinks(plugins.path)
        #expect(catalog.skipped.map(\.reason) == [
            "its executable 'run' is outside the plugin's directory (it leads to '\(root)/outside'); a plugin runs only a program inside its directory",
            "its executable's name holds a NUL character",
            "its executable '../outside' is outside the plugin's directory (it leads to '\(root)/outside'); a plugin runs only a program inside its directory",
        ])
    }
}

extension FileManager {
    func resolvingSymlinks(_ path: String) -> String {
        realpath(path, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        } ?? path
    }
}
