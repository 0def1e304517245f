import Foundation
@testable import RoboChainModel
import RoboChainJSON
import RoboChainTestSupport
import Testing
import ZIPFoundation

/// Models as spreadsheets keep them (SPEC §1.2): GBK, `;` and tab, percentages, blank rows,
/// byte-order marks, `model.csv`, attributes, Unicode ids, `.xlsx` workbooks — each form gives
/// the model of its UTF-8 YAML twin, and each bad input its exact message.
@Suite struct SpreadsheetFormTests {
    /// The twin every spreadsheet form must equal.
    static let yaml = """
        id: m
        title: Test 测试
        home: CN-GD
        regions:
          - {id: CN, name: China 中国}
          - {id: CN-GD, name: 广东, parent: CN}
          - {id: 深圳, name: Shenzhen 深圳, parent: CN-GD, attributes: {gdp: 3.46e12}}
        components:
          - {id: robot, name: Robot, segment: body, requires: [{component: hand, weight: 0.4}]}
          - {id: hand, name: Hand 灵巧手, segment: limbs, attributes: {critical: true}}
        firms:
          - id: 优必选
            name: UBTech 优必选
            region: 深圳
            attributes: {revenue: 1.2e9, listed: true, exchange: HKEX, code: "9880"}
            supplies: [{component: hand, share: 0.3}]
          - id: acme
            name: Acme
            region: CN-GD
            attributes: {listed: false}
            supplies: [{component: robot, share: 0.125, product: R1}]
        """

    static func twin() throws -> ChainModel { try ModelLoader.loadYAML(yaml).model }

    /// The twin written as Excel on a Chinese Windows PC and others would write it.
    static func writeSpreadsheetCSV(_ directory: TemporaryDirectory) throws {
        func write(_ bytes: [UInt8], _ name: String) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: directory.path + "/" + name))
        }
        func gbk(_ text: String) -> [UInt8] {
            guard case .success(let bytes) = TestEncoding.toGB18030(Array(text.utf8)) else { return [] }
            return bytes
        }
        // GBK, semicolons, CRLF.
        try write(gbk("id;name;parent;gdp\r\nCN;China 中国;;\r\nCN-GD;广东;CN;\r\n深圳;Shenzhen 深圳;CN-GD;3.46e12\r\n"), "regions.csv")
        // A byte-order mark, tabs, a cleared row.
        try write([0xEF, 0xBB, 0xBF] + Array("id\tname\tsegment\tcritical\nrobot\tRobot\tbody\t\n\t\t\t\nhand\tHand 灵巧手\tlimbs\tTRUE\n".utf8), "components.csv")
        // A percentage weight, CR line ends.
        try write(Array("parent,child,weight\rrobot,hand,40%\r".utf8), "requires.csv")
        // Attributes, a row cleared in Excel, a quoted number that stays text.
        try write(Array("id,name,region,revenue,listed,exchange,code\n优必选,UBTech 优必选,深圳,1.2e9,TRUE,HKEX,\"9880\"\n,,,,,,\nacme,Acme,CN-GD,,false,,\n".utf8), "firms.csv")
        // Percentages with and without a space.
        try write(Array("firm,component,share,product\n优必选,hand,30%,\nacme,robot,12.5 %,R1\n".utf8), "supplies.csv")
        try write(Array("id,title,home\nm,Test 测试,CN-GD\n".utf8), "model.csv")
    }

    @Test func spreadsheetCSVEqualsItsYAMLTwin() throws {
        let directory = try TemporaryDirectory("spreadsheet-csv")
        try Self.writeSpreadsheetCSV(directory)
        let loaded = try ModelLoader.loadCSV(directory: directory.path)
        let twin = try Self.twin()
        #expect(loaded.model == twin)
        #expect(loaded.model.title == "Test 测试")
        #expect(loaded.model.home == 1)
        #expect(loaded.model.supplies.share(of: 0) == 0.3)
        #expect(loaded.model.components.weight(ofRequirement: 0) == 0.4)
        let firms = loaded.model.firms.attributes
        #expect(firms.value("revenue", of: 0) == .number(1.2e9))
        #expect(firms.value("listed", of: 0) == .boolean(true))
        #expect(firms.value("code", of: 0) == .text("9880"))
        #expect(firms.value("listed", of: 1) == .boolean(false))
        #expect(firms.value("revenue", of: 1) == nil)
        #expect(loaded.model.regions.attributes.value("gdp", of: 2) == .number(3.46e12))
    }

    @Test func attributesSurviveEveryWriterAndReader() throws {
        let twin = try Self.twin()
        // JSON (what plugins receive).
        let json = try ModelLoader.loadJSON(twin.encodedJSON(), file: "m.json").model
        #expect(json == twin)
        #expect(String(decoding: twin.encodedJSON(), as: UTF8.self).contains(
            #""attributes":{"revenue":1200000000,"listed":true,"exchange":"HKEX","code":"9880"}"#))
        // YAML.
        let yaml = try ModelLoader.loadYAML(twin.encodedYAML(), file: "m.yaml").model
        #expect(yaml == twin)
        // CSV: text that looks like a number is quoted.
        let files = twin.csvFiles()
        let firms = String(decoding: files.first { $0.name == "firms.csv" }!.bytes, as: UTF8.self)
        #expect(firms == """
            id,name,region,source,note,revenue,listed,exchange,code
            优必选,UBTech 优必选,深圳,,,1200000000,true,HKEX,"9880"
            acme,Acme,CN-GD,,,,false,,

            """)
        let directory = try TemporaryDirectory("attributes-csv")
        try twin.writeCSV(directory: directory.path)
        #expect(try ModelLoader.loadCSV(directory: directory.path).model == twin)
        // xlsx.
        let book = directory.path + "/m.xlsx"
        try Data(twin.encodedWorkbook()).write(to: URL(fileURLWithPath: book))
        #expect(try ModelLoader.load(path: book).model == twin)
    }

    @Test func theGuangdongModelRoundTripsThroughEveryForm() throws {
        let path = CommandRunner.packageDirectory.path + "/Models/guangdong-robots.yaml"
        let original = try ModelLoader.load(path: path).model
        let directory = try TemporaryDirectory("guangdong-forms")
        let yamlPath = directory.path + "/g.yaml"
        try Data(original.encodedYAML()).write(to: URL(fileURLWithPath: yamlPath))
        let fromYAML = try ModelLoader.load(path: yamlPath).model
        #expect(fromYAML == original)
        let jsonPath = directory.path + "/g.json"
        try Data(fromYAML.encodedJSON()).write(to: URL(fileURLWithPath: jsonPath))
        let fromJSON = try ModelLoader.load(path: jsonPath).model
        #expect(fromJSON == original)
        let csvPath = directory.path + "/csv"
        try FileManager.default.createDirectory(atPath: csvPath, withIntermediateDirectories: true)
        try fromJSON.writeCSV(directory: csvPath)
        let fromCSV = try ModelLoader.load(path: csvPath).model
        #expect(fromCSV == original)
        let bookPath = directory.path + "/g.xlsx"
        try Data(fromCSV.encodedWorkbook()).write(to: URL(fileURLWithPath: bookPath))
        let fromBook = try ModelLoader.load(path: bookPath).model
        #expect(fromBook == original)
        #expect(fromBook.title == original.title)
        #expect(fromBook.home == original.home)
    }

    @Test func unicodeIDsAreValidAndCheckedByScript() throws {
        #expect(ChainModel.isValidID("优必选"))
        #expect(ChainModel.isValidID("CN-GD-深圳"))
        #expect(ChainModel.isValidID("café_1.0"))
        #expect(ChainModel.isValidID("-优") == false)
        #expect(ChainModel.isValidID("优 必") == false)
        #expect(ChainModel.isValidID("a/b") == false)
        #expect(ChainModel.isValidID("\u{301}e") == false)  // a combining mark cannot start an id
        // Nothing that could reorder or hide text in a label, a table or a terminal.
        #expect(ChainModel.isValidID("a\u{202E}b") == false)
        #expect(ChainModel.isValidID("a\u{200D}b") == false)
        #expect(ChainModel.isValidID("a\u{3000}b") == false)  // an ideographic space
        #expect(ChainModel.isValidID("a\"b") == false)
        #expect(ChainModel.isValidASCIIName("优必选") == false)  // analysis and option names stay ASCII
    }

    // MARK: - The rejection catalogue

    @Test func bytesNeitherUTF8NorGB18030() throws {
        let directory = try CSVFixture.write()
        var bytes = Array("id,name,region\nacme,Acme,CN-GD\nzed,Zed ".utf8)
        bytes += [0xFF, 0xFF] + Array(",CN-GD\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: directory.path + "/firms.csv"))
        #expect(CSVFixture.problems(directory) == [
            "\(directory.path)/firms.csv:3: the bytes of this line are neither UTF-8 nor GB18030 (GBK): save the file as CSV UTF-8"
        ])
    }

    @Test func aHeaderWithNoKnownSeparator() throws {
        let directory = try CSVFixture.write(firms: "id|name|region\nacme|Acme|CN-GD\n")
        #expect(CSVFixture.problems(directory) == [
            "\(directory.path)/firms.csv:1: the header 'id|name|region' is one column: separate the columns with ',', ';' or tabs (save it as CSV UTF-8)"
        ])
    }

    @Test func semicolonsAndTabsAreRead() throws {
        let directory = try CSVFixture.write(
            regions: "id;name;parent\nCN;China;\nCN-GD;Guangdong;CN\n", firms: "id\tname\tregion\nacme\tAcme, Inc.\tCN-GD\n")
        let model = try ModelLoader.loadCSV(directory: directory.path).model
        #expect(model.regions.parent(of: 1) == 0)
        #expect(model.firms.names == ["Acme, Inc."])
    }

    @Test func aPercentageOutsideAShareOrWeight() throws {
        let directory = try CSVFixture.write(
            firms: "id,name,region,growth\nacme,Acme,CN-GD,30%\n", segments: "id,name,order\nbody,Body,30%\nlimbs,Limbs,\n")
        #expect(CSVFixture.problems(directory) == [
            "\(directory.path)/segments.csv:2: 'order' of segment 'body' is a percentage ('30%'): only a share or a weight may be written as one",
            "\(directory.path)/firms.csv:2: 'growth' of firm 'acme' is a percentage ('30%'): only a share or a weight may be written as one (quote it to keep it as text)",
        ])
    }

    @Test func aPercentageShareOutOfRange() throws {
        let directory = try CSVFixture.write(supplies: "firm,component,share\nacme,hand,130%\n")
        #expect(CSVFixture.problems(directory) == [
            "\(directory.path)/supplies.csv:2: share 1.3 of firm 'acme' in component 'hand' is outside [0, 1]"
        ])
    }

    @Test func idsThatDifferOnlyByNormalisation() throws {
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        let directory = try CSVFixture.write(firms: "id,name,region\n\(composed),A,CN-GD\n\(decomposed),B,CN-GD\n", supplies: "firm,component\n")
        #expect(CSVFixture.problems(directory) == [
            "\(directory.path)/firms.csv:3: firm id '\(decomposed)' (U+0063 U+0061 U+0066 U+0065 U+0301) differs from '\(composed)' (U+0063 U+0061 U+0066 U+00E9, first defined at \(directory.path)/firms.csv:2) only by Unicode normalisation: write both the same way"
        ])
        let yaml = """
            regions: [{id: CN, name: China}]
            components: [{id: hand, name: Hand, segment: limbs}]
            firms:
              - {id: \(composed), name: A, region: CN}
              - {id: \(decomposed), name: B, region: CN}
            """
        #expect(throws: ModelError.normalisationDuplicate(SourceLocation(file: "model.yaml", line: 5), kind: .firm, id: decomposed,
            other: composed, first: SourceLocation(file: "model.yaml", line: 4))) {
            try ModelLoader.loadYAML(yaml)
        }
    }

    @Test func invalidAttributeNamesAndValues() throws {
        let directory = try CSVFixture.write(firms: "id,name,region,Revenue (CNY)\nacme,Acme,CN-GD,5\n")
        #expect(CSVFixture.problems(directory) == [
            "\(directory.path)/firms.csv:1: the column 'Revenue (CNY)' would be an attribute, but attribute names are ids (letters, digits, '.', '_', '-')"
        ])
        let yaml = """
            regions: [{id: CN, name: China, attributes: {tags: [a, b]}}]
            components: [{id: hand, name: Hand, segment: limbs}]
            firms: [{id: acme, name: Acme, region: CN}]
            """
        #expect(throws: ModelError.invalidValue(SourceLocation(file: "model.yaml", line: 1), element: "region 'CN'", field: "tags",
            problem: "must be text, a number or true/false, found a list")) {
            try ModelLoader.loadYAML(yaml)
        }
    }

    // MARK: - Workbooks

    @Test func aWorkbookWrittenByLibreOfficeEqualsItsYAMLTwin() throws {
        // Written by LibreOffice Calc 7.4 (see Fixtures/README.md): shared strings, a formula with
        // its cached value, percentage-formatted shares, Booleans, an empty row.
        let path = CommandRunner.packageDirectory.path + "/Tests/RoboChainModelTests/Fixtures/libreoffice-twin.xlsx"
        let loaded = try ModelLoader.load(path: path)
        #expect(loaded.format == .xlsx)
        #expect(loaded.model == (try Self.twin()))
    }

    @Test func anEncryptedWorkbook() throws {
        let directory = try TemporaryDirectory("encrypted")
        let path = directory.path + "/book.xlsx"
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)).write(to: URL(fileURLWithPath: path))
        #expect(Self.problems(path) == [
            "\(path): the workbook is encrypted (password-protected) or in the old .xls format: save it as an .xlsx workbook without a password"
        ])
    }

    @Test func aWorkbookThatIsNotAZip() throws {
        let directory = try TemporaryDirectory("not-zip")
        let path = directory.path + "/book.xlsx"
        try Data("id,name\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(Self.problems(path) == ["\(path): the file is not an .xlsx workbook (not a zip archive)"])
    }

    @Test func aWorkbookMissingASheet() throws {
        let path = try Self.workbook(sheets: [
            ("regions", [["id", "name"], ["CN", "China"]]),
            ("components", [["id", "name", "segment"], ["hand", "Hand", "limbs"]]),
            ("supplies", [["firm", "component"]]),
        ])
        #expect(Self.problems(path) == [
            "\(path): the workbook has no sheet 'firms' (a workbook model needs the sheets regions, components, firms and supplies)"
        ])
    }

    @Test func mergedCellsInATable() throws {
        let path = try Self.workbook(sheets: Self.validSheets, merged: ("firms", "A2:B2"))
        #expect(Self.problems(path) == [
            "\(path): sheet firms: cells A2:B2 are merged: a table's cells cannot be merged (unmerge them)"
        ])
    }

    @Test func workbookProblemsNameTheSheetAndCell() throws {
        var sheets = Self.validSheets
        sheets[3] = ("firms", [["id", "name", "region"], ["acme", "Acme", "CN"], ["zed", "Zed", "XX"]])
        let path = try Self.workbook(sheets: sheets)
        #expect(Self.problems(path) == ["\(path): firms!C3: 'region' of firm 'zed' names unknown region 'XX'"])
        // A problem of a whole row names the row as Excel does; of the header, its cell or row.
        sheets[3] = ("firms", [["id", "name"], ["acme", "Acme"]])
        sheets[2] = ("supplies", [["firm", "component", "firm"], ["acme", "hand", "x", "y"]])
        let rows = try Self.workbook(sheets: sheets)
        #expect(Self.problems(rows) == [
            "\(rows): firms!1:1: the header has no column 'region'",
            "\(rows): supplies!C1: the header has the column 'firm' twice",
            "\(rows): supplies!D2: the row has 4 fields but the header has 3",
        ])
        var twice = Self.validSheets
        twice[2] = ("supplies", [["firm", "component"], ["acme", "hand"], ["acme", "hand"]])
        let repeated = try Self.workbook(sheets: twice)
        #expect(Self.problems(repeated) == ["\(repeated): supplies!3:3: firm 'acme' supplies component 'hand' more than once"])
    }

    /// The sheet's columns in another order than the CSV file's, an attribute column, and
    /// columns left empty (absent from the sheet's XML): each message names the cell's real
    /// column, and a CSV file with the same problems is still named by line.
    @Test func cellReferencesAreTheSheetsRealColumns() throws {
        func cell(_ reference: String, _ text: String) -> String {
            "<c r=\"\(reference)\" t=\"inlineStr\"><is><t>\(text)</t></is></c>"
        }
        let firms = "<worksheet><sheetData>"
            + "<row r=\"1\">\(cell("A1", "region"))\(cell("C1", "revenue"))\(cell("D1", "id"))\(cell("E1", "name"))</row>"
            + "<row r=\"2\">\(cell("A2", "XX"))\(cell("D2", "acme"))\(cell("E2", "Acme"))</row>"
            + "<row r=\"3\">\(cell("A3", "CN"))<c r=\"C3\"><v>1e999</v></c>\(cell("D3", "bad id"))\(cell("E3", "Bad"))</row>"
            + "<row r=\"5\">\(cell("A5", "CN"))\(cell("D5", "acme"))</row>"
            + "</sheetData></worksheet>"
        let path = try Self.workbook(sheets: [("firms", [])] + Self.validSheets.filter { $0.0 != "firms" }, firstSheetXML: firms)
        #expect(Self.problems(path) == [
            "\(path): firms!A2: 'region' of firm 'acme' names unknown region 'XX'",
            "\(path): firms!D3: invalid firm id 'bad id': ids are letters (of any script), digits, '.', '_' and '-', starting with a letter or digit",
            "\(path): firms!C3: 'revenue' of firm 'bad id' is too large a number",
            "\(path): firms!E5: firm 'acme' has no 'name'",
            "\(path): firms!D5: duplicate firm id 'acme' (first defined at \(path): firms!D2)",
        ])
        // The same table as CSV: named by file and line, as before.
        let directory = try CSVFixture.write(regions: "id,name\nCN,China\n", components: "id,name,segment\nhand,Hand,limbs\n",
            requires: nil, firms: "region,,revenue,id,name\nXX,,,acme,Acme\nCN,,1e999,bad id,Bad\n\nCN,,,acme,\n",
            supplies: "firm,component\nacme,hand\n")
        let file = directory.path + "/firms.csv"
        #expect(CSVFixture.problems(directory) == [
            "\(file):2: 'region' of firm 'acme' names unknown region 'XX'",
            "\(file):3: invalid firm id 'bad id': ids are letters (of any script), digits, '.', '_' and '-', starting with a letter or digit",
            "\(file):3: 'revenue' of firm 'bad id' is too large a number",
            "\(file):5: firm 'acme' has no 'name'",
            "\(file):5: duplicate firm id 'acme' (first defined at \(file):2)",
        ])
    }

    /// A text cell with a line break takes two lines of the CSV text; the rows after it are
    /// still named by their own numbers.
    @Test func rowsAfterAMultiLineCellKeepTheirNumbers() throws {
        var sheets = Self.validSheets
        sheets[3] = ("firms", [
            ["id", "name", "region", "note"], ["acme", "Acme", "CN", "first line\nsecond line\r\nthird"], ["zed", "Zed", "XX"],
        ])
        let path = try Self.workbook(sheets: sheets)
        #expect(Self.problems(path) == ["\(path): firms!C3: 'region' of firm 'zed' names unknown region 'XX'"])
        let place = SheetPlace(workbook: "b.xlsx", name: "firms", shifts: [(3, -2), (10, -3)])
        #expect([1, 2, 3, 9, 10, 12].map(place.row(ofLine:)) == [1, 2, 1, 7, 7, 9])
    }

    /// Excel writes a cell that is only formatted (a fill, a border) with no value: it is no
    /// field, even beyond the header's last column, and the cells after it keep their columns.
    @Test func formattedEmptyCellsAreNoFields() throws {
        let firms = #"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" s="2"/>"#
            + #"<c r="C1" t="inlineStr"><is><t>name</t></is></c><c r="D1" t="inlineStr"><is><t>region</t></is></c><c r="F1" s="1"/></row>"#
            + #"<row r="2"><c r="A2" t="inlineStr"><is><t>acme</t></is></c><c r="B2" s="2"/><c r="C2" t="inlineStr"><is><t>Acme</t></is></c>"#
            + #"<c r="D2" t="inlineStr"><is><t>CN</t></is></c><c r="E2" s="1"/><c r="F2" s="1" t="b"/><c r="G2" s="1" t="s"/></row>"#
            + #"<row r="3" s="1"><c r="A3" t="inlineStr"><is><t>zed</t></is></c><c r="C3" s="1"/><c r="D3" t="inlineStr"><is><t>CN</t></is></c><c r="H3" s="1"/></row>"#
            + "</sheetData></worksheet>"
        let path = try Self.workbook(sheets: [("firms", [])] + Self.validSheets.filter { $0.0 != "firms" }, firstSheetXML: firms)
        #expect(Self.problems(path) == ["\(path): firms!C3: firm 'zed' has no 'name'"])
    }

    @Test func cellsOrRowsOutOfOrderAreRefused() throws {
        let cells = try Self.workbook(sheets: Self.validSheets, firstSheetXML: #"<worksheet><sheetData><row r="1"><c r="B1" t="inlineStr"><is><t>name</t></is></c><c r="A1" t="inlineStr"><is><t>id</t></is></c></row></sheetData></worksheet>"#)
        #expect(Self.problems(cells) == [
            "\(cells): regions!A1: the cell comes after column B of its row in the sheet's XML, out of order: save the workbook again with a spreadsheet program"
        ])
        let rows = try Self.workbook(sheets: Self.validSheets, firstSheetXML: #"<worksheet><sheetData><row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>2</v></c></row></sheetData></worksheet>"#)
        #expect(Self.problems(rows) == [
            "\(rows): regions!1:1: the row comes after row 2 in the sheet's XML, out of order: save the workbook again with a spreadsheet program"
        ])
    }

    @Test func sheetReferencesAreWrittenAsExcelWritesThem() {
        #expect(SourceLocation(workbook: "b.xlsx", sheet: "firms", row: 12, column: 2).description == "b.xlsx: firms!B12")
        #expect(SourceLocation(workbook: "b.xlsx", sheet: "firms", row: 12).description == "b.xlsx: firms!12:12")
        #expect(SourceLocation(workbook: "b.xlsx", sheet: "firms").description == "b.xlsx: sheet firms")
        #expect(SourceLocation(workbook: "b.xlsx", sheet: "my firms", row: 3, column: 28).description == "b.xlsx: 'my firms'!AB3")
        #expect(SourceLocation(workbook: "b.xlsx", sheet: "It's", row: 1, column: 1).description == "b.xlsx: 'It''s'!A1")
        #expect(SourceLocation(workbook: "b.xlsx", sheet: "AB12", row: 1, column: 1).description == "b.xlsx: 'AB12'!A1")
        #expect(SourceLocation(workbook: "b.xlsx", sheet: "企业", row: 1, column: 1).description == "b.xlsx: 企业!A1")
        #expect([1, 26, 27, 52, 53, 702, 703, 16_384].map(SourceLocation.columnLetters) == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"])
        #expect(SourceLocation(file: "firms.csv", line: 12).description == "firms.csv:12")
    }

    @Test func aZipBombIsRefused() throws {
        // A part that says it inflates to 4 GiB: refused from the archive's directory.
        let path = try Self.workbook(sheets: Self.validSheets, declaredSheetSize: 0xFFFF_FFF0)
        #expect(Self.problems(path) == [
            "\(path): the workbook inflates to more than 1 GiB (a zip bomb?); it is refused"
        ])
        // A part that says it is small but inflates past that: stopped at its declared size.
        let zeros = try Self.workbook(sheets: Self.validSheets, padding: 3 << 20)
        #expect(throws: ModelError.syntax(SourceLocation(file: zeros),
            problem: "the workbook's part xl/worksheets/sheet1.xml cannot be read: it inflates to more than the 100 bytes its directory declares; the file is damaged")) {
            try WorkbookReader.sheets(path: zeros, names: ["regions", "components", "firms", "supplies"], limit: 2 << 20)
        }
        // Parts that fit the limit alone but not together: the budget is shared.
        let valid = try Self.workbook(sheets: Self.validSheets)
        #expect(throws: ModelError.syntax(SourceLocation(file: valid),
            problem: "the workbook inflates to more than 400 bytes (a zip bomb?); it is refused")) {
            try WorkbookReader.sheets(path: valid, names: ["regions", "components", "firms", "supplies"], limit: 400)
        }
    }

    @Test func aDeflateStreamCutShortIsAnErrorNotAHang() throws {
        // Found by fuzzing: ZIPFoundation 0.9.20's inflate loops forever on a deflate stream
        // that has not ended when the file does. Clearing the "last block" bit of the first
        // sheet's only block makes its stream go on past its data.
        let path = try Self.workbook(sheets: Self.validSheets)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let name = Array("xl/worksheets/sheet1.xml".utf8)
        let header = try #require(Self.zipRecord(in: bytes, signature: [0x50, 0x4B, 0x03, 0x04], nameAt: 30, name: name))
        let nameLength = Int(bytes[header + 26]) | Int(bytes[header + 27]) << 8
        let extraLength = Int(bytes[header + 28]) | Int(bytes[header + 29]) << 8
        let dataStart = header + 30 + nameLength + extraLength
        #expect(bytes[dataStart] & 1 == 1)
        bytes[dataStart] &= 0xFE
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(Self.problems(path) == [
            "\(path): the workbook's part xl/worksheets/sheet1.xml cannot be read: its compressed data ends before its deflate stream does; the file is damaged"
        ])
        // Restored, it reads; with a wrong checksum in the central directory, it does not.
        bytes[dataStart] |= 1
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(Self.problems(path) == [])
        let entry = try #require(Self.zipRecord(in: bytes, signature: [0x50, 0x4B, 0x01, 0x02], nameAt: 46, name: name))
        bytes[entry + 16] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(Self.problems(path) == [
            "\(path): the workbook's part xl/worksheets/sheet1.xml cannot be read: its checksum does not match; the file is damaged"
        ])
    }

    @Test func aProcessingInstructionIsRefusedBeforeTheXMLParserSeesIt() throws {
        // Found by fuzzing when Foundation's XMLParser read workbook parts (before XMLScanner):
        // it crashed (strlen of a null pointer) on a processing instruction with no data.
        let bare = try Self.workbook(sheets: Self.validSheets,
            firstSheetXML: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\u{2}<?xmlU?>\n<worksheet><sheetData/></worksheet>")
        #expect(Self.problems(bare) == [
            "\(bare): the workbook's part xl/worksheets/sheet1.xml holds a processing instruction at byte 39, which workbook parts do not; it is refused"
        ])
        #expect(WorkbookReader.processingInstruction(in: Data("\u{FEFF}<?xml version=\"1.0\"?><a/>".utf8)) == nil)
        #expect(WorkbookReader.processingInstruction(in: Data("<a/><?xml version=\"1.0\"?>".utf8)) == 4)
        #expect(WorkbookReader.processingInstruction(in: Data("<?xml-stylesheet href=\"a\"?><a/>".utf8)) == 0)
    }

    @Test func hostileSheetXMLIsRefused() throws {
        // A row number past Excel's last row would otherwise make a billion empty lines.
        let far = try Self.workbook(sheets: Self.validSheets,
            firstSheetXML: #"<worksheet><sheetData><row r="2000000000"><c r="A2000000000" t="inlineStr"><is><t>id</t></is></c></row></sheetData></worksheet>"#)
        #expect(Self.problems(far) == ["\(far): sheet regions: row number 2000000000 is outside 1…1048576"])
        // Entities could expand without bound: a part with a DTD is refused before parsing.
        let laughs = try Self.workbook(sheets: Self.validSheets,
            firstSheetXML: #"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]><worksheet><sheetData/></worksheet>"#)
        #expect(Self.problems(laughs) == [
            "\(laughs): the workbook's part xl/worksheets/sheet1.xml declares a DTD, which workbooks do not; it is refused"
        ])
        // Text in a number cell cannot bring a separator into the row.
        let injected = try Self.workbook(sheets: Self.validSheets,
            firstSheetXML: #"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row><row r="2"><c r="A2"><v>CN,X</v></c><c r="B2" t="inlineStr"><is><t>China</t></is></c></row></sheetData></worksheet>"#)
        #expect(Self.problems(injected) == [
            "\(injected): regions!A2: invalid region id 'CN,X': ids are letters (of any script), digits, '.', '_' and '-', starting with a letter or digit",
            "\(injected): firms!C2: 'region' of firm 'acme' names unknown region 'CN'",
        ])
    }

    @Test func anArchiveWithOffsetsPastItsEndIsAnErrorNotATrap() throws {
        // Found by fuzzing: ZIPFoundation's in-memory reader traps on it; its file reader throws.
        let path = CommandRunner.packageDirectory.path + "/Tests/RoboChainModelTests/Fixtures/fuzz-offset-past-end.xlsx"
        #expect(Self.problems(path) == ["\(path): the file is not an .xlsx workbook (it has no xl/workbook.xml)"])
    }

    @Test func aPartThatIsNotUTF8IsRefusedBeforeTheXMLParserSeesIt() throws {
        // Found by fuzzing when Foundation's XMLParser read workbook parts (before XMLScanner):
        // it trapped on an element name that is not UTF-8.
        let latin1 = try Self.workbook(sheets: Self.validSheets, firstSheetBytes: Array("<worksheet><sheetData><r".utf8) + [0xE9] + Array("w/></sheetData></worksheet>".utf8))
        #expect(Self.problems(latin1) == ["\(latin1): the workbook's part xl/worksheets/sheet1.xml is not UTF-8 text; it is refused"])
        // The fuzzer's own input also has a deflate stream that runs past its data (ZIPFoundation
        // read on into the next record): it is refused for that first.
        let path = CommandRunner.packageDirectory.path + "/Tests/RoboChainModelTests/Fixtures/fuzz-latin1-name.xlsx"
        #expect(Self.problems(path) == [
            "\(path): the workbook's part xl/worksheets/sheet1.xml cannot be read: its compressed data ends before its deflate stream does; the file is damaged"
        ])
    }

    @Test func aPartThatIsNotWellFormedXMLIsRefusedWithItsNameAndLine() throws {
        // Read by XMLScanner (issue 20): the part and the line where it stops being XML.
        let mismatched = try Self.workbook(sheets: Self.validSheets,
            firstSheetXML: "<worksheet>\n<sheetData>\n<row r=\"1\"></sheetData>\n</worksheet>")
        #expect(Self.problems(mismatched) == [
            "\(mismatched): the workbook's part xl/worksheets/sheet1.xml is not well-formed XML at line 3: the end tag </sheetData> does not match the start tag <row> of line 3"
        ])
        let entity = try Self.workbook(sheets: Self.validSheets,
            firstSheetXML: "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&nbsp;</t></is></c></row></sheetData></worksheet>")
        #expect(Self.problems(entity) == [
            "\(entity): the workbook's part xl/worksheets/sheet1.xml is not well-formed XML at line 1: unknown entity &nbsp; (XML without a DTD has only &lt; &gt; &amp; &apos; &quot;)"
        ])
    }

    @Test func cdataAndReferencesInCellsAreTheirText() throws {
        let path = try Self.workbook(sheets: Self.validSheets,
            firstSheetXML: #"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[CN]]></t></is></c><c r="B2" t="inlineStr"><is><t>Chin&#x61;</t></is></c></row></sheetData></worksheet>"#)
        #expect(Self.problems(path) == [])
        let sheets = try WorkbookReader.sheets(path: path, names: ["regions"])
        #expect(sheets["regions"].map { String(decoding: $0.bytes, as: UTF8.self) } == "\"id\",\"name\"\n\"CN\",\"China\"\n")
    }

    // MARK: - Helpers

    /// Where the first zip record with `signature` naming `name` (at `nameAt` bytes from its
    /// start) begins.
    static func zipRecord(in bytes: [UInt8], signature: [UInt8], nameAt: Int, name: [UInt8]) -> Int? {
        let last = bytes.count - nameAt - name.count
        guard last >= 0 else { return nil }
        for start in 0...last where bytes[start..<(start + 4)].elementsEqual(signature) {
            let nameStart = start + nameAt
            if bytes[nameStart..<(nameStart + name.count)].elementsEqual(name) { return start }
        }
        return nil
    }

    static func problems(_ path: String) -> [String] {
        do {
            _ = try ModelLoader.load(path: path)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    static let validSheets: [(String, [[String]])] = [
        ("regions", [["id", "name"], ["CN", "China"]]),
        ("components", [["id", "name", "segment"], ["hand", "Hand", "limbs"]]),
        ("supplies", [["firm", "component"], ["acme", "hand"]]),
        ("firms", [["id", "name", "region"], ["acme", "Acme", "CN"]]),
    ]

    /// A workbook with inline-text cells, made with ZIPFoundation; optionally a merged range
    /// in one sheet, a false uncompressed size on the first sheet, padding (spaces) inflating
    /// the first sheet, or the first sheet's XML as text or bytes.
    static func workbook(
        sheets: [(String, [[String]])], merged: (String, String)? = nil, declaredSheetSize: UInt32? = nil, padding: Int = 0,
        firstSheetXML: String? = nil, firstSheetBytes: [UInt8]? = nil
    ) throws -> String {
        let directory = try TemporaryDirectory("workbook")
        let path = directory.path + "/book.xlsx"
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        func add(_ name: String, _ text: String, bytes: [UInt8]? = nil) throws {
            let data = Data(bytes ?? Array(text.utf8))
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let sheetList = sheets.enumerated().map { "<sheet name=\"\($0.element.0)\" sheetId=\"\($0.offset + 1)\" r:id=\"rId\($0.offset + 1)\"/>" }
        try add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\(sheetList.joined())</sheets></workbook>
            """)
        let relations = sheets.indices.map { "<Relationship Id=\"rId\($0 + 1)\" Type=\"worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>" }
        try add("xl/_rels/workbook.xml.rels", "<Relationships>\(relations.joined())</Relationships>")
        for (index, sheet) in sheets.enumerated() {
            var xml = "<worksheet><sheetData>"
            for (row, cells) in sheet.1.enumerated() {
                xml += "<row r=\"\(row + 1)\">"
                for (column, cell) in cells.enumerated() {
                    xml += "<c r=\"\(WorkbookSheetWriter.columnName(column))\(row + 1)\" t=\"inlineStr\"><is><t>\(cell)</t></is></c>"
                }
                xml += "</row>"
            }
            xml += "</sheetData>"
            if let merged, merged.0 == sheet.0 { xml += "<mergeCells count=\"1\"><mergeCell ref=\"\(merged.1)\"/></mergeCells>" }
            if index == 0 && padding > 0 { xml += String(repeating: " ", count: padding) }
            xml += "</worksheet>"
            try add("xl/worksheets/sheet\(index + 1).xml", index == 0 ? firstSheetXML ?? xml : xml, bytes: index == 0 ? firstSheetBytes : nil)
        }
        if declaredSheetSize != nil || padding > 0 {
            // Rewrite the first sheet's uncompressed size, in its local header and in the
            // central directory, to the declared size (or to a small one, for the padding).
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let size = declaredSheetSize ?? 100
            let name = Array("xl/worksheets/sheet1.xml".utf8)
            for start in 0..<(bytes.count - 46) where bytes[start] == 0x50 && bytes[start + 1] == 0x4B {
                let signature = bytes[start + 2..<start + 4]
                let (nameOffset, sizeOffset) = signature.elementsEqual([0x03, 0x04]) ? (30, 22) : signature.elementsEqual([0x01, 0x02]) ? (46, 24) : (0, 0)
                guard nameOffset > 0, start + nameOffset + name.count <= bytes.count,
                    bytes[(start + nameOffset)..<(start + nameOffset + name.count)].elementsEqual(name)
                else { continue }
                for byte in 0..<4 { bytes[start + sizeOffset + byte] = UInt8(truncatingIfNeeded: size >> (8 * UInt32(byte))) }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        return path
    }
}

/// GB18030 text for fixtures, through iconv (the reverse of what the reader does).
enum TestEncoding {
    static func toGB18030(_ utf8: [UInt8]) -> TextEncoding.Conversion {
        let converter = iconv_open("GB18030", "UTF-8")
        defer { iconv_close(converter) }
        var input = utf8
        var output = [UInt8](repeating: 0, count: utf8.count * 2 + 16)
        let produced: Int = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                var inPointer = UnsafeMutableRawPointer(source.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
                var inLeft = source.count
                var outPointer = UnsafeMutableRawPointer(target.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
                var outLeft = target.count
                _ = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                return target.count - outLeft
            }
        }
        return .success(Array(output[..<produced]))
    }
}
