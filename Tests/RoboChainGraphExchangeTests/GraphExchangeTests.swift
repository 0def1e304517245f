import Foundation
import RoboChainAnalysis
import RoboChainGraphExchange
import RoboChainModel
import RoboChainTestSupport
import Testing

/// The chain as GraphML and GEXF: what the graph holds, and what NetworkX reads back.
@Suite struct GraphExchangeTests {
    /// Three components (one with a hostile name), two firms, three regions.
    static func model() throws -> ChainModel {
        var builder = ModelBuilder()
        builder.id = "tiny"
        builder.title = "Tiny <chain> & \"小链\""
        builder.addRegion(id: "CN", name: "China 中国")
        builder.addRegion(id: "CN-GD", name: "Guangdong 广东", parent: "CN")
        builder.addRegion(id: "JP", name: "Japan 日本")
        builder.setHome("CN-GD")
        builder.addSegment(id: "limbs", name: "Limbs 肢体")
        builder.addComponent(id: "robot", name: "Robot <&> \"R\" 'r'", segment: "limbs", note: "bad \u{1} byte")
        builder.addComponent(id: "rv.reducer-1", name: "RV reducer\n\tline two", segment: "limbs")
        builder.addComponent(id: "chip", name: "Chip", segment: "limbs")
        builder.addRequirement(component: "robot", child: "rv.reducer-1", weight: 0.4)
        builder.addRequirement(component: "robot", child: "chip")
        builder.addFirm(id: "f1", name: "Firm \"One\" <&>", region: "CN-GD", source: "a.txt")
        builder.addFirm(id: "f2", name: "Nabtesco", region: "JP")
        builder.addSupply(firm: "f1", component: "rv.reducer-1", share: 0.25, product: "RV-40E")
        builder.addSupply(firm: "f2", component: "rv.reducer-1")
        builder.addSupply(firm: "f2", component: "chip")
        return try builder.build()
    }

    static let results = [
        AnalysisResult(
            analysis: "paint",
            findings: [
                Finding(kind: "k1", severity: .high, message: "m1", component: "rv.reducer-1"),
                Finding(kind: "k2", severity: .low, message: "m2", component: "rv.reducer-1"),
                Finding(kind: "sole", severity: .info, message: "firm message", firm: "f2"),
            ],
            annotations: [
                "robot": Annotation(fill: "#ff0000", badge: "卡脖子", tooltip: "a\nb", border: "#00ff00"),
                "chip": Annotation(fill: "red"),
                "unknown": Annotation(fill: "#123456"),
            ]),
        AnalysisResult(analysis: "second", annotations: ["robot": Annotation(fill: "#0000ff")]),
    ]

    static func graph() throws -> ChainGraph {
        let model = try model()
        return ChainGraph(model: model, results: results, scope: try #require(model.regions.index(of: "CN-GD")))
    }

    @Test func nodesEdgesAndAttributes() throws {
        let graph = try Self.graph()
        #expect(graph.nodes.map(\.id) == ["c.robot", "c.rv.reducer-1", "c.chip", "f.f1", "f.f2", "r.CN", "r.CN-GD", "r.JP"])
        let robot = graph.nodes[0]
        #expect(robot.attributes.entries.map(\.name) == [
            "kind", "label", "segment", "segmentName", "suppliers", "localSuppliers", "note",
            "paint.fill", "paint.badge", "paint.tooltip", "paint.border", "second.fill",
        ])
        #expect(robot.attributes["paint.tooltip"] == .text("a\nb"))
        #expect(robot.colour == "#0000ff")
        let reducer = graph.nodes[1]
        #expect(reducer.attributes["localShare"] == .number(0.25))
        #expect(reducer.attributes["suppliers"] == .integer(2))
        #expect(reducer.attributes["localSuppliers"] == .integer(1))
        #expect(reducer.attributes["paint.kind"] == .text("k1 · k2"))
        #expect(reducer.attributes["paint.severity"] == .text("high · low"))
        #expect(reducer.attributes["paint.message"] == .text("m1\nm2"))
        // A colour that is not #rrggbb is left out; so is the annotation of an unknown component.
        #expect(graph.nodes[2].attributes["paint.fill"] == nil && graph.nodes[2].colour == nil)
        #expect(graph.nodes[4].attributes["paint.kind"] == .text("sole"))
        #expect(graph.nodes[4].attributes["local"] == .boolean(false))
        #expect(graph.nodes[6].attributes["parent"] == .text("CN"))
        #expect(graph.edges.map { "\($0.source)>\($0.target)" } == [
            "c.rv.reducer-1>c.robot", "c.chip>c.robot", "f.f1>c.rv.reducer-1", "f.f2>c.rv.reducer-1", "f.f2>c.chip",
            "f.f1>r.CN-GD", "f.f2>r.JP", "r.CN-GD>r.CN",
        ])
        #expect(graph.edges.map { $0.attributes["weight"] } == [.number(0.4), .number(0.6), .number(0.25), .number(0.75), .number(1), nil, nil, nil])
        #expect(graph.edges[2].attributes["product"] == .text("RV-40E"))
        #expect(graph.edges[1].attributes["weightGiven"] == .boolean(false))
        #expect(graph.attributes["analyses"] == .text("paint, second"))
    }

    /// SPEC §1 ids may be letters of any script; the model loader of this version accepts only
    /// ASCII ids, so the graph's ids are changed after it is built.
    @Test func unicodeIDsSurvive() throws {
        var graph = try Self.graph()
        graph.nodes[0].id = "c.优必选-機器.1"
        graph.edges[0].target = "c.优必选-機器.1"
        graph.edges[1].target = "c.优必选-機器.1"
        let directory = try TemporaryDirectory("exchange")
        defer { directory.remove() }
        for (kind, text) in [("graphml", graph.graphML()), ("gexf", graph.gexf())] {
            let read = try NetworkXReader.read(try directory.write(text, to: "unicode." + kind), kind: kind)
            #expect(read.nodes["c.优必选-機器.1"]?["paint.badge"] == "str:卡脖子")
            #expect(read.edges.filter { $0.target == "c.优必选-機器.1" }.count == 2)
        }
    }

    @Test func sameInputSameText() throws {
        #expect(try Self.graph().graphML() == Self.graph().graphML())
        #expect(try Self.graph().gexf() == Self.graph().gexf())
    }

    /// What NetworkX must read back from either file (GEXF has no graph attributes but the title).
    func checkRead(_ read: NetworkXReader.Graph, gexf: Bool) {
        #expect(read.directed)
        #expect(read.nodes.count == 8)
        #expect(read.edges.count == 8)
        let robot = read.nodes["c.robot"] ?? [:]
        #expect(robot["label"] == "str:Robot <&> \"R\" 'r'")
        #expect(robot["note"] == "str:bad \u{FFFD} byte")
        #expect(robot["paint.tooltip"] == "str:a\nb")
        #expect(robot["paint.badge"] == "str:卡脖子")
        #expect(robot["second.fill"] == "str:#0000ff")
        #expect(robot["localShare"] == nil)
        let reducer = read.nodes["c.rv.reducer-1"] ?? [:]
        #expect(reducer["label"] == "str:RV reducer\n\tline two")
        #expect(reducer["localShare"] == "float:0.25")
        #expect(reducer["suppliers"] == "int:2")
        #expect(reducer["paint.kind"] == "str:k1 · k2")
        #expect(read.nodes["f.f2"]?["local"] == "bool:False")
        #expect(read.nodes["f.f1"]?["source"] == "str:a.txt")
        let requires = read.edges.first { $0.source == "c.chip" && $0.target == "c.robot" }
        #expect(requires?.attributes["kind"] == "str:requires")
        #expect(requires?.attributes["weight"] == "float:0.6")
        #expect(requires?.attributes["weightGiven"] == "bool:False")
        let supply = read.edges.first { $0.source == "f.f1" }
        #expect(supply?.attributes["share"] == "float:0.25")
        #expect(supply?.attributes["product"] == "str:RV-40E")
        if gexf {
            #expect(robot["viz"]?.contains("'r': 0") == true && robot["viz"]?.contains("'b': 255") == true)
        } else {
            #expect(read.attributes["title"] == "str:Tiny <chain> & \"小链\"")
            #expect(read.attributes["scope"] == "str:CN-GD")
        }
    }

    @Test func networkXReadsBothFormats() throws {
        let directory = try TemporaryDirectory("exchange")
        defer { directory.remove() }
        let graph = try Self.graph()
        let graphML = try directory.write(graph.graphML(), to: "tiny.graphml")
        let gexf = try directory.write(graph.gexf(), to: "tiny.gexf")
        checkRead(try NetworkXReader.read(graphML, kind: "graphml"), gexf: false)
        checkRead(try NetworkXReader.read(gexf, kind: "gexf"), gexf: true)
    }

    @Test func guangdongFromTheCommandLine() throws {
        let directory = try TemporaryDirectory("exchange")
        defer { directory.remove() }
        let environment = ["ROBOCHAIN_PLUGIN_PATH": "", "HOME": "/nonexistent-robochain-home"]
        var reads: [NetworkXReader.Graph] = []
        for kind in ["graphml", "gexf"] {
            let path = directory.path + "/guangdong." + kind
            let result = try CommandRunner.robochain(
                ["render", "Models/guangdong-robots.yaml", "--with", "localisation-share", "--with", "gap-detection", "--output", path],
                environment: environment)
            #expect(result.exitStatus == 0, "\(result.standardError)")
            #expect(result.standardError == "")
            reads.append(try NetworkXReader.read(path, kind: kind))
        }
        for read in reads {
            func count(_ kind: String) -> Int { read.nodes.values.filter { $0["kind"] == "str:" + kind }.count }
            #expect(count("component") == 46)
            #expect(count("firm") == 148)
            #expect(count("region") > 0)
            let reducer = read.nodes["c.rv-reducer"] ?? [:]
            #expect(reducer["gap-detection.kind"] == "str:no-local-supplier")
            #expect(reducer["localShare"] == "float:0.0")
            #expect(reducer["localisation-share.fill"]?.hasPrefix("str:#") == true)
            let requires = read.edges.filter { $0.attributes["kind"] == "str:requires" }
            #expect(!requires.isEmpty)
            for edge in requires {
                let weight = Double(edge.attributes["weight"]?.dropFirst(6) ?? "") ?? -1
                #expect(weight > 0 && weight <= 1, "\(edge.source) → \(edge.target): \(weight)")
                #expect(read.nodes[edge.source]?["kind"] == "str:component" && read.nodes[edge.target]?["kind"] == "str:component")
            }
            #expect(read.edges.filter { $0.attributes["kind"] == "str:supplies" }.count
                == read.nodes.values.reduce(0) { $0 + (Int($1["suppliers"]?.dropFirst(4) ?? "") ?? 0) })
        }
        // Both files say the same about every node.
        #expect(Set(reads[0].nodes.keys) == Set(reads[1].nodes.keys))
        for (id, attributes) in reads[0].nodes {
            #expect(attributes == reads[1].nodes[id]?.filter { $0.key != "viz" }, "\(id)")
        }
    }

    @Test(arguments: [
        (["--output", "map.svg", "--format", "graphml"], "--format graphml does not match the extension of 'map.svg' (svg)"),
        (["--output", "map.gexf", "--format", "dot"], "--format dot does not match the extension of 'map.gexf' (gexf)"),
        (["--output", "map.txt"], "cannot tell the format from 'map.txt'"),
    ])
    func formatAndExtensionMustAgree(arguments: [String], message: String) throws {
        let directory = try TemporaryDirectory("exchange")
        defer { directory.remove() }
        let result = try CommandRunner.robochain(
            ["render", CommandRunner.packageDirectory.path + "/Models/guangdong-robots.yaml"] + arguments, directory: directory.url)
        #expect(result.exitStatus == 64)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
