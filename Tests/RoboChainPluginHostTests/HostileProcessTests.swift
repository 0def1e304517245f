import Foundation
import RoboChainTestSupport
import Testing

/// No process a plugin starts outlives robochain (issue #16, item 9): not one that calls
/// `setsid` (out of the plugin's process group), not after a timeout, not after `kill -9`.
@Suite struct HostileProcessTests {
    static let model = "Models/guangdong-robots.yaml"

    /// A plugin script that starts a `setsid` child writing its pid to `pids`, then runs `tail`.
    func plugin(_ plugins: PluginFixtures, pids: String, tail: String) throws {
        try plugins.plugin("escaper", script: """
            cat >/dev/null
            setsid sh -c 'echo $$ >> \(pids); exec sleep 1000' </dev/null >/dev/null 2>&1 &
            while [ ! -s \(pids) ]; do sleep 0.05; done
            \(tail)
            """)
    }

    func pidsIn(_ file: String) -> [String] {
        ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
    }

    @Test func aSetsidChildDoesNotSurviveANormalEnd() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let pids = plugins.path + "/pids"
        try plugin(plugins, pids: pids, tail: #"echo '{"protocol": 1, "analysis": "escaper"}'"#)
        let result = try plugins.robochain(["analyze", Self.model, "--with", "escaper", "--format", "json"], timeout: 30)
        #expect(result.exitStatus == 0, "\(result.standardError)")
        #expect(pidsIn(pids).count == 1)
        for pid in pidsIn(pids) { #expect(ProcessState.isGone(pid, within: 5), "setsid child \(pid)") }
    }

    @Test func aSetsidChildDoesNotSurviveATimeout() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let pids = plugins.path + "/pids"
        try plugin(plugins, pids: pids, tail: "sleep 1000")
        let result = try plugins.robochain(["analyze", Self.model, "--with", "escaper", "--timeout", "1", "--format", "json"], timeout: 30)
        #expect(result.exitStatus == 70)
        #expect(pidsIn(pids).count == 1)
        for pid in pidsIn(pids) { #expect(ProcessState.isGone(pid, within: 5), "setsid child \(pid)") }
    }

    @Test func nothingSurvivesKillDashNine() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let pids = plugins.path + "/pids"
        try plugin(plugins, pids: pids, tail: "sleep 1000 &\necho $$ $! >> \(pids)\nwait")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.product("robochain"))
        process.arguments = ["analyze", Self.model, "--with", "escaper", "--format", "json"]
        process.environment = ["ROBOCHAIN_PLUGIN_PATH": plugins.path, "HOME": plugins.root.path + "/home", "PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let started = Date()
        while pidsIn(pids).count < 3, Date().timeIntervalSince(started) < 20 { usleep(20_000) }
        #expect(pidsIn(pids).count == 3)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        for pid in pidsIn(pids) { #expect(ProcessState.isGone(pid, within: 5), "plugin process \(pid)") }
    }
}

extension HostileProcessTests {
    /// `kill -9` while a plugin runs, with `--output`: no `.NAME.tmp-XXXXXX` is left behind.
    @Test func killDashNineLeavesNoTemporaryOutput() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let pids = plugins.path + "/pids"
        try plugins.plugin("slow", script: "cat >/dev/null\necho $$ >> \(pids)\nsleep 1000")
        let outputDirectory = plugins.path + "/out"
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.product("robochain"))
        process.arguments = ["analyze", Self.model, "--with", "slow", "--output", outputDirectory + "/result.json"]
        process.environment = ["ROBOCHAIN_PLUGIN_PATH": plugins.path, "HOME": plugins.root.path + "/home", "PATH": "/usr/bin:/bin"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        let started = Date()
        while pidsIn(pids).isEmpty, Date().timeIntervalSince(started) < 20 { usleep(20_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: outputDirectory) == [])
        for pid in pidsIn(pids) { #expect(ProcessState.isGone(pid, within: 5), "plugin process \(pid)") }
    }
}

extension HostileProcessTests {
    /// A plugin could read every secret in robochain's environment; now it gets only the
    /// variables documented in docs/plugins.md.
    @Test func pluginsGetOnlyTheDocumentedEnvironment() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let dump = plugins.path + "/env.txt"
        try plugins.plugin("env", script: "cat >/dev/null\nenv > \(dump)\necho '{\"protocol\": 1, \"analysis\": \"env\"}'")
        let result = try CommandRunner.robochain(["analyze", Self.model, "--with", "env", "--format", "json"], environment: [
            "ROBOCHAIN_PLUGIN_PATH": plugins.path, "HOME": plugins.root.path + "/home", "SECRET_TOKEN": "hunter2",
            "AWS_SECRET_ACCESS_KEY": "x", "ROBOCHAIN_EXAMPLE": "kept", "LC_ALL": "C", "TZ": "UTC",
        ])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        let names = Set(try String(contentsOfFile: dump, encoding: .utf8).split(separator: "\n").compactMap { $0.split(separator: "=").first.map(String.init) })
        #expect(!names.contains("SECRET_TOKEN"))
        #expect(!names.contains("AWS_SECRET_ACCESS_KEY"))
        #expect(names.isSuperset(of: ["PATH", "HOME", "ROBOCHAIN_EXAMPLE", "ROBOCHAIN_PLUGIN_PATH", "LC_ALL", "TZ"]))
        // What the shell adds itself (PWD, SHLVL, _) aside, nothing else.
        let allowed: Set<String> = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "PWD", "SHLVL", "_", "OLDPWD"]
        #expect(names.filter { !allowed.contains($0) && !$0.hasPrefix("LC_") && !$0.hasPrefix("ROBOCHAIN_") }.isEmpty, "\(names.sorted())")
    }
}
