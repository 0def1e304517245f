import RoboChainModel
import RoboChainTestSupport
import Testing

/// The compact graph: adjacency both ways, topological order, roots, regions' forest.
@Suite struct ModelGraphTests {
    static let yaml = """
        home: CN-GD-SZ
        regions:
          - {id: CN, name: China}
          - {id: CN-GD, name: Guangdong, parent: CN}
          - {id: CN-GD-SZ, name: Shenzhen, parent: CN-GD}
          - {id: JP, name: Japan}
        components:
          - {id: arm, name: Arm, segment: limbs, requires: [motor, reducer]}
          - {id: humanoid, name: Humanoid, segment: body, requires: [arm, {component: motor, weight: 0.1}]}
          - {id: motor, name: Motor, segment: limbs}
          - {id: reducer, name: Reducer, segment: limbs}
          - {id: cobot, name: Cobot, segment: body, requires: [arm]}
        firms:
          - {id: f1, name: F1, region: CN-GD-SZ, supplies: [motor, arm]}
          - {id: f2, name: F2, region: JP, supplies: [motor]}
          - {id: f0, name: F0, region: CN, supplies: [{component: reducer, share: 0.2}]}
        """

    @Test func adjacencyBothWays() throws {
        let model = try ModelLoader.loadYAML(Self.yaml).model
        let components = model.components
        let arm = try #require(components.index(of: "arm"))
        let humanoid = try #require(components.index(of: "humanoid"))
        let motor = try #require(components.index(of: "motor"))
        #expect(components.requirements(of: humanoid).map { components.ids[components.child(ofRequirement: $0)] } == ["arm", "motor"])
        #expect(components.requirements(of: humanoid).map { components.weight(ofRequirement: $0) } == [nil, 0.1])
        #expect(Set(components.parents(of: motor).map { components.ids[Int($0)] }) == ["arm", "humanoid"])
        #expect(Set(components.parents(of: arm).map { components.ids[Int($0)] }) == ["humanoid", "cobot"])
        #expect(components.roots.map { components.ids[Int($0)] } == ["humanoid", "cobot"])
        #expect(components.isLeaf(motor) && !components.isLeaf(arm))
    }

    @Test func topologicalOrderPutsPartsFirst() throws {
        let model = try ModelLoader.loadYAML(Self.yaml).model
        let components = model.components
        var position = [Int](repeating: 0, count: components.count)
        for (index, component) in components.topologicalOrder.enumerated() { position[Int(component)] = index }
        #expect(components.topologicalOrder.count == components.count)
        for component in 0..<components.count {
            for edge in components.requirements(of: component) {
                #expect(position[components.child(ofRequirement: edge)] < position[component])
            }
        }
    }

    @Test func suppliesAreGroupedByFirmAndIndexedByComponent() throws {
        let model = try ModelLoader.loadYAML(Self.yaml).model
        let motor = try #require(model.components.index(of: "motor"))
        #expect(model.supplies.links(supplying: motor).map { model.firms.ids[model.supplies.firm(of: Int($0))] } == ["f1", "f2"])
        #expect(model.firms.links(of: 0).map { model.components.ids[model.supplies.component(of: $0)] } == ["motor", "arm"])
        #expect(model.supplies.share(of: model.firms.links(of: 2).lowerBound) == 0.2)
    }

    @Test func regionsWithinAndNationalScope() throws {
        let model = try ModelLoader.loadYAML(Self.yaml).model
        let regions = model.regions
        let shenzhen = try #require(regions.index(of: "CN-GD-SZ"))
        let guangdong = try #require(regions.index(of: "CN-GD"))
        let china = try #require(regions.index(of: "CN"))
        let japan = try #require(regions.index(of: "JP"))
        #expect(regions.isWithin(shenzhen, scope: guangdong))
        #expect(regions.isWithin(guangdong, scope: guangdong))
        #expect(!regions.isWithin(guangdong, scope: shenzhen))
        #expect(!regions.isWithin(japan, scope: china))
        #expect(regions.nationalScope(of: shenzhen) == china)
        #expect(regions.nationalScope(of: japan) == japan)
        #expect(regions.withinFlags(scope: guangdong) == [false, true, true, false])
        #expect(model.home == shenzhen)
        #expect(regions.path(of: shenzhen) == [shenzhen, guangdong, china])
    }

    @Test func segmentsDerivedFromComponentsInFirstUseOrder() throws {
        let model = try ModelLoader.loadYAML(Self.yaml).model
        #expect(model.segments.ids == ["limbs", "body"])
        #expect(!model.segments.isDeclared)
    }

    @Test func theBuilderMakesModelsByHand() throws {
        var builder = ModelBuilder()
        builder.addRegion(id: "CN", name: "China")
        builder.addComponent(id: "hand", name: "Dexterous hand", segment: "limbs")
        builder.addFirm(id: "acme", name: "Acme", region: "CN")
        builder.addSupply(firm: "acme", component: "hand")
        let model = try builder.build()
        #expect(model.supplies.count == 1)
        builder.addSupply(firm: "acme", component: "foot")
        #expect(throws: ModelError.unknownReference(SourceLocation(file: "model"), element: "firm 'acme'", field: "supplies",
            kind: .component, id: "foot")) { try builder.build() }
    }
}

/// The default model, `Models/guangdong-robots.yaml`, with the counts `Models/README.md` documents.
@Suite struct GuangdongModelTests {
    static var path: String {
        CommandRunner.packageDirectory.appendingPathComponent("Models/guangdong-robots.yaml").path
    }

    @Test func loadsWithoutWarningsAndHasTheDocumentedCounts() throws {
        let loaded = try ModelLoader.load(path: Self.path)
        let model = loaded.model
        #expect(loaded.warnings.isEmpty)
        #expect(model.id == "guangdong-robots")
        #expect(model.home.map { model.regions.ids[$0] } == "CN-GD")
        #expect(model.regions.count == 31)
        #expect(model.components.count == 46)
        #expect(model.firms.count == 142)
        #expect(model.segments.displayOrder.map { model.segments.ids[$0] } == ["brain", "senses", "limbs", "body"])
        var perSegment: [String: Int] = [:]
        for component in 0..<model.components.count {
            perSegment[model.segments.ids[model.components.segment(of: component)], default: 0] += 1
        }
        #expect(perSegment == ["brain": 11, "senses": 11, "limbs": 17, "body": 7])
    }

    @Test func everyFirmAndWeightHasASource() throws {
        let model = try ModelLoader.load(path: Self.path).model
        for firm in 0..<model.firms.count {
            #expect(model.firms.sources[firm] != nil, "firm \(model.firms.ids[firm]) has no source")
        }
        for edge in 0..<model.components.requirementCount where model.components.weight(ofRequirement: edge) != nil {
            #expect(model.components.requirementSources[edge] != nil, "weighted edge \(edge) has no source")
        }
        for link in 0..<model.supplies.count where model.supplies.share(of: link) != nil {
            #expect(model.supplies.sources[link] != nil || model.firms.sources[model.supplies.firm(of: link)] != nil)
        }
    }

    @Test func coversTheChainTheIssueNames() throws {
        let model = try ModelLoader.load(path: Self.path).model
        let names = model.components.names.joined(separator: "\n")
        for term in ["大模型", "芯片", "操作系统", "小脑", "3D视觉", "触觉", "电子皮肤", "六维力", "编码器", "激光雷达", "谐波减速器",
            "行星", "滚柱丝杠", "无框力矩电机", "空心杯", "伺服", "关节", "灵巧手", "人形机器人", "工业机器人", "服务机器人"]
        {
            #expect(names.contains(term), "no component named with \(term)")
        }
        let cities = Set((0..<model.firms.count).map { model.regions.ids[model.firms.region(of: $0)] })
        #expect(cities.isSuperset(of: ["CN-GD-SZ", "CN-GD-GZ", "CN-GD-FS", "CN-GD-DG"]))
    }
}
