import Foundation
import RoboChainJSON
import RoboChainPluginHost
import RoboChainProcess
import RoboChainTestSupport
import Testing

/// Every way a plugin can fail (SPEC §5) gives a message naming the plugin and the cause, the
/// tail of its standard error, exit status 70, and the other analyses' results — and never a hang.
@Suite struct PluginIsolationTests {
    static let model = "Models/guangdong-robots.yaml"

    /// Runs the failing plugin `bad` beside gap-detection and checks the common shape of a failure.
    func expectFailure(
        script: String, interpreter: String = "/bin/sh", cause: String, tail: [String] = [], extra: [String] = [],
        sourceLocation location: SourceLocation = #_sourceLocation
    ) throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("bad", script: script, interpreter: interpreter)
        let started = Date()
        let result = try plugins.robochain(
            ["analyze", Self.model, "--with", "bad", "--with", "gap-detection", "--format", "json"] + extra)
        #expect(Date().timeIntervalSince(started) < 30, "robochain returned promptly", sourceLocation: location)
        #expect(result.exitStatus == 70, "exit status", sourceLocation: location)
        #expect(result.standardError.contains("error: analysis 'bad' failed: \(cause)"),
            "\(result.standardError)", sourceLocation: location)
        for line in tail {
            #expect(result.standardError.contains("  | \(line)"), "tail line \(line)", sourceLocation: location)
        }
        // The other analysis is still printed; the failed one, having no result, is left out.
        let array = try #require(try JSONParser.parse(result.standardOutput).arrayValue, sourceLocation: location)
        #expect(array.count == 1, sourceLocation: location)
        #expect(array.first?.objectValue?["analysis"] == "gap-detection", sourceLocation: location)
        #expect((array.first?.objectValue?["findings"]?.arrayValue?.count ?? 0) > 0, sourceLocation: location)
    }

    @Test func nonZeroExit() throws {
        try expectFailure(script: "cat >/dev/null\necho 'loading model' >&2\necho 'cannot continue: no licence' >&2\nexit 3",
            cause: "it exited with status 3", tail: ["loading model", "cannot continue: no licence"])
    }

    @Test func deathBySignal() throws {
        try expectFailure(script: "cat >/dev/null\necho 'about to crash' >&2\nkill -SEGV $$",
            cause: "it was killed by signal 11 (Segmentation fault)", tail: ["about to crash"])
    }

    @Test func garbageOnStandardOutput() throws {
        try expectFailure(script: "cat >/dev/null\necho 'Hello, world'",
            cause: "its standard output is not one JSON object: line 1, column 1: expected a JSON value, found 'H'")
    }

    @Test func partialJSON() throws {
        try expectFailure(script: #"cat >/dev/null; printf '{"protocol": 1, "analysis": "bad", "findings": ['"#,
            cause: "its standard output is not one JSON object: line 1, column 49: unterminated array: expected a value")
    }

    @Test func anArrayInsteadOfAnObject() throws {
        try expectFailure(script: "cat >/dev/null; echo '[]'",
            cause: "it sent a malformed response: must be one JSON object, found an array")
    }

    @Test func twoObjects() throws {
        try expectFailure(script: #"cat >/dev/null; echo '{"protocol": 1, "analysis": "bad"} {}'"#,
            cause: "its standard output is not one JSON object: line 1, column 36: unexpected '{' after the JSON value")
    }

    @Test func anotherProtocol() throws {
        try expectFailure(script: #"cat >/dev/null; echo '{"protocol": 2, "analysis": "bad"}'"#,
            cause: "it sent a malformed response: 'protocol' is 2, but this robochain speaks protocol 1")
    }

    @Test func malformedFinding() throws {
        try expectFailure(
            script: #"cat >/dev/null; echo '{"protocol": 1, "analysis": "bad", "findings": [{"component": "x", "kind": "k", "severity": 3, "message": "m"}]}'"#,
            cause: "it sent a malformed response: 'findings[0].severity' must be a string, found a number")
    }

    @Test func aFindingAboutNothing() throws {
        try expectFailure(
            script: #"cat >/dev/null; echo '{"protocol": 1, "analysis": "bad", "findings": [{"kind": "k", "severity": "low", "message": "m"}]}'"#,
            cause: "it sent a malformed response: 'findings[0]' names neither a 'component' nor a 'firm'")
    }

    @Test func anotherAnalysisName() throws {
        try expectFailure(script: #"cat >/dev/null; echo '{"protocol": 1, "analysis": "good"}'"#,
            cause: "it sent a malformed response: 'analysis' is 'good', expected 'bad'")
    }

    @Test func anInfiniteMetric() throws {
        try expectFailure(script: #"cat >/dev/null; echo '{"protocol": 1, "analysis": "bad", "metrics": {"x": 1e400}}'"#,
            cause: "its standard output is not one JSON object: line 1, column 53: the number 1e400 is beyond the range of a double (about ±1.8e308)")
    }

    @Test func whenEveryAnalysisFailsNothingIsPrintedOrWritten() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("alone", script: "cat >/dev/null; exit 3")
        let result = try plugins.robochain(["analyze", Self.model, "--with", "alone", "--format", "json"])
        #expect(result.exitStatus == 70)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("error: analysis 'alone' failed: it exited with status 3"))
        // An existing output file is left as it was, and no temporary file stays behind.
        let output = try plugins.root.write("earlier results\n", to: "out/result.json")
        let written = try plugins.robochain(["analyze", Self.model, "--with", "alone", "--output", output])
        #expect(written.exitStatus == 70)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "earlier results\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: plugins.root.url.appendingPathComponent("out").path) == ["result.json"])
    }

    @Test func tablesNameTheFailedAnalysis() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("bad", script: "cat >/dev/null; exit 3")
        try plugins.plugin("large", script: #"cat >/dev/null; echo '{"protocol": 1, "analysis": "large", "metrics": {"big": 1e308, "tiny": 0.00002, "share": 0.41666}}'"#)
        let result = try plugins.robochain(["analyze", Self.model, "--with", "bad", "--with", "large", "--with", "gap-detection"])
        #expect(result.exitStatus == 70)
        #expect(result.standardOutput.hasPrefix(
            "Guangdong 广东 (CN-GD): large: 3 metrics; gap-detection: 25 gaps (6 no local supplier 补链, 18 single local source, 1 low local share); failed: bad (see standard error)\n"),
            "\(result.standardOutput.prefix(300))")
        #expect(result.standardOutput.contains("big     1e+308\n"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("tiny     2e-05\n"))
        #expect(result.standardOutput.contains("share    0.417\n"))
    }

    @Test func nothingOnStandardOutput() throws {
        try expectFailure(script: "cat >/dev/null", cause: "it exited without writing a response on standard output")
    }

    @Test func neverExitsAndIsKilledWithItsChildren() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let pidFile = plugins.root.url.appendingPathComponent("child.pid").path
        try plugins.plugin("sleepy", script: "echo 'waiting forever' >&2\nsleep 1000 &\necho $! > \(pidFile)\nwait")
        let started = Date()
        let result = try plugins.robochain(
            ["analyze", Self.model, "--with", "sleepy", "--with", "gap-detection", "--timeout", "1", "--format", "json"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < 10, "killed at the timeout, took \(elapsed) s")
        #expect(result.exitStatus == 70)
        #expect(result.standardError.contains(
            "error: analysis 'sleepy' failed: it did not finish within 1 seconds (--timeout), so it was killed"))
        #expect(result.standardError.contains("  | waiting forever"))
        let childPID = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(ProcessState.isGone(childPID, within: 5), "the plugin's child was killed too")
        #expect(try JSONParser.parse(result.standardOutput).arrayValue?.count == 1)
    }

    /// Stopping robochain (SIGTERM, or Ctrl-C's SIGINT) stops its plugins too — they run in
    /// their own process groups, out of reach of the terminal — and leaves no temporary file.
    @Test func stoppingRobochainStopsItsPluginsAndLeavesNoTemporaryFile() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let pidFile = plugins.root.url.appendingPathComponent("pids").path
        try plugins.plugin("sleepy", script: "sleep 1000 &\necho $$ $! > \(pidFile)\nwait")
        let outputDirectory = plugins.root.url.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.product("robochain"))
        process.arguments = ["analyze", Self.model, "--with", "sleepy", "--with", "gap-detection",
            "--output", outputDirectory.appendingPathComponent("result.json").path]
        process.environment = ["ROBOCHAIN_PLUGIN_PATH": plugins.path, "HOME": plugins.root.path + "/home", "PATH": "/usr/bin:/bin"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        let started = Date()
        while (try? String(contentsOfFile: pidFile, encoding: .utf8))?.split(separator: " ").count != 2,
            Date().timeIntervalSince(started) < 20
        {
            usleep(20_000)
        }
        let pids = try String(contentsOfFile: pidFile, encoding: .utf8).split(whereSeparator: \.isWhitespace).map(String.init)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM)
        for pid in pids { #expect(ProcessState.isGone(pid, within: 5), "plugin process \(pid) was stopped") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outputDirectory.path) == [])
    }

    @Test func outputPast256MiB() throws {
        try expectFailure(
            script: "import sys\nsys.stdin.read()\nchunk = b' ' * (1 << 20)\nfor _ in range(300): sys.stdout.buffer.write(chunk)",
            interpreter: "/usr/bin/env python3", cause: "it wrote more than 256 MiB on standard output, so it was killed")
    }

    @Test func megabytesOnStandardErrorDoNotDeadlock() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        // 8 MiB of log before reading anything, then a valid answer.
        try plugins.plugin("chatty", script: """
            import sys
            for i in range(100000): sys.stderr.write('log line %d ............................................................................\\n' % i)
            sys.stdin.read()
            print('\(PluginFixtures.response("chatty").replacingOccurrences(of: "'", with: "\\'"))')
            """, interpreter: "/usr/bin/env python3")
        let result = try plugins.robochain(["analyze", Self.model, "--with", "chatty", "--format", "json"])
        #expect(result.exitStatus == 0, "\(result.standardError.suffix(500))")
        #expect(try JSONParser.parse(result.standardOutput).objectValue?["metrics"] == ["answer": 42])
    }

    @Test func closingStandardInputEarlyIsFineIfItAnswers() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let model = try LargeModel.write(in: plugins.root)  // a request far larger than a pipe's buffer
        try plugins.plugin("early", script: "exec 0<&-\necho '\(PluginFixtures.response("early", component: "c0"))'")
        let result = try plugins.robochain(["analyze", model, "--with", "early", "--scope", "CN-GD", "--format", "json"])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        #expect(try JSONParser.parse(result.standardOutput).objectValue?["analysis"] == "early")
    }

    @Test func closingStandardInputEarlyAndFailingSaysSo() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let model = try LargeModel.write(in: plugins.root)
        try plugins.plugin("quitter", script: "head -c 100 >/dev/null\nexec 0<&-\necho 'read enough' >&2\nexit 4")
        let result = try plugins.robochain(["analyze", model, "--with", "quitter", "--scope", "CN-GD"])
        #expect(result.exitStatus == 70)
        #expect(result.standardError.contains("error: analysis 'quitter' failed: it exited with status 4 (it closed its standard input after reading "))
        #expect(result.standardError.contains("  | read enough"))
    }

    @Test func notStartable() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("noshell", script: "echo hi", interpreter: "/nonexistent/interpreter")
        let result = try plugins.robochain(["analyze", Self.model, "--with", "noshell"])
        #expect(result.exitStatus == 70)
        #expect(result.standardError.contains("error: analysis 'noshell' failed: it could not be started: No such file or directory"))
    }

    @Test func processRunnerLimitsOutputDirectly() {
        let outcome = ChildProcess.run(executable: "/bin/sh", directory: "/", input: [], timeout: 10, outputLimit: 1000)
        #expect(outcome.termination == .exited(0))  // /bin/sh with empty input exits at once
        let yes = ChildProcess.run(executable: "/usr/bin/yes", directory: "/", input: [], timeout: 10, outputLimit: 100_000)
        #expect(yes.exceededOutputLimit)
        #expect(yes.standardOutput.count == 100_000)
        #expect(yes.termination == .signalled(9))
    }

    @Test func aChildThatExitedIsNotTimedOutByTheGrandchildHoldingItsPipe() {
        // The child exits at once; the sleeper it leaves holds standard output open past the
        // one-second limit. The outcome is the child's own exit, not a timeout.
        let outcome = ChildProcess.run(executable: "/bin/sh", arguments: ["-c", "echo done; sleep 30 & exit 0"],
            directory: "/", input: [], timeout: 1, outputLimit: 1000)
        #expect(outcome.termination == .exited(0))
        #expect(!outcome.timedOut)
        #expect(outcome.standardOutput == Array("done\n".utf8))
    }

    /// The supervisor ends as the child ended: the same exit status, or the same signal.
    @Test func theChildsOwnExitStatusOrSignalIsTheOutcome() {
        func run(_ script: String) -> ChildProcessOutcome.Termination {
            ChildProcess.run(executable: "/bin/sh", arguments: ["-c", script], directory: "/", input: [], timeout: 30,
                outputLimit: 1000).termination
        }
        #expect(run("exit 0") == .exited(0))
        #expect(run("exit 42") == .exited(42))
        #expect(run("exit 255") == .exited(255))
        #expect(run("kill -SEGV $$") == .signalled(SIGSEGV))
        #expect(run("kill -TERM $$") == .signalled(SIGTERM))
        #expect(run("kill -HUP $$") == .signalled(SIGHUP))
        #expect(run("kill -ABRT $$") == .signalled(SIGABRT))
        #expect(run("kill -KILL $$") == .signalled(SIGKILL))
        let missing = ChildProcess.run(executable: "/nonexistent/program", directory: "/", input: [], timeout: 30, outputLimit: 1000)
        #expect(missing.termination == .notStarted("No such file or directory"))
        let notADirectory = ChildProcess.run(executable: "/bin/true", directory: "/nonexistent", input: [], timeout: 30, outputLimit: 1000)
        #expect(notADirectory.termination == .notStarted("No such file or directory"))
    }

    /// An orphan in a session of its own (double-forked, then `setsid`) goes when the child
    /// exits, in any program that runs children through ChildProcess (this test runner is no
    /// subreaper): its supervisor adopted it.
    @Test func aDoubleForkedSetsidOrphanGoesWhenTheChildExits() throws {
        let directory = try TemporaryDirectory("orphan")
        defer { directory.remove() }
        let pidFile = directory.path + "/grandchild"
        let outcome = ChildProcess.run(executable: "/bin/sh", arguments: ["-c", """
            ( setsid sh -c 'echo $$ > \(pidFile).tmp; mv \(pidFile).tmp \(pidFile); exec sleep 1000' </dev/null >/dev/null 2>&1 & )
            while [ ! -s \(pidFile) ]; do sleep 0.05; done
            echo started
            """], directory: "/", input: [], timeout: 30, outputLimit: 1000)
        #expect(outcome.termination == .exited(0))
        #expect(outcome.standardOutput == Array("started\n".utf8))
        let grandchild = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        // Killed and reaped before run returned.
        #expect(ProcessState.isGone(grandchild), "\(ProcessState.commandLine(of: grandchild))")
    }
}

/// A generated model big enough that its request (about 2 MB of JSON) cannot sit in a pipe.
enum LargeModel {
    static func write(in directory: TemporaryDirectory) throws -> String {
        let path = directory.url.appendingPathComponent("large").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try "id,name,parent\nCN,China,\nCN-GD,Guangdong,CN\nJP,Japan,\n"
            .write(toFile: path + "/regions.csv", atomically: true, encoding: .utf8)
        var components = "id,name,segment\n"
        for index in 0..<200 { components += "c\(index),Component \(index),limbs\n" }
        try components.write(toFile: path + "/components.csv", atomically: true, encoding: .utf8)
        var firms = "id,name,region\n"
        var supplies = "firm,component,share\n"
        for index in 0..<20_000 {
            firms += "f\(index),Firm number \(index),\(["CN-GD", "CN", "JP"][index % 3])\n"
            supplies += "f\(index),c\(index % 200),\n"
        }
        try firms.write(toFile: path + "/firms.csv", atomically: true, encoding: .utf8)
        try supplies.write(toFile: path + "/supplies.csv", atomically: true, encoding: .utf8)
        return path
    }
}

enum ProcessState {
    /// Whether a process no longer runs: it does not exist, or it is a zombie (dead, waiting to
    /// be reaped by whatever inherited it).
    static func isGone(_ pid: String) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        // The state follows the command name in parentheses: "1234 (sleep) Z ...".
        guard let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// A process's parent, from `/proc/PID/stat`.
    static func parent(of pid: String) -> String? { statField(pid, 0) }

    /// A process's session id, from `/proc/PID/stat`.
    static func session(of pid: String) -> String? { statField(pid, 2) }

    /// The field `index` after the state letter of `/proc/PID/stat` (0: the parent, 1: the process group, 2: the session).
    private static func statField(_ pid: String, _ index: Int) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > index + 1 ? String(fields[index + 1]) : nil
    }

    /// The processes still running (not zombies) whose environment holds `marker`.
    static func running(withEnvironment marker: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }.filter { pid in
            guard let handle = FileHandle(forReadingAtPath: "/proc/\(pid)/environ") else { return false }
            defer { try? handle.close() }
            let environment = (try? handle.readToEnd()) ?? Data()
            return environment.range(of: Data(marker.utf8)) != nil && !isGone(pid)
        }.sorted()
    }

    /// A process's command line, its arguments separated by spaces.
    static func commandLine(of pid: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: "/proc/\(pid)/cmdline") else { return "" }
        defer { try? handle.close() }
        return String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self).replacingOccurrences(of: "\0", with: " ")
    }

    /// Whether a process is gone within `seconds`: a SIGKILL is sent at once but, on a busy
    /// machine, takes a moment to be acted on.
    static func isGone(_ pid: String, within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !isGone(pid) {
            if Date() > deadline { return false }
            usleep(20_000)
        }
        return true
    }
}
