@testable import GapDetection
import LocalisationShare
import RoboChainAnalysis
import RoboChainJSON
import RoboChainModel
import Testing

/// A model built so that every rule of SPEC §2–3 shows, with the expected values worked out by
/// hand in the comments.
///
/// Regions: CN > CN-GD > CN-GD-SZ, CN > CN-SH, JP.
/// Requires: r1 → a (0.4), b (none: gets 1 − 0.4 = 0.6); r2 → a, c (none given: ½ each);
/// a → x (0.5; own 0.5); b → x (0.2), y (0.3) (own 0.5). x is reached along two paths (a diamond).
/// z is a root requiring nothing. Roots: r1, r2, z.
/// Value weights: V_r1 = {r1 1, a .4, b .6, x .4·.5 + .6·.2 = .32, y .6·.3 = .18};
/// V_r2 = {r2 1, a .5, c .5, x .25}; V_z = {z 1}. valueWeight = max over roots.
enum Fixture {
    static let yaml = """
        id: fixture
        home: CN-GD
        regions:
          - {id: CN, name: China}
          - {id: CN-GD, name: Guangdong, parent: CN}
          - {id: CN-GD-SZ, name: Shenzhen, parent: CN-GD}
          - {id: CN-SH, name: Shanghai, parent: CN}
          - {id: JP, name: Japan}
        segments:
          - {id: brain, name: Brain, order: 1}
          - {id: senses, name: Senses, order: 2}
          - {id: limbs, name: Limbs, order: 3}
          - {id: body, name: Whole robots, order: 4}
        components:
          - {id: r1, name: Robot one, segment: body, requires: [{component: a, weight: 0.4}, b]}
          - {id: r2, name: Robot two, segment: body, requires: [a, c]}
          - {id: a, name: Arm, segment: limbs, requires: [{component: x, weight: 0.5}]}
          - {id: b, name: Base, segment: limbs, requires: [{component: x, weight: 0.2}, {component: y, weight: 0.3}]}
          - {id: c, name: Computer, segment: brain}
          - {id: x, name: Sensor X, segment: senses}
          - {id: y, name: Sensor Y, segment: senses}
          - {id: z, name: Zed kit, segment: body}
        firms:
          - {id: sz1, name: Shenzhen One, region: CN-GD-SZ, supplies: [{component: x, share: 0.3}, a, r2, {component: z, share: 0.1}]}
          - {id: gz1, name: Guangdong One, region: CN-GD, supplies: [a, r1, r2, {component: z, share: 0.1}]}
          - {id: sh1, name: Shanghai One, region: CN-SH, supplies: [{component: x, share: 0.5}, b, r2]}
          - {id: jp1, name: Japan One, region: JP, supplies: [x, y, {component: z, share: 0.8}]}
          - {id: jp2, name: Japan Two, region: JP, supplies: [{component: y, share: 0.4}, {component: b, share: 0.9}]}
        """

    static let model: ChainModel = {
        do {
            return try ModelLoader.loadYAML(yaml, file: "fixture.yaml").model
        } catch {
            preconditionFailure("the fixture does not load: \(error)")
        }
    }()

    static func request(scope: String, options: [String: OptionValue] = [:], analysis: some Analysis) throws -> AnalysisRequest {
        let index = try #require(model.regions.index(of: scope))
        let values = try OptionValues(declarations: analysis.options, overrides: options, analysis: analysis.name)
        return AnalysisRequest(model: model, scope: index, options: values)
    }

    /// (component, kind, severity, local, suppliers, dependents, valueWeight, candidates)
    static func summary(_ finding: Finding) -> String {
        let details = finding.details
        let candidates = (details["candidates"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: " ")
        return "\(finding.component ?? "") \(finding.kind) \(finding.severity.rawValue) "
            + "\(Int(details["localSuppliers"]?.numberValue ?? -1))/\(Int(details["suppliers"]?.numberValue ?? -1)) "
            + "dependents \(Int(details["dependents"]?.numberValue ?? -1)) "
            + "value \(String(format2(details["valueWeight"]?.numberValue ?? -1))) [\(candidates)]"
    }

    static func format2(_ value: Double) -> String {
        String((value * 100).rounded() / 100)
    }
}

@Suite struct GapDetectionTests {
    func findings(scope: String, options: [String: OptionValue] = [:]) throws -> [String] {
        let analysis = GapDetection()
        let result = try analysis.run(try Fixture.request(scope: scope, options: options, analysis: analysis))
        return (result.findings ?? []).map(Fixture.summary)
    }

    /// Scope CN-GD, τ = 0.3. D: x .3 (sz1 .3 of 1.0), y 0, a 1, b 0, r1 1, r2 2/3, z .2 (.1 + .1 of 1.0).
    /// y has no supplier in CN: foreign-only, candidates jp2 (share .4) before jp1 (none).
    /// b: none in CN-GD, sh1 in CN: no-local-supplier, sh1 (domestic) before jp2 (share .9).
    /// r1, x: one local supplier each. z: two local, D .2 < .3. c: unsupplied. a, r2: fine.
    /// Order: severity, then value weight (r1 1 before x .32), then id.
    @Test func provinceScope() throws {
        #expect(try findings(scope: "CN-GD") == [
            "y foreign-only critical 0/2 dependents 2 value 0.18 [jp2 jp1]",
            "b no-local-supplier high 0/2 dependents 1 value 0.6 [sh1 jp2]",
            "r1 single-local-source medium 1/1 dependents 0 value 1.0 []",
            "x single-local-source medium 1/3 dependents 4 value 0.32 []",
            "z low-local-share low 2/3 dependents 0 value 1.0 []",
            "c unsupplied info 0/0 dependents 1 value 0.5 []",
        ])
    }

    /// Scope = a country: N = S. x has sz1 and sh1 (D .8); b has sh1 only; r2 three local.
    @Test func countryScope() throws {
        #expect(try findings(scope: "CN") == [
            "y foreign-only critical 0/2 dependents 2 value 0.18 [jp2 jp1]",
            "r1 single-local-source medium 1/1 dependents 0 value 1.0 []",
            "b single-local-source medium 1/2 dependents 1 value 0.6 []",
            "z low-local-share low 2/3 dependents 0 value 1.0 []",
            "c unsupplied info 0/0 dependents 1 value 0.5 []",
        ])
    }

    /// Scope = a city: r1's only supplier is in Guangdong but not Shenzhen; ties on value weight
    /// (r2, z both 1) go by id.
    @Test func cityScope() throws {
        #expect(try findings(scope: "CN-GD-SZ") == [
            "y foreign-only critical 0/2 dependents 2 value 0.18 [jp2 jp1]",
            "r1 no-local-supplier high 0/1 dependents 0 value 1.0 [gz1]",
            "b no-local-supplier high 0/2 dependents 1 value 0.6 [sh1 jp2]",
            "r2 single-local-source medium 1/3 dependents 0 value 1.0 []",
            "z single-local-source medium 1/3 dependents 0 value 1.0 []",
            "a single-local-source medium 1/2 dependents 2 value 0.5 []",
            "x single-local-source medium 1/3 dependents 4 value 0.32 []",
            "c unsupplied info 0/0 dependents 1 value 0.5 []",
        ])
    }

    @Test func thresholdAndCandidatesOptions() throws {
        let found = try findings(scope: "CN-GD", options: ["threshold": .number(0.1), "candidates": .integer(1)])
        #expect(found == [
            "y foreign-only critical 0/2 dependents 2 value 0.18 [jp2]",
            "b no-local-supplier high 0/2 dependents 1 value 0.6 [sh1]",
            "r1 single-local-source medium 1/1 dependents 0 value 1.0 []",
            "x single-local-source medium 1/3 dependents 4 value 0.32 []",
            "c unsupplied info 0/0 dependents 1 value 0.5 []",
        ])
    }

    @Test func negativeCandidatesIsRejected() throws {
        let analysis = GapDetection()
        #expect(throws: AnalysisError.invalidOption(analysis: "gap-detection", option: "candidates", problem: "must be 0 or more, not -1")) {
            try analysis.validate(try Fixture.request(scope: "CN-GD", options: ["candidates": .integer(-1)], analysis: analysis).options)
        }
    }

    @Test func messagesAreSentences() throws {
        let analysis = GapDetection()
        let result = try analysis.run(try Fixture.request(scope: "CN-GD", analysis: analysis))
        #expect(result.findings?.map(\.message) == [
            "No supplier of Sensor Y is in China (CN): all 2 suppliers are abroad (卡脖子 candidate); e.g. Japan Two, Japan One.",
            "No supplier of Base is in Guangdong (CN-GD); 1 supplier elsewhere in China (CN) (补链 gap); recruitment candidates: Shanghai One, Japan Two.",
            "Robot one has a single supplier in Guangdong (CN-GD), Guangdong One, out of 1 supplier (local share 100 %).",
            "Sensor X has a single supplier in Guangdong (CN-GD), Shenzhen One, out of 3 suppliers (local share 30 %).",
            "Suppliers in Guangdong (CN-GD) provide 20 % of Zed kit, below the 30 % threshold.",
            "Computer has no supplier in the model: a data gap to research.",
        ])
        #expect(result.annotations?["y"]?.badge == "卡脖子")
        #expect(result.annotations?["a"] == nil)
        let lone = try ModelLoader.loadYAML("""
            regions: [{id: CN, name: China}, {id: JP, name: Japan}]
            components: [{id: p, name: Part, segment: s}]
            firms: [{id: j, name: Jay, region: JP, supplies: [p]}]
            """).model
        let values = try OptionValues(declarations: analysis.options, analysis: analysis.name)
        let loneResult = try analysis.run(AnalysisRequest(model: lone, scope: 0, options: values))
        #expect(loneResult.findings?.first?.message == "No supplier of Part is in China (CN): its only supplier is abroad (卡脖子 candidate); e.g. Jay.")
    }
}

extension GapDetectionTests {
    /// A builder with China (CN), its Guangdong (CN-GD, the scope) and Shanghai (CN-SH), and
    /// Japan (JP): in scope, in the country, abroad.
    static func threeRegions() -> ModelBuilder {
        var builder = ModelBuilder()
        builder.addRegion(id: "CN", name: "China")
        builder.addRegion(id: "CN-GD", name: "Guangdong", parent: "CN")
        builder.addRegion(id: "CN-SH", name: "Shanghai", parent: "CN")
        builder.addRegion(id: "JP", name: "Japan")
        return builder
    }

    /// The recruitment candidates (kept in one pass over the links when at most
    /// `GapDetection.keptCandidates` are asked for, looked up finding by finding above that) and
    /// the one local supplier of a single-local-source finding follow their definition on random
    /// models with tied shares and firm ids out of the firms' order: suppliers outside the scope,
    /// those in the country first, then by share descending (none counts as 0), then by firm id.
    @Test func candidatesFollowTheirDefinitionOnRandomModels() throws {
        var generator = SplitMix(seed: 11)
        let analysis = GapDetection()
        var checked = (candidates: 0, local: 0)
        for trial in 0..<8 {
            var builder = Self.threeRegions()
            let componentCount = 40
            for index in 0..<componentCount { builder.addComponent(id: "c\(index)", name: "Part \(index)", segment: "s") }
            let shares: [Double?] = [nil, nil, 0.1, 0.2, 0.2]
            for firm in 0..<120 {
                let id = "f\(firm * 7919 % 1000)"
                let draw = generator.next() % 8
                builder.addFirm(id: id, name: "Firm \(id)", region: draw == 0 ? "CN-GD" : draw < 4 ? "CN-SH" : "JP")
                var supplied = Set<Int>()
                for _ in 0..<(1 + Int(generator.next() % 5)) { supplied.insert(Int(generator.next() % UInt64(componentCount))) }
                for component in supplied.sorted() {
                    builder.addSupply(firm: id, component: "c\(component)", share: shares[Int(generator.next() % 5)])
                }
            }
            let model = try builder.build()
            let scope = try #require(model.regions.index(of: "CN-GD"))
            let componentIndex = Dictionary(uniqueKeysWithValues: model.components.ids.enumerated().map { ($1, $0) })
            func region(_ firm: Int) -> String { model.regions.ids[model.firms.region(of: firm)] }
            for limit in [0, 1, 3, GapDetection.keptCandidates, GapDetection.keptCandidates + 1, 30, 1_000_000_000] {
                let values = try OptionValues(declarations: analysis.options, overrides: ["candidates": .integer(limit)],
                    analysis: analysis.name)
                let result = try analysis.run(AnalysisRequest(model: model, scope: scope, options: values))
                for finding in result.findings ?? [] {
                    let component = try #require(finding.component.flatMap { componentIndex[$0] })
                    let firms = model.supplies.links(supplying: component).map { model.supplies.firm(of: Int($0)) }
                    let shareOf = Dictionary(uniqueKeysWithValues: model.supplies.links(supplying: component).map {
                        (model.supplies.firm(of: Int($0)), model.supplies.share(of: Int($0)) ?? 0)
                    })
                    let candidates = finding.details["candidates"]?.arrayValue?.compactMap(\.stringValue) ?? []
                    switch finding.kind {
                    case "foreign-only", "no-local-supplier":
                        let expected = firms.filter { region($0) != "CN-GD" }.sorted { left, right in
                            let leftDomestic = region(left) == "CN-SH"
                            if leftDomestic != (region(right) == "CN-SH") { return leftDomestic }
                            if shareOf[left]! != shareOf[right]! { return shareOf[left]! > shareOf[right]! }
                            return model.firms.ids[left] < model.firms.ids[right]
                        }.prefix(limit).map { model.firms.ids[$0] }
                        #expect(candidates == expected, "trial \(trial), limit \(limit), \(finding.component!)")
                        checked.candidates += 1
                    case "single-local-source":
                        let local = try #require(firms.first { region($0) == "CN-GD" })
                        #expect(finding.message.contains(", \(model.firms.names[local]), out of"), "trial \(trial): \(finding.message)")
                        #expect(candidates.isEmpty)
                        checked.local += 1
                    default:
                        #expect(candidates.isEmpty)
                    }
                }
            }
        }
        // The random models do have both kinds of finding, with several candidates each.
        #expect(checked.candidates > 100 && checked.local > 100)
    }

    /// The facts gathered from two parts of the supply links and merged are those of one pass
    /// over them all, wherever the links are cut: the same candidates in the same order, and
    /// the same local supplier (the first met). A large model is cut in two this way; the
    /// random models here are cut at every link.
    @Test func localFactsOfTwoPartsMergeToThoseOfOnePass() throws {
        var generator = SplitMix(seed: 29)
        var compared = 0
        for _ in 0..<4 {
            var builder = Self.threeRegions()
            for index in 0..<12 { builder.addComponent(id: "c\(index)", name: "Part \(index)", segment: "s") }
            let shares: [Double?] = [nil, 0.1, 0.2, 0.2]
            for firm in 0..<40 {
                let id = "f\(firm * 7919 % 100)"
                let draw = generator.next() % 6
                builder.addFirm(id: id, name: id, region: draw == 0 ? "CN-GD" : draw < 3 ? "CN-SH" : "JP")
                var supplied = Set<Int>()
                for _ in 0..<(1 + Int(generator.next() % 4)) { supplied.insert(Int(generator.next() % 12)) }
                for component in supplied.sorted() {
                    builder.addSupply(firm: id, component: "c\(component)", share: shares[Int(generator.next() % 4)])
                }
            }
            let model = try builder.build()
            let supply = LocalSupply(model: model, scope: try #require(model.regions.index(of: "CN-GD")))
            let found: [(component: Int, kind: GapDetection.Kind)] = (0..<12).map { component in
                (component, component % 3 == 0 ? .singleLocalSource : component % 3 == 1 ? .foreignOnly : .noLocalSupplier)
            }
            for limit in [1, 3, GapDetection.keptCandidates] {
                let slots = GapDetection.LocalFacts.Slots(found, components: 12, limit: limit)
                let links = model.supplies.count
                let whole = GapDetection.localFacts(slots, links: 0..<links, model: model, supply: supply)
                for cut in 0...links {
                    let merged = GapDetection.localFacts(slots, links: 0..<cut, model: model, supply: supply)
                        .merged(with: GapDetection.localFacts(slots, links: cut..<links, model: model, supply: supply), ids: model.firms.ids)
                    for component in 0..<12 {
                        #expect(merged.candidates(of: component) == whole.candidates(of: component), "limit \(limit), cut \(cut)")
                        #expect(merged.onlyLocalFirm(of: component) == whole.onlyLocalFirm(of: component), "cut \(cut)")
                    }
                    compared += 1
                }
                // Some candidates are kept: the comparison is not of empty lists.
                #expect((0..<12).contains { (whole.candidates(of: $0)?.count ?? 0) >= limit })
            }
        }
        #expect(compared > 200)
    }
}

@Suite struct LocalisationShareTests {
    func result(scope: String) throws -> AnalysisResult {
        let analysis = LocalisationShare()
        return try analysis.run(try Fixture.request(scope: scope, analysis: analysis))
    }

    func number(_ value: JSONValue?) -> Double? { value?.numberValue }

    /// D as in the gap tests. Rolled up (CN-GD): a = (.5·1 + .5·.3)/1 = .65; b = (0 + .2·.3 + .3·0)/1 = .06;
    /// r1 = (.4·.65 + .6·.06)/1 = .296 (own 0); r2 = .5·.65/.5 = .65 (c has no R); leaves R = D.
    @Test func directAndRolledUpShares() throws {
        let components = try #require(try result(scope: "CN-GD").extra["components"]?.objectValue)
        let expected: [(String, Double?, Double?, Int, Int)] = [
            ("r1", 1, 0.296, 1, 1), ("r2", 2.0 / 3, 0.65, 2, 3), ("a", 1, 0.65, 2, 2), ("b", 0, 0.06, 0, 2),
            ("c", nil, nil, 0, 0), ("x", 0.3, 0.3, 1, 3), ("y", 0, 0, 0, 2), ("z", 0.2, 0.2, 2, 3),
        ]
        #expect(components.keys == expected.map(\.0))
        for (id, direct, rolledUp, local, suppliers) in expected {
            let entry = try #require(components[id]?.objectValue)
            #expect(entry.keys == ["localSuppliers", "suppliers", "direct", "rolledUp"])
            #expect(close(number(entry["direct"]), direct), "direct of \(id)")
            #expect(close(number(entry["rolledUp"]), rolledUp), "rolledUp of \(id)")
            #expect(number(entry["localSuppliers"]) == Double(local))
            #expect(number(entry["suppliers"]) == Double(suppliers))
        }
    }

    /// Segment shares per root, Σ V·own·D ÷ Σ V·own over reached components with D:
    /// r1: limbs (.4·.5·1 + .6·.5·0)/.5 = .4; senses (.32·.3 + .18·0)/.5 = .192; body own 0 → null;
    /// brain none → null. r2: limbs 1, senses .3, brain null (c unsupplied), body null. z: body .2.
    @Test func segmentSharesAndCoverage() throws {
        let result = try result(scope: "CN-GD")
        let segments = try #require(result.extra["segments"]?.objectValue)
        #expect(segments.keys == ["r1", "r2", "z"])
        let expected: [String: [Double?]] = [
            "r1": [nil, 0.192, 0.4, nil], "r2": [nil, 0.3, 1, nil], "z": [nil, nil, nil, 0.2],
        ]
        for (root, shares) in expected {
            let object = try #require(segments[root]?.objectValue)
            #expect(object.keys == ["brain", "senses", "limbs", "body"])
            for (segment, share) in zip(object.keys, shares) {
                #expect(close(number(object[segment]), share), "\(root) \(segment)")
                if share == nil { #expect(object[segment] == .null) }
            }
        }
        // Coverage: brain c ✗ → 0; senses x ✓ y ✗ → ½; limbs a ✓ b ✗ → ½; body r1 r2 z ✓ → 1.
        let coverage = try #require(result.extra["coverage"]?.objectValue)
        #expect(coverage.keys == ["brain", "senses", "limbs", "body"])
        #expect(coverage.members.map { $0.value.numberValue } == [0, 0.5, 0.5, 1])
        let roots = try #require(result.extra["roots"]?.objectValue)
        #expect(roots.keys == ["r1", "r2", "z"])
        #expect(close(number(roots["r1"]), 0.296) && close(number(roots["r2"]), 0.65) && close(number(roots["z"]), 0.2))
    }

    /// Country scope: x is .3 + .5 = .8 local; b .1 (sh1 gets the .1 left over by jp2's .9).
    @Test func countryScopeShares() throws {
        let components = try #require(try result(scope: "CN").extra["components"]?.objectValue)
        #expect(close(number(components["x"]?.objectValue?["direct"]), 0.8))
        #expect(close(number(components["b"]?.objectValue?["direct"]), 0.1))
        #expect(close(number(components["r2"]?.objectValue?["direct"]), 1))
    }

    @Test func sharesSummingToZeroCountEveryLinkAsOne() throws {
        let model = try ModelLoader.loadYAML("""
            regions: [{id: CN, name: China}, {id: JP, name: Japan}]
            components: [{id: p, name: P, segment: s}]
            firms:
              - {id: f1, name: F1, region: CN, supplies: [{component: p, share: 0}]}
              - {id: f2, name: F2, region: JP, supplies: [{component: p, share: 0}]}
              - {id: f3, name: F3, region: JP, supplies: [p]}
            """).model
        // Given shares sum to 0; f3 gets max(0, 1 − 0) = 1: total 1, local 0.
        #expect(LocalSupply(model: model, scope: 0).direct(0) == 0)
        let zero = try ModelLoader.loadYAML("""
            regions: [{id: CN, name: China}, {id: JP, name: Japan}]
            components: [{id: p, name: P, segment: s}]
            firms:
              - {id: f1, name: F1, region: CN, supplies: [{component: p, share: 0}]}
              - {id: f2, name: F2, region: JP, supplies: [{component: p, share: 0}]}
            """).model
        // Total weight 0: every link weighs 1 instead.
        #expect(LocalSupply(model: zero, scope: 0).direct(0) == 0.5)
    }

    func close(_ left: Double?, _ right: Double?) -> Bool {
        switch (left, right) {
        case (nil, nil): true
        case let (.some(a), .some(b)): abs(a - b) <= 1e-12
        default: false
        }
    }
}

@Suite struct MeasureTests {
    @Test func dependentsCountDistinctAncestors() {
        // x is required by a and b, which are required by r1 (and a by r2): 4 distinct ancestors.
        let counts = ChainMeasures.dependentCounts(model: Fixture.model)
        let byID = Dictionary(uniqueKeysWithValues: zip(Fixture.model.components.ids, counts.map(Int.init)))
        #expect(byID == ["r1": 0, "r2": 0, "a": 2, "b": 1, "c": 1, "x": 4, "y": 2, "z": 0])
    }

    @Test func dependentsAcrossManyBlocks() throws {
        // A chain of 3,000 components (more than two 1,024-assembly blocks): the k-th from the
        // top has k ancestors; plus a leaf every assembly requires (3,000 − 1 … all of them).
        var builder = ModelBuilder()
        builder.addRegion(id: "CN", name: "China")
        let count = 3000
        for index in 0..<count {
            builder.addComponent(id: "c\(index)", name: "C\(index)", segment: "s")
            if index > 0 { builder.addRequirement(component: "c\(index - 1)", child: "c\(index)") }
        }
        builder.addComponent(id: "leaf", name: "Leaf", segment: "s")
        for index in 0..<count { builder.addRequirement(component: "c\(index)", child: "leaf") }
        let model = try builder.build()
        let counts = ChainMeasures.dependentCounts(model: model)
        for index in [0, 1, 1023, 1024, 1025, 2047, 2048, 2999] {
            #expect(counts[index] == Int32(index))
        }
        #expect(counts[count] == Int32(count))
        // The sparse pass gives up past its budget; the blocked closure must agree.
        #expect(ChainMeasures.dependentCounts(model: model, sparseBudget: 1000) == counts)
        #expect(ChainMeasures.blockedDependentCounts(model: model) == counts)
    }

    @Test func bothDependentAlgorithmsAgreeOnRandomGraphs() throws {
        var generator = SplitMix(seed: 42)
        for trial in 0..<20 {
            var builder = ModelBuilder()
            builder.addRegion(id: "CN", name: "China")
            let count = 50 + Int(generator.next() % 300)
            for index in 0..<count { builder.addComponent(id: "c\(index)", name: "C", segment: "s") }
            for parent in 0..<count {
                var children = Set<Int>()
                for _ in 0..<Int(generator.next() % 4) where parent + 1 < count {
                    children.insert(parent + 1 + Int(generator.next() % UInt64(count - parent - 1)))
                }
                for child in children.sorted() { builder.addRequirement(component: "c\(parent)", child: "c\(child)") }
            }
            let model = try builder.build()
            let sparse = ChainMeasures.dependentCounts(model: model)
            #expect(ChainMeasures.blockedDependentCounts(model: model) == sparse, "trial \(trial)")
            // And both agree with a walk per component (the definition).
            for component in 0..<count {
                var seen = Set<Int32>()
                var stack = Array(model.components.parents(of: component))
                while let parent = stack.popLast() {
                    guard seen.insert(parent).inserted else { continue }
                    stack += model.components.parents(of: Int(parent))
                }
                #expect(Int32(seen.count) == sparse[component], "trial \(trial), component \(component)")
            }
        }
    }

    @Test func valueWeightsAddUpAlongPaths() {
        let cost = CostStructure(model: Fixture.model)
        let weights = ChainMeasures.maximumValueWeights(model: Fixture.model, cost: cost)
        let byID = Dictionary(uniqueKeysWithValues: zip(Fixture.model.components.ids, weights))
        let expected: [String: Double] = ["r1": 1, "r2": 1, "a": 0.5, "b": 0.6, "c": 0.5, "x": 0.32, "y": 0.18, "z": 1]
        for (id, weight) in expected { #expect(abs(byID[id]! - weight) < 1e-12, "\(id)") }
        // Own value added: r1 and r2 pass everything to their parts; a and b keep half.
        #expect(cost.ownShare.map { ($0 * 100).rounded() / 100 } == [0, 0, 0.5, 0.5, 1, 1, 1, 1])
    }
}

/// A small deterministic random number generator for the tests (SplitMix64).
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
