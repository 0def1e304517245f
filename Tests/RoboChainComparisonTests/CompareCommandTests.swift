import Foundation
import RoboChainJSON
import RoboChainTestSupport
import Testing

/// End-to-end: `robochain compare … --format json` reports exactly the differences between two
/// separate `analyze` runs (computed here by a plain flattening of their JSON), for a scenario,
/// another scope and another model; bad input is refused with the documented statuses.
@Suite struct CompareCommandTests {
    static let model = "Models/guangdong-robots.yaml"
    static let analyses = ["--with", "gap-detection", "--with", "localisation-share"]

    /// A finding's identity (SPEC §7): kind and subject.
    static func identity(_ finding: JSONObject) -> String {
        let subject = finding["component"]?.stringValue.map { "component:" + $0 } ?? finding["firm"]?.stringValue.map { "firm:" + $0 } ?? ""
        return (finding["kind"]?.stringValue ?? "") + " " + subject
    }

    /// Every number of a result under its path of object keys (findings and lists aside).
    static func numbers(_ value: JSONValue, path: [String] = [], into result: inout [[String]: Double]) {
        switch value {
        case .number(let number): result[path] = number
        case .object(let object):
            for member in object.members where !(path.isEmpty && ["findings", "scenario"].contains(member.key)) {
                numbers(member.value, path: path + [member.key], into: &result)
            }
        default: break
        }
    }

    /// The differences of SPEC §7 between two results, worked out independently of robochain:
    /// sets of finding identities and a flattening of the numbers.
    static func expectedDifferences(base: JSONObject, other: JSONObject) -> (added: Set<String>, removed: Set<String>, changed: Set<String>, values: [[String]: [Double]]) {
        func findings(_ result: JSONObject) -> [String: JSONObject] {
            var byIdentity: [String: JSONObject] = [:]
            for finding in result["findings"]?.arrayValue ?? [] {
                guard var object = finding.objectValue else { continue }
                object["message"] = nil
                byIdentity[identity(object)] = object
            }
            return byIdentity
        }
        let a = findings(base)
        let b = findings(other)
        let changed = Set(a.keys.filter { key in b[key].map { !sameMembers($0, a[key]!) } ?? false })
        var x: [[String]: Double] = [:]
        var y: [[String]: Double] = [:]
        numbers(.object(base), into: &x)
        numbers(.object(other), into: &y)
        var values: [[String]: [Double]] = [:]
        for (path, value) in x { if let otherValue = y[path], otherValue != value { values[path] = [value, otherValue] } }
        return (Set(b.keys).subtracting(a.keys), Set(a.keys).subtracting(b.keys), changed, values)
    }

    static func sameMembers(_ a: JSONObject, _ b: JSONObject) -> Bool {
        a.members.count == b.members.count && a.members.allSatisfy { b[$0.key] == $0.value }
    }

    /// The results of `analyze` (a list of result objects).
    static func analyze(_ arguments: [String]) throws -> [JSONObject] {
        let result = try CommandRunner.robochain(["analyze"] + arguments + ["--format", "json"])
        try #require(result.exitStatus == 0, "analyze failed: \(result.standardError)")
        let json = try JSONParser.parse(result.standardOutput)
        return (json.arrayValue ?? [json]).compactMap(\.objectValue)
    }

    /// Checks `compare` against two `analyze` runs.
    static func check(compare arguments: [String], base: [String], other: [String], labels: (JSONValue, JSONValue)) throws {
        let result = try CommandRunner.robochain(["compare"] + arguments + ["--format", "json"])
        try #require(result.exitStatus == 0, "compare failed: \(result.standardError)")
        #expect(result.standardError == "")
        let comparisons = try #require(try JSONParser.parse(result.standardOutput).arrayValue)
        let baseResults = try analyze(base)
        let otherResults = try analyze(other)
        #expect(comparisons.count == baseResults.count)
        var differences = 0
        for (comparison, (baseResult, otherResult)) in zip(comparisons, zip(baseResults, otherResults)) {
            let object = try #require(comparison.objectValue)
            // SPEC §7's keys, then our own `rows` (table rows only in one run).
            #expect(object.keys == ["analysis", "base", "other", "findings", "values", "rows"])
            #expect(object["analysis"] == baseResult["analysis"])
            #expect(object["base"] == labels.0)
            #expect(object["other"] == labels.1)
            let expected = expectedDifferences(base: baseResult, other: otherResult)
            let findings = try #require(object["findings"]?.objectValue)
            #expect(findings.keys == ["added", "removed", "changed"])
            func identities(_ key: String) -> [String] {
                (findings[key]?.arrayValue ?? []).compactMap { $0.objectValue.map(identity) }
            }
            #expect(Set(identities("added")) == expected.added && identities("added").count == expected.added.count)
            #expect(Set(identities("removed")) == expected.removed && identities("removed").count == expected.removed.count)
            let changed = (findings["changed"]?.arrayValue ?? []).compactMap { $0.objectValue?["other"]?.objectValue.map(identity) }
            #expect(Set(changed) == expected.changed && changed.count == expected.changed.count)
            var values: [[String]: [Double]] = [:]
            for value in object["values"]?.arrayValue ?? [] {
                let entry = try #require(value.objectValue)
                let path = (entry["path"]?.arrayValue ?? []).compactMap(\.stringValue)
                values[path] = [entry["base"]?.numberValue ?? .nan, entry["other"]?.numberValue ?? .nan]
            }
            #expect(values == expected.values)
            #expect(object["values"]?.arrayValue?.count == expected.values.count)
            differences += expected.added.count + expected.removed.count + expected.changed.count + expected.values.count
        }
        #expect(differences > 0, "the two runs should differ")
    }

    @Test func aScenarioComparesAsTwoSeparateRuns() throws {
        try Self.check(
            compare: [Self.model] + Self.analyses + ["--without", "region:JP", "--relocate", "leaderdrive=CN-GD-SZ"],
            base: [Self.model] + Self.analyses,
            other: [Self.model] + Self.analyses + ["--without", "region:JP", "--relocate", "leaderdrive=CN-GD-SZ"],
            labels: (["model": "guangdong-robots", "scope": "CN-GD", "scenario": []],
                     ["model": "guangdong-robots", "scope": "CN-GD", "scenario": ["without region:JP", "relocate leaderdrive=CN-GD-SZ"]]))
    }

    @Test func anotherScopeComparesAsTwoSeparateRuns() throws {
        try Self.check(
            compare: [Self.model] + Self.analyses + ["--against-scope", "CN-JS"],
            base: [Self.model] + Self.analyses,
            other: [Self.model] + Self.analyses + ["--scope", "CN-JS"],
            labels: (["model": "guangdong-robots", "scope": "CN-GD", "scenario": []],
                     ["model": "guangdong-robots", "scope": "CN-JS", "scenario": []]))
    }

    @Test func anotherModelComparesAsTwoSeparateRuns() throws {
        // Next year's model: another id and a firm more in Shenzhen; the other run also loses Nabtesco.
        let directory = try TemporaryDirectory("compare-versions")
        defer { directory.remove() }
        var text = try String(contentsOfFile: Self.model, encoding: .utf8)
        text = text.replacingOccurrences(of: "id: guangdong-robots\n", with: "id: guangdong-robots-2026\n")
        text += "  - {id: newco, name: NewCo 新公司, region: CN-GD-SZ, supplies: [{component: rv-reducer, share: 0.1}]}\n"
        let next = try directory.write(text, to: "next.yaml")
        try Self.check(
            compare: [Self.model, "--against", next, "--scope", "CN-GD-SZ"] + Self.analyses + ["--without", "firm:nabtesco"],
            base: [Self.model, "--scope", "CN-GD-SZ"] + Self.analyses,
            other: [next, "--scope", "CN-GD-SZ"] + Self.analyses + ["--without", "firm:nabtesco"],
            labels: (["model": "guangdong-robots", "scope": "CN-GD-SZ", "scenario": []],
                     ["model": "guangdong-robots-2026", "scope": "CN-GD-SZ", "scenario": ["without firm:nabtesco"]]))
    }

    @Test func removingEveryFirmIsAllowed() throws {
        var scenario: [String] = []
        for country in ["CN", "US", "JP", "DE", "CH", "GB", "SE", "DK", "CA"] { scenario += ["--without", "region:\(country)"] }
        let result = try CommandRunner.robochain(["compare", Self.model, "--with", "gap-detection", "--format", "json"] + scenario)
        #expect(result.exitStatus == 0, "\(result.standardError)")
        let comparison = try #require(try JSONParser.parse(result.standardOutput).objectValue)
        let added = comparison["findings"]?.objectValue?["added"]?.arrayValue ?? []
        #expect(!added.isEmpty && added.allSatisfy { $0.objectValue?["kind"] == "unsupplied" })
    }

    @Test func aFailingPluginLeavesTheOtherComparisons() throws {
        let directory = try TemporaryDirectory("compare-plugin")
        defer { directory.remove() }
        try directory.write("""
            {"name": "broken", "version": "1.0.0", "protocol": 1, "executable": "run", "description": "fails"}
            """, to: "plugins/broken/plugin.json")
        try directory.write("#!/bin/sh\necho 'cannot cope' >&2\nexit 3\n", to: "plugins/broken/run", executable: true)
        let result = try CommandRunner.robochain(
            ["compare", Self.model, "--with", "broken", "--with", "gap-detection", "--without", "region:JP", "--format", "json"],
            environment: ["ROBOCHAIN_PLUGIN_PATH": directory.url.appendingPathComponent("plugins").path, "HOME": directory.path])
        #expect(result.exitStatus == 70)
        #expect(result.standardError.contains("broken") && result.standardError.contains("cannot cope"))
        let comparisons = try #require(try JSONParser.parse(result.standardOutput).arrayValue)
        #expect(comparisons.map { $0.objectValue?["analysis"] } == ["gap-detection"])
    }

    /// A plugin's text reaches compare's CSV neutralised in every text column, as in analyze's
    /// CSV: no cell a spreadsheet would run as a formula (issue 16); numbers stay numbers.
    @Test func aPluginsTextIsNeutralisedInCompareCSV() throws {
        let directory = try TemporaryDirectory("compare-csv-injection")
        defer { directory.remove() }
        try directory.write("""
            {"name": "formulas", "version": "1.0.0", "protocol": 1, "executable": "run", "description": "hostile text"}
            """, to: "plugins/formulas/plugin.json")
        try directory.write(#"""
            #!/usr/bin/env python3
            import json, sys
            request = json.loads(sys.stdin.read())
            findings = []
            if request["scope"] == "CN-GD":
                findings.append({"component": "humanoid", "kind": '=HYPERLINK("http://evil.example/","click")',
                                 "severity": "@SUM(1+1)", "message": "+2+3", "note": "-1+1"})
            print(json.dumps({"protocol": 1, "analysis": "formulas", "findings": findings,
                              "metrics": {"score": 1.5 if request["scope"] == "CN-GD" else -2.5}}))
            """#, to: "plugins/formulas/run", executable: true)
        let result = try CommandRunner.robochain(
            ["compare", Self.model, "--with", "formulas", "--against-scope", "CN-JS", "--format", "csv"],
            environment: ["ROBOCHAIN_PLUGIN_PATH": directory.url.appendingPathComponent("plugins").path])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        let header = lines.first?.split(separator: ",").map(String.init) ?? []
        let removed = try #require(lines.first { $0.hasPrefix("formulas,removed,") }, "\(result.standardOutput)")
        #expect(removed.contains(#""'=HYPERLINK(""http://evil.example/"",""click"")""#))
        #expect(removed.contains(",'@SUM(1+1),"))
        #expect(removed.contains("'+2+3"))
        for line in lines.dropFirst() {
            // Cells without quotes, split naively: every text column starts safely.
            for (column, cell) in zip(header, line.split(separator: ",", omittingEmptySubsequences: false))
            where !["base", "other", "difference"].contains(column) {
                #expect(!["=", "+", "-", "@"].contains(cell.first.map(String.init) ?? ""), "\(column): \(cell)")
            }
        }
        let moved = try #require(lines.first { $0.hasPrefix("formulas,moved,") })
        #expect(moved.contains(",1.5,-2.5,-4,"), "\(moved)")
    }

    /// Rows of tables that appear or go are differences in every format: the table, CSV (a row
    /// each) and JSON (`rows`, our addition to SPEC §7); CSV writes shares as analyze's CSV does.
    @Test func tableRowsThatAppearOrGoAreInEveryFormat() throws {
        let arguments = ["compare", Self.model, "--with", "recruitment", "--with", "critical-firms", "--relocate", "nabtesco=CN-GD-SZ"]
        let table = try CommandRunner.robochain(arguments)
        #expect(table.exitStatus == 0)
        #expect(table.standardOutput.contains("Shuanghuan Driveline 双环传动 (only in other)"))
        #expect(table.standardOutput.contains("Nabtesco 纳博特斯克 (only in base)"))
        let csv = try CommandRunner.robochain(arguments + ["--format", "csv"])
        #expect(csv.exitStatus == 0)
        let lines = csv.standardOutput.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.contains { $0.hasPrefix("recruitment,appeared,,,,shuanghuan,Shuanghuan Driveline 双环传动,tables/firms/shuanghuan,,,,") })
        #expect(lines.contains { $0.hasPrefix("recruitment,went,,,,nabtesco,Nabtesco 纳博特斯克,tables/firms/nabtesco,,,,") })
        #expect(lines.contains { $0.hasPrefix("critical-firms,appeared,,,,nabtesco,Nabtesco 纳博特斯克,tables/firms/nabtesco,,,,") })
        let json = try CommandRunner.robochain(arguments + ["--format", "json"])
        let comparisons = try #require(try JSONParser.parse(json.standardOutput).arrayValue)
        let rows = comparisons.compactMap { $0.objectValue?["rows"] }
        #expect(rows.map { String(decoding: JSONWriter.encode($0, style: .compact), as: UTF8.self) } == [
            #"{"added":[{"path":["tables","firms"],"key":"shuanghuan"}],"removed":[{"path":["tables","firms"],"key":"nabtesco"}]}"#,
            #"{"added":[{"path":["tables","firms"],"key":"nabtesco"}],"removed":[]}"#,
        ])
        let shares = try CommandRunner.robochain(["compare", Self.model, "--with", "value-origin", "--relocate", "nabtesco=CN-GD-SZ", "--format", "csv"])
        #expect(shares.standardOutput.contains(",roots/robot-workcell/CN,84.2169%,86.6969%,2.48%,"))
    }

    @Test func badInputIsRefusedNamingIt() throws {
        let directory = try TemporaryDirectory("compare-errors")
        defer { directory.remove() }
        let bad = try directory.write("regions:\n  - {id: CN, name: China}\ncomponents: []\nfirms:\n  - {id: acme, name: Acme, region: CN-XX}\n",
            to: "bad.yaml")
        let cases: [([String], Int32, String)] = [
            (["--against-scope", "CN-JX"], 64,
             "Error: unknown --against-scope 'CN-JX': '\(Self.model)' has no region 'CN-JX'; did you mean 'CN-JS'?"),
            (["--without", "firm:nabtescoo"], 64, "Error: scenario 'without firm:nabtescoo': unknown firm 'nabtescoo'; did you mean 'nabtesco'?"),
            (["--without", "segment:limbs"], 64, "Error: scenario 'without segment:limbs': unknown selector 'segment': give firm:ID or region:ID"),
            (["--relocate", "nabtesco=CN-GD-XZ"], 64, "Error: scenario 'relocate nabtesco=CN-GD-XZ': unknown region 'CN-GD-XZ'; did you mean 'CN-GD-SZ'?"),
            (["--against", bad], 65, "error: invalid model '\(bad)' (1 problem):\n  \(bad):5: 'region' of firm 'acme' names unknown region 'CN-XX'"),
            (["--format", "xlsx"], 64, "Error: compare writes table, json, csv, markdown, svg, png, pdf or dot, not a workbook"),
        ]
        for (arguments, status, message) in cases {
            let result = try CommandRunner.robochain(["compare", Self.model, "--with", "gap-detection"] + arguments)
            #expect(result.exitStatus == status, "\(arguments)")
            #expect(result.standardOutput == "")
            #expect(result.standardError.hasPrefix(message + "\n"), "\(result.standardError)")
        }
        // A base scope the other model lacks.
        let small = try directory.write("home: CN\nregions:\n  - {id: CN, name: China}\ncomponents: []\nfirms: []\n", to: "small.yaml")
        let result = try CommandRunner.robochain(["compare", Self.model, "--with", "gap-detection", "--against", small])
        #expect(result.exitStatus == 64)
        #expect(result.standardError.hasPrefix("Error: the base scope 'CN-GD' is not a region of '\(small)'; give --against-scope REGION\n"))
    }
}
