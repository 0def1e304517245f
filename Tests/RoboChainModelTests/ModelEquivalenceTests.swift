import Foundation
import RoboChainJSON
import RoboChainModel
import RoboChainTestSupport
import Testing

/// The YAML, JSON and CSV forms of one model load to equal models.
@Suite struct ModelEquivalenceTests {
    static let yaml = """
        id: mini
        title: Mini chain 迷你
        home: CN-GD
        regions:
          - {id: CN, name: China 中国}
          - {id: CN-GD, name: Guangdong 广东, parent: CN, source: ISO 3166-2}
          - {id: CN-GD-SZ, name: Shenzhen 深圳, parent: CN-GD}
          - {id: JP, name: Japan 日本, note: "foreign, for the gap"}
        segments:
          - {id: limbs, name: Limbs 肢体, order: 2}
          - {id: body, name: Whole robots 整机, order: 1}
        components:
          - id: humanoid
            name: Humanoid robot 人形机器人
            segment: body
            requires:
              - {component: joint, weight: 0.45, source: "Brokerage BOM, 2024"}
              - {component: hand}
          - {id: joint, name: "Joint module, rotary", segment: limbs, requires: [{component: reducer, weight: 0.3, note: "strain wave"}]}
          - {id: reducer, name: Harmonic reducer 谐波减速器, segment: limbs, note: "the classic \\"choke point\\""}
          - {id: hand, name: Dexterous hand 灵巧手, segment: limbs}
        firms:
          - id: ubtech
            name: UBTech 优必选
            region: CN-GD-SZ
            supplies:
              - {component: humanoid, product: Walker S}
              - {component: hand}
            source: 000_e840a1117eb21c1e.txt
          - {id: hds, name: Harmonic Drive Systems, region: JP, supplies: [{component: reducer, share: 0.6}]}
          - {id: leaderdrive, name: Leaderdrive 绿的谐波, region: CN, supplies: [reducer]}
        """

    static func csvDirectory() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("equivalence")
        try directory.write("""
            id,name,parent,source,note
            CN,China 中国,,,
            CN-GD,Guangdong 广东,CN,ISO 3166-2,
            CN-GD-SZ,Shenzhen 深圳,CN-GD,,
            JP,Japan 日本,,,"foreign, for the gap"

            """, to: "regions.csv")
        try directory.write("id,name,order\nlimbs,Limbs 肢体,2\nbody,Whole robots 整机,1\n", to: "segments.csv")
        try directory.write(#"""
            id,name,segment,note
            humanoid,Humanoid robot 人形机器人,body,
            joint,"Joint module, rotary",limbs,
            reducer,Harmonic reducer 谐波减速器,limbs,"the classic ""choke point"""
            hand,Dexterous hand 灵巧手,limbs,

            """#, to: "components.csv")
        // Requirements and supplies in another order than the YAML: loading groups them.
        try directory.write("""
            parent,child,weight,source,note
            joint,reducer,0.3,,strain wave
            humanoid,joint,0.45,"Brokerage BOM, 2024",
            humanoid,hand,,,

            """, to: "requires.csv")
        try directory.write("""
            id,name,region,source
            ubtech,UBTech 优必选,CN-GD-SZ,000_e840a1117eb21c1e.txt
            hds,Harmonic Drive Systems,JP,
            leaderdrive,Leaderdrive 绿的谐波,CN,

            """, to: "firms.csv")
        try directory.write("""
            firm,component,share,product
            leaderdrive,reducer,,
            ubtech,humanoid,,Walker S
            hds,reducer,0.6,
            ubtech,hand,,

            """, to: "supplies.csv")
        return directory
    }

    /// Equal in every element; CSV has no id, title or home.
    static func sameElements(_ left: ChainModel, _ right: ChainModel) -> Bool {
        left.regions == right.regions && left.segments == right.segments && left.components == right.components
            && left.firms == right.firms && left.supplies == right.supplies
    }

    @Test func yamlAndCSVLoadEqual() throws {
        let fromYAML = try ModelLoader.loadYAML(Self.yaml).model
        let directory = try Self.csvDirectory()
        defer { directory.remove() }
        let fromCSV = try ModelLoader.loadCSV(directory: directory.path).model
        #expect(Self.sameElements(fromYAML, fromCSV))
        #expect(fromYAML.home == 1 && fromCSV.home == nil)
        #expect(fromYAML.supplies.products[0] == "Walker S")
        #expect(fromCSV.components.notes[2] == "the classic \"choke point\"")
    }

    @Test func aByteOrderMarkChangesNothing() throws {
        let plain = try ModelLoader.loadYAML(Self.yaml).model
        let marked = try ModelLoader.loadYAML([0xEF, 0xBB, 0xBF] + Array(Self.yaml.utf8), file: "model.yaml").model
        #expect(marked == plain)
        let json = plain.encodedJSON()
        #expect(try ModelLoader.loadJSON([0xEF, 0xBB, 0xBF] + json, file: "mini.json").model == plain)
    }

    @Test func jsonRoundTripIsEqual() throws {
        let fromYAML = try ModelLoader.loadYAML(Self.yaml).model
        let json = fromYAML.encodedJSON()
        let fromJSON = try ModelLoader.loadJSON(json, file: "mini.json").model
        #expect(fromJSON == fromYAML)
    }

    @Test func theGuangdongModelRoundTripsThroughJSONAndCSV() throws {
        let path = CommandRunner.packageDirectory.appendingPathComponent("Models/guangdong-robots.yaml").path
        let model = try ModelLoader.load(path: path).model
        #expect(try ModelLoader.loadJSON(model.encodedJSON(), file: "g.json").model == model)
        let directory = try TemporaryDirectory("guangdong-csv")
        defer { directory.remove() }
        try CSVExport.write(model, to: directory)
        #expect(Self.sameElements(try ModelLoader.loadCSV(directory: directory.path).model, model))
    }
}

/// Writes a model as a CSV directory (test helper; quoting per RFC 4180).
enum CSVExport {
    static func cell(_ text: String?) -> String {
        guard let text else { return "" }
        guard text.contains(where: { ",\"\n\r".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func number(_ value: Double?) -> String {
        value.map { String(describing: $0) } ?? ""
    }

    static func write(_ model: ChainModel, to directory: TemporaryDirectory) throws {
        var rows = ["id,name,parent,source,note"]
        for region in 0..<model.regions.count {
            rows.append([model.regions.ids[region], model.regions.names[region],
                model.regions.parent(of: region).map { model.regions.ids[$0] }, model.regions.sources[region],
                model.regions.notes[region]].map(cell).joined(separator: ","))
        }
        try directory.write(rows.joined(separator: "\n") + "\n", to: "regions.csv")
        rows = ["id,name,order,source,note"]
        for segment in 0..<model.segments.count {
            rows.append([model.segments.ids[segment], model.segments.names[segment], model.segments.orders[segment].map(String.init),
                model.segments.sources[segment], model.segments.notes[segment]].map(cell).joined(separator: ","))
        }
        try directory.write(rows.joined(separator: "\n") + "\n", to: "segments.csv")
        rows = ["id,name,segment,source,note"]
        var requires = ["parent,child,weight,source,note"]
        for component in 0..<model.components.count {
            rows.append([model.components.ids[component], model.components.names[component],
                model.segments.ids[model.components.segment(of: component)], model.components.sources[component],
                model.components.notes[component]].map(cell).joined(separator: ","))
            for edge in model.components.requirements(of: component) {
                requires.append([model.components.ids[component], model.components.ids[model.components.child(ofRequirement: edge)],
                    number(model.components.weight(ofRequirement: edge)), model.components.requirementSources[edge],
                    model.components.requirementNotes[edge]].map(cell).joined(separator: ","))
            }
        }
        try directory.write(rows.joined(separator: "\n") + "\n", to: "components.csv")
        try directory.write(requires.joined(separator: "\n") + "\n", to: "requires.csv")
        rows = ["id,name,region,source,note"]
        var supplies = ["firm,component,share,product,source,note"]
        for firm in 0..<model.firms.count {
            rows.append([model.firms.ids[firm], model.firms.names[firm], model.regions.ids[model.firms.region(of: firm)],
                model.firms.sources[firm], model.firms.notes[firm]].map(cell).joined(separator: ","))
            for link in model.firms.links(of: firm) {
                supplies.append([model.firms.ids[firm], model.components.ids[model.supplies.component(of: link)],
                    number(model.supplies.share(of: link)), model.supplies.products[link], model.supplies.sources[link],
                    model.supplies.notes[link]].map(cell).joined(separator: ","))
            }
        }
        try directory.write(rows.joined(separator: "\n") + "\n", to: "firms.csv")
        try directory.write(supplies.joined(separator: "\n") + "\n", to: "supplies.csv")
    }
}
