import Foundation
import RoboChainJSON
import RoboChainPluginHost
import RoboChainTestSupport
import Testing

/// Discovery (SPEC §5): where plugins are found, what makes one unusable, who wins a name.
@Suite struct PluginDiscoveryTests {
    @Test func findsPluginsAndSkipsBadOnesWithAReason() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("good", script: "cat")
        try plugins.root.write("{not json", to: "broken/plugin.json")
        try plugins.plugin("future", script: "cat", protocolVersion: 2)
        try plugins.plugin("lazy", script: "cat", executable: false)
        try plugins.root.write(#"{"name": "ghost", "version": "1", "protocol": 1, "executable": "missing.sh"}"#, to: "ghost/plugin.json")
        try plugins.root.write(#"{"name": "Bad Name", "version": "1", "protocol": 1, "executable": "run"}"#, to: "badname/plugin.json")
        try plugins.plugin("gap-detection", script: "cat", directory: "shadow")
        try plugins.plugin("good", script: "cat", directory: "zz-second-good")
        try plugins.root.write("not a plugin", to: "notes/readme.txt")

        let catalog = AnalysisCatalog.discover(environment: ["ROBOCHAIN_PLUGIN_PATH": plugins.path])
        #expect(catalog.analyses.map(\.name) == ["gap-detection", "localisation-share", "value-origin", "recruitment", "critical-firms", "good"])
        let root = plugins.path
        #expect(catalog.skipped.map(\.description) == [
            "plugin '\(root)/badname' skipped: malformed plugin.json: 'name' is 'Bad Name'; a name is letters, digits, '.', '_' and '-', starting with a letter or digit",
            "plugin '\(root)/broken' skipped: malformed plugin.json: is not JSON: line 1, column 2: expected a string key in an object, found 'n'",
            "plugin '\(root)/future' skipped: malformed plugin.json: 'protocol' is 2; this robochain supports protocol 1 only",
            "plugin '\(root)/ghost' skipped: its executable 'missing.sh' does not exist",
            "plugin '\(root)/lazy' skipped: its executable 'run' is not executable (chmod +x it, with a #! line for a script)",
            "plugin '\(root)/shadow' skipped: its name 'gap-detection' is taken by the built-in analysis",
            "plugin '\(root)/zz-second-good' skipped: its name 'good' is taken by the plugin in '\(root)/good'",
        ])
    }

    @Test func absurdNumbersInAManifestAreSkippedNotFatal() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.root.write(#"{"name": "huge", "version": "1", "protocol": 1e300, "executable": "run"}"#, to: "huge/plugin.json")
        try plugins.root.write(#"{"name": "neg", "version": "1", "protocol": -1e19, "executable": "run"}"#, to: "neg/plugin.json")
        let catalog = AnalysisCatalog.discover(environment: ["ROBOCHAIN_PLUGIN_PATH": plugins.path])
        #expect(catalog.skipped.map(\.reason) == [
            "malformed plugin.json: 'protocol' must be a whole number",
            "malformed plugin.json: 'protocol' must be a whole number",
        ])
        let result = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection", "--format", "json"])
        #expect(result.exitStatus == 0)
        #expect(result.standardError.contains("warning: plugin '\(plugins.path)/huge' skipped"))
    }

    @Test func optionNamesAreChecked() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("spaced", script: "cat", options: #"{"a b": {"type": "number", "default": 1}}"#)
        try plugins.plugin("empty", script: "cat", options: #"{"": {"type": "number", "default": 1}}"#)
        try plugins.plugin("dashed", script: "cat", options: #"{"-x": {"type": "number", "default": 1}}"#)
        let catalog = AnalysisCatalog.discover(environment: ["ROBOCHAIN_PLUGIN_PATH": plugins.path])
        let problem = "is not a valid option name: letters, digits, '.', '_' and '-', starting with a letter or digit"
        #expect(catalog.skipped.map(\.reason) == [
            "malformed plugin.json: 'options.-x' \(problem)",
            "malformed plugin.json: 'options.' \(problem)",
            "malformed plugin.json: 'options.a b' \(problem)",
        ])
    }

    /// Plugin and option names follow the id pattern, dots and underscores included; NAME.KEY
    /// picks the longest chosen name and wins over KEY whatever the order.
    @Test func namesLikeIdsAndOptionsForOneAnalysis() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let echo = """
            import json, sys
            request = json.load(sys.stdin)
            print(json.dumps({"protocol": 1, "analysis": request["analysis"], "options": request["options"]}))
            """
        try plugins.plugin("check_v2", script: echo, interpreter: "/usr/bin/env python3",
            options: #"{"limit": {"type": "number", "default": 1}, "min.count": {"type": "integer", "default": 2}}"#)
        try plugins.plugin("check_v2.strict", script: echo, interpreter: "/usr/bin/env python3",
            options: #"{"limit": {"type": "number", "default": 1}}"#)
        let result = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml",
            "--with", "check_v2", "--with", "check_v2.strict", "--with", "gap-detection",
            "--option", "check_v2.strict.limit=5", "--option", "check_v2.min.count=4",
            "--option", "gap-detection.threshold=0.45", "--option", "threshold=0.35", "--option", "limit=3",
            "--format", "json"])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        let results = try #require(try JSONParser.parse(result.standardOutput).arrayValue)
        #expect(results.map { $0.objectValue?["analysis"] } == ["check_v2", "check_v2.strict", "gap-detection"])
        #expect(results[0].objectValue?["options"] == ["limit": 3, "min.count": 4])
        #expect(results[1].objectValue?["options"] == ["limit": 5])
        let summary = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection",
            "--option", "gap-detection.threshold=0.45", "--option", "threshold=0.35"])
        #expect(summary.standardOutput.contains("gap-detection in Guangdong 广东 (CN-GD) (threshold 0.45, candidates 5)"), "\(summary.standardOutput.prefix(400))")
        let unknown = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "check_v2",
            "--option", "check_v2.nothing=1"])
        #expect(unknown.exitStatus == 64)
        #expect(unknown.standardError.hasPrefix("Error: --option 'check_v2.nothing=1': 'check_v2' has no option 'nothing'; valid: check_v2.limit (number, default 1), check_v2.min.count (integer, default 2)"),
            "\(unknown.standardError)")
    }

    /// SPEC §5: a response's keys beyond those it defines pass through untouched; severities and
    /// subjects are the plugin's to choose.
    @Test func aResponseIsPassedOnAsThePluginWroteIt() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("free", script: #"cat >/dev/null; echo '{"protocol": 1, "analysis": "free", "scope": "elsewhere", "legend": "see notes", "findings": [{"firm": "nobody", "kind": "k", "severity": "warning", "message": "m"}], "notes": {"a": [1, null]}}'"#)
        let result = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "free", "--format", "json"])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        #expect(try JSONParser.parse(result.standardOutput) == [
            "analysis": "free", "scope": "elsewhere",
            "findings": [["firm": "nobody", "kind": "k", "severity": "warning", "message": "m"]],
            "legend": "see notes", "notes": ["a": [1, nil]],
        ])
        let table = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "free"])
        #expect(table.exitStatus == 0)
        #expect(table.standardOutput.contains("warning   k     nobody  m\nAlso in the result (see --format json): legend, notes."), "\(table.standardOutput)")
    }

    @Test func integerOptionsStayWithinWhatJSONCarries() throws {
        let result = try CommandRunner.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection",
            "--option", "candidates=9223372036854775807"])
        #expect(result.exitStatus == 64)
        #expect(result.standardError.hasPrefix("Error: --option 'candidates=9223372036854775807': '9223372036854775807' is not an integer"))
    }

    @Test func searchesThePathThenHome() throws {
        let first = try PluginFixtures()
        let second = try PluginFixtures()
        let home = try TemporaryDirectory("home")
        defer { first.remove(); second.remove(); home.remove() }
        try first.plugin("alpha", script: "cat")
        try second.plugin("alpha", script: "cat")
        try second.plugin("beta", script: "cat")
        try home.write(#"{"name": "gamma", "version": "1", "protocol": 1, "executable": "run"}"#, to: ".robochain/plugins/gamma/plugin.json")
        try home.write("#!/bin/sh\ncat\n", to: ".robochain/plugins/gamma/run", executable: true)
        let environment = ["ROBOCHAIN_PLUGIN_PATH": "\(first.path):/nonexistent/plugins:\(second.path)", "HOME": home.path]
        #expect(PluginDiscovery.searchPath(environment: environment) == [
            first.path, "/nonexistent/plugins", second.path, home.path + "/.robochain/plugins",
        ])
        let catalog = AnalysisCatalog.discover(environment: environment)
        #expect(catalog.analyses.map(\.name) == ["gap-detection", "localisation-share", "value-origin", "recruitment", "critical-firms", "alpha", "beta", "gamma"])
        #expect(catalog.analysis(named: "alpha")?.source == first.path + "/alpha")
        #expect(catalog.skipped.map(\.reason) == [
            "ROBOCHAIN_PLUGIN_PATH names it, but it is not a directory",
            "its name 'alpha' is taken by the plugin in '\(first.path)/alpha'",
        ])
    }

    @Test func pluginsListShowsEverything() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("counter", script: "cat",
            options: #"{"limit": {"type": "integer", "default": 3, "help": "How many"}, "strict": {"type": "boolean", "default": false}}"#)
        try plugins.plugin("future", script: "cat", protocolVersion: 2)
        let table = try plugins.robochain(["plugins", "list"])
        #expect(table.exitStatus == 0)
        #expect(table.standardOutput.contains("""
            counter 0.1.0  (\(plugins.path)/counter, protocol 1)
              test plugin counter
              options:
                limit   integer  default 3      How many
                strict  boolean  default false\("  ")
            """))
        #expect(table.standardOutput.contains("skipped:\n  \(plugins.path)/future: malformed plugin.json: 'protocol' is 2"))
        #expect(table.standardError.hasPrefix("warning: plugin '\(plugins.path)/future' skipped: malformed plugin.json: 'protocol' is 2"))
        let json = try plugins.robochain(["plugins", "list", "--format", "json"])
        let object = try #require(try JSONParser.parse(json.standardOutput).objectValue)
        let analyses = try #require(object["analyses"]?.arrayValue)
        #expect(analyses.compactMap { $0.objectValue?["name"]?.stringValue } == ["gap-detection", "localisation-share", "value-origin", "recruitment", "critical-firms", "counter"])
        #expect(analyses[5].objectValue?["options"] == [
            "limit": ["type": "integer", "default": 3, "help": "How many"],
            "strict": ["type": "boolean", "default": false, "help": ""],
        ])
        #expect(analyses[0].objectValue?["source"] == "built-in")
        #expect(object["skipped"]?.arrayValue?.count == 1)
    }

    @Test func externalPluginsWorkLikeBuiltIns() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        // The plugin echoes the options and scope it was given.
        try plugins.plugin("echo", script: """
            import json, sys
            request = json.load(sys.stdin)
            print(json.dumps({"protocol": 1, "analysis": request["analysis"], "findings": [
                {"component": "humanoid", "kind": "echo", "severity": "info", "message": json.dumps(request["options"], sort_keys=True)}],
                "metrics": {"firms": len(request["model"]["firms"])}, "scopeSeen": request["scope"],
                "annotations": {"humanoid": {"fill": "#123456"}}}))
            """, interpreter: "/usr/bin/env python3",
            options: #"{"limit": {"type": "integer", "default": 3}, "threshold": {"type": "number", "default": 0.5}}"#)
        let result = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "echo", "--with", "gap-detection",
            "--option", "threshold=0.25", "--option", "echo.limit=7", "--scope", "CN-GD-SZ", "--format", "json"])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        let echo = try #require(try JSONParser.parse(result.standardOutput).arrayValue?.first?.objectValue)
        #expect(echo.keys == ["analysis", "scope", "findings", "metrics", "scopeSeen"])
        #expect(echo["scope"] == "CN-GD-SZ" && echo["scopeSeen"] == "CN-GD-SZ")
        #expect(echo["metrics"] == ["firms": 148])
        #expect(echo["findings"]?.arrayValue?.first?.objectValue?["message"] == #"{"limit": 7, "threshold": 0.25}"#)
        for format in ["table", "markdown", "csv"] {
            let formatted = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "echo", "--format", format])
            #expect(formatted.exitStatus == 0)
            #expect(formatted.standardOutput.contains("limit"), "\(format) shows the finding")
        }
    }

    @Test func anOptionWithoutADefaultMustBeSet() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("needs", script: """
            import json, sys
            request = json.load(sys.stdin)
            print(json.dumps({"protocol": 1, "analysis": "needs", "metrics": {"limit": request["options"]["limit"]}}))
            """, interpreter: "/usr/bin/env python3",
            options: #"{"limit": {"type": "number", "help": "Required"}, "strict": {"type": "boolean", "default": false}}"#)
        let listing = try plugins.robochain(["plugins", "list"])
        #expect(listing.standardOutput.contains("""
                limit   number   required       Required
                strict  boolean  default false\("  ")
            """))
        let unset = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "needs", "--with", "gap-detection"])
        #expect(unset.exitStatus == 64)
        #expect(unset.standardOutput.isEmpty)
        #expect(unset.standardError.hasPrefix("Error: 'needs' needs its option 'limit' (a number, no default): give --option needs.limit=VALUE\n"))
        let set = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "needs", "--option", "limit=2.5", "--format", "json"])
        #expect(set.exitStatus == 0, "\(set.standardError)")
        let metrics = try JSONParser.parse(set.standardOutput).objectValue?["metrics"]
        #expect(metrics == ["limit": 2.5])
    }

    @Test func typedOptionsAreCheckedAgainstTheManifest() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("typed", script: "cat", options: #"{"strict": {"type": "boolean", "default": false}}"#)
        let result = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "typed", "--option", "strict=maybe"])
        #expect(result.exitStatus == 64)
        #expect(result.standardError.hasPrefix("Error: --option 'strict=maybe': 'maybe' is not a boolean (option 'strict' of 'typed')"))
    }
}
