import RoboChainModel
import Testing

/// Every rejection of SPEC §1.3, with the exact message (file, line, id).
@Suite struct ModelRejectionTests {
    /// Loads YAML and returns the problems' messages, or [] if it loaded.
    func problems(_ yaml: String) -> [String] {
        do {
            _ = try ModelLoader.loadYAML(yaml, file: "m.yaml")
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    /// A valid model whose sections can be replaced one at a time.
    func model(
        regions: String = """
              - {id: CN, name: China}
              - {id: CN-GD, name: Guangdong, parent: CN}
            """,
        components: String = """
              - {id: robot, name: Robot, segment: body, requires: [{component: hand, weight: 0.5}]}
              - {id: hand, name: Hand, segment: limbs}
            """,
        firms: String = """
              - {id: acme, name: Acme, region: CN-GD, supplies: [{component: hand, share: 0.5}]}
            """,
        header: String = "home: CN-GD"
    ) -> String {
        """
        \(header)
        regions:
        \(regions)
        components:
        \(components)
        firms:
        \(firms)
        """
    }

    @Test func theBaseModelIsValid() {
        #expect(problems(model()) == [])
    }

    @Test func unparsableYAML() {
        #expect(problems("regions: [\n  {id: CN\n") == [
            "m.yaml:3: YAML: while parsing a flow mapping did not find expected ',' or '}' (column 1) — a {…} is not closed on its line, or a value in it holds ':' or ',' and needs quotes",
        ])
    }

    @Test func unparsableJSON() {
        do {
            _ = try ModelLoader.loadJSON(Array("{\"regions\": [\n  {\"id\": \"CN\",]\n}".utf8), file: "m.json")
            Issue.record("loaded")
        } catch {
            #expect(error.description == "m.json:2: invalid JSON: line 2, column 15: expected a string key in an object, found ']'")
        }
    }

    @Test func duplicateKeysInJSONAsInYAML() {
        do {
            _ = try ModelLoader.loadJSON(Array(#"{"id": "x", "id": "y", "regions": [], "components": [], "firms": []}"#.utf8), file: "m.json")
            Issue.record("loaded")
        } catch {
            #expect(error.description == "m.json:1: the model has the key 'id' more than once")
        }
    }

    @Test func hugeNumbers() {
        #expect(problems(model(components: """
              - {id: robot, name: Robot, segment: body, requires: [{component: hand, weight: 1e400}]}
              - {id: hand, name: Hand, segment: limbs}
            """)) == ["m.yaml:6: 'weight' of requirement 'robot' → 'hand' is too large a number"])
    }

    @Test func duplicateIDs() {
        #expect(problems(model(regions: """
              - {id: CN, name: China}
              - {id: CN-GD, name: Guangdong, parent: CN}
              - {id: CN, name: China again}
            """)) == ["m.yaml:5: duplicate region id 'CN' (first defined at m.yaml:3)"])
        #expect(problems(model(firms: """
              - {id: acme, name: Acme, region: CN-GD}
              - {id: acme, name: Acme Two, region: CN}
            """)) == ["m.yaml:10: duplicate firm id 'acme' (first defined at m.yaml:9)"])
    }

    @Test func invalidIDs() {
        #expect(problems(model(components: """
              - {id: robot, name: Robot, segment: body, requires: [{component: "hand one"}]}
              - {id: "hand one", name: Hand, segment: limbs}
              - {id: hand, name: Hand, segment: limbs}
            """)) == ["m.yaml:7: invalid component id 'hand one': ids are letters (of any script), digits, '.', '_' and '-', starting with a letter or digit"])
    }

    @Test func unknownReferences() {
        #expect(problems(model(regions: """
              - {id: CN, name: China}
              - {id: CN-GD, name: Guangdong, parent: XX}
            """)) == ["m.yaml:4: 'parent' of region 'CN-GD' names unknown region 'XX'"])
        #expect(problems(model(components: """
              - {id: robot, name: Robot, segment: body, requires: [{component: claw}]}
              - {id: hand, name: Hand, segment: limbs}
            """)) == ["m.yaml:6: 'requires' of component 'robot' names unknown component 'claw'"])
        #expect(problems(model(firms: """
              - {id: acme, name: Acme, region: CN-SH, supplies: [{component: arm}]}
            """)) == [
            "m.yaml:9: 'region' of firm 'acme' names unknown region 'CN-SH'",
            "m.yaml:9: 'supplies' of firm 'acme' names unknown component 'arm'",
        ])
        #expect(problems(model(header: "home: CN-ZJ")) == ["m.yaml:1: 'home' of the model names unknown region 'CN-ZJ'"])
    }

    @Test func unknownSegmentWhenSegmentsAreListed() {
        let yaml = model().replacingOccurrences(of: "components:", with: """
            segments:
              - {id: body, name: Whole robots}
            components:
            """)
        #expect(problems(yaml) == ["m.yaml:9: 'segment' of component 'hand' names unknown segment 'limbs'"])
    }

    @Test func unknownFirmInCSV() throws {
        let directory = try CSVFixture.write(supplies: "firm,component,share\nghost,hand,\n")
        defer { directory.remove() }
        #expect(CSVFixture.problems(directory) == [
            "\(directory.path)/supplies.csv:2: 'firm' of a supply link names unknown firm 'ghost'",
        ])
    }

    @Test func requiresCycleListsTheCycle() {
        #expect(problems(model(components: """
              - {id: robot, name: Robot, segment: body, requires: [{component: arm}]}
              - {id: arm, name: Arm, segment: limbs, requires: [{component: hand}]}
              - {id: hand, name: Hand, segment: limbs, requires: [{component: arm}]}
            """)) == ["m.yaml:8: 'requires' has a cycle: arm → hand → arm"])
        #expect(problems(model(components: """
              - {id: robot, name: Robot, segment: body, requires: [{component: robot}]}
              - {id: hand, name: Hand, segment: limbs}
            """)) == ["m.yaml:6: 'requires' has a cycle: robot → robot"])
    }

    @Test func regionCycleListsTheCycle() {
        #expect(problems(model(regions: """
              - {id: CN, name: China, parent: CN-GD}
              - {id: CN-GD, name: Guangdong, parent: CN}
            """)) == ["m.yaml:3: region parents form a cycle: CN → CN-GD → CN"])
    }

    @Test func componentListedTwiceInOneRequires() {
        #expect(problems(model(components: """
              - {id: robot, name: Robot, segment: body, requires: [hand, {component: hand, weight: 0.2}]}
              - {id: hand, name: Hand, segment: limbs}
            """)) == ["m.yaml:6: component 'robot' requires 'hand' more than once"])
    }

    @Test func firmSupplyingAComponentTwice() {
        #expect(problems(model(firms: """
              - {id: acme, name: Acme, region: CN-GD, supplies: [hand, robot, {component: hand, product: H2}]}
            """)) == ["m.yaml:9: firm 'acme' supplies component 'hand' more than once"])
    }

    @Test func weightsAndSharesOutOfRange() {
        #expect(problems(model(components: """
              - {id: robot, name: Robot, segment: body, requires: [{component: hand, weight: 0}]}
              - {id: hand, name: Hand, segment: limbs, requires: [{component: finger, weight: 1.5}]}
              - {id: finger, name: Finger, segment: limbs}
            """)) == [
            "m.yaml:6: weight 0 of 'robot' requiring 'hand' is outside (0, 1]",
            "m.yaml:7: weight 1.5 of 'hand' requiring 'finger' is outside (0, 1]",
        ])
        #expect(problems(model(firms: """
              - {id: acme, name: Acme, region: CN-GD, supplies: [{component: hand, share: -0.1}, {component: robot, share: 1.01}]}
            """)) == [
            "m.yaml:9: share -0.1 of firm 'acme' in component 'hand' is outside [0, 1]",
            "m.yaml:9: share 1.01 of firm 'acme' in component 'robot' is outside [0, 1]",
        ])
    }

    @Test func weightsSummingOverOne() {
        #expect(problems(model(components: """
              - {id: robot, name: Robot, segment: body, requires: [{component: hand, weight: 0.6}, {component: arm, weight: 0.5}]}
              - {id: hand, name: Hand, segment: limbs}
              - {id: arm, name: Arm, segment: limbs}
            """)) == ["m.yaml:6: the weights given in the requires of component 'robot' sum to 1.1, more than 1"])
        // Within the 1e-6 tolerance.
        #expect(problems(model(components: """
              - {id: robot, name: Robot, segment: body, requires: [{component: hand, weight: 0.6}, {component: arm, weight: 0.4000005}]}
              - {id: hand, name: Hand, segment: limbs}
              - {id: arm, name: Arm, segment: limbs}
            """)) == [])
    }

    @Test func missingRequiredFields() {
        #expect(problems(model(firms: """
              - {id: acme, name: Acme}
              - {name: Nameless, region: CN}
            """)) == [
            "m.yaml:9: firm 'acme' has no 'region'",
            "m.yaml:10: firm #2 has no 'id'",
        ])
        #expect(problems("regions: []\ncomponents: []\n") == ["m.yaml:1: the model has no 'firms'"])
        // Blank text is no value, as an empty CSV cell is none.
        #expect(problems(model(firms: """
              - {id: acme, name: "", region: CN}
              - {id: zed, name: "  ", region: " "}
            """)) == [
            "m.yaml:9: firm 'acme' has no 'name'",
            "m.yaml:10: firm 'zed' has no 'name'",
            "m.yaml:10: firm 'zed' has no 'region'",
        ])
    }

    @Test func yamlSyntaxErrorsSayWhatToFix() {
        #expect(problems("id: t\nregions:\n\t- {id: CN, name: China}\ncomponents: []\nfirms: []\n") == [
            "m.yaml:3: YAML: while scanning for the next token found character that cannot start any token (column 1) — this line is indented with a tab; YAML indents with spaces",
        ])
        #expect(problems("id: t\nregions:\n  - {id: CN, name: China: x}\ncomponents: []\nfirms: []\n") == [
            "m.yaml:3: YAML: while parsing a flow mapping did not find expected ',' or '}' (column 25) — a {…} is not closed on its line, or a value in it holds ':' or ',' and needs quotes",
        ])
    }

    @Test func wrongTypes() {
        #expect(problems(model(components: """
              - {id: robot, name: Robot, segment: body, requires: [{component: hand, weight: "0.5"}]}
              - {id: hand, name: Hand, segment: limbs}
            """)) == ["m.yaml:6: 'weight' of requirement 'robot' → 'hand' must be a number, found a quoted string"])
        #expect(problems("regions: {id: CN}\ncomponents: []\nfirms: []\n") == [
            "m.yaml:1: 'regions' of the model must be a list, found a mapping",
        ])
    }

    @Test func missingFilesOfACSVModel() throws {
        let directory = try TemporaryDirectoryForModel()
        defer { directory.remove() }
        try directory.write("id,name,parent\nCN,China,\n", to: "regions.csv")
        #expect(CSVFixture.problems(directory) == [
            "missing file '\(directory.path)/components.csv' (a CSV model needs regions.csv, components.csv, firms.csv and supplies.csv)",
            "missing file '\(directory.path)/firms.csv' (a CSV model needs regions.csv, components.csv, firms.csv and supplies.csv)",
            "missing file '\(directory.path)/supplies.csv' (a CSV model needs regions.csv, components.csv, firms.csv and supplies.csv)",
        ])
    }

    @Test func missingColumn() throws {
        let directory = try CSVFixture.write(firms: "id,name\nacme,Acme\n")
        defer { directory.remove() }
        #expect(CSVFixture.problems(directory) == ["\(directory.path)/firms.csv:1: the header has no column 'region'"])
    }

    @Test func nothingIsHalfLoaded() {
        // Several problems in different sections all come back; no model comes back.
        let found = problems(model(
            regions: "  - {id: CN, name: China}\n  - {id: CN, name: Again}",
            firms: "  - {id: acme, name: Acme, region: XX}"))
        // In the order of their lines, whatever order they were found in.
        #expect(found == [
            "m.yaml:1: 'home' of the model names unknown region 'CN-GD'",
            "m.yaml:4: duplicate region id 'CN' (first defined at m.yaml:3)",
            "m.yaml:9: 'region' of firm 'acme' names unknown region 'XX'",
        ])
    }

    @Test func unknownKeysAreWarnings() throws {
        let yaml = model().replacingOccurrences(of: "share: 0.5", with: "share: 0.5, sahre: 1")
        let loaded = try ModelLoader.loadYAML(yaml, file: "m.yaml")
        #expect(loaded.warnings.map(\.description) == [
            "m.yaml:9: unknown key 'sahre' in supply of 'hand' by firm 'acme'; ignored",
        ])
    }

    @Test func missingAndUnsupportedPaths() {
        #expect(throws: ModelError.unreadable(path: "/nonexistent/m.yaml", reason: "No such file or directory")) {
            try ModelLoader.load(path: "/nonexistent/m.yaml")
        }
        #expect(throws: ModelError.unsupportedFormat(path: "/etc/hostname")) {
            try ModelLoader.load(path: "/etc/hostname")
        }
    }
}
