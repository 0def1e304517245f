import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RoboChainTestSupport
import Testing
import ZIPFoundation

/// Models from spreadsheets, end to end: every form gives the analysis of its YAML twin, and
/// `robochain convert` goes between the forms without loss.
@Suite struct SpreadsheetCommandTests {
    static let fixtures = "Tests/RoboChainModelTests/Fixtures"
    static let analysis = ["--with", "gap-detection", "--with", "localisation-share", "--format", "json"]

    static func analyze(_ model: String, scope: String? = nil) throws -> CommandResult {
        try CommandRunner.robochain(["analyze", model] + analysis + (scope.map { ["--scope", $0] } ?? []),
            directory: CommandRunner.packageDirectory)
    }

    @Test(arguments: ["spreadsheet-csv", "libreoffice-twin.xlsx"])
    func spreadsheetFormsGiveTheAnalysisOfTheirTwin(form: String) throws {
        let twin = try Self.analyze("\(Self.fixtures)/twin.yaml")
        #expect(twin.exitStatus == 0)
        let result = try Self.analyze("\(Self.fixtures)/\(form)")
        #expect(result.exitStatus == 0)
        #expect(result.standardError == "")
        #expect(result.standardOutput == twin.standardOutput)
        #expect(result.standardOutput.contains(#""scope": "CN-GD""#))  // the home from model.csv / the model sheet
    }

    @Test func convertGoesThroughEveryFormAndBack() throws {
        let directory = try TemporaryDirectory("convert")
        defer { directory.remove() }
        let original = try Self.analyze("Models/guangdong-robots.yaml")
        var model = "Models/guangdong-robots.yaml"
        for output in ["g.xlsx", "g-csv", "g.json", "g.yaml"].map({ directory.path + "/" + $0 }) {
            let converted = try CommandRunner.robochain(["convert", model, "--output", output], directory: CommandRunner.packageDirectory)
            #expect(converted.exitStatus == 0, "\(converted.standardError)")
            #expect(converted.standardOutput == "")
            #expect(try Self.analyze(output).standardOutput == original.standardOutput)
            model = output
        }
    }

    @Test func convertRefusesToOverwriteItsModel() throws {
        let result = try CommandRunner.robochain(["convert", "Models/guangdong-robots.yaml", "--output", "Models/guangdong-robots.yaml"],
            directory: CommandRunner.packageDirectory)
        #expect(result.exitStatus == 64)
        #expect(result.standardError.hasPrefix(
            "Error: --output 'Models/guangdong-robots.yaml' is a file of the model 'Models/guangdong-robots.yaml'; writing there would replace the model."))
    }

    @Test func aWorkbookThatIsNotOneExits65() throws {
        let directory = try TemporaryDirectory("bad-book")
        defer { directory.remove() }
        let path = try directory.write("id,name\n", to: "book.xlsx")
        let result = try CommandRunner.robochain(["validate", path])
        #expect(result.exitStatus == 65)
        #expect(result.standardError.contains("\(path): the file is not an .xlsx workbook (not a zip archive)"))
    }

    /// `robochain validate` names a workbook's problem by its cell, in the sheet's own column
    /// (the firms sheet's columns are in another order than the CSV file's, with one empty).
    @Test func validateNamesTheCellOfAWorkbooksProblem() throws {
        let directory = try TemporaryDirectory("cell-book")
        defer { directory.remove() }
        let path = directory.path + "/book.xlsx"
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        func add(_ name: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let sheets: [(String, [[String: String]])] = [
            ("regions", [["A": "id", "B": "name"], ["A": "CN", "B": "China"]]),
            ("components", [["A": "id", "B": "name", "C": "segment"], ["A": "hand", "B": "Hand", "C": "limbs"]]),
            ("firms", [["B": "name", "D": "region", "E": "id"], ["B": "Acme", "D": "CN", "E": "acme"], ["B": "Zed", "D": "XX", "E": "zed"]]),
            ("supplies", [["A": "firm", "B": "component"], ["A": "acme", "B": "hand"]]),
        ]
        try add("xl/workbook.xml", "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
            + sheets.enumerated().map { "<sheet name=\"\($0.element.0)\" sheetId=\"\($0.offset + 1)\" r:id=\"rId\($0.offset + 1)\"/>" }.joined()
            + "</sheets></workbook>")
        try add("xl/_rels/workbook.xml.rels", "<Relationships>"
            + sheets.indices.map { "<Relationship Id=\"rId\($0 + 1)\" Target=\"worksheets/sheet\($0 + 1).xml\"/>" }.joined()
            + "</Relationships>")
        for (index, sheet) in sheets.enumerated() {
            let rows = sheet.1.enumerated().map { row, cells in
                "<row r=\"\(row + 1)\">" + cells.sorted { $0.key < $1.key }.map { column, text in
                    "<c r=\"\(column)\(row + 1)\" t=\"inlineStr\"><is><t>\(text)</t></is></c>"
                }.joined() + "</row>"
            }
            try add("xl/worksheets/sheet\(index + 1).xml", "<worksheet><sheetData>\(rows.joined())</sheetData></worksheet>")
        }
        let result = try CommandRunner.robochain(["validate", path])
        #expect(result.exitStatus == 65)
        #expect(result.standardError.contains("\(path): firms!D3: 'region' of firm 'zed' names unknown region 'XX'\n"))
        #expect(!result.standardError.contains("(sheet "))
    }

    @Test func unicodeIDsAreSafeInDOTAndSVG() throws {
        let directory = try TemporaryDirectory("unicode-map")
        defer { directory.remove() }
        let dot = directory.path + "/map.dot"
        let svg = directory.path + "/map.svg"
        let twin = "\(Self.fixtures)/twin.yaml"
        #expect(try CommandRunner.robochain(["render", twin, "--format", "dot", "--output", dot], directory: CommandRunner.packageDirectory).exitStatus == 0)
        #expect(try CommandRunner.robochain(["render", twin, "--format", "svg", "--output", svg], directory: CommandRunner.packageDirectory).exitStatus == 0)
        let text = try String(contentsOfFile: dot, encoding: .utf8)
        #expect(text.contains(#"tooltip="Hand 灵巧手 (hand)\nsegment: limbs\nsuppliers in 广东: UBTech 优必选""#))
        let parser = XMLParser(contentsOf: URL(fileURLWithPath: svg))!
        #expect(parser.parse())
    }
}
