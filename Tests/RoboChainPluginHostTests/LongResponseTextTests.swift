import Foundation
import RoboChainTestSupport
import Testing

/// A plugin's text quoted in a message is cut (issue #16): 8 MB in a response's `protocol`,
/// `analysis`, a metric's key or its `error.message` made robochain print megabytes on
/// standard error.
@Suite struct LongResponseTextTests {
    static let model = "Models/guangdong-robots.yaml"

    /// Runs a plugin `bad` whose response is `response` with `LONG` replaced by 8 MiB of `Q`.
    func run(_ response: String) throws -> CommandResult {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let script = """
            import sys
            sys.stdin.read()
            sys.stdout.write('''\(response)'''.replace('LONG', 'Q' * (8 << 20)))
            """
        try plugins.plugin("bad", script: script, interpreter: "/usr/bin/env python3")
        return try plugins.robochain(["analyze", Self.model, "--with", "bad", "--format", "json"], timeout: 120)
    }

    @Test func aLongProtocolIsCut() throws {
        let result = try run(#"{"protocol": "LONG", "analysis": "bad", "metrics": {}}"#)
        #expect(result.exitStatus == 70)
        #expect(result.standardError.count < 4000, "\(result.standardError.count) characters")
        #expect(result.standardError.contains("'protocol' is \"" + String(repeating: "Q", count: 119) + "… (8388610 bytes in all), but this robochain speaks protocol 1"),
            "\(result.standardError.prefix(2000))")
    }

    @Test func aLongAnalysisNameIsCut() throws {
        let result = try run(#"{"protocol": 1, "analysis": "LONG", "metrics": {}}"#)
        #expect(result.exitStatus == 70)
        #expect(result.standardError.count < 4000, "\(result.standardError.count) characters")
        #expect(result.standardError.contains("'analysis' is '" + String(repeating: "Q", count: 120) + "… (8388608 bytes in all)', expected 'bad'"),
            "\(result.standardError.prefix(2000))")
    }

    @Test func aLongMetricKeyIsCut() throws {
        let result = try run(#"{"protocol": 1, "analysis": "bad", "metrics": {"LONG": "x"}}"#)
        #expect(result.exitStatus == 70)
        #expect(result.standardError.count < 4000, "\(result.standardError.count) characters")
        #expect(result.standardError.contains("'metrics." + String(repeating: "Q", count: 120) + "… (8388608 bytes in all)'"),
            "\(result.standardError.prefix(2000))")
    }

    @Test func aLongErrorMessageIsCut() throws {
        let result = try run(#"{"protocol": 1, "analysis": "bad", "error": {"kind": "model", "message": "LONG"}}"#)
        #expect(result.exitStatus == 65)
        #expect(result.standardError.count < 6000, "\(result.standardError.count) characters")
        #expect(result.standardError.contains(String(repeating: "Q", count: 2000) + "… (8386608 more characters)"),
            "\(result.standardError.prefix(2000))")
        #expect(!result.standardError.contains(String(repeating: "Q", count: 2001)))
    }

    @Test func aLongTableIDIsCut() throws {
        let result = try run(#"{"protocol": 1, "analysis": "bad", "tables": [{"id": "LONG", "columns": [], "rows": [1]}]}"#)
        #expect(result.exitStatus == 70)
        #expect(result.standardError.count < 4000, "\(result.standardError.count) characters")
        #expect(result.standardError.contains(String(repeating: "Q", count: 120) + "… (8388608 bytes in all)"),
            "\(result.standardError.prefix(2000))")
    }

    /// A failing plugin's standard error is shown by its last lines, each cut at 400 characters:
    /// one line of 64 KiB was shown whole.
    @Test func aLongLineOnStandardErrorIsCut() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("noisy", script: """
            import sys
            sys.stdin.read()
            sys.stderr.write('E' * 100000 + '\\nthe last line\\n')
            sys.exit(3)
            """, interpreter: "/usr/bin/env python3")
        let result = try plugins.robochain(["analyze", Self.model, "--with", "noisy", "--format", "json"])
        #expect(result.exitStatus == 70)
        #expect(result.standardError.count < 2000, "\(result.standardError.count) characters")
        #expect(result.standardError.contains("more characters)"))
        #expect(result.standardError.contains("  | the last line"))
    }
}
