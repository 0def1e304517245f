import Foundation
import RoboChainJSON
import RoboChainTestSupport
import Testing

/// End-to-end: `analyze … --without … --relocate …` gives what `analyze` gives on the model file
/// with the same change made by hand — YAML and CSV models, the built-ins and an external plugin
/// (which must see the changed model) — apart from `scenario`, which it adds (SPEC §6).
@Suite struct ScenarioCommandTests {
    static let regions = """
        home: CN-GD
        regions:
          - {id: CN, name: China 中国}
          - {id: CN-GD, name: Guangdong 广东, parent: CN}
          - {id: CN-GD-SZ, name: Shenzhen 深圳, parent: CN-GD}
          - {id: CN-JS, name: Jiangsu 江苏, parent: CN}
          - {id: JP, name: Japan 日本}
        components:
          - {id: humanoid, name: Humanoid 人形机器人, segment: body, requires: [{component: joint, weight: 0.5}, {component: hand}]}
          - {id: joint, name: Joint module, segment: limbs, requires: [{component: reducer, weight: 0.4}]}
          - {id: reducer, name: RV reducer RV减速器, segment: limbs}
          - {id: hand, name: Dexterous hand 灵巧手, segment: limbs}

        """
    static let firms: [String: String] = [
        "ubtech": "  - {id: ubtech, name: UBTech 优必选, region: CN-GD-SZ, supplies: [humanoid, hand]}\n",
        "nabtesco": "  - {id: nabtesco, name: Nabtesco, region: JP, supplies: [{component: reducer, share: 0.6}]}\n",
        "hds": "  - {id: hds, name: Harmonic Drive, region: JP, supplies: [{component: reducer, share: 0.2}, joint]}\n",
        "estun": "  - {id: estun, name: Estun 埃斯顿, region: CN-JS, supplies: [reducer, joint]}\n",
    ]
    static let order = ["ubtech", "nabtesco", "hds", "estun"]

    /// The model with the firms in `kept` (in model order), `moved` to other regions.
    static func yaml(kept: [String] = order, moved: [String: String] = [:]) -> String {
        var text = regions + "firms:" + (kept.isEmpty ? " []\n" : "\n")
        for firm in order where kept.contains(firm) {
            var line = firms[firm]!
            if let region = moved[firm], let range = line.range(of: #"region: [A-Z-]+"#, options: .regularExpression) {
                line.replaceSubrange(range, with: "region: \(region)")
            }
            text += line
        }
        return text
    }

    /// The same model as a CSV directory.
    static func csv(in directory: TemporaryDirectory, name: String, kept: [String] = order, moved: [String: String] = [:]) throws -> String {
        let regions = ["CN": ("China 中国", ""), "CN-GD": ("Guangdong 广东", "CN"), "CN-GD-SZ": ("Shenzhen 深圳", "CN-GD"),
            "CN-JS": ("Jiangsu 江苏", "CN"), "JP": ("Japan 日本", "")]
        try directory.write("id,name,parent\n" + ["CN", "CN-GD", "CN-GD-SZ", "CN-JS", "JP"].map { "\($0),\(regions[$0]!.0),\(regions[$0]!.1)\n" }.joined(),
            to: "\(name)/regions.csv")
        try directory.write("id,name,segment\nhumanoid,Humanoid 人形机器人,body\njoint,Joint module,limbs\nreducer,RV reducer RV减速器,limbs\nhand,Dexterous hand 灵巧手,limbs\n",
            to: "\(name)/components.csv")
        try directory.write("parent,child,weight\nhumanoid,joint,0.5\nhumanoid,hand,\njoint,reducer,0.4\n", to: "\(name)/requires.csv")
        let names = ["ubtech": "UBTech 优必选", "nabtesco": "Nabtesco", "hds": "Harmonic Drive", "estun": "Estun 埃斯顿"]
        let home = ["ubtech": "CN-GD-SZ", "nabtesco": "JP", "hds": "JP", "estun": "CN-JS"]
        let supplies = ["ubtech": ["humanoid,", "hand,"], "nabtesco": ["reducer,0.6"], "hds": ["reducer,0.2", "joint,"], "estun": ["reducer,", "joint,"]]
        let chosen = order.filter(kept.contains)
        try directory.write("id,name,region\n" + chosen.map { "\($0),\(names[$0]!),\(moved[$0] ?? home[$0]!)\n" }.joined(), to: "\(name)/firms.csv")
        try directory.write("firm,component,share\n" + chosen.flatMap { firm in supplies[firm]!.map { "\(firm),\($0)\n" } }.joined(),
            to: "\(name)/supplies.csv")
        return directory.url.appendingPathComponent(name).path
    }

    /// The results of `analyze --format json` (always as a list), each without `scenario`, and
    /// the scenarios removed.
    static func results(_ output: CommandResult) throws -> (results: [JSONValue], scenarios: [JSONValue?]) {
        try #require(output.exitStatus == 0, "robochain failed: \(output.standardError)")
        let json = try JSONParser.parse(output.standardOutput)
        let list = json.arrayValue ?? [json]
        var results: [JSONValue] = []
        var scenarios: [JSONValue?] = []
        for result in list {
            guard case .object(var object) = result else { continue }
            scenarios.append(object["scenario"])
            object.members.removeAll { $0.key == "scenario" }
            results.append(.object(object))
        }
        return (results, scenarios)
    }

    static let builtIns = ["--with", "gap-detection", "--with", "localisation-share", "--scope", "CN-GD", "--format", "json"]

    @Test(arguments: [
        (["--without", "region:JP"], [String]?.some(["ubtech", "estun"]), [String: String]()),
        (["--without", "firm:nabtesco", "--relocate", "estun=CN-GD-SZ"], ["ubtech", "hds", "estun"], ["estun": "CN-GD-SZ"]),
        (["--relocate", "hds=CN-GD", "--without", "region:JP"], ["ubtech", "hds", "estun"], ["hds": "CN-GD"]),
        (["--without", "region:CN", "--without", "region:JP"], [], [:]),
    ])
    func builtInsOnAScenarioEqualTheHandEditedModel(scenario: [String], kept: [String]?, moved: [String: String]) throws {
        let directory = try TemporaryDirectory("scenario-cli")
        defer { directory.remove() }
        let model = try directory.write(Self.yaml(), to: "model.yaml")
        let byHand = try directory.write(Self.yaml(kept: kept ?? Self.order, moved: moved), to: "by-hand.yaml")
        let changed = try Self.results(CommandRunner.robochain(["analyze", model] + Self.builtIns + scenario))
        let expected = try Self.results(CommandRunner.robochain(["analyze", byHand] + Self.builtIns))
        #expect(changed.results == expected.results)
        let operations = stride(from: 0, to: scenario.count, by: 2).map { "\(scenario[$0].dropFirst(2)) \(scenario[$0 + 1])" }
        #expect(changed.scenarios == Array(repeating: .array(operations.map { .string($0) }), count: 2))
        #expect(expected.scenarios == [nil, nil])

        let csvModel = try Self.csv(in: directory, name: "csv")
        let csvByHand = try Self.csv(in: directory, name: "csv-by-hand", kept: kept ?? Self.order, moved: moved)
        let csvChanged = try Self.results(CommandRunner.robochain(["analyze", csvModel] + Self.builtIns + scenario))
        #expect(csvChanged.results == (try Self.results(CommandRunner.robochain(["analyze", csvByHand] + Self.builtIns))).results)
        // A CSV directory loads to the same model as its YAML file: the same results.
        #expect(csvChanged.results == changed.results)
    }

    @Test func externalPluginsAreGivenTheChangedModel() throws {
        let directory = try TemporaryDirectory("scenario-plugin")
        defer { directory.remove() }
        // One plugin answers with the JSON model it was given, the other (SPEC §5 "input": "csv")
        // with the firms.csv and supplies.csv of the directory it was given.
        try directory.write("""
            {"name": "echo-model", "version": "1.0.0", "protocol": 1, "executable": "run", "description": "echoes the model"}
            """, to: "plugins/echo-model/plugin.json")
        try directory.write("""
            #!/usr/bin/env python3
            import json, sys
            request = json.load(sys.stdin)
            model = request["model"]
            json.dump({"protocol": 1, "analysis": "echo-model", "metrics": {"firms": len(model["firms"])}, "model": model}, sys.stdout)
            """, to: "plugins/echo-model/run", executable: true)
        try directory.write("""
            {"name": "echo-csv", "version": "1.0.0", "protocol": 1, "executable": "run", "input": "csv", "description": "echoes firms.csv"}
            """, to: "plugins/echo-csv/plugin.json")
        try directory.write("""
            #!/usr/bin/env python3
            import json, os, sys
            folder = json.load(sys.stdin)["modelDirectory"]
            files = {name: open(os.path.join(folder, name), encoding="utf-8").read() for name in ["firms.csv", "supplies.csv"]}
            json.dump({"protocol": 1, "analysis": "echo-csv", "files": files}, sys.stdout)
            """, to: "plugins/echo-csv/run", executable: true)
        let environment = ["ROBOCHAIN_PLUGIN_PATH": directory.url.appendingPathComponent("plugins").path, "HOME": directory.path]
        let model = try directory.write(Self.yaml(), to: "model.yaml")
        let byHand = try directory.write(Self.yaml(kept: ["ubtech", "nabtesco", "estun"], moved: ["nabtesco": "CN-GD-SZ"]), to: "by-hand.yaml")
        let arguments = ["--with", "echo-model", "--with", "echo-csv", "--with", "gap-detection", "--format", "json"]
        let changed = try Self.results(CommandRunner.robochain(
            ["analyze", model, "--without", "firm:hds", "--relocate", "nabtesco=CN-GD-SZ"] + arguments, environment: environment))
        let expected = try Self.results(CommandRunner.robochain(["analyze", byHand] + arguments, environment: environment))
        #expect(changed.results == expected.results)
        #expect(changed.results.first?.objectValue?["metrics"]?.objectValue?["firms"] == .number(3))
        let firms = changed.results.dropFirst().first?.objectValue?["files"]?.objectValue?["firms.csv"]?.stringValue ?? ""
        #expect(firms.contains("nabtesco") && firms.contains("CN-GD-SZ") && !firms.contains("hds"))
        #expect(changed.scenarios == Array(repeating: .array(["without firm:hds", "relocate nabtesco=CN-GD-SZ"]), count: 3))
    }

    @Test func theEqualsFormKeepsTheOrderGiven() throws {
        let directory = try TemporaryDirectory("scenario-order")
        defer { directory.remove() }
        let model = try directory.write(Self.yaml(), to: "model.yaml")
        let byHand = try directory.write(Self.yaml(kept: ["ubtech", "hds", "estun"], moved: ["hds": "CN-GD"]), to: "by-hand.yaml")
        let changed = try Self.results(CommandRunner.robochain(["analyze", model] + Self.builtIns + ["--relocate=hds=CN-GD", "--without=region:JP"]))
        #expect(changed.results == (try Self.results(CommandRunner.robochain(["analyze", byHand] + Self.builtIns))).results)
        #expect(changed.scenarios.first == .array(["relocate hds=CN-GD", "without region:JP"]))
    }

    @Test func badScenariosAreUsageErrorsNamingTheID() throws {
        let directory = try TemporaryDirectory("scenario-errors")
        defer { directory.remove() }
        let model = try directory.write(Self.yaml(), to: "model.yaml")
        let cases: [([String], String)] = [
            (["--without", "firm:nabtesko"], "Error: scenario 'without firm:nabtesko': unknown firm 'nabtesko'; did you mean 'nabtesco'?"),
            (["--without", "region:jp"], "Error: scenario 'without region:jp': unknown region 'jp'; did you mean 'JP'?"),
            (["--without", "country:JP"], "Error: scenario 'without country:JP': unknown selector 'country': give firm:ID or region:ID"),
            (["--relocate", "nabtesco=CN-GD-XX"], "Error: scenario 'relocate nabtesco=CN-GD-XX': unknown region 'CN-GD-XX'; did you mean 'CN-GD-SZ'?"),
            (["--relocate", "nabtesco"], "Error: scenario 'relocate nabtesco': give FIRM=REGION"),
            (["--without", "region:JP", "--relocate", "hds=CN-GD"],
             "Error: scenario 'relocate hds=CN-GD': firm 'hds' was already removed by 'without region:JP'"),
        ]
        for (scenario, message) in cases {
            for command in [["analyze", model, "--with", "gap-detection"], ["render", model, "--output", directory.path + "/map.svg"],
                ["report", model, "--with", "gap-detection", "--output", directory.path + "/report.html"]] {
                let result = try CommandRunner.robochain(command + scenario)
                #expect(result.exitStatus == 64, "\(scenario)")
                #expect(result.standardOutput == "")
                #expect(result.standardError.hasPrefix(message + "\n"), "\(result.standardError)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/map.svg"))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/report.html"))
    }

    /// The report takes the scenario options too (SPEC §6): it reports the changed model and names the scenario.
    @Test func reportReportsTheChangedModel() throws {
        let directory = try TemporaryDirectory("scenario-report")
        defer { directory.remove() }
        let model = try directory.write(Self.yaml(), to: "model.yaml")
        let byHand = try directory.write(Self.yaml(kept: ["ubtech", "estun"]), to: "by-hand.yaml")
        let arguments = ["--with", "gap-detection", "--output", "-"]
        let changed = try CommandRunner.robochain(["report", model, "--without", "region:JP"] + arguments,
            environment: ["SOURCE_DATE_EPOCH": "0"])
        let plain = try CommandRunner.robochain(["report", model] + arguments, environment: ["SOURCE_DATE_EPOCH": "0"])
        let expected = try CommandRunner.robochain(["report", byHand] + arguments, environment: ["SOURCE_DATE_EPOCH": "0"])
        #expect(changed.exitStatus == 0 && expected.exitStatus == 0)
        #expect(changed.standardOutput.contains("without region:JP"))
        #expect(!plain.standardOutput.contains("without region:JP"))
        #expect(changed.standardOutput != plain.standardOutput)
        // The same gap-detection headline as the model changed by hand.
        func headline(_ page: String) -> String? {
            page.components(separatedBy: "<p class=\"headline\">").dropFirst().first?.components(separatedBy: "</p>").first
        }
        #expect(headline(changed.standardOutput) != nil)
        #expect(headline(changed.standardOutput) == headline(expected.standardOutput))
    }

    @Test func renderDrawsTheChangedModel() throws {
        let directory = try TemporaryDirectory("scenario-render")
        defer { directory.remove() }
        let model = try directory.write(Self.yaml(), to: "model.yaml")
        let byHand = try directory.write(Self.yaml(kept: ["ubtech", "estun"]), to: "by-hand.yaml")
        let arguments = ["--with", "gap-detection", "--with", "localisation-share", "--format", "dot", "--output", "-"]
        let changed = try CommandRunner.robochain(["render", model, "--without", "region:JP"] + arguments)
        let expected = try CommandRunner.robochain(["render", byHand] + arguments)
        #expect(changed.exitStatus == 0 && expected.exitStatus == 0)
        // The same map, the scenario named under the title.
        let line = "<BR/>Scenario: without region:JP"
        #expect(changed.standardOutput.contains(line))
        #expect(changed.standardOutput.replacingOccurrences(of: line, with: "") == expected.standardOutput)
    }
}
