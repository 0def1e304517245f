import Foundation
import RoboChainJSON
import ZIPFoundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the sheets of an `.xlsx` workbook (Office Open XML, ECMA-376) as CSV text, so a
/// workbook model goes through the same reader and the same checks as a CSV directory
/// (SPEC §1.2).
///
/// The workbook is a zip archive (its directory read with ZIPFoundation, its parts inflated by
/// ``WorkbookPart``) of XML parts (read with Foundation's
/// `XMLParser`): `xl/workbook.xml` names the sheets, `xl/_rels/workbook.xml.rels` says which
/// part holds each, `xl/sharedStrings.xml` holds the text of text cells. A cell becomes a CSV
/// field as Excel stored it: a number as its digits (a percentage is stored as its fraction,
/// 30 % as 0.3), a Boolean as `TRUE`/`FALSE`, text quoted (so text that looks like a number
/// stays text in an attribute), a formula as its cached value. Cell *n* of a row is field *n*
/// (empty columns left out of the sheet's XML are empty fields), and sheet row *n* is CSV line
/// *n* until a text cell holds a line break (``SheetPlace`` records the shift), so messages
/// name a problem's cell as Excel does, `book.xlsx: firms!B12` (``SourceLocation``).
///
/// Refused, with a message naming the workbook and sheet: a file that is not a zip archive (an
/// encrypted workbook is an OLE container, and is named as such); parts that inflate past
/// ``maximumInflatedSize`` (a zip bomb); merged cells in a table; a cell holding an error value;
/// rows or cells out of order in the sheet's XML (which Excel writes in order).
enum WorkbookReader {
    /// The most bytes the parts of one workbook may inflate to, together.
    static let maximumInflatedSize = 1 << 30

    /// A sheet read as CSV text, with how messages name its rows and cells.
    struct Sheet: Sendable {
        var bytes: [UInt8]
        var place: SheetPlace
    }

    /// The sheets that are tables of a model, by lowercased sheet name, as CSV text.
    ///
    /// - Parameters:
    ///   - path: The workbook.
    ///   - names: The sheet names wanted (lowercase); other sheets are not read.
    ///   - limit: The most bytes the parts read may inflate to.
    /// - Throws: ``ModelError``.
    static func sheets(path: String, names: Set<String>, limit: Int = maximumInflatedSize) throws(ModelError) -> [String: Sheet] {
        let bytes: [UInt8]
        do {
            bytes = try FileAccess.readFile(path)
        } catch {
            if case .missingFile = error { throw .unreadable(path: path, reason: "No such file or directory") }
            throw error
        }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw .syntax(SourceLocation(file: path),
                problem: "the workbook is encrypted (password-protected) or in the old .xls format: save it as an .xlsx workbook without a password")
        }
        guard bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) else {
            throw .syntax(SourceLocation(file: path), problem: "the file is not an .xlsx workbook (not a zip archive)")
        }
        let archive: Archive
        do {
            // Read from the file, not from memory: ZIPFoundation 0.9.20's in-memory reader traps
            // on an entry whose offsets point past the end (found by fuzzing); its file reader
            // gets a short read and throws.
            archive = try openArchive(path)
        } catch {
            throw .syntax(SourceLocation(file: path), problem: "the file is not an .xlsx workbook (a damaged zip archive: \(error))")
        }
        var budget = limit
        func part(_ name: String) throws(ModelError) -> Data? {
            guard let entry = archive[name] else { return nil }
            return try inflate(entry, in: bytes, path: path, budget: &budget, limit: limit)
        }

        guard let workbookXML = try part("xl/workbook.xml") else {
            throw .syntax(SourceLocation(file: path), problem: "the file is not an .xlsx workbook (it has no xl/workbook.xml)")
        }
        let workbook = XMLElements(workbookXML, collecting: ["sheet"])
        let relations = try part("xl/_rels/workbook.xml.rels").map { XMLElements($0, collecting: ["Relationship"]) }
        var targets: [String: String] = [:]
        for relation in relations?.elements ?? [] {
            if let id = relation.attributes["Id"], let target = relation.attributes["Target"] { targets[id] = target }
        }
        let sharedStrings = try part("xl/sharedStrings.xml").map(SharedStrings.parse) ?? []

        var result: [String: Sheet] = [:]
        for sheet in workbook.elements {
            guard let name = sheet.attributes["name"], names.contains(name.lowercased()),
                result[name.lowercased()] == nil
            else { continue }
            let relation = sheet.attributes["r:id"] ?? sheet.attributes.first { $0.key.hasSuffix(":id") }?.value
            guard let relation, let target = targets[relation] else {
                throw .syntax(SourceLocation(file: path), problem: "sheet '\(name)' has no part in the workbook")
            }
            let partName = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            guard let xml = try part(partName) else {
                throw .syntax(SourceLocation(file: path), problem: "sheet '\(name)' has no part \(partName) in the workbook")
            }
            result[name.lowercased()] = try SheetText.csv(xml, sharedStrings: sharedStrings, workbook: path, sheet: name)
        }
        return result
    }

    /// The name a sheet of a workbook is known by among the files of a model (its messages
    /// name it as ``SourceLocation`` does): `book.xlsx (sheet firms)`.
    static func sheetPath(_ path: String, _ sheet: String) -> String {
        "\(path) (sheet \(sheet))"
    }

    /// ZIPFoundation's reader of the workbook. ZIPFoundation opens a file by URL, whose path is
    /// text; a name that is not UTF-8 (held as ``ByteText`` escapes) is opened by its bytes here
    /// and handed over as `/proc/self/fd/N`, which opens the same file.
    private static func openArchive(_ path: String) throws -> Archive {
        guard ByteText.holdsEscapes(path) else { return try Archive(url: URL(fileURLWithPath: path), accessMode: .read) }
        let descriptor = ByteText.cString(path).withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw CocoaError(.fileReadNoSuchFile) }
        defer { close(descriptor) }
        return try Archive(url: URL(fileURLWithPath: "/proc/self/fd/\(descriptor)"), accessMode: .read)
    }

    /// The names of every sheet in the workbook (for a message about a missing one).
    static func allSheetNames(path: String) -> [String] {
        guard let bytes = try? FileAccess.readFile(path),
            let archive = try? openArchive(path),
            let entry = archive["xl/workbook.xml"]
        else { return [] }
        var budget = 1 << 24
        guard let data = try? inflate(entry, in: bytes, path: path, budget: &budget, limit: budget) else { return [] }
        return XMLElements(data, collecting: ["sheet"]).elements.compactMap { $0.attributes["name"] }
    }

    /// A part's bytes (through ``WorkbookPart``, which bounds what it reads and writes), refusing
    /// to inflate past what is left of `budget`, and refusing text that is not UTF-8 or declares a
    /// DTD.
    private static func inflate(_ entry: Entry, in file: [UInt8], path: String, budget: inout Int, limit: Int) throws(ModelError) -> Data {
        let data = Data(try WorkbookPart.bytes(of: entry, in: file, path: path, budget: &budget, limit: limit))
        // Foundation's XMLParser (libxml2 underneath) traps on a name that is not UTF-8 (found
        // by fuzzing); workbook parts are UTF-8, so anything else is refused before parsing.
        guard data.withUnsafeBytes({ UTF8Text.isValid($0.bindMemory(to: UInt8.self)) }) else {
            throw .syntax(SourceLocation(file: path),
                problem: "the workbook's part \(entry.path) is not UTF-8 text; it is refused")
        }
        // Workbook parts never declare a DTD; one could expand entities (a "billion laughs").
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
            throw .syntax(SourceLocation(file: path),
                problem: "the workbook's part \(entry.path) declares a DTD, which workbooks do not; it is refused")
        }
        // Foundation's XMLParser crashes on a processing instruction without data (`<?x?>`: it
        // takes the length of a null string; found by fuzzing). Workbook parts hold none but the
        // XML declaration at the start, so any other is refused before parsing.
        if let instruction = processingInstruction(in: data) {
            throw .syntax(SourceLocation(file: path),
                problem: "the workbook's part \(entry.path) holds a processing instruction at byte \(instruction), which workbook parts do not; it is refused")
        }
        return data
    }

    /// The offset of the first `<?` that does not open the XML declaration at the start of the
    /// part (after an optional byte-order mark), or nil.
    static func processingInstruction(in data: Data) -> Int? {
        let bytes = [UInt8](data)
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let declaration = Array("<?xml".utf8)
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "<") && bytes[index + 1] == UInt8(ascii: "?") {
                let isDeclaration = index == start && bytes[index...].starts(with: declaration)
                    && index + 5 < bytes.count && [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index + 5])
                if !isDeclaration { return index }
            }
            index += 1
        }
        return nil
    }
}

/// Elements of chosen names and their attributes, from an XML document.
private final class XMLElements: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
    }

    private(set) var elements: [Element] = []
    private let names: Set<String>

    init(_ data: Data, collecting names: Set<String>) {
        self.names = names
        super.init()
        let parser = XMLParser(data: data)
        parser.delegate = self
        parser.parse()
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if names.contains(elementName) { elements.append(Element(name: elementName, attributes: attributes)) }
    }
}

/// The shared-string table: the text of each `<si>`, its runs joined, phonetic guides left out.
private final class SharedStrings: NSObject, XMLParserDelegate {
    private var strings: [String] = []
    private var current = ""
    private var inText = false
    private var inPhonetic = 0

    static func parse(_ data: Data) -> [String] {
        let reader = SharedStrings()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        parser.parse()
        return reader.strings
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch elementName {
        case "si": current = ""
        case "t": inText = inPhonetic == 0
        case "rPh": inPhonetic += 1
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        switch elementName {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic -= 1
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }
}

/// One worksheet as CSV text: cell *n* of a row as field *n*, row *n* on line *n* (or where
/// `shifts` says, after a text cell's line break).
private final class SheetText: NSObject, XMLParserDelegate {
    private let sharedStrings: [String]
    private let workbook: String
    private let sheet: String
    private var output: [UInt8] = []
    /// The CSV line the output is on (1-based), and where it stopped being the sheet row.
    private var line = 1
    private var shifts: [(line: Int32, offset: Int32)] = []
    /// The sheet row being written (0 before the first).
    private var row = 0
    private var column = 0
    private var cellType = "n"
    private var cellColumn = 0
    private var cellReference = ""
    private var value = ""
    private var inValue = false
    private var inInlineText = false
    private var problem: (location: SourceLocation, message: String)?
    private var merged: String?

    /// Excel's limits: rows 1…1,048,576, columns A…XFD.
    static let maximumRows = 1_048_576
    static let maximumColumns = 16_384

    private init(sharedStrings: [String], workbook: String, sheet: String) {
        self.sharedStrings = sharedStrings
        self.workbook = workbook
        self.sheet = sheet
    }

    static func csv(_ data: Data, sharedStrings: [String], workbook: String, sheet name: String) throws(ModelError) -> WorkbookReader.Sheet {
        let location = SourceLocation(workbook: workbook, sheet: name)
        let sheet = SheetText(sharedStrings: sharedStrings, workbook: workbook, sheet: name)
        let parser = XMLParser(data: data)
        parser.delegate = sheet
        if !parser.parse(), sheet.problem == nil, sheet.merged == nil {
            throw .syntax(location, problem: "the sheet's XML cannot be read: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
        }
        if let merged = sheet.merged {
            throw .syntax(location, problem: "cells \(merged) are merged: a table's cells cannot be merged (unmerge them)")
        }
        if let problem = sheet.problem { throw .syntax(problem.location, problem: problem.message) }
        sheet.output.append(0x0A)
        return WorkbookReader.Sheet(bytes: sheet.output, place: SheetPlace(workbook: workbook, name: name, shifts: sheet.shifts))
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch elementName {
        case "row":
            let number = attributes["r"].flatMap { Int($0) } ?? row + 1
            // A row number is at most Excel's last row; a larger one would make as many lines.
            guard number >= 1, number <= Self.maximumRows else {
                fail(parser, "row number \(attributes["r"] ?? "?") is outside 1…\(Self.maximumRows)")
                return
            }
            // Excel writes rows in order; a row out of order would be read as another.
            guard number > row else {
                fail(parser, "the row comes after row \(row) in the sheet's XML, out of order: save the workbook again with a spreadsheet program",
                    at: SourceLocation(workbook: workbook, sheet: sheet, row: number))
                return
            }
            // Rows left out of the sheet (empty) stay blank lines, so line numbers are row numbers.
            let breaks = row == 0 ? number - 1 : number - row
            for _ in 0..<breaks { output.append(0x0A) }
            line += breaks
            row = number
            if line + (shifts.last.map { Int($0.offset) } ?? 0) != row {
                shifts.append((Int32(line), Int32(row - line)))
            }
            column = 0
        case "c":
            cellType = attributes["t"] ?? "n"
            cellReference = attributes["r"] ?? ""
            cellColumn = Self.columnIndex(cellReference) ?? column
            guard cellColumn < Self.maximumColumns else {
                fail(parser, "cell \(cellReference) is beyond column XFD, the last a sheet has",
                    at: SourceLocation(workbook: workbook, sheet: sheet, row: row))
                return
            }
            // Excel writes a row's cells in order; a cell out of order would be read as another column's.
            guard cellColumn >= column else {
                fail(parser, "the cell comes after column \(SourceLocation.columnLetters(column)) of its row in the sheet's XML, out of order: save the workbook again with a spreadsheet program",
                    at: cellLocation)
                return
            }
            value = ""
        case "v": inValue = true
        case "t": inInlineText = cellType == "inlineStr"
        case "mergeCell":
            merged = attributes["ref"] ?? "?"
            parser.abortParsing()
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        switch elementName {
        case "v": inValue = false
        case "t": inInlineText = false
        case "c": writeCell(parser)
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue || inInlineText { value += string }
    }

    private func writeCell(_ parser: XMLParser) {
        // A cell with no value (Excel writes one for a cell that is only formatted) is no field:
        // past the header's last column it would make the row longer than the header.
        guard !value.isEmpty else { return }
        while column < cellColumn {
            if column > 0 { output.append(UInt8(ascii: ",")) }
            column += 1
        }
        if column > 0 { output.append(UInt8(ascii: ",")) }
        column += 1
        switch cellType {
        case "s":
            guard let index = Int(value), sharedStrings.indices.contains(index) else {
                if !value.isEmpty { fail(parser, "the cell names shared string \(value), which the workbook lacks", at: cellLocation) }
                return
            }
            quoted(sharedStrings[index])
        case "str", "inlineStr":
            quoted(value)
        case "b":
            output.append(contentsOf: Array((value == "1" ? "TRUE" : "FALSE").utf8))
        case "e":
            fail(parser, "the cell holds the error \(value): fix the formula or clear the cell", at: cellLocation)
        default:
            // A number as stored; anything else in a number cell is text, quoted so that it
            // cannot bring a separator or a line break into the row.
            let isNumeric = value.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
                    || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E")
            }
            if isNumeric { output.append(contentsOf: Array(value.utf8)) } else { quoted(value) }
        }
    }

    /// Text as a quoted field. Its line breaks (LF, CRLF, CR, as ``CSVTokenizer`` counts them)
    /// are lines of the CSV text but not rows of the sheet: they are counted.
    private func quoted(_ text: String) {
        guard !text.isEmpty else { return }
        output.append(0x22)
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == 0x22 { output.append(0x22) }
            if byte == 0x0A || (previous == 0x0D && byte != 0x0A) { line += 1 }
            output.append(byte)
            previous = byte
        }
        if previous == 0x0D { line += 1 }
        output.append(0x22)
    }

    /// The cell being read.
    private var cellLocation: SourceLocation {
        SourceLocation(workbook: workbook, sheet: sheet, row: row, column: cellColumn + 1)
    }

    /// Stops reading with a problem, at `location` (the whole sheet if none).
    private func fail(_ parser: XMLParser, _ message: String, at location: SourceLocation? = nil) {
        if problem == nil { problem = (location ?? SourceLocation(workbook: workbook, sheet: sheet), message) }
        parser.abortParsing()
    }

    /// The 1-based column of a reference such as `B12`, as a 0-based index.
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0
        var letters = 0
        for byte in reference.utf8 {
            guard byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") else { break }
            index = index * 26 + Int(byte - UInt8(ascii: "A") + 1)
            letters += 1
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : index - 1
    }
}
