import Foundation
import RoboChainJSON
import RoboChainModel
import RoboChainTestSupport
import Testing

/// Issue #11, end to end: a plugin's tables and finding members in every format, SPEC §5's
/// `error` response, bad tables as plugin failures, and CSV input.
@Suite struct ResultsContractTests {
    static let model = "Models/guangdong-robots.yaml"

    /// A plugin answering one table with every column type, and a finding with its own members.
    static let tableScript = #"""
        cat >/dev/null
        cat <<'EOF'
        {"protocol": 1, "analysis": "tabular",
         "findings": [{"component": "rv-reducer", "kind": "watch", "severity": "low", "message": "=watch it", "origin": "JP", "weight": 0.25}],
         "tables": [{"id": "mix", "title": "Every type",
           "columns": [{"id": "part", "title": "Part", "type": "component"}, {"id": "label", "title": "Label", "type": "text"},
                       {"id": "n", "title": "N", "type": "number"}, {"id": "count", "title": "Count", "type": "integer"},
                       {"id": "local", "title": "Local", "type": "share"}, {"id": "ok", "title": "OK", "type": "boolean"},
                       {"id": "maker", "title": "Maker", "type": "firm"}, {"id": "where", "title": "Where", "type": "region"},
                       {"id": "parts", "title": "Parts", "type": "components"}, {"id": "makers", "title": "Makers", "type": "firms"}],
           "rows": [{"part": "rv-reducer", "label": "=SUM(A1)", "n": -1.5, "count": 3, "local": 0.25, "ok": true,
                     "maker": "nabtesco", "where": "CN-GD", "parts": ["rv-reducer", "humanoid"], "makers": ["nabtesco", "ubtech"]},
                    {"part": "humanoid"}]}]}
        EOF
        """#

    @Test func aPluginsTablesAndFindingMembersShowInEveryFormat() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("tabular", script: Self.tableScript)
        func run(_ format: String) throws -> String {
            let result = try plugins.robochain(["analyze", Self.model, "--with", "tabular", "--format", format])
            #expect(result.exitStatus == 0, "\(format): \(result.standardError)")
            return result.standardOutput
        }
        let table = try run("table")
        #expect(table.contains("Every type\n"))
        #expect(table.contains("""
            SEVERITY  KIND   COMPONENT            ORIGIN  WEIGHT  MESSAGE
            low       watch  RV reducer RV减速器  JP        0.25  =watch it
            """), "the finding's own members are columns")
        #expect(table.contains("""
            PART                       LABEL        N  COUNT  LOCAL  OK   MAKER                WHERE           PARTS                                           MAKERS
            RV reducer RV减速器        =SUM(A1)  -1.5      3   25 %  yes  Nabtesco 纳博特斯克  Guangdong 广东  RV reducer RV减速器, Humanoid robot 人形机器人  Nabtesco 纳博特斯克, UBTech Robotics 优必选
            Humanoid robot 人形机器人               –      –      –
            """))
        let markdown = try run("markdown")
        #expect(markdown.contains("### Every type"))
        #expect(markdown.contains("| RV reducer RV减速器 | =SUM(A1) | -1.5 | 3 | 25 % | yes | Nabtesco 纳博特斯克 | Guangdong 广东 |"))
        #expect(markdown.contains("| low | watch | RV reducer RV减速器 | JP | 0.25 | =watch it |"))
        let csv = try run("csv")
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines[0] == "analysis,scope,table,severity,kind,component,componentName,origin,weight,message,part,partName,label,n,count,local,ok,maker,makerName,where,whereName,parts,partsName,makers,makersName")
        #expect(lines[1] == "tabular,CN-GD,findings,low,watch,rv-reducer,RV reducer RV减速器,JP,0.25,'=watch it,,,,,,,,,,,,,,,")
        #expect(lines[2] == "tabular,CN-GD,mix,,,,,,,,rv-reducer,RV reducer RV减速器,'=SUM(A1),-1.5,3,25%,true,nabtesco,Nabtesco 纳博特斯克,CN-GD,Guangdong 广东,rv-reducer;humanoid,\"RV reducer RV减速器, Humanoid robot 人形机器人\",nabtesco;ubtech,\"Nabtesco 纳博特斯克, UBTech Robotics 优必选\"")
        #expect(lines[3] == "tabular,CN-GD,mix,,,,,,,,humanoid,Humanoid robot 人形机器人,,,,,,,,,,,,,")
        let json = try #require(try JSONParser.parse(try run("json")).objectValue)
        let tables = try #require(json["tables"]?.arrayValue)
        #expect(tables.count == 1)
        #expect(tables[0].objectValue?["rows"]?.arrayValue?[1] == ["part": "humanoid"])
        #expect(json["findings"]?.arrayValue?[0].objectValue?["origin"] == "JP")
    }

    @Test(arguments: [
        (#"{"kind": "usage", "message": "option x must be positive"}"#, Int32(64), "Error: option x must be positive"),
        (#"{"kind": "model", "message": "the model has no firms in Japan"}"#, Int32(65), "error: the model has no firms in Japan"),
    ])
    func anErrorResponseExitsAsItsKindSays(error: String, status: Int32, message: String) throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("picky", script: #"cat >/dev/null; echo '{"protocol": 1, "analysis": "picky", "error": "# + error + "}'")
        let result = try plugins.robochain(["analyze", Self.model, "--with", "picky", "--with", "gap-detection"])
        #expect(result.exitStatus == status)
        #expect(result.standardError.hasPrefix(message), "\(result.standardError)")
    }

    @Test(arguments: [
        (#"{"id": "t", "columns": [{"id": "a", "type": "colour"}], "rows": []}"#,
            "'tables[0] 't' columns[0].type' is 'colour', not a column type (text, number, integer, share, boolean, component, firm, region, components, firms)"),
        (#"{"id": "t", "columns": [{"id": "a", "type": "integer"}], "rows": [{"a": 1}, {"a": "two"}]}"#,
            "'tables[0] 't' row 1 column 'a'' must be an integer, found a string"),
        (#"{"id": "t", "columns": [{"id": "a", "type": "component"}], "rows": [{"a": "warp-drive"}]}"#,
            "'tables[0] 't' row 0 column 'a'' names component 'warp-drive', which is not in the model"),
        (#"{"id": "t", "columns": [{"id": "a", "type": "text"}, {"id": "a", "type": "share"}], "rows": []}"#,
            "'tables[0] 't'' has two columns with id 'a'"),
    ])
    func aBadTableIsAPluginFailureNamingTableRowAndColumn(table: String, problem: String) throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try plugins.plugin("bad", script: #"cat >/dev/null; echo '{"protocol": 1, "analysis": "bad", "tables": ["# + table + "]}'")
        let result = try plugins.robochain(["analyze", Self.model, "--with", "bad", "--with", "gap-detection", "--format", "json"])
        #expect(result.exitStatus == 70)
        #expect(result.standardError.contains("error: analysis 'bad' failed: it sent a malformed response: \(problem)"),
            "\(result.standardError)")
        let array = try #require(try JSONParser.parse(result.standardOutput).arrayValue)
        #expect(array.map { $0.objectValue?["analysis"] } == ["gap-detection"])
    }

    /// SPEC §5 `"input": "csv"`: the plugin gets a CSV directory that `robochain validate`
    /// accepts and that holds the same model (each firm's links in component order, as the
    /// directory lists them component by component); the directory is removed afterwards.
    @Test func csvInputIsTheModelAsAnalysed() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let copy = plugins.path + "/copy"
        try plugins.plugin("csv-reader", script: """
            directory=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["modelDirectory"])')
            cp -r "$directory" \(copy)
            echo "$directory" > \(plugins.path)/seen
            echo '{"protocol": 1, "analysis": "csv-reader"}'
            """)
        let manifestPath = plugins.path + "/csv-reader/plugin.json"
        var manifest = try #require(try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: manifestPath)))).objectValue)
        manifest["input"] = "csv"
        try Data(JSONWriter.encode(.object(manifest))).write(to: URL(fileURLWithPath: manifestPath))
        let result = try plugins.robochain(["analyze", Self.model, "--with", "csv-reader"])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        let validated = try CommandRunner.robochain(["validate", copy])
        #expect(validated.exitStatus == 0, "\(validated.standardError)")
        #expect(validated.standardOutput.contains("home:         Guangdong 广东 (CN-GD)"))
        let original = try ModelLoader.load(path: Self.model).model
        let reloaded = try ModelLoader.load(path: copy).model
        // The same model, each firm's links listed in component order as the CSV input has them.
        #expect(try ModelComparison.linksInComponentOrder(reloaded) == ModelComparison.linksInComponentOrder(original))
        #expect(reloaded.encodedJSON() != original.encodedJSON(), "the default model has firms whose links are not in component order")
        let seen = try String(contentsOfFile: plugins.path + "/seen", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!FileManager.default.fileExists(atPath: seen), "the temporary directory is removed")
    }
}
