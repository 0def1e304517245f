import Foundation
import RoboChainAnalysis
import RoboChainJSON
import RoboChainModel
import RoboChainPluginHost
import RoboChainTestSupport
import Testing

/// `robochain plugins check`: the built-ins, the example plugin and the scaffolds pass; a
/// deliberately broken plugin of each kind fails with a message that says what to fix.
@Suite struct PluginConformanceTests {
    /// A Python plugin declaring `minimum` (integer, 2) whose analysis is `body`, run after a
    /// common start that reads the request, answers a negative `minimum` with SPEC §5's usage
    /// error, and makes `findings` (one per component, up to `minimum`).
    static func python(_ body: String) -> String {
        """
        import json, sys
        req = json.load(sys.stdin)
        m = req["options"]["minimum"]
        if m < 0:
            print(json.dumps({"protocol": 1, "analysis": req["analysis"], "error": {"kind": "usage", "message": "minimum must be 0 or more"}}))
            sys.exit(0)
        comps = [c["id"] for c in req["model"]["components"]]
        findings = [{"component": c, "kind": "k", "severity": "low", "message": "m"} for c in comps[:m]]
        \(body)
        """
    }

    static let options = #"{"minimum": {"type": "integer", "default": 2, "help": "fewest"}}"#
    static let answer = #"print(json.dumps({"protocol": 1, "analysis": req["analysis"], "findings": findings}))"#

    @Test func theBuiltInsPass() {
        let fixtures = ConformanceFixture.builtIn()
        for analysis in BuiltinAnalyses.all {
            let report = PluginConformance.check(builtIn: analysis, fixtures: fixtures)
            #expect(report.passed, "\(report.text)")
        }
        let gaps = PluginConformance.check(builtIn: BuiltinAnalyses.all[0], fixtures: fixtures)
        #expect(gaps.checks.map(\.name) == [
            "runs on tiny", "runs on scenario", "runs on generated", "deterministic", "option threshold",
            "option threshold type", "option candidates", "option candidates type", "usage errors",
        ])
    }

    @Test func theFixturesAreWhatTheySay() {
        let fixtures = ConformanceFixture.builtIn()
        #expect(fixtures.map(\.name) == ["tiny", "scenario", "generated"])
        #expect(fixtures.map { $0.model.components.count } == [9, 9, 187])
        #expect(fixtures.map { $0.model.firms.count } == [12, 10, 400])
        #expect(fixtures.allSatisfy { $0.model.regions.ids[$0.scope] == "CN-GD" })
        // Made by a fixed rule: the same every time.
        #expect(ConformanceFixture.builtIn()[2].model == fixtures[2].model)
    }

    @Test func theExamplePluginAndTheBuiltInsPassThroughTheCommand() throws {
        let example = try CommandRunner.robochain(["plugins", "check", "Plugins/SupplierConcentration"])
        #expect(example.exitStatus == 0, "\(example.standardOutput)\(example.standardError)")
        #expect(example.standardOutput.hasPrefix("plugins check: supplier-concentration (\(CommandRunner.packageDirectory.path)/Plugins/SupplierConcentration)\n  ok   manifest: plugin.json is valid; 'supplier-concentration' 1.0.0, protocol 1, model as CSV files; runs run.py\n  ok   runs on tiny: answered in "))
        #expect(example.standardOutput.hasSuffix("all 9 checks passed\n"))
        for name in ["gap-detection", "localisation-share"] {
            let builtIn = try CommandRunner.robochain(["plugins", "check", name, "--format", "json"])
            #expect(builtIn.exitStatus == 0, "\(builtIn.standardOutput)")
            let report = try #require(try JSONParser.parse(builtIn.standardOutput).objectValue)
            #expect(report["passed"] == true)
            #expect(report["source"] == "built-in")
        }
        let unknown = try CommandRunner.robochain(["plugins", "check", "no-such-plugin"])
        #expect(unknown.exitStatus == 64)
        #expect(unknown.standardError.hasPrefix("Error: 'no-such-plugin' is neither a plugin directory nor an available analysis (gap-detection, localisation-share"))
    }

    /// The SDK's executables are checked like any plugin.
    @Test func anSDKBuiltPluginPasses() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try PluginKitTests().externalBuild(of: "robochain-gap-detection", as: "gaps-via-sdk", in: plugins)
        let result = try plugins.robochain(["plugins", "check", plugins.path + "/gaps-via-sdk"])
        #expect(result.exitStatus == 0, "\(result.standardOutput)")
        #expect(result.standardOutput.hasSuffix("all 11 checks passed\n"))
    }

    /// One broken plugin of each kind: the exit status is 70 and the report's failing lines
    /// say what is wrong and what to do.
    @Test(arguments: [
        ("correct", answer, [String]()),
        ("non-deterministic", "import random\n" + #"print(json.dumps({"protocol": 1, "analysis": req["analysis"], "findings": findings, "metrics": {"r": random.random()}}))"#,
            ["  FAIL deterministic: on tiny, the two answers differ at /metrics/r: ",
             "         an analysis must answer a request the same way every time: no clock, no random numbers"]),
        ("wrong-types", #"print(json.dumps({"protocol": 1, "analysis": req["analysis"], "findings": [{"component": c, "kind": "k", "severity": 3, "message": "m"} for c in comps[:m]], "metrics": {"n": "three"}}))"#,
            ["  FAIL runs on tiny: it sent a malformed response: 'findings[0].severity' must be a string, found a number\n         the response breaks the response schema at /findings/0/severity: must be string, found a number\n         the response breaks the response schema at /findings/1/severity: must be string, found a number\n         the response breaks the response schema at /metrics/n: must be number, found a string\n",
             "  FAIL runs on scenario: as on tiny\n"]),
        ("unknown-ids", #"print(json.dumps({"protocol": 1, "analysis": req["analysis"], "findings": findings + [{"component": "Humanoid", "kind": "k", "severity": "low", "message": "m"}], "annotations": {"arm": {"badge": "x"}}}))"#,
            ["  FAIL runs on tiny: findings[2].component 'Humanoid' is not a component of the model 'tiny' (ids are the model's, compared exactly)\n         annotations has 'arm', which is not a component of the model 'tiny'\n"]),
        ("ignores-option", #"print(json.dumps({"protocol": 1, "analysis": req["analysis"], "findings": findings[:0]}))"#,
            ["  FAIL option minimum: the answer at 2 is the same as at 3, 4, 0, 1, 100 on tiny; 3, 4, 0, 1, 100 on ",
             ": the option is declared but seems ignored. Read it from the request (options.minimum), or remove it from plugin.json\n"]),
        ("slow-on-large-models", "import time\nif len(comps) > 100: time.sleep(4.5)\n" + answer,
            ["  FAIL runs on generated: it took ", " s on 'generated' (187 components); the limit is 3 s (--time-limit)\n"]),
        ("debug-lines", #"print("debug: read", len(comps), "components")"# + "\n" + answer,
            [#"  FAIL runs on tiny: its standard output is not one JSON object: line 1, column 1: expected a JSON value, found 'd'; it began "debug: read 9 components\n{\"protocol\": 1, \"analysis\": \"debug-lines\", \"findings\": [{\"component\": \"humanoid\", "#,
             "(a plugin writes only its response there: debug lines and logs go to standard error)\n"]),
        ("crashes-on-bad-options", "", ["  FAIL usage errors: at minimum=-1: it exited with status 1; to reject an option value, answer {\"protocol\": 1, \"analysis\": \"crashes-on-bad-options\", \"error\": {\"kind\": \"usage\", \"message\": \"…\"}} and exit 0 (SPEC §5)\n"]),
    ])
    func aBrokenPluginFailsWithWhatToFix(kind: String, body: String, expected: [String]) throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        var script = Self.python(body)
        if kind == "crashes-on-bad-options" {
            script = script.replacingOccurrences(of: "if m < 0:", with: "if m < 0: raise SystemExit('minimum must be 0 or more')\nif False:")
                + "\n" + Self.answer
        }
        let directory = try plugins.plugin(kind, script: script, interpreter: "/usr/bin/env python3", options: Self.options)
        // 3 s: room for Python to start on a loaded machine (1.5 s was once exceeded on 'tiny').
        let limit = kind.hasPrefix("slow") ? ["--time-limit", "3"] : []
        let result = try plugins.robochain(["plugins", "check", directory] + limit)
        #expect(result.exitStatus == (expected.isEmpty ? 0 : 70), "\(result.standardOutput)")
        for line in expected {
            #expect(result.standardOutput.contains(line), "expected \(line) in:\n\(result.standardOutput)")
        }
        if expected.isEmpty { #expect(result.standardOutput.hasSuffix("all 9 checks passed\n"), "\(result.standardOutput)") }
    }

    @Test func aBadManifestFailsTheManifestCheck() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.root.write(#"{"name": "bad", "version": "1.0.0", "protocol": "1", "executable": "run", "options": {"minimum": {"type": "float", "default": 2}}}"#,
            to: "bad/plugin.json")
        try plugins.root.write("#!/bin/sh\n", to: "bad/run", executable: true)
        let result = try plugins.robochain(["plugins", "check", plugins.path + "/bad"])
        #expect(result.exitStatus == 70)
        #expect(result.standardOutput == """
            plugins check: \(plugins.path)/bad (\(plugins.path)/bad)
              FAIL manifest: plugin.json /protocol: must be 1, found "1"
                     plugin.json /options/minimum/type: must be one of "number", "integer", "string", "boolean", found "float"
                     malformed plugin.json: 'protocol' must be a whole number
            1 of 1 checks failed

            """)
    }

    @Test func aRequiredOptionNeedsAValueToCheckWith() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let directory = try plugins.plugin("needs", script: Self.python(Self.answer), interpreter: "/usr/bin/env python3",
            options: #"{"minimum": {"type": "integer", "help": "fewest"}}"#)
        let without = try plugins.robochain(["plugins", "check", directory])
        #expect(without.exitStatus == 70)
        #expect(without.standardOutput.contains("  FAIL options: the option 'minimum' has no default: give a value to check with, --option minimum=VALUE\n"))
        let with = try plugins.robochain(["plugins", "check", directory, "--option", "minimum=3"])
        #expect(with.exitStatus == 0, "\(with.standardOutput)")
    }

    // MARK: - Schemas

    /// `docs/schemas/protocol-1` holds exactly the schemas `plugins check` uses (re-written
    /// with RECORD_GOLDEN=1), in a vocabulary the built-in validator understands.
    @Test func theSchemasInTheRepositoryAreTheOnesUsed() throws {
        let directory = CommandRunner.packageDirectory.appendingPathComponent("docs/schemas/protocol-1")
        for (name, text) in ProtocolSchemas.texts {
            let url = directory.appendingPathComponent("\(name).schema.json")
            if Golden.isRecording {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            let stored = try String(contentsOf: url, encoding: .utf8)
            #expect(stored == text, "\(url.path) differs from ProtocolSchemas.\(name); re-record with RECORD_GOLDEN=1")
            let schema = try #require(ProtocolSchemas.schema(name))
            #expect(schema.unsupportedKeywords() == [])
        }
    }

    /// Real messages — manifests, requests robochain writes, responses of the SDK, the example
    /// and the scaffold — pass an independent validator (Python's jsonschema, draft 2020-12),
    /// and a broken one fails both it and robochain's.
    @Test func realMessagesPassAnIndependentValidator() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let model = "Models/guangdong-robots.yaml"
        var messages: [(schema: String, name: String, text: String)] = []
        let example = CommandRunner.packageDirectory.appendingPathComponent("Plugins/SupplierConcentration")
        messages.append(("manifest", "supplier-concentration plugin.json", try String(contentsOf: example.appendingPathComponent("plugin.json"), encoding: .utf8)))
        let sdkManifest = try CommandRunner.run(CommandRunner.product("robochain-gap-detection"), ["--manifest"])
        messages.append(("manifest", "SDK --manifest", sdkManifest.standardOutput))
        let created = try plugins.robochain(["plugins", "new", "few", "--language", "python", "--output", plugins.path])
        try #require(created.exitStatus == 0)
        messages.append(("manifest", "scaffold plugin.json", try String(contentsOf: URL(fileURLWithPath: plugins.path + "/few/plugin.json"), encoding: .utf8)))

        let request = try plugins.robochain(["plugins", "request", model, "--with", "few", "--option", "minimum=3"])
        try #require(request.exitStatus == 0, "\(request.standardError)")
        messages.append(("request", "request (JSON input)", request.standardOutput))
        let csvRequest = try CommandRunner.robochain(["plugins", "request", model, "--with", "supplier-concentration",
            "--model-directory", plugins.path + "/csv"], environment: ["ROBOCHAIN_PLUGIN_PATH": "Plugins"])
        try #require(csvRequest.exitStatus == 0, "\(csvRequest.standardError)")
        messages.append(("request", "request (CSV input)", csvRequest.standardOutput))

        let scaffold = try CommandRunner.run(plugins.path + "/few/run.py", [], directory: URL(fileURLWithPath: plugins.path + "/few"),
            input: Array(request.standardOutput.utf8))
        messages.append(("response", "scaffold response", scaffold.standardOutput))
        let exampleResponse = try CommandRunner.run(example.path + "/run.py", [], directory: example, input: Array(csvRequest.standardOutput.utf8))
        messages.append(("response", "supplier-concentration response", exampleResponse.standardOutput))
        let gaps = try plugins.robochain(["plugins", "request", model, "--with", "gap-detection"])
        let sdkResponse = try CommandRunner.run(CommandRunner.product("robochain-gap-detection"), [], input: Array(gaps.standardOutput.utf8))
        messages.append(("response", "SDK response", sdkResponse.standardOutput))
        let rejected = try CommandRunner.run(CommandRunner.product("robochain-gap-detection"), [],
            input: Array(gaps.standardOutput.replacingOccurrences(of: #""candidates":5"#, with: #""candidates":-1"#).utf8))
        messages.append(("response", "SDK error response", rejected.standardOutput))
        let broken = #"{"protocol": 1, "analysis": "x", "findings": [{"component": "a", "kind": "k", "severity": 3, "message": "m"}]}"#

        // robochain's validator: every real message passes, the broken one fails.
        for message in messages {
            let schema = try #require(ProtocolSchemas.schema(message.schema))
            #expect(schema.validate(try JSONParser.parse(message.text)) == [], "\(message.name)")
        }
        #expect(ProtocolSchemas.schema("response")!.validate(try JSONParser.parse(broken)).map(\.description)
            == ["/findings/0/severity: must be string, found a number"])

        // Python's jsonschema: the same verdicts.
        var files: [String] = []
        for (index, message) in (messages + [("response", "broken", broken)]).enumerated() {
            files.append(try plugins.root.write(message.text, to: "messages/\(index)-\(message.schema).json"))
        }
        let script = """
            import json, sys
            from jsonschema import Draft202012Validator
            schemas = {}
            for name in ("manifest", "request", "response"):
                with open(f"docs/schemas/protocol-1/{name}.schema.json") as handle:
                    schemas[name] = json.load(handle)
                Draft202012Validator.check_schema(schemas[name])
            for path in sys.argv[1:]:
                kind = path.rsplit("-", 1)[1][:-5]
                with open(path) as handle:
                    errors = list(Draft202012Validator(schemas[kind]).iter_errors(json.load(handle)))
                print(path.rsplit("/", 1)[1], "valid" if not errors else "invalid: " + "; ".join(e.message for e in errors))
            """
        let validated = try CommandRunner.run("python3", ["-c", script] + files)
        #expect(validated.exitStatus == 0, "\(validated.standardError) (scripts/setup.sh installs jsonschema)")
        let verdicts = validated.standardOutput.split(separator: "\n").map(String.init)
        #expect(verdicts.count == messages.count + 1)
        for (index, verdict) in verdicts.enumerated() {
            if index < messages.count {
                #expect(verdict.hasSuffix(" valid"), "\(messages[index].name): \(verdict)")
            } else {
                #expect(verdict == "\(index)-response.json invalid: 3 is not of type 'string'")
            }
        }
    }

    /// `python/robochain_plugin.py` is the helper `plugins new` writes (re-written with
    /// RECORD_GOLDEN=1), and passes its own tests.
    @Test func thePythonHelperIsTheOneShippedAndPassesItsTests() throws {
        let directory = CommandRunner.packageDirectory.appendingPathComponent("python")
        let url = directory.appendingPathComponent(PythonHelper.fileName)
        if Golden.isRecording { try Data(PythonHelper.source.utf8).write(to: url) }
        #expect(try String(contentsOf: url, encoding: .utf8) == PythonHelper.source,
            "\(url.path) differs from PythonHelper.source; re-record with RECORD_GOLDEN=1")
        let tests = try CommandRunner.run("python3", ["-m", "unittest", "-q"], directory: directory)
        #expect(tests.exitStatus == 0, "\(tests.standardError)")
    }

    @Test func theValidatorChecksTheKeywordsItKnows() throws {
        let schema = try JSONSchema(text: """
            {"type": "object", "required": ["a"], "additionalProperties": false,
             "properties": {"a": {"type": "integer", "minimum": 1}, "b": {"$ref": "#/$defs/colour"},
               "c": {"oneOf": [{"type": "string"}, {"type": "number"}]}, "d": {"enum": ["x", null]}},
             "$defs": {"colour": {"type": "string", "pattern": "^#[0-9a-f]{6}$"}}}
            """)
        #expect(schema.validate(try JSONParser.parse(##"{"a": 2, "b": "#00ff00", "c": 1, "d": null}"##)) == [])
        let violations = schema.validate(try JSONParser.parse(#"{"a": 0.5, "b": "green", "c": true, "d": "y", "e": 1}"#)).map(\.description)
        #expect(violations == [
            "/a: must be integer, found a number",
            "/b: is 'green', which does not match ^#[0-9a-f]{6}$",
            "/c: must be string, found a Boolean",
            "/d: must be one of \"x\", null, found \"y\"",
            "/e: is not a member this message has",
        ], "\(violations)")
        #expect(schema.validate(try JSONParser.parse("{}")).map(\.description) == ["(top level): lacks the required member 'a'"])
    }

    // MARK: - request, install, remove, info

    /// `plugins request` writes exactly what the plugin is sent.
    @Test func theRequestIsWhatThePluginGets() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("recorder", script: "cat > \"$0.request\"\necho '\(PluginFixtures.response("recorder"))'",
            options: #"{"limit": {"type": "integer", "default": 3}}"#)
        // With a scenario (SPEC §6): the plugin is sent the changed model.
        let arguments = ["Models/guangdong-robots.yaml", "--with", "recorder", "--option", "limit=7", "--scope", "CN",
            "--without", "region:JP"]
        let analyzed = try plugins.robochain(["analyze"] + arguments + ["--format", "json"])
        #expect(analyzed.exitStatus == 0, "\(analyzed.standardError)")
        let received = try String(contentsOf: URL(fileURLWithPath: plugins.path + "/recorder/run.request"), encoding: .utf8)
        let written = try plugins.robochain(["plugins", "request"] + arguments)
        #expect(written.exitStatus == 0)
        #expect(written.standardOutput == received + "\n")
        #expect(received.hasPrefix(#"{"protocol":1,"analysis":"recorder","scope":"CN","options":{"limit":7},"lang":"en","model":{"id":"guangdong-robots""#))
        let firms = try JSONParser.parse(received).objectValue?["model"]?.objectValue?["firms"]?.arrayValue ?? []
        #expect(!firms.isEmpty && !firms.contains { $0.objectValue?["region"] == "JP" })
        let csvWithout = try CommandRunner.robochain(["plugins", "request", "Models/guangdong-robots.yaml", "--with", "supplier-concentration"],
            environment: ["ROBOCHAIN_PLUGIN_PATH": "Plugins"])
        #expect(csvWithout.exitStatus == 64)
        #expect(csvWithout.standardError.hasPrefix(#"Error: 'supplier-concentration' takes the model as CSV files ("input": "csv"): give --model-directory DIR to write them to"#))
    }

    @Test func installInfoAndRemove() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let home = plugins.path + "/home"
        let environment = ["HOME": home, "ROBOCHAIN_PLUGIN_PATH": ""]
        let source = CommandRunner.packageDirectory.appendingPathComponent("Plugins/SupplierConcentration").path
        let installed = try CommandRunner.robochain(["plugins", "install", source], environment: environment)
        #expect(installed.exitStatus == 0, "\(installed.standardError)")
        #expect(installed.standardOutput == "installed supplier-concentration 1.0.0 (copied) in \(home)/.robochain/plugins/supplier-concentration\n")
        // The copy is self-contained: the helper module the example links to is a file in it.
        var isLink = (try? FileManager.default.destinationOfSymbolicLink(atPath: home + "/.robochain/plugins/supplier-concentration/robochain_plugin.py")) != nil
        #expect(!isLink)
        let analyzed = try CommandRunner.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "supplier-concentration", "--format", "json"],
            environment: environment)
        #expect(analyzed.exitStatus == 0, "\(analyzed.standardError)")
        let again = try CommandRunner.robochain(["plugins", "install", source], environment: environment)
        #expect(again.exitStatus == 1)
        #expect(again.standardError == "error: '\(home)/.robochain/plugins/supplier-concentration' exists already; remove it with 'robochain plugins remove supplier-concentration', or give --force to replace it\n")
        let linked = try CommandRunner.robochain(["plugins", "install", source, "--link", "--force"], environment: environment)
        #expect(linked.exitStatus == 0, "\(linked.standardError)")
        isLink = (try? FileManager.default.destinationOfSymbolicLink(atPath: home + "/.robochain/plugins/supplier-concentration")) == source
        #expect(isLink)

        let info = try CommandRunner.robochain(["plugins", "info", "supplier-concentration"], environment: environment)
        #expect(info.exitStatus == 0)
        // A linked plugin is where the link leads.
        #expect(info.standardOutput.hasPrefix("supplier-concentration 1.0.0  (\(source), protocol 1)\n"))
        #expect(info.standardOutput.hasSuffix("""
              input: the model as CSV files (modelDirectory)
              works with: robochain any version (this is \(RoboChainVersion.current))

            """))
        let builtIn = try CommandRunner.robochain(["plugins", "info", "gap-detection", "--format", "json"], environment: environment)
        #expect(try JSONParser.parse(builtIn.standardOutput).objectValue?["source"] == "built-in")

        let removed = try CommandRunner.robochain(["plugins", "remove", "supplier-concentration"], environment: environment)
        #expect(removed.exitStatus == 0)
        #expect(removed.standardOutput == "removed \(home)/.robochain/plugins/supplier-concentration\n")
        #expect(FileManager.default.fileExists(atPath: source + "/run.py"), "remove must not touch what a link points to")
        let gone = try CommandRunner.robochain(["plugins", "remove", "supplier-concentration"], environment: environment)
        #expect(gone.exitStatus == 1)
        #expect(gone.standardError == "error: no plugin 'supplier-concentration' is installed in \(home)/.robochain/plugins\n")

        try plugins.root.write(#"{"name": "gap-detection", "version": "1", "protocol": 1, "executable": "run"}"#, to: "clash/plugin.json")
        try plugins.root.write("#!/bin/sh\n", to: "clash/run", executable: true)
        let clash = try CommandRunner.robochain(["plugins", "install", plugins.path + "/clash"], environment: environment)
        #expect(clash.exitStatus == 1)
        #expect(clash.standardError == "error: 'gap-detection' is the name of a built-in analysis, so the plugin would never run; rename it in plugin.json\n")
        let broken = try CommandRunner.robochain(["plugins", "install", plugins.path + "/nothing"], environment: environment)
        #expect(broken.exitStatus == 1)
        #expect(broken.standardError.hasPrefix("error: '\(plugins.path)/nothing' cannot be installed: cannot read plugin.json"))
    }

    // MARK: - Compatibility and warnings

    @Test func versionRanges() {
        let range = VersionRange(">=0.3 <1.0")
        #expect(range?.bounds.count == 2)
        #expect(range?.contains("0.3.0") == true)
        #expect(range?.contains("0.9.12") == true)
        #expect(range?.contains("1.0.0") == false)
        #expect(range?.contains("0.2.9") == false)
        #expect(range?.contains("0.5.0-beta+7") == true)
        #expect(VersionRange("0.1")?.contains("0.1.0") == true)
        #expect(VersionRange(">0.1 <=0.2")?.contains("0.2") == true)
        for bad in ["", "latest", ">=a", "1.2.3.4", "^1.0", ">= 1"] {
            #expect(VersionRange(bad) == nil, "\(bad)")
        }
    }

    @Test func anIncompatiblePluginIsSkippedWithTheReason() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.root.write(#"{"name": "future", "version": "1", "protocol": 1, "executable": "run", "robochain": ">=99.0"}"#,
            to: "future/plugin.json")
        try plugins.root.write("#!/bin/sh\n", to: "future/run", executable: true)
        try plugins.root.write(#"{"name": "fits", "version": "1", "protocol": 1, "executable": "run", "robochain": ">=0.1 <99"}"#,
            to: "fits/plugin.json")
        try plugins.root.write("#!/bin/sh\n", to: "fits/run", executable: true)
        try plugins.root.write(#"{"name": "vague", "version": "1", "protocol": 1, "executable": "run", "robochain": "recent"}"#,
            to: "vague/plugin.json")
        let catalog = AnalysisCatalog.discover(environment: ["ROBOCHAIN_PLUGIN_PATH": plugins.path])
        #expect(catalog.analysis(named: "fits") != nil)
        #expect(catalog.skipped.map(\.reason) == [
            "it works with robochain >=99.0 (its manifest's 'robochain'), and this is robochain \(RoboChainVersion.current)",
            #"malformed plugin.json: 'robochain' is 'recent'; write the robochain versions the plugin works with as comparisons, e.g. ">=0.1 <1.0""#,
        ])
        let asked = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "future"])
        #expect(asked.exitStatus == 64)
        #expect(asked.standardError.contains("Error: the analysis 'future' is not available: plugin '\(plugins.path)/future' skipped: it works with robochain >=99.0"))
        let version = try CommandRunner.robochain(["--version"])
        #expect(version.standardOutput == RoboChainVersion.current + "\n")
    }

    /// Skipped plugins are warned about when listing, and otherwise once per change — not on
    /// every command.
    @Test func skippedPluginsAreWarnedAboutOncePerChange() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("future", script: "cat", protocolVersion: 2)
        let warning = "warning: plugin '\(plugins.path)/future' skipped: malformed plugin.json: 'protocol' is 2; this robochain supports protocol 1 only\n"
        let analyze = ["analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection", "--format", "json"]
        let first = try plugins.robochain(analyze)
        #expect(first.exitStatus == 0)
        #expect(first.standardError == warning)
        let second = try plugins.robochain(analyze)
        #expect(second.standardError == "")
        let listed = try plugins.robochain(["plugins", "list"])
        #expect(listed.standardError == warning)
        try plugins.plugin("lazy", script: "cat", executable: false)
        let changed = try plugins.robochain(analyze)
        #expect(changed.standardError == warning + "warning: plugin '\(plugins.path)/lazy' skipped: its executable 'run' is not executable (chmod +x it, with a #! line for a script)\n")
        #expect(try plugins.robochain(analyze).standardError == "")
        // Without a HOME to keep the record in, every command warns.
        let homeless = try CommandRunner.robochain(analyze, environment: ["ROBOCHAIN_PLUGIN_PATH": plugins.path, "HOME": ""])
        #expect(homeless.standardError.hasPrefix(warning))
    }

    /// A plugin that prints a debug line before its response: the failure shows what it printed.
    @Test func nonJSONOutputIsShown() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("chatty", script: "printf 'debug: \\033[1mstarting\\033[0m\\n'\necho '\(PluginFixtures.response("chatty"))'")
        let result = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "chatty", "--format", "json"])
        #expect(result.exitStatus == 70)
        #expect(result.standardError.hasPrefix(#"error: analysis 'chatty' failed: its standard output is not one JSON object: line 1, column 1: expected a JSON value, found 'd'; it began "debug: \u{1b}[1mstarting\u{1b}[0m\n{\"protocol\": 1, \"analysis\": \"chatty\", "#), "\(result.standardError)")
        #expect(result.standardError.contains(#"}\n" (a plugin writes only its response there: debug lines and logs go to standard error)"#))
    }
}
