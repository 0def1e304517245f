import Foundation
import RoboChainModel
import RoboChainTestSupport
import Testing

/// Scenarios (SPEC §6): a model with a scenario applied equals the model with the same change
/// made by hand in its file, YAML or CSV.
@Suite struct ScenarioTests {
    /// ``ModelEquivalenceTests/yaml`` with its firms replaced (`firms:` and what follows).
    static func yaml(firms: String) -> String {
        let base = ModelEquivalenceTests.yaml
        return String(base[..<base.range(of: "firms:\n")!.lowerBound]) + firms
    }

    static let ubtech = """
          - id: ubtech
            name: UBTech 优必选
            region: CN-GD-SZ
            supplies:
              - {component: humanoid, product: Walker S}
              - {component: hand}
            source: 000_e840a1117eb21c1e.txt

        """
    static func hds(region: String = "JP") -> String {
        "  - {id: hds, name: Harmonic Drive Systems, region: \(region), supplies: [{component: reducer, share: 0.6}]}\n"
    }
    static let leaderdrive = "  - {id: leaderdrive, name: Leaderdrive 绿的谐波, region: CN, supplies: [reducer]}\n"

    static func scenario(_ arguments: String...) throws -> Scenario {
        Scenario(try arguments.map { text throws(ModelError) in
            text.contains("=") ? try ScenarioOperation(relocation: text) : try ScenarioOperation(without: text)
        })
    }

    static var model: ChainModel { get throws { try ModelLoader.loadYAML(ModelEquivalenceTests.yaml).model } }

    @Test func theFixtureIsTheEquivalenceModel() throws {
        #expect(try ModelLoader.loadYAML(Self.yaml(firms: "firms:\n" + Self.ubtech + Self.hds() + Self.leaderdrive)).model == Self.model)
    }

    @Test func withoutAFirmRemovesItAndItsLinks() throws {
        let changed = try Self.scenario("firm:hds").apply(to: Self.model)
        let byHand = try ModelLoader.loadYAML(Self.yaml(firms: "firms:\n" + Self.ubtech + Self.leaderdrive)).model
        #expect(changed == byHand)
        #expect(changed.firms.ids == ["ubtech", "leaderdrive"])
        #expect(changed.supplies.count == 3)
        #expect(changed.firms.index(of: "leaderdrive") == 1 && changed.firms.index(of: "hds") == nil)
    }

    @Test func aChangedModelChangesAgain() throws {
        // The second removal maps the first one's positions again (the ids are not rehashed).
        let twice = try Self.scenario("firm:ubtech").apply(to: try Self.scenario("firm:hds").apply(to: Self.model))
        #expect(twice == (try ModelLoader.loadYAML(Self.yaml(firms: "firms:\n" + Self.leaderdrive)).model))
        #expect(twice.firms.index(of: "leaderdrive") == 0)
        #expect(twice.firms.index(of: "hds") == nil && twice.firms.index(of: "ubtech") == nil && twice.firms.index(of: "acme") == nil)
        #expect(throws: ModelError.unknownScenarioID(operation: "without firm:hds", kind: .firm, id: "hds", suggestion: nil)) {
            try Self.scenario("firm:hds").apply(to: twice)
        }
    }

    @Test func withoutTheFirstFirmRenumbersProductsAndSources() throws {
        let changed = try Self.scenario("firm:ubtech").apply(to: Self.model)
        #expect(changed == (try ModelLoader.loadYAML(Self.yaml(firms: "firms:\n" + Self.hds() + Self.leaderdrive)).model))
        #expect(changed.supplies.products.count == 0 && changed.firms.sources.count == 0)
    }

    @Test func withoutARegionRemovesEveryFirmWithinIt() throws {
        // ubtech is in CN-GD-SZ, within CN; leaderdrive in CN itself.
        let changed = try Self.scenario("region:CN").apply(to: Self.model)
        #expect(changed == (try ModelLoader.loadYAML(Self.yaml(firms: "firms:\n" + Self.hds())).model))
    }

    @Test func relocateMovesAFirm() throws {
        let changed = try Self.scenario("hds=CN-GD-SZ").apply(to: Self.model)
        #expect(changed == (try ModelLoader.loadYAML(Self.yaml(firms: "firms:\n" + Self.ubtech + Self.hds(region: "CN-GD-SZ") + Self.leaderdrive)).model))
    }

    @Test func operationsApplyInTheOrderGiven() throws {
        // Moved into Guangdong first, hds goes with it; moved after, it stays.
        let movedFirst = try Self.scenario("hds=CN-GD-SZ", "region:CN-GD").apply(to: Self.model)
        #expect(movedFirst == (try ModelLoader.loadYAML(Self.yaml(firms: "firms:\n" + Self.leaderdrive)).model))
        let movedAfter = try Self.scenario("region:CN-GD", "hds=CN-GD-SZ").apply(to: Self.model)
        #expect(movedAfter == (try ModelLoader.loadYAML(Self.yaml(firms: "firms:\n" + Self.hds(region: "CN-GD-SZ") + Self.leaderdrive)).model))
    }

    @Test func removingEveryFirmLeavesEveryComponentUnsupplied() throws {
        let changed = try Self.scenario("region:CN", "region:JP").apply(to: Self.model)
        #expect(changed == (try ModelLoader.loadYAML(Self.yaml(firms: "firms: []\n")).model))
        #expect(changed.firms.count == 0 && changed.supplies.count == 0)
        #expect((0..<changed.components.count).allSatisfy { changed.supplies.supplierCount(of: $0) == 0 })
    }

    @Test func anEmptyScenarioChangesNothing() throws {
        #expect(try Scenario().apply(to: Self.model) == Self.model)
        #expect(try Self.scenario("region:CN-GD-SZ", "firm:leaderdrive").descriptions
            == ["without region:CN-GD-SZ", "without firm:leaderdrive"])
        #expect(try Self.scenario("hds=CN").descriptions == ["relocate hds=CN"])
    }

    @Test func csvModelsChangeAsTheirHandEditedFiles() throws {
        let directory = try ModelEquivalenceTests.csvDirectory()
        defer { directory.remove() }
        let model = try ModelLoader.loadCSV(directory: directory.path).model
        let changed = try Self.scenario("firm:ubtech", "leaderdrive=JP").apply(to: model)
        try directory.write("id,name,region,source\nhds,Harmonic Drive Systems,JP,\nleaderdrive,Leaderdrive 绿的谐波,JP,\n", to: "firms.csv")
        try directory.write("firm,component,share,product\nleaderdrive,reducer,,\nhds,reducer,0.6,\n", to: "supplies.csv")
        #expect(changed == (try ModelLoader.loadCSV(directory: directory.path).model))
    }

    @Test func theGuangdongModelWithoutJapanMatchesItsHandEditedCSV() throws {
        let path = CommandRunner.packageDirectory.appendingPathComponent("Models/guangdong-robots.yaml").path
        let model = try ModelLoader.load(path: path).model
        let changed = try Self.scenario("region:JP", "ubtech=CN-SH").apply(to: model)
        #expect(changed.firms.count == model.firms.count - 8)
        // The same change made to the exported CSV by hand (rows dropped, a region rewritten).
        let directory = try TemporaryDirectory("scenario-guangdong")
        defer { directory.remove() }
        try CSVExport.write(model, to: directory)
        let japanese = Set((0..<model.firms.count).filter { model.regions.ids[model.firms.region(of: $0)] == "JP" }.map { model.firms.ids[$0] })
        func edit(_ file: String, _ change: ([String]) -> [String]?) throws {
            let url = directory.url.appendingPathComponent(file)
            let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let edited = [lines[0]] + lines.dropFirst().compactMap { line in
                line.isEmpty ? line : change(line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)).map { $0.joined(separator: ",") }
            }
            try directory.write(edited.joined(separator: "\n"), to: file)
        }
        try edit("firms.csv") { cells in
            japanese.contains(cells[0]) ? nil : cells[0] == "ubtech" ? [cells[0], cells[1], "CN-SH"] + cells.dropFirst(3) : cells
        }
        try edit("supplies.csv") { cells in japanese.contains(cells[0]) ? nil : cells }
        #expect(ModelEquivalenceTests.sameElements(changed, try ModelLoader.loadCSV(directory: directory.path).model))
    }

    @Test func malformedOperationsAreNamed() {
        #expect(throws: ModelError.invalidScenario(operation: "without company:acme", problem: "unknown selector 'company': give firm:ID or region:ID")) {
            try ScenarioOperation(without: "company:acme")
        }
        #expect(throws: ModelError.invalidScenario(operation: "without acme", problem: "give firm:ID or region:ID")) {
            try ScenarioOperation(without: "acme")
        }
        #expect(throws: ModelError.invalidScenario(operation: "without firm:", problem: "the firm id is missing (give firm:ID or region:ID)")) {
            try ScenarioOperation(without: "firm:")
        }
        #expect(throws: ModelError.invalidScenario(operation: "relocate acme", problem: "give FIRM=REGION")) {
            try ScenarioOperation(relocation: "acme")
        }
        #expect(throws: ModelError.invalidScenario(operation: "relocate acme=", problem: "give FIRM=REGION")) {
            try ScenarioOperation(relocation: "acme=")
        }
    }

    @Test func unknownIDsAreNamedWithACloseOne() throws {
        let model = try Self.model
        #expect(throws: ModelError.unknownScenarioID(operation: "without firm:hdss", kind: .firm, id: "hdss", suggestion: "hds")) {
            try Self.scenario("firm:hdss").apply(to: model)
        }
        #expect(throws: ModelError.unknownScenarioID(operation: "without region:cn-gd", kind: .region, id: "cn-gd", suggestion: "CN-GD")) {
            try Self.scenario("region:cn-gd").apply(to: model)
        }
        #expect(throws: ModelError.unknownScenarioID(operation: "relocate hds=XX", kind: .region, id: "XX", suggestion: nil)) {
            try Self.scenario("hds=XX").apply(to: model)
        }
        #expect(throws: ModelError.unknownScenarioID(operation: "relocate nabtesco=CN", kind: .firm, id: "nabtesco", suggestion: nil)) {
            try Self.scenario("nabtesco=CN").apply(to: model)
        }
        #expect(throws: ModelError.scenarioFirmRemoved(operation: "relocate hds=CN", firm: "hds", removedBy: "without region:JP")) {
            try Self.scenario("region:JP", "hds=CN").apply(to: model)
        }
        #expect(ModelError.unknownScenarioID(operation: "without firm:hdss", kind: .firm, id: "hdss", suggestion: "hds").description
            == "scenario 'without firm:hdss': unknown firm 'hdss'; did you mean 'hds'?")
    }
}
