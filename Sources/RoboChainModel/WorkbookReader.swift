import Foundation
import RoboChainJSON
import ZIPFoundation

/// Reads the sheets of an `.xlsx` workbook (Office Open XML, ECMA-376) as CSV text, so a
/// workbook model goes through the same reader and the same checks as a CSV directory
/// (SPEC §1.2).
///
/// The workbook is a zip archive (its directory read with ZIPFoundation, its parts inflated by
/// ``WorkbookPart``) of XML parts (read with ``XMLScanner``): `xl/workbook.xml` names the sheets, `xl/_rels/workbook.xml.rels` says which
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
/// rows or cells out of order in the sheet's XML (which Excel writes in order); a part that is
/// not UTF-8 or not well-formed XML, or declares a DTD (``XMLScanner``).
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
        func part(_ name: String) throws(ModelError) -> [UInt8]? {
            guard let entry = archive[name] else { return nil }
            return try inflate(entry, in: bytes, path: path, budget: &budget, limit: limit)
        }

        guard let workbookXML = try part("xl/workbook.xml") else {
            throw .syntax(SourceLocation(file: path), problem: "the file is not an .xlsx workbook (it has no xl/workbook.xml)")
        }
        let workbook = try XMLElements.read(workbookXML, collecting: ["sheet"], workbook: path, part: "xl/workbook.xml")
        var targets: [String: String] = [:]
        if let relationsXML = try part("xl/_rels/workbook.xml.rels") {
            let relations = try XMLElements.read(relationsXML, collecting: ["Relationship"], workbook: path, part: "xl/_rels/workbook.xml.rels")
            for relation in relations {
                if let id = relation.attributes["Id"], let target = relation.attributes["Target"] { targets[id] = target }
            }
        }
        var sharedStrings: [String] = []
        if let stringsXML = try part("xl/sharedStrings.xml") {
            sharedStrings = try SharedStrings.read(stringsXML, workbook: path, part: "xl/sharedStrings.xml")
        }

        var result: [String: Sheet] = [:]
        for sheet in workbook {
            guard let name = sheet.attributes["name"], names.contains(name.lowercased()),
                result[name.lowercased()] == nil
            else { continue }
            let relation = sheet.attributes["r:id"] ?? sheet.attributes.first { $0.name.hasSuffix(":id") }?.value
            guard let relation, let target = targets[relation] else {
                throw .syntax(SourceLocation(file: path), problem: "sheet '\(name)' has no part in the workbook")
            }
            let partName = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            guard let xml = try part(partName) else {
                throw .syntax(SourceLocation(file: path), problem: "sheet '\(name)' has no part \(partName) in the workbook")
            }
            result[name.lowercased()] = try SheetText.csv(xml, sharedStrings: sharedStrings, workbook: path, sheet: name, part: partName)
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
        var sheets: [XMLElements.Element] = []
        // The sheets named before any error in the part: the message is about another problem.
        _ = try? XMLElements.read(data, collecting: ["sheet"], workbook: path, part: "xl/workbook.xml", into: &sheets)
        return sheets.compactMap { $0.attributes["name"] }
    }

    /// A part's bytes (through ``WorkbookPart``, which bounds what it reads and writes), refusing
    /// to inflate past what is left of `budget`, and refusing text that is not UTF-8 or declares a
    /// DTD.
    private static func inflate(_ entry: Entry, in file: [UInt8], path: String, budget: inout Int, limit: Int) throws(ModelError) -> [UInt8] {
        let data = try WorkbookPart.bytes(of: entry, in: file, path: path, budget: &budget, limit: limit)
        // Workbook parts are UTF-8: anything else is refused whole, before it is scanned.
        // (Foundation's XMLParser, which read the parts before XMLScanner, trapped on a name that
        // was not UTF-8: found by fuzzing.)
        guard data.withUnsafeBufferPointer({ UTF8Text.isValid($0) }) else {
            throw .syntax(SourceLocation(file: path),
                problem: "the workbook's part \(entry.path) is not UTF-8 text; it is refused")
        }
        // Workbook parts never declare a DTD; one could expand entities (a "billion laughs").
        // XMLScanner expands none and refuses a DTD too, but with a message about XML.
        if contains(data, "<!DOCTYPE") || contains(data, "<!ENTITY") {
            throw .syntax(SourceLocation(file: path),
                problem: "the workbook's part \(entry.path) declares a DTD, which workbooks do not; it is refused")
        }
        // Workbook parts hold no processing instruction but the XML declaration at the start,
        // so any other is refused before scanning. (Foundation's XMLParser, which read the parts
        // before XMLScanner, crashed on one without data, `<?x?>`: found by fuzzing.)
        if let instruction = processingInstruction(in: data) {
            throw .syntax(SourceLocation(file: path),
                problem: "the workbook's part \(entry.path) holds a processing instruction at byte \(instruction), which workbook parts do not; it is refused")
        }
        return data
    }

    /// ``processingInstruction(in:)-([UInt8])`` of `data`.
    static func processingInstruction(in data: Data) -> Int? {
        processingInstruction(in: [UInt8](data))
    }

    /// The offset of the first `<?` that does not open the XML declaration at the start of the
    /// part (after an optional byte-order mark), or nil.
    static func processingInstruction(in bytes: [UInt8]) -> Int? {
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

    /// Whether `bytes` hold `text` anywhere.
    private static func contains(_ bytes: [UInt8], _ text: StaticString) -> Bool {
        let needle = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        guard let first = needle.first, bytes.count >= needle.count else { return false }
        var index = 0
        while index + needle.count <= bytes.count {
            if bytes[index] == first && bytes[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}

/// Elements of chosen names and their attributes, from an XML part.
private enum XMLElements {
    struct Element {
        var name: String
        var attributes: [XMLScanner.Attribute]
    }

    /// The elements named one of `names` (qualified names, as written), in document order.
    ///
    /// - Throws: ``ModelError`` if the part is not well-formed XML.
    static func read(_ bytes: [UInt8], collecting names: Set<String>, workbook: String, part: String) throws(ModelError) -> [Element] {
        var elements: [Element] = []
        try read(bytes, collecting: names, workbook: workbook, part: part, into: &elements)
        return elements
    }

    /// Appends to `elements` as it reads, so that they hold what came before an error.
    static func read(
        _ bytes: [UInt8], collecting names: Set<String>, workbook: String, part: String, into elements: inout [Element]
    ) throws(ModelError) {
        var scanner = XMLScanner(bytes, workbook: workbook, part: part)
        while let event = try scanner.next() {
            if case .start(let name, let attributes) = event, names.contains(name) {
                elements.append(Element(name: name, attributes: attributes))
            }
        }
    }
}

/// The shared-string table: the text of each `<si>`, its runs joined, phonetic guides left out.
private enum SharedStrings {
    /// - Throws: ``ModelError`` if the part is not well-formed XML.
    static func read(_ bytes: [UInt8], workbook: String, part: String) throws(ModelError) -> [String] {
        var strings: [String] = []
        var current = ""
        var inText = false
        var inPhonetic = 0
        var scanner = XMLScanner(bytes, workbook: workbook, part: part)
        while let event = try scanner.next() {
            switch event {
            case .start("si", _): current = ""
            case .start("t", _): inText = inPhonetic == 0
            case .start("rPh", _): inPhonetic += 1
            case .end("si"): strings.append(current)
            case .end("t"): inText = false
            case .end("rPh"): inPhonetic -= 1
            case .text(let text): if inText { current += text }
            default: break
            }
        }
        return strings
    }
}

/// One worksheet as CSV text: cell *n* of a row as field *n*, row *n* on line *n* (or where
/// `shifts` says, after a text cell's line break).
private struct SheetText {
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

    /// The sheet in part `part` of `workbook` as CSV text.
    ///
    /// - Throws: ``ModelError``: the first problem with the sheet's cells, or where its XML
    ///   stops being well-formed, whichever comes first in the part.
    static func csv(_ data: [UInt8], sharedStrings: [String], workbook: String, sheet name: String, part: String) throws(ModelError) -> WorkbookReader.Sheet {
        let location = SourceLocation(workbook: workbook, sheet: name)
        var sheet = SheetText(sharedStrings: sharedStrings, workbook: workbook, sheet: name)
        var scanner = XMLScanner(data, workbook: workbook, part: part)
        // Reading stops at the first problem or merged range.
        while sheet.problem == nil, sheet.merged == nil, let event = try scanner.next() {
            switch event {
            case .start(let element, let attributes): sheet.start(element, attributes)
            case .end(let element): sheet.end(element)
            case .text(let text): if sheet.inValue || sheet.inInlineText { sheet.value += text }
            }
        }
        if let merged = sheet.merged {
            throw .syntax(location, problem: "cells \(merged) are merged: a table's cells cannot be merged (unmerge them)")
        }
        if let problem = sheet.problem { throw .syntax(problem.location, problem: problem.message) }
        sheet.output.append(0x0A)
        return WorkbookReader.Sheet(bytes: sheet.output, place: SheetPlace(workbook: workbook, name: name, shifts: sheet.shifts))
    }

    private mutating func start(_ element: String, _ attributes: [XMLScanner.Attribute]) {
        switch element {
        case "row":
            let number = attributes["r"].flatMap { Int($0) } ?? row + 1
            // A row number is at most Excel's last row; a larger one would make as many lines.
            guard number >= 1, number <= Self.maximumRows else {
                fail("row number \(attributes["r"] ?? "?") is outside 1…\(Self.maximumRows)")
                return
            }
            // Excel writes rows in order; a row out of order would be read as another.
            guard number > row else {
                fail("the row comes after row \(row) in the sheet's XML, out of order: save the workbook again with a spreadsheet program",
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
                fail("cell \(cellReference) is beyond column XFD, the last a sheet has",
                    at: SourceLocation(workbook: workbook, sheet: sheet, row: row))
                return
            }
            // Excel writes a row's cells in order; a cell out of order would be read as another column's.
            guard cellColumn >= column else {
                fail("the cell comes after column \(SourceLocation.columnLetters(column)) of its row in the sheet's XML, out of order: save the workbook again with a spreadsheet program",
                    at: cellLocation)
                return
            }
            value = ""
        case "v": inValue = true
        case "t": inInlineText = cellType == "inlineStr"
        case "mergeCell":
            merged = attributes["ref"] ?? "?"
        default: break
        }
    }

    private mutating func end(_ element: String) {
        switch element {
        case "v": inValue = false
        case "t": inInlineText = false
        case "c": writeCell()
        default: break
        }
    }

    private mutating func writeCell() {
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
                if !value.isEmpty { fail("the cell names shared string \(value), which the workbook lacks", at: cellLocation) }
                return
            }
            quoted(sharedStrings[index])
        case "str", "inlineStr":
            quoted(value)
        case "b":
            output.append(contentsOf: Array((value == "1" ? "TRUE" : "FALSE").utf8))
        case "e":
            fail("the cell holds the error \(value): fix the formula or clear the cell", at: cellLocation)
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
    private mutating func quoted(_ text: String) {
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
    private mutating func fail(_ message: String, at location: SourceLocation? = nil) {
        if problem == nil { problem = (location ?? SourceLocation(workbook: workbook, sheet: sheet), message) }
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
