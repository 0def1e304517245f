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

extension HostileProcessTests {
    /// The residual of issue #16: a plugin's child double-forks a grandchild (the middle process
    /// exits, so the grandchild is an orphan while the plugin still runs) that calls `setsid`;
    /// then robochain is killed by `kill -9`. The orphan was robochain's (a child subreaper) and
    /// went to init, out of reach of the guardian; now it is its supervisor's, which kills the
    /// whole tree when robochain's end of its socket closes. Every process that carries the
    /// run's marker in its environment is looked for through /proc.
    @Test func aDoubleForkedSetsidGrandchildDoesNotSurviveKillDashNine() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let marker = "residual-\(UUID().uuidString)"
        let grandchildFile = plugins.path + "/grandchild"
        let pluginFile = plugins.path + "/plugin"
        // The subshell is the middle process: it starts the grandchild in the background and
        // exits at once; the plugin waits for it (so the orphan exists before the file appears).
        try plugins.plugin("doublefork", script: """
            cat >/dev/null
            ( setsid sh -c 'echo $$ > \(grandchildFile).tmp; mv \(grandchildFile).tmp \(grandchildFile); exec sleep 1000' </dev/null >/dev/null 2>&1 & )
            while [ ! -s \(grandchildFile) ]; do sleep 0.05; done
            echo $$ > \(pluginFile).tmp; mv \(pluginFile).tmp \(pluginFile)
            sleep 1000
            """)
        // Started with posix_spawn, not Foundation's Process: Process learns of the end through a
        // socket its child inherits, so a survivor holding it would hang this test instead of
        // failing it.
        let robochain = try Self.spawn(
            CommandRunner.product("robochain"), ["analyze", CommandRunner.packageDirectory.appendingPathComponent(Self.model).path, "--with", "doublefork", "--format", "json"],
            environment: [
                "ROBOCHAIN_PLUGIN_PATH=\(plugins.path)", "HOME=\(plugins.root.path)/home", "PATH=/usr/bin:/bin",
                "ROBOCHAIN_TEST_MARKER=\(marker)",  // ROBOCHAIN_* reaches plugins, and every process they start
            ])
        let started = Date()
        while pidsIn(pluginFile).isEmpty, Date().timeIntervalSince(started) < 30 { usleep(20_000) }
        let grandchild = try #require(pidsIn(grandchildFile).first)
        let plugin = try #require(pidsIn(pluginFile).first)
        // The grandchild is an orphan in a session of its own, running while the plugin runs, and
        // the marker finds it (and the plugin).
        let parent = try #require(ProcessState.parent(of: grandchild))
        #expect(parent != plugin)
        #expect(ProcessState.session(of: grandchild) == grandchild)
        let marked = ProcessState.running(withEnvironment: marker)
        #expect(marked.contains(grandchild) && marked.contains(plugin), "\(marked)")

        kill(robochain, SIGKILL)
        var status: Int32 = 0
        while waitpid(robochain, &status, 0) < 0 && errno == EINTR {}
        let deadline = Date().addingTimeInterval(5)
        var left = ProcessState.running(withEnvironment: marker)
        while !left.isEmpty, Date() < deadline {
            usleep(20_000)
            left = ProcessState.running(withEnvironment: marker)
        }
        #expect(left.isEmpty, "still running 5 s after kill -9: \(left.map { "\($0) \(ProcessState.commandLine(of: $0))" })")
        // Left running, they would hold the test's temporary directory: kill them if the test failed.
        for pid in left { kill(pid_t(pid)!, SIGKILL) }
    }
}

extension HostileProcessTests {
    /// A supervisor killed by `kill -9` while robochain runs (here by its own plugin) leaves the
    /// plugin's tree to robochain, a child subreaper, which kills it at the end of the run; the
    /// plugin is reported as killed by that signal.
    @Test func theTreeOfAKilledSupervisorIsKilledByRobochain() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let pids = plugins.path + "/pids"
        try plugins.plugin("parricide", script: """
            cat >/dev/null
            sleep 1000 &
            echo $$ $! > \(pids).tmp; mv \(pids).tmp \(pids)
            kill -9 $PPID
            wait
            """)
        let started = Date()
        let result = try plugins.robochain(["analyze", Self.model, "--with", "parricide", "--format", "json"], timeout: 60)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(result.exitStatus == 70)
        #expect(result.standardError.contains("error: analysis 'parricide' failed: it was killed by signal 9 (Killed)"),
            "\(result.standardError)")
        #expect(pidsIn(pids).count == 2)
        for pid in pidsIn(pids) { #expect(ProcessState.isGone(pid), "plugin process \(pid)") }
    }
}

extension HostileProcessTests {
    /// Starts a program with its output on /dev/null; its process id.
    static func spawn(_ executable: String, _ arguments: [String], environment: [String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let strings = [executable] + arguments
        let argv = strings.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        try #require(result == 0, "cannot start \(executable): \(String(cString: strerror(result)))")
        return pid
    }
}

extension HostileProcessTests {
    /// The temporary CSV directory a plugin with `"input": "csv"` reads (issue 16's audit): a
    /// SIGTERM removes it whole, directory included; one left by a robochain killed by SIGKILL
    /// is removed by the next robochain that makes one, and a live robochain's is not touched.
    @Test func theCSVInputDirectoryIsNotLeftBehind() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let temporary = plugins.path + "/tmp"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        let pids = plugins.path + "/pids"
        for (name, script) in [("slow-csv", "cat >/dev/null\necho $$ >> \(pids)\nsleep 1000"),
                               ("quick-csv", "cat >/dev/null\necho '{\"protocol\": 1, \"analysis\": \"quick-csv\"}'")] {
            try plugins.root.write("""
                {"name": "\(name)", "version": "0.1.0", "protocol": 1, "executable": "run", "description": "d", "input": "csv"}
                """, to: "\(name)/plugin.json")
            try plugins.root.write("#!/bin/sh\n\(script)\n", to: "\(name)/run", executable: true)
        }
        func contents() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []).sorted() }
        var leftBySIGKILL: [String] = []
        for signal in [SIGTERM, SIGKILL] {
            try? FileManager.default.removeItem(atPath: pids)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandRunner.product("robochain"))
            process.arguments = ["analyze", Self.model, "--with", "slow-csv"]
            process.environment = ["ROBOCHAIN_PLUGIN_PATH": plugins.path, "HOME": plugins.root.path + "/home", "PATH": "/usr/bin:/bin",
                                   "TMPDIR": temporary]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let started = Date()
            while pidsIn(pids).isEmpty, Date().timeIntervalSince(started) < 20 { usleep(20_000) }
            let made = contents()
            #expect(made.count == 1 && made[0].hasPrefix("robochain-model-\(process.processIdentifier)-"), "\(made)")
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            if signal == SIGTERM { #expect(contents() == [], "SIGTERM left \(contents())") } else { leftBySIGKILL = contents() }
        }
        #expect(leftBySIGKILL.count == 1, "\(leftBySIGKILL)")
        // A directory of a process that still runs (this test's) is not touched.
        let alive = "robochain-model-\(getpid())-abcdef"
        try FileManager.default.createDirectory(atPath: temporary + "/" + alive, withIntermediateDirectories: true)
        let next = try CommandRunner.robochain(["analyze", Self.model, "--with", "quick-csv", "--format", "json"],
            environment: ["ROBOCHAIN_PLUGIN_PATH": plugins.path, "HOME": plugins.root.path + "/home", "TMPDIR": temporary])
        #expect(next.exitStatus == 0, "\(next.standardError)")
        #expect(contents() == [alive])
    }
}

extension HostileProcessTests {
    /// The supervisor between robochain and a plugin (issue 16's audit): its arguments, which
    /// every user can read in /proc, no longer carry the plugin's environment; and its own
    /// environment, which the plugin (the same user) can read, holds none of robochain's secrets.
    @Test func theSupervisorShowsNoEnvironmentToOthers() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let arguments = plugins.path + "/supervisor-cmdline"
        let environment = plugins.path + "/supervisor-environ"
        try plugins.plugin("peek", script: """
            cat >/dev/null
            tr '\\0' '\\n' < /proc/$PPID/cmdline > \(arguments)
            tr '\\0' '\\n' < /proc/$PPID/environ > \(environment)
            echo '{"protocol": 1, "analysis": "peek"}'
            """)
        let result = try CommandRunner.robochain(["analyze", Self.model, "--with", "peek", "--format", "json"], environment: [
            "ROBOCHAIN_PLUGIN_PATH": plugins.path, "HOME": plugins.root.path + "/home", "SECRET_TOKEN": "hunter2",
        ])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        let shown = try String(contentsOfFile: arguments, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(shown.first == "robochain-supervisor" && shown.count == 4, "\(shown)")
        #expect(!shown.contains { $0.contains("=") }, "\(shown)")
        let own = try String(contentsOfFile: environment, encoding: .utf8)
        #expect(!own.contains("hunter2"))
        #expect(own.contains("ROBOCHAIN_SUPERVISED=HOME=" + plugins.root.path + "/home"))
    }
}
