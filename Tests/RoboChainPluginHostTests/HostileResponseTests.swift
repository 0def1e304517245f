import Foundation
import RoboChainJSON
import RoboChainTestSupport
import Testing

/// Plugin responses from a hostile review (issue #16): rejected clearly, in bounded memory.
@Suite struct HostileResponseTests {
    static let model = "Models/guangdong-robots.yaml"

    func run(_ script: String, interpreter: String = "/bin/sh") throws -> CommandResult {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("bad", script: script, interpreter: interpreter)
        return try plugins.robochain(["analyze", Self.model, "--with", "bad", "--format", "json"], timeout: 60)
    }

    /// The first `protocol` won, the last `metrics`.
    @Test func duplicateKeysAreRejected() throws {
        let result = try run(#"cat >/dev/null; echo '{"protocol": 1, "analysis": "bad", "metrics": {}, "protocol": 2, "metrics": {"x": 1}}'"#)
        #expect(result.exitStatus == 70)
        #expect(result.standardError.contains(#"error: analysis 'bad' failed: its standard output is not one JSON object: line 1, column 51: the key "protocol" appears twice in one object"#),
            "\(result.standardError)")
    }

    /// A response of 250 MiB, one long array, took 4.3 GiB of robochain's memory.
    @Test func aHugeArrayIsRejectedInBoundedMemory() throws {
        let script = """
            import sys
            sys.stdin.read()
            out = sys.stdout
            out.write('{"protocol": 1, "analysis": "bad", "metrics": {}, "x": [')
            chunk = '0,' * (1 << 20)
            for _ in range(125):
                out.write(chunk)
            out.write('0]}')
            """
        var before = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &before)
        let started = Date()
        let result = try run(script, interpreter: "/usr/bin/env python3")
        #expect(result.exitStatus == 70)
        #expect(result.standardError.contains("error: analysis 'bad' failed: its standard output is not one JSON object: line 1, column 33554479: more than 16777216 values (numbers, strings, arrays, objects…)"),
            "\(result.standardError.prefix(2000))")
        // Writing and reading 250 MiB takes seconds (40 under AddressSanitizer); it used to run
        // out of memory.
        #expect(Date().timeIntervalSince(started) < 120)
        var after = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &after)
        // The largest child so far (robochain, unless an earlier child was larger): under 1.5 GiB.
        #expect(after.ru_maxrss < 1_500_000, "peak resident set \(after.ru_maxrss) KiB")
    }
}
