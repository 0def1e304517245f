import CriticalFirms
import RoboChainAnalysis
import RoboChainJSON
import RoboChainModel
import RoboChainTestSupport
import Recruitment
import Testing
import ValueOrigin

/// SPEC §8–10 on the fixture of `AnalysisFixtureTests.swift`, with the values worked out by hand.
///
/// Link fractions (w_l ÷ W_c): x: sz1 .3, sh1 .5, jp1 .2 (the share left over); a: sz1, gz1 ½ each;
/// r2: sz1, gz1, sh1 ⅓ each; z: sz1 .1, gz1 .1, jp1 .8; r1: gz1 1; b: sh1 .1, jp2 .9;
/// y: jp1 .6, jp2 .4; c: no supplier.
/// Value added a_r(c) = V_r(c)·own(c): r1: r1 0, a .2, b .3, x .32, y .18 (Z = 1);
/// r2: r2 0, a .25, x .25 (c has no supplier; Z = .5); z: z 1 (Z = 1).
enum ValueFixture {
    static func run(
        _ analysis: some Analysis, scope: String, options: [String: OptionValue] = [:], model: ChainModel = Fixture.model,
        language: Language = .en
    ) throws -> AnalysisResult {
        let index = try #require(model.regions.index(of: scope))
        let values = try OptionValues(declarations: analysis.options, overrides: options, analysis: analysis.name)
        try analysis.validate(values)
        return try analysis.run(AnalysisRequest(model: model, scope: index, options: values, language: language))
    }

    /// An object of numbers as (key, value) pairs, in order.
    static func pairs(_ value: JSONValue?) -> [(String, Double)] {
        (value?.objectValue?.members ?? []).map { ($0.key, $0.value.numberValue ?? .nan) }
    }

    static func same(_ actual: [(String, Double)], _ expected: [(String, Double)]) -> Bool {
        actual.count == expected.count && zip(actual, expected).allSatisfy { $0.0 == $1.0 && abs($0.1 - $1.1) <= 1e-12 }
    }

    static func strings(_ value: JSONValue?) -> [String] { (value?.arrayValue ?? []).compactMap(\.stringValue) }
}

@Suite struct ValueOriginTests {
    /// By country: x CN .8 JP .2 (HHI .68); b CN .1 JP .9 (.82); z CN .2 JP .8 (.68); y JP 1.
    /// r1: CN .2 + .3·.1 + .32·.8 = .486, JP .3·.9 + .32·.2 + .18 = .514; r2: CN (.25 + .25·.8)/.5 = .9,
    /// JP .25·.2/.5 = .1; z: CN .2, JP .8. Largest first.
    @Test func byCountry() throws {
        let result = try ValueFixture.run(ValueOrigin(), scope: "CN-GD")
        #expect(result.extra.keys == ["group", "roots", "components"])
        #expect(result.extra["group"] == .null)
        let roots = try #require(result.extra["roots"]?.objectValue)
        #expect(roots.keys == ["r1", "r2", "z"])
        #expect(ValueFixture.same(ValueFixture.pairs(roots["r1"]), [("JP", 0.514), ("CN", 0.486)]))
        #expect(ValueFixture.same(ValueFixture.pairs(roots["r2"]), [("CN", 0.9), ("JP", 0.1)]))
        #expect(ValueFixture.same(ValueFixture.pairs(roots["z"]), [("JP", 0.8), ("CN", 0.2)]))
        let components = try #require(result.extra["components"]?.objectValue)
        #expect(components.keys == ["r1", "r2", "a", "b", "x", "y", "z"])
        let expected: [String: ([(String, Double)], Double)] = [
            "r1": ([("CN", 1)], 1), "r2": ([("CN", 1)], 1), "a": ([("CN", 1)], 1), "b": ([("JP", 0.9), ("CN", 0.1)], 0.82),
            "x": ([("CN", 0.8), ("JP", 0.2)], 0.68), "y": ([("JP", 1)], 1), "z": ([("JP", 0.8), ("CN", 0.2)], 0.68),
        ]
        for (id, (groups, hhi)) in expected {
            let entry = try #require(components[id]?.objectValue)
            #expect(entry.keys == ["groups", "hhi"])
            #expect(ValueFixture.same(ValueFixture.pairs(entry["groups"]), groups), "\(id)")
            #expect(abs((entry["hhi"]?.numberValue ?? 0) - hhi) <= 1e-12, "\(id)")
        }
    }

    /// group=CN: provinces (sz1's Shenzhen counts as Guangdong), Japan whole. x: CN-GD .3, CN-SH
    /// .5, JP .2 (HHI .38, not concentrated); r2: CN-GD ⅔, CN-SH ⅓. r1: CN-GD .2 + .32·.3 = .296,
    /// CN-SH .03 + .16 = .19, JP .514; r2: CN-GD (.25 + .075)/.5 = .65, CN-SH .25, JP .1.
    @Test func byProvince() throws {
        let result = try ValueFixture.run(ValueOrigin(), scope: "CN-GD", options: ["group": .string("CN")])
        #expect(result.extra["group"] == .string("CN"))
        let roots = try #require(result.extra["roots"]?.objectValue)
        #expect(ValueFixture.same(ValueFixture.pairs(roots["r1"]), [("JP", 0.514), ("CN-GD", 0.296), ("CN-SH", 0.19)]))
        #expect(ValueFixture.same(ValueFixture.pairs(roots["r2"]), [("CN-GD", 0.65), ("CN-SH", 0.25), ("JP", 0.1)]))
        let components = try #require(result.extra["components"]?.objectValue)
        let x = try #require(components["x"]?.objectValue)
        #expect(ValueFixture.same(ValueFixture.pairs(x["groups"]), [("CN-SH", 0.5), ("CN-GD", 0.3), ("JP", 0.2)]))
        #expect(abs((x["hhi"]?.numberValue ?? 0) - 0.38) <= 1e-12)
        #expect(ValueFixture.same(ValueFixture.pairs(components["r2"]?.objectValue?["groups"]), [("CN-GD", 2.0 / 3), ("CN-SH", 1.0 / 3)]))
        // The map: x's largest origin outside Guangdong is Shanghai; HHI badges only above 0.4.
        #expect(result.annotations?["x"]?.badge == nil)
        #expect(result.annotations?["b"]?.badge == "HHI 0.82")
        #expect(result.annotations?["a"]?.fill == "#ffffff")
        #expect(result.legend?.contains { $0.label == "largest origin outside Guangdong: Shanghai" } == true)
    }

    /// group=CN-GD: a firm in G itself counts as G; one outside G as its country.
    @Test func groupIsTheRegionItself() throws {
        let result = try ValueFixture.run(ValueOrigin(), scope: "CN-GD", options: ["group": .string("CN-GD")])
        let x = try #require(result.extra["components"]?.objectValue?["x"]?.objectValue)
        #expect(ValueFixture.same(ValueFixture.pairs(x["groups"]), [("CN", 0.5), ("CN-GD-SZ", 0.3), ("JP", 0.2)]))
        let a = try #require(result.extra["components"]?.objectValue?["a"]?.objectValue)
        #expect(ValueFixture.same(ValueFixture.pairs(a["groups"]), [("CN-GD", 0.5), ("CN-GD-SZ", 0.5)]))
    }

    @Test func unknownGroupIsAUsageErrorWithASuggestion() throws {
        for (given, problem) in [
            ("cn-gd", "names no region of the model: 'cn-gd'; did you mean 'CN-GD'? (region ids are case-sensitive)"),
            ("CN-SX", "names no region of the model: 'CN-SX'; did you mean 'CN-SH'?"),
            ("CN-DG", "names no region of the model: 'CN-DG'; did you mean 'CN-GD'?"),  // as --scope CN-DG
            ("Atlantis", "names no region of the model: 'Atlantis'; its regions are: CN, CN-GD, CN-GD-SZ, CN-SH, JP"),
        ] {
            let error = #expect(throws: AnalysisError.self) {
                try ValueFixture.run(ValueOrigin(), scope: "CN-GD", options: ["group": .string(given)])
            }
            #expect(error == .invalidOption(analysis: "value-origin", option: "group", problem: problem))
            #expect(error?.isUsageError == true)
        }
    }
}

@Suite struct RecruitmentTests {
    /// Scope CN-GD; outside it: sh1, jp1, jp2.
    /// jp1 (x .2, y .6, z .8): r1 .32·.2 + .18·.6 = .172; r2 .25·.2/.5 = .1; z .8 → score .8 (z).
    /// jp2 (y .4, b .9): r1 .18·.4 + .3·.9 = .342 → score .342 (r1).
    /// sh1 (x .5, b .1, r2 ⅓): r1 .32·.5 + .3·.1 = .19; r2 (.25·.5 + 0)/.5 = .25 → score .25 (r2).
    /// Fills: components without a supplier in CN-GD: b, y (c has none at all).
    @Test func rankedByScore() throws {
        let result = try ValueFixture.run(Recruitment(), scope: "CN-GD")
        #expect(result.extra.keys == ["firms"])
        let firms = try #require(result.extra["firms"]?.arrayValue).compactMap(\.objectValue)
        #expect(firms.map { $0["firm"]?.stringValue } == ["jp1", "jp2", "sh1"])
        #expect(firms.map { $0["region"]?.stringValue } == ["JP", "JP", "CN-SH"])
        #expect(firms.map { $0["domestic"]?.boolValue } == [false, false, true])
        #expect(firms.map { $0["root"]?.stringValue } == ["z", "r1", "r2"])
        let scores = firms.map { $0["score"]?.numberValue ?? .nan }
        #expect(zip(scores, [0.8, 0.342, 0.25]).allSatisfy { abs($0 - $1) <= 1e-12 })
        #expect(ValueFixture.same(ValueFixture.pairs(firms[0]["gains"]), [("r1", 0.172), ("r2", 0.1), ("z", 0.8)]))
        #expect(ValueFixture.same(ValueFixture.pairs(firms[1]["gains"]), [("r1", 0.342)]))
        #expect(ValueFixture.same(ValueFixture.pairs(firms[2]["gains"]), [("r1", 0.19), ("r2", 0.25)]))
        #expect(firms.map { ValueFixture.strings($0["fills"]) } == [["y"], ["b", "y"], ["b"]])
        #expect(firms[0].keys == ["firm", "region", "domestic", "score", "root", "gains", "fills"])
        // The map: 招商 on what the top recruit fills; the others' gaps get a lighter border.
        #expect(result.annotations?["y"]?.badge == "招商")
        #expect(result.annotations?["b"]?.badge == nil && result.annotations?["b"]?.border != nil)
        #expect(result.tables.first?.rows.count == 3)
    }

    @Test func limitKeepsTheBest() throws {
        let one = try ValueFixture.run(Recruitment(), scope: "CN-GD", options: ["limit": .integer(1)])
        #expect(one.extra["firms"]?.arrayValue?.compactMap { $0.objectValue?["firm"]?.stringValue } == ["jp1"])
        let all = try ValueFixture.run(Recruitment(), scope: "CN-GD", options: ["limit": .integer(0)])
        #expect(all.extra["firms"]?.arrayValue?.count == 3)
    }

    @Test func negativeLimitIsAUsageError() {
        #expect(throws: AnalysisError.invalidOption(analysis: "recruitment", option: "limit", problem: "must be 0 or more, not -1")) {
            try ValueFixture.run(Recruitment(), scope: "CN-GD", options: ["limit": .integer(-1)])
        }
    }

    /// SPEC §9: relocating a firm into the scope raises each root's share of the scope (value
    /// origin with `group` the scope's parent) by exactly its gain there.
    @Test func relocatingTheTopRecruitRaisesTheShareByItsScore() throws {
        let before = try ValueFixture.run(ValueOrigin(), scope: "CN-GD", options: ["group": .string("CN")])
        let moved = try ModelLoader.loadYAML(Fixture.yaml.replacingOccurrences(
            of: "{id: jp1, name: Japan One, region: JP,", with: "{id: jp1, name: Japan One, region: CN-GD,")).model
        let after = try ValueFixture.run(ValueOrigin(), scope: "CN-GD", options: ["group": .string("CN")], model: moved)
        let share = { (result: AnalysisResult, root: String) in
            result.extra["roots"]?.objectValue?[root]?.objectValue?["CN-GD"]?.numberValue ?? 0
        }
        for (root, gain) in [("r1", 0.172), ("r2", 0.1), ("z", 0.8)] {
            #expect(abs(share(after, root) - share(before, root) - gain) <= 1e-12, "\(root)")
        }
    }

    /// Two roots gaining equally: the smallest id is the root.
    @Test func tiedRootsGoToTheSmallestID() throws {
        let model = try ModelLoader.loadYAML("""
            regions: [{id: CN, name: China}, {id: JP, name: Japan}]
            components: [{id: q, name: Q, segment: s}, {id: p, name: P, segment: s}]
            firms:
              - {id: j, name: J, region: JP, supplies: [q, p]}
            """).model
        let result = try ValueFixture.run(Recruitment(), scope: "CN", model: model)
        let firm = try #require(result.extra["firms"]?.arrayValue?.first?.objectValue)
        #expect(firm["root"] == .string("p"))
        #expect(firm["score"] == .number(1))
        #expect(ValueFixture.strings(firm["fills"]) == ["p", "q"])
    }
}

@Suite struct CriticalFirmsTests {
    func firms(scope: String, model: ChainModel = Fixture.model) throws -> [String] {
        let result = try ValueFixture.run(CriticalFirms(), scope: scope, model: model)
        #expect(result.extra.keys == ["firms"])
        return (result.extra["firms"]?.arrayValue ?? []).compactMap(\.objectValue).map { entry in
            "\(entry["firm"]?.stringValue ?? "") \(entry["region"]?.stringValue ?? "")"
                + " national [\(ValueFixture.strings(entry["national"]).joined(separator: " "))]"
                + " local [\(ValueFixture.strings(entry["local"]).joined(separator: " "))]"
                + " value \(Fixture.format2(entry["valueAtStake"]?.numberValue ?? -1)) dependents \(Int(entry["dependents"]?.numberValue ?? -1))"
        }
    }

    /// Scope CN-GD, N = CN. r1: gz1 alone in CN and in CN-GD. b: sh1 alone in CN (none in CN-GD).
    /// x: sz1 alone in CN-GD (sh1 too in CN). y: nobody in CN. a, r2, z: two in CN-GD.
    /// Value at stake: r1 1, b .6, x .32; dependents: r1 0, b 1 (r1), x 4 (a, b, r1, r2).
    @Test func provinceScope() throws {
        #expect(try firms(scope: "CN-GD") == [
            "gz1 CN-GD national [r1] local [r1] value 1.0 dependents 0",
            "sh1 CN-SH national [b] local [] value 0.6 dependents 1",
            "sz1 CN-GD-SZ national [] local [x] value 0.32 dependents 4",
        ])
    }

    /// Scope CN-GD-SZ: sz1 is alone there for a, r2, x and z (value 1, from r2 and z); the union
    /// of their ancestors is {a, b, r1, r2}: 4. Ties on value go by firm id: gz1 before sz1.
    @Test func cityScope() throws {
        #expect(try firms(scope: "CN-GD-SZ") == [
            "gz1 CN-GD national [r1] local [] value 1.0 dependents 0",
            "sz1 CN-GD-SZ national [] local [a r2 x z] value 1.0 dependents 4",
            "sh1 CN-SH national [b] local [] value 0.6 dependents 1",
        ])
        let result = try ValueFixture.run(CriticalFirms(), scope: "CN-GD-SZ")
        #expect(result.annotations?["r1"]?.badge == "单点")
        #expect(result.annotations?["a"]?.badge == "本地单点")
        #expect(result.annotations?["c"] == nil)
    }
}

/// Models the three analyses must take without error: no firms, no components, every firm
/// outside the scope.
@Suite struct ValueAnalysesEdgeTests {
    @Test func noFirms() throws {
        let model = try ModelLoader.loadYAML("""
            regions: [{id: CN, name: China}]
            components: [{id: r, name: R, segment: s, requires: [k]}, {id: k, name: K, segment: s}]
            firms: []
            """).model
        let origin = try ValueFixture.run(ValueOrigin(), scope: "CN", model: model)
        #expect(origin.extra["roots"] == .object(["r": .null]))
        #expect(origin.extra["components"] == .object([:]))
        #expect(try ValueFixture.run(Recruitment(), scope: "CN", model: model).extra["firms"] == .array([]))
        #expect(try ValueFixture.run(CriticalFirms(), scope: "CN", model: model).extra["firms"] == .array([]))
    }

    @Test func noComponents() throws {
        let model = try ModelLoader.loadYAML("regions: [{id: CN, name: China}]\ncomponents: []\nfirms: []").model
        let origin = try ValueFixture.run(ValueOrigin(), scope: "CN", model: model)
        #expect(origin.extra["roots"] == .object([:]))
        #expect(try ValueFixture.run(Recruitment(), scope: "CN", model: model).extra["firms"] == .array([]))
        #expect(try ValueFixture.run(CriticalFirms(), scope: "CN", model: model).extra["firms"] == .array([]))
    }

    /// Scope KR has no firm: everyone is a recruit, nobody is critical.
    @Test func everyFirmOutsideTheScope() throws {
        let model = try ModelLoader.loadYAML(Fixture.yaml.replacingOccurrences(
            of: "  - {id: JP, name: Japan}", with: "  - {id: JP, name: Japan}\n  - {id: KR, name: Korea}")).model
        let recruits = try ValueFixture.run(Recruitment(), scope: "KR", options: ["limit": .integer(0)], model: model)
        #expect(recruits.extra["firms"]?.arrayValue?.count == 5)
        #expect(try ValueFixture.run(CriticalFirms(), scope: "KR", model: model).extra["firms"] == .array([]))
    }
}

/// The command line: bad options are usage errors (64) naming the option; models the analyses
/// find nothing in give valid, empty results (0).
@Suite struct ValueAnalysesCommandLineTests {
    @Test func badOptionsExit64() throws {
        let unknown = try CommandRunner.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "value-origin",
            "--option", "group=CN-GX", "--format", "json"])
        #expect(unknown.exitStatus == 64)
        #expect(unknown.standardOutput.isEmpty)
        #expect(unknown.standardError.hasPrefix(
            "Error: option 'group' of 'value-origin' names no region of the model: 'CN-GX'; did you mean 'CN-GD'?\n"),
            "\(unknown.standardError)")
        let negative = try CommandRunner.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "recruitment",
            "--option", "limit=-1"])
        #expect(negative.exitStatus == 64)
        #expect(negative.standardError.hasPrefix("Error: option 'limit' of 'recruitment' must be 0 or more, not -1\n"))
    }

    @Test func aModelWithoutFirmsGivesEmptyResults() throws {
        let directory = try TemporaryDirectory("value-empty")
        defer { directory.remove() }
        let model = try directory.write("""
            id: empty
            home: CN
            regions: [{id: CN, name: China}]
            components: [{id: r, name: R, segment: s}]
            firms: []
            """, to: "empty.yaml")
        let result = try CommandRunner.robochain(["analyze", model, "--with", "value-origin", "--with", "recruitment",
            "--with", "critical-firms", "--format", "json"])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        let results = try #require(try JSONParser.parse(result.standardOutput).arrayValue)
        #expect(results == [
            .object(["analysis": "value-origin", "scope": "CN", "group": .null, "roots": .object(["r": .null]), "components": .object([:])]),
            .object(["analysis": "recruitment", "scope": "CN", "firms": .array([])]),
            .object(["analysis": "critical-firms", "scope": "CN", "firms": .array([])]),
        ])
        // Every other format shows them too.
        let table = try CommandRunner.robochain(["analyze", model, "--with", "value-origin", "--with", "recruitment",
            "--with", "critical-firms"])
        #expect(table.exitStatus == 0, "\(table.standardError)")
        #expect(table.standardOutput.contains("no firm outside China would add to its share"))
    }
}

/// On Models/guangdong-robots.yaml (scope CN-GD) some gains are equal by SPEC §9's definition
/// but come out of different floating-point sums; they must tie as the reference has them.
@Suite struct RecruitmentTieTests {
    static func guangdong() throws -> ChainModel {
        let path = CommandRunner.packageDirectory.appendingPathComponent("Models/guangdong-robots.yaml").path
        return try ModelLoader.load(path: path).model
    }

    /// Their quadruped-robot and wheel-legged-robot gains are equal: the root is the smaller id.
    @Test func equalGainsGoToTheSmallestRootID() throws {
        let result = try ValueFixture.run(Recruitment(), scope: "CN-GD", options: ["limit": .integer(0)], model: Self.guangdong())
        let firms = try #require(result.extra["firms"]?.arrayValue).compactMap(\.objectValue)
        for id in ["bosch-sensortec", "huayi", "xindong-lianke"] {
            let entry = try #require(firms.first { $0["firm"]?.stringValue == id }, "\(id) is listed")
            let gains = try #require(entry["gains"]?.objectValue)
            let quadruped = try #require(gains["quadruped-robot"]?.numberValue)
            let wheelLegged = try #require(gains["wheel-legged-robot"]?.numberValue)
            #expect(abs(quadruped - wheelLegged) <= 1e-12 * quadruped, "\(id): the two gains are equal but for rounding")
            #expect(entry["root"]?.stringValue == "quadruped-robot", "\(id)")
        }
    }

    /// hanwei and keli score the same (0.0082): by firm id, hanwei first.
    @Test func equalScoresGoByFirmID() throws {
        let result = try ValueFixture.run(Recruitment(), scope: "CN-GD", options: ["limit": .integer(0)], model: Self.guangdong())
        let firms = try #require(result.extra["firms"]?.arrayValue).compactMap(\.objectValue)
        let ids = firms.compactMap { $0["firm"]?.stringValue }
        let hanwei = try #require(ids.firstIndex(of: "hanwei"))
        let keli = try #require(ids.firstIndex(of: "keli"))
        #expect(hanwei < keli)
        let scores = [hanwei, keli].map { firms[$0]["score"]?.numberValue ?? .nan }
        #expect(abs(scores[0] - scores[1]) <= 1e-12 * scores[0])
        #expect(abs(scores[0] - 0.0082) < 5e-5)
        // Every pair of neighbours: a lower score, or a tie and a larger firm id.
        for (left, right) in zip(firms, firms.dropFirst()) {
            let (a, b) = (left["score"]?.numberValue ?? .nan, right["score"]?.numberValue ?? .nan)
            let tied = abs(a - b) <= 1e-12 * max(a, b)
            #expect(tied ? (left["firm"]?.stringValue ?? "") < (right["firm"]?.stringValue ?? "") : a > b)
        }
    }

    /// A limit keeps exactly the first entries of the full list, whatever its size.
    @Test(arguments: [1, 2, 7, 40, 100_000_000])
    func anyLimitIsAPrefixOfTheFullList(limit: Int) throws {
        let model = try Self.guangdong()
        func ids(_ limit: Int) throws -> [String] {
            let result = try ValueFixture.run(Recruitment(), scope: "CN-GD", options: ["limit": .integer(limit)], model: model)
            return try #require(result.extra["firms"]?.arrayValue).compactMap { $0.objectValue?["firm"]?.stringValue }
        }
        let all = try ids(0)
        #expect(try ids(limit) == Array(all.prefix(limit)))
    }
}

/// `--lang zh`: every word the value analyses write for people is Chinese (ids and names aside).
@Suite struct ValueAnalysesLanguageTests {
    static func hasChinese(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
    }

    /// The English words the analyses write, none of which may appear in the Chinese output.
    static let englishWords = ["supplier", "Firm", "Region", "origin", "Origin", "Recruit", "recruit", "value", "Value",
        "concentrated", "Concentrated", "Component", "product", "Product", "Gain", "Fills", "sole", "Sole", "listed", "Other"]

    static func checkChinese(_ result: AnalysisResult) {
        var texts = [result.headline ?? ""]
        for table in result.tables {
            texts.append(table.title)
            for column in table.columns {
                texts.append(column.help ?? "")
                // Origin columns are titled by region names; HHI is HHI in both languages.
                if column.type != .share || ["other", "largestShare", "score", "valueAtStake"].contains(column.id) {
                    if column.title != "HHI" { texts.append(column.title) }
                }
            }
        }
        texts += (result.legend ?? []).map(\.label)
        texts += (result.annotations ?? [:]).values.compactMap(\.tooltip)
        for text in texts where !text.isEmpty {
            #expect(hasChinese(text), "not Chinese: \(text)")
            for word in englishWords { #expect(!text.contains(word), "English '\(word)' in: \(text)") }
        }
        #expect(texts.count > 5)
    }

    @Test func valueOriginSpeaksChinese() throws {
        let result = try ValueFixture.run(ValueOrigin(), scope: "CN-GD", language: .zh)
        Self.checkChinese(result)
        #expect(result.tables.map(\.title) == ["各整机价值的来源", "各环节供应的来源与集中度"])
        // The JSON keys stay as SPEC §8 says.
        #expect(result.extra.keys == ["group", "roots", "components"])
    }

    @Test func recruitmentSpeaksChinese() throws {
        let result = try ValueFixture.run(Recruitment(), scope: "CN-GD", language: .zh)
        Self.checkChinese(result)
        #expect(result.tables.first?.columns.map(\.id) == ["firm", "region", "domestic", "score", "root", "fills"])
        #expect(result.headline?.hasPrefix("首选招商对象：") == true)
    }

    @Test func criticalFirmsSpeaksChinese() throws {
        let result = try ValueFixture.run(CriticalFirms(), scope: "CN-GD", language: .zh)
        Self.checkChinese(result)
        #expect(result.tables.first?.columns.map(\.title) == ["企业", "地区", "全国单点", "本地单点", "涉及价值", "下游"])
    }

    @Test func criticalFirmsColumnsDifferWhenCutShortAndValueIsAShare() throws {
        let result = try ValueFixture.run(CriticalFirms(), scope: "CN-GD")
        let columns = try #require(result.tables.first?.columns)
        let national = try #require(columns.first { $0.id == "national" })
        let local = try #require(columns.first { $0.id == "local" })
        #expect(national.title.prefix(11) != local.title.prefix(11))
        #expect(columns.first { $0.id == "valueAtStake" }?.type == .share)
    }
}
