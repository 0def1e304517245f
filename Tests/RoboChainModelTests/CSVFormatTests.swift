import Foundation
import RoboChainModel
import RoboChainTestSupport
import Testing

/// The CSV directory form: RFC 4180 quoting, byte-order marks, empty cells, short rows, blank lines.
@Suite struct CSVFormatTests {
    @Test func quotedNamesWithCommasQuotesAndNewlines() throws {
        let directory = try CSVFixture.write(firms: """
            id,name,region
            acme,"Acme, Inc. ""the best""
            Shenzhen branch",CN-GD

            """)
        defer { directory.remove() }
        let model = try ModelLoader.loadCSV(directory: directory.path).model
        #expect(model.firms.names == ["Acme, Inc. \"the best\"\nShenzhen branch"])
    }

    /// `ChainModel.csvFiles()` writes the CSV form of SPEC §1.2 (with `model.csv`), and loading
    /// it gives the same model: the form plugins with `"input": "csv"` receive.
    @Test func writtenCSVFilesLoadAsTheSameModel() throws {
        let model = try ModelLoader.loadYAML("""
            id: m
            title: 'A, "quoted" title'
            home: CN-GD
            regions:
              - {id: CN, name: China}
              - {id: CN-GD, name: "Guangdong, 广东", parent: CN, note: a note}
            components:
              - {id: hand, name: Hand, segment: limbs, source: s1}
              - id: arm
                name: Arm
                segment: limbs
                requires: [{component: hand, weight: 0.25, source: bom}]
            firms:
              - {id: acme, name: Acme, region: CN-GD, supplies: [{component: hand, share: 0.5, product: "H-1"}, {component: arm}]}
            """).model
        let files = model.csvFiles()
        #expect(files.map(\.name) == ["model.csv", "regions.csv", "components.csv", "requires.csv", "firms.csv", "supplies.csv"])
        #expect(String(decoding: files[0].bytes, as: UTF8.self) == "id,title,home\nm,\"A, \"\"quoted\"\" title\",CN-GD\n")
        #expect(String(decoding: files[3].bytes, as: UTF8.self) == "parent,child,weight,source,note\narm,hand,0.25,bom,\n")
        let directory = try TemporaryDirectory("csv-out")
        defer { directory.remove() }
        try model.writeCSV(directory: directory.path)
        let reloaded = try ModelLoader.loadCSV(directory: directory.path).model
        #expect(reloaded == model)
        #expect(reloaded.home == 1)
        #expect(reloaded.title == "A, \"quoted\" title")
    }

    /// The compact form leaves out the optional columns of `firms.csv` and `supplies.csv` that
    /// are empty in every row, keeps those with a value, and loads as the same model.
    @Test func compactCSVFilesLeaveOutEmptyOptionalColumns() throws {
        let model = try ModelLoader.loadYAML("""
            regions: [{id: CN, name: China}]
            components: [{id: hand, name: Hand, segment: limbs}, {id: arm, name: Arm, segment: limbs}]
            firms:
              - {id: acme, name: Acme, region: CN, note: listed, supplies: [{component: hand, share: 0.5}, {component: arm, source: s}]}
              - {id: bolt, name: Bolt, region: CN, supplies: [hand]}
            """).model
        let compact = CSVLayout(compact: true, linksByComponent: false)
        let files = Dictionary(uniqueKeysWithValues: model.csvFiles(compact).map { ($0.name, String(decoding: $0.bytes, as: UTF8.self)) })
        #expect(files["firms.csv"] == "id,name,region,note\nacme,Acme,CN,listed\nbolt,Bolt,CN,\n")
        #expect(files["supplies.csv"] == "firm,component,share,source\nacme,hand,0.5,\nacme,arm,,s\nbolt,hand,,\n")
        let full = Dictionary(uniqueKeysWithValues: model.csvFiles().map { ($0.name, String(decoding: $0.bytes, as: UTF8.self)) })
        #expect(full["supplies.csv"]?.hasPrefix("firm,component,share,product,source,note\n") == true)
        let directory = try TemporaryDirectory("csv-compact")
        defer { directory.remove() }
        try ChainModel.write(model.csvFiles(compact), into: directory.path)
        #expect(try ModelLoader.loadCSV(directory: directory.path).model == model)
    }

    /// A plugin's CSV input lists the supply links component by component (components in
    /// order, each one's links in firm order), compact; loaded back, every firm supplies the
    /// same links with the same shares, products and attributes, in component order.
    @Test func pluginInputListsSupplyLinksComponentByComponent() throws {
        let model = try ModelLoader.loadYAML("""
            regions: [{id: CN, name: China}]
            components:
              - {id: hand, name: Hand, segment: limbs}
              - {id: leg, name: Leg, segment: limbs}
              - {id: arm, name: Arm, segment: limbs}
              - {id: eye, name: Eye, segment: senses}
            firms:
              - {id: acme, name: Acme, region: CN, supplies: [{component: eye, share: 0.25, attributes: {grade: A}}, {component: hand, share: 0.5}, arm]}
              - {id: idle, name: Idle, region: CN}
              - {id: bolt, name: Bolt, region: CN, supplies: [{component: arm, product: "B,1\\nsecond \\"line\\""}, hand]}
              - {id: cog, name: Cog, region: CN, supplies: [eye]}
            """).model
        let files = Dictionary(uniqueKeysWithValues: model.csvFiles(.pluginInput).map { ($0.name, String(decoding: $0.bytes, as: UTF8.self)) })
        #expect(files["supplies.csv"] == """
            firm,component,share,product,grade
            acme,hand,0.5,,
            bolt,hand,,,
            acme,arm,,,
            bolt,arm,,"B,1
            second ""line\"\"",
            acme,eye,0.25,,A
            cog,eye,,,

            """)
        let directory = try TemporaryDirectory("csv-plugin-input")
        defer { directory.remove() }
        try model.writeCSV(directory: directory.path, layout: .pluginInput)
        let reloaded = try ModelLoader.loadCSV(directory: directory.path).model
        #expect(try ModelComparison.linksInComponentOrder(reloaded) == ModelComparison.linksInComponentOrder(model))
        #expect(reloaded != model)
        #expect(reloaded.firms.links(of: 0).map { reloaded.supplies.component(of: $0) } == [0, 2, 3])
        #expect(model.firms.links(of: 0).map { model.supplies.component(of: $0) } == [3, 0, 2])
        #expect(reloaded.firms.links(of: 1).isEmpty)
    }

    /// A model without supply links: the plugin's `supplies.csv` is its header alone.
    @Test func pluginInputOfAModelWithoutLinks() throws {
        let model = try ModelLoader.loadYAML("""
            regions: [{id: CN, name: China}]
            components: [{id: hand, name: Hand, segment: limbs}]
            firms: [{id: idle, name: Idle, region: CN}]
            """).model
        let files = Dictionary(uniqueKeysWithValues: model.csvFiles(.pluginInput).map { ($0.name, String(decoding: $0.bytes, as: UTF8.self)) })
        #expect(files["supplies.csv"] == "firm,component,share\n")
    }

    @Test func modelCSVNamesAnUnknownHome() throws {
        let directory = try CSVFixture.write(regions: CSVFixture.regions)
        defer { directory.remove() }
        try directory.write("id,title,home\nm,T,XX\n", to: "model.csv")
        #expect(throws: ModelError.self) { try ModelLoader.loadCSV(directory: directory.path) }
        do {
            _ = try ModelLoader.loadCSV(directory: directory.path)
        } catch {
            #expect(error.description.contains("model.csv:2"), "\(error)")
            #expect(error.description.contains("'XX'"), "\(error)")
        }
    }

    @Test func byteOrderMarkAndCRLF() throws {
        let directory = try CSVFixture.write(regions: "\u{FEFF}id,name,parent\r\nCN,China 中国,\r\nCN-GD,Guangdong 广东,CN\r\n")
        defer { directory.remove() }
        let model = try ModelLoader.loadCSV(directory: directory.path).model
        #expect(model.regions.ids == ["CN", "CN-GD"])
        #expect(model.regions.names == ["China 中国", "Guangdong 广东"])
        #expect(model.regions.parent(of: 1) == 0)
    }

    @Test func carriageReturnsAloneEndRecords() throws {
        // Old Mac line ends in every file, with more firms than one line feed would allow for.
        let cr = { (text: String) in text.replacingOccurrences(of: "\n", with: "\r") }
        let firms = "id,name,region\n" + (1...20).map { "f\($0),Firm \($0),CN-GD\n" }.joined()
        let directory = try CSVFixture.write(
            regions: cr(CSVFixture.regions), components: cr(CSVFixture.components), requires: cr(CSVFixture.requires),
            firms: cr(firms), supplies: cr("firm,component,share\nf1,hand,0.5\nf20,hand,\n"))
        defer { directory.remove() }
        let model = try ModelLoader.loadCSV(directory: directory.path).model
        #expect(model.firms.count == 20)
        #expect(model.firms.ids.last == "f20")
        #expect(model.supplies.count == 2)
        let bad = try CSVFixture.write(firms: cr("id,name,region\nacme,Acme,CN-GD\nzed,Zed,XX\n"))
        defer { bad.remove() }
        #expect(CSVFixture.problems(bad) == ["\(bad.path)/firms.csv:3: 'region' of firm 'zed' names unknown region 'XX'"])
    }

    @Test func aBadCellInARowHidesNoOtherFilesProblems() throws {
        // Firm 'acme' keeps its id despite its unknown region, so 'ghost' in supplies.csv is
        // still an unknown firm; only rows lost entirely make their ids unknowable.
        let directory = try CSVFixture.write(firms: "id,name,region\nacme,Acme,XX\n", supplies: "firm,component\nacme,hand\nghost,hand\n")
        defer { directory.remove() }
        #expect(CSVFixture.problems(directory) == [
            "\(directory.path)/firms.csv:2: 'region' of firm 'acme' names unknown region 'XX'",
            "\(directory.path)/supplies.csv:3: 'firm' of a supply link names unknown firm 'ghost'",
        ])
        let lost = try CSVFixture.write(firms: "id,name,region\n,Acme,CN-GD\n", supplies: "firm,component\nacme,hand\n")
        defer { lost.remove() }
        #expect(CSVFixture.problems(lost) == ["\(lost.path)/firms.csv:2: a firm has no 'id'"])
    }

    @Test func devicesAreNotModels() {
        #expect(throws: ModelError.unreadable(path: "/dev/zero", reason: "it is a device or socket, not a file")) {
            try FileAccess.readFile("/dev/zero")
        }
    }

    @Test func unknownReferencesNameTheirColumn() throws {
        let directory = try CSVFixture.write(requires: "parent,child,weight\nrobot,claw,\nghost,hand,\n")
        defer { directory.remove() }
        #expect(CSVFixture.problems(directory) == [
            "\(directory.path)/requires.csv:2: 'requires' of component 'robot' names unknown component 'claw'",
            "\(directory.path)/requires.csv:3: 'parent' of a requirement names unknown component 'ghost'",
        ])
    }

    /// Supply links whose firm, component or both name no id: each message names the ids as
    /// the cell has them, for a firm that resolved too (its cell's text, quotes as written).
    @Test func unknownSupplyReferencesAreNamedAsWritten() throws {
        let directory = try CSVFixture.write(
            firms: "id,name,region\nacme,Acme,CN-GD\n\"a\"\"b\",Quoted,CN-GD\n",
            supplies: "firm,component\nacme,hand\nacme,nope\nghost,hand\nghost,gone\n\"a\"\"b\",zilch\n")
        defer { directory.remove() }
        let problems = CSVFixture.problems(directory).filter { $0.contains("supplies.csv") }
        #expect(problems == [
            "\(directory.path)/supplies.csv:3: 'supplies' of firm 'acme' names unknown component 'nope'",
            "\(directory.path)/supplies.csv:4: 'firm' of a supply link names unknown firm 'ghost'",
            "\(directory.path)/supplies.csv:5: 'supplies' of firm 'ghost' names unknown component 'gone'",
            "\(directory.path)/supplies.csv:5: 'firm' of a supply link names unknown firm 'ghost'",
            "\(directory.path)/supplies.csv:6: 'supplies' of firm 'a\"\"b' names unknown component 'zilch'",
        ])
    }

    @Test func emptyCellsAreAbsentValues() throws {
        let directory = try CSVFixture.write(
            requires: "parent,child,weight\nrobot,hand,\n", supplies: "firm,component,share,product\nacme,hand,,\n")
        defer { directory.remove() }
        let model = try ModelLoader.loadCSV(directory: directory.path).model
        #expect(model.components.weight(ofRequirement: 0) == nil)
        #expect(model.supplies.share(of: 0) == nil)
        #expect(model.supplies.products[0] == nil)
    }

    @Test func shortRowsHaveEmptyTrailingCells() throws {
        // The CN row stops before its (empty) parent cell, as spreadsheets write it.
        let directory = try CSVFixture.write(regions: "id,name,parent\nCN,China\nCN-GD,Guangdong,CN\n")
        defer { directory.remove() }
        let model = try ModelLoader.loadCSV(directory: directory.path).model
        #expect(model.regions.parent(of: 0) == nil)
    }

    @Test func shortRowMissingARequiredCell() throws {
        let directory = try CSVFixture.write(firms: "id,name,region\nacme,Acme\n")
        defer { directory.remove() }
        #expect(CSVFixture.problems(directory) == ["\(directory.path)/firms.csv:2: firm 'acme' has no 'region'"])
    }

    @Test func longRowIsAnError() throws {
        let directory = try CSVFixture.write(firms: "id,name,region\nacme,Acme,CN-GD,extra\n")
        defer { directory.remove() }
        #expect(CSVFixture.problems(directory) == ["\(directory.path)/firms.csv:2: the row has 4 fields but the header has 3"])
    }

    @Test func blankLinesAndATrailingBlankLineAreSkipped() throws {
        let directory = try CSVFixture.write(components: "id,name,segment\n\nrobot,Robot,body\n\nhand,Hand,limbs\n\n\n")
        defer { directory.remove() }
        let model = try ModelLoader.loadCSV(directory: directory.path).model
        #expect(model.components.ids == ["robot", "hand"])
    }

    @Test func lineNumbersCountNewlinesInsideQuotes() throws {
        let directory = try CSVFixture.write(firms: "id,name,region\nacme,\"Acme\nWest\",CN-GD\nbeta,Beta,XX\n")
        defer { directory.remove() }
        #expect(CSVFixture.problems(directory) == ["\(directory.path)/firms.csv:4: 'region' of firm 'beta' names unknown region 'XX'"])
    }

    @Test func columnsInAnyOrderWithExtraColumns() throws {
        let directory = try CSVFixture.write(
            firms: "Region , ID,name,website\nCN-GD,acme,Acme,https://acme.example\n",
            supplies: "component,firm,share,product,source\nhand,acme,0.5,Hand X,annual report 2024\n")
        defer { directory.remove() }
        let model = try ModelLoader.loadCSV(directory: directory.path).model
        #expect(model.firms.ids == ["acme"])
        #expect(model.supplies.products[0] == "Hand X")
        #expect(model.supplies.sources[0] == "annual report 2024")
    }

    @Test func unterminatedQuote() throws {
        let directory = try CSVFixture.write(firms: "id,name,region\nacme,\"Acme,CN-GD\n")
        defer { directory.remove() }
        #expect(CSVFixture.problems(directory) == ["\(directory.path)/firms.csv:2: a quoted field opened on this line is never closed"])
    }

    @Test func textAfterAClosingQuote() throws {
        let directory = try CSVFixture.write(firms: "id,name,region\nacme,\"Acme\" Inc,CN-GD\n")
        defer { directory.remove() }
        #expect(CSVFixture.problems(directory) == [
            "\(directory.path)/firms.csv:2: unexpected text after a closing quote (a quote inside a quoted field is written \"\")",
        ])
    }

    @Test func numbersMustBeNumbers() throws {
        let directory = try CSVFixture.write(supplies: "firm,component,share\nacme,hand,half\n")
        defer { directory.remove() }
        #expect(CSVFixture.problems(directory) == [
            "\(directory.path)/supplies.csv:2: 'share' of supply of 'hand' by firm 'acme' must be a number, found 'half'",
        ])
    }

    @Test func utf16IsRejectedWithAHint() throws {
        let directory = try CSVFixture.write()
        defer { directory.remove() }
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "id,name\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try Data(bytes).write(to: directory.url.appendingPathComponent("regions.csv"))
        #expect(CSVFixture.problems(directory).first == "\(directory.path)/regions.csv:1: the file is UTF-16; save it as UTF-8 (CSV UTF-8 in spreadsheets)")
    }

    @Test func invalidUTF8IsNamed() throws {
        let directory = try CSVFixture.write()
        defer { directory.remove() }
        try Data(Array("id,name,region\nacme,".utf8) + [0xC3, 0x28] + Array(",CN-GD\n".utf8))
            .write(to: directory.url.appendingPathComponent("firms.csv"))
        // Not UTF-8, so read as GB18030, which it is not either.
        #expect(CSVFixture.problems(directory) == [
            "\(directory.path)/firms.csv:2: the bytes of this line are neither UTF-8 nor GB18030 (GBK): save the file as CSV UTF-8"
        ])
    }

    @Test func segmentsFileIsOptionalAndOrdered() throws {
        let directory = try CSVFixture.write(segments: "id,name,order\nlimbs,Limbs 肢体,2\nbody,Whole robots 整机,1\n")
        defer { directory.remove() }
        let model = try ModelLoader.loadCSV(directory: directory.path).model
        #expect(model.segments.isDeclared)
        #expect(model.segments.displayOrder.map { model.segments.ids[$0] } == ["body", "limbs"])
        let derived = try CSVFixture.write()
        defer { derived.remove() }
        let plain = try ModelLoader.loadCSV(directory: derived.path).model
        #expect(!plain.segments.isDeclared)
        #expect(plain.segments.ids == ["body", "limbs"])
        #expect(plain.segments.names == ["body", "limbs"])
    }
}
