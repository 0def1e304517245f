import Foundation
import RoboChainModel
import ZIPFoundation

/// Why a workbook could not be written.
public enum WorkbookError: Swift.Error, Sendable, Equatable, CustomStringConvertible {
    /// The zip archive could not be made (ZIPFoundation's `reason`).
    case cannotPackage(reason: String)
    /// A sheet has more rows than a spreadsheet holds (1,048,576, the header included).
    case tooManyRows(sheet: String, rows: Int)

    /// The message for people.
    public var description: String {
        switch self {
        case .cannotPackage(let reason): "cannot write the workbook: \(reason)"
        case .tooManyRows(let sheet, let rows):
            "sheet '\(sheet)' has \(rows) rows, more than a spreadsheet holds (1,048,575 and a header); use --format csv"
        }
    }
}

/// A cell of a ``Worksheet``.
public enum WorkbookCell: Sendable, Equatable {
    /// Text, stored as a string (never read as a formula).
    case text(String)
    /// A number in the general format.
    case number(Double)
    /// A fraction shown as a percentage (0.395 shows as 39.5%), still a number for sums and sorting.
    case percent(Double)
    /// TRUE or FALSE.
    case boolean(Bool)
}

/// One sheet: a header row, then rows of cells (`nil` is an empty cell).
public struct Worksheet: Sendable, Equatable {
    /// The sheet's tab name (made valid and unique when written: at most 31 characters, none of `[]:*?/\`).
    public var name: String
    /// The header row's titles.
    public var header: [String]
    /// The rows below the header (`nil` is an empty cell).
    public var rows: [[WorkbookCell?]]
    /// Whether the header row is frozen and carries filter buttons (a table's sheet), or the
    /// sheet is free text (a summary).
    public var isTable: Bool

    /// A sheet named `name` with a `header` row, then `rows`.
    public init(name: String, header: [String], rows: [[WorkbookCell?]] = [], isTable: Bool = true) {
        self.name = name
        self.header = header
        self.rows = rows
        self.isTable = isTable
    }
}

/// An Office Open XML spreadsheet (`.xlsx`, ECMA-376): sheets of typed cells, written as the
/// SpreadsheetML parts Excel, LibreOffice and openpyxl read, zipped with ZIPFoundation.
///
/// Text cells are inline strings, so nothing a model or a plugin writes is ever read as a
/// formula; text that a spreadsheet would take for one if retyped (`=`, `+`, `-`, `@` first)
/// also carries Excel's quote prefix. Percentages use the built-in `0.0%` style. A table sheet
/// has its header row frozen and an auto-filter over its columns; column widths follow the
/// widest cell (at most 60 characters).
public struct Workbook: Sendable {
    /// The sheets, in tab order.
    public var sheets: [Worksheet]
    /// The document title (shown in the file's properties).
    public var title: String?

    /// A workbook of `sheets`, titled `title` if given.
    public init(sheets: [Worksheet], title: String? = nil) {
        self.sheets = sheets
        self.title = title
    }

    /// The most rows a sheet can hold, the header row included.
    public static let maximumRows = 1_048_576

    /// The workbook as the bytes of an `.xlsx` file.
    ///
    /// - Throws: ``WorkbookError``.
    /// - Complexity: O(cells).
    public func xlsx() throws(WorkbookError) -> [UInt8] {
        let names = Self.sheetNames(sheets.map(\.name))
        var parts: [(path: String, text: String)] = [
            ("[Content_Types].xml", contentTypes()),
            ("_rels/.rels", Self.packageRelationships),
            ("docProps/core.xml", coreProperties()),
            ("xl/workbook.xml", workbookPart(names)),
            ("xl/_rels/workbook.xml.rels", workbookRelationships()),
            ("xl/styles.xml", Self.styles),
        ]
        for (index, sheet) in sheets.enumerated() {
            guard sheet.rows.count + 1 <= Self.maximumRows else { throw .tooManyRows(sheet: names[index], rows: sheet.rows.count) }
            parts.append(("xl/worksheets/sheet\(index + 1).xml", SheetWriter.xml(sheet)))
        }
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            let date = Date(timeIntervalSince1970: 1_577_836_800)  // fixed, so the same input gives the same file
            for part in parts {
                let data = Data(part.text.utf8)
                try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(data.count), modificationDate: date,
                    compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let data = archive.data else { throw WorkbookError.cannotPackage(reason: "the archive has no data") }
            return [UInt8](data)
        } catch let error as WorkbookError {
            throw error
        } catch {
            throw .cannotPackage(reason: "\(error)")
        }
    }

    /// Valid, unique sheet names: characters Excel forbids become `_`, at most 31 characters,
    /// a repeated name gets ` (2)`, ` (3)`, … (names compared case-insensitively, as Excel does).
    static func sheetNames(_ wanted: [String]) -> [String] {
        var used: Set<String> = []
        return wanted.map { name in
            var base = String(name.map { "[]:*?/\\".contains($0) || $0.isNewline ? "_" : $0 })
            base = base.trimmingCharacters(in: CharacterSet(charactersIn: "' "))
            if base.isEmpty { base = "Sheet" }
            var candidate = String(base.prefix(31))
            var number = 2
            while used.contains(candidate.lowercased()) {
                let suffix = " (\(number))"
                candidate = String(base.prefix(31 - suffix.count)) + suffix
                number += 1
            }
            used.insert(candidate.lowercased())
            return candidate
        }
    }

    private func contentTypes() -> String {
        var text = XMLText.declaration
        text += #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        text += #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
        text += #"<Default Extension="xml" ContentType="application/xml"/>"#
        text += #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
        text += #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
        text += #"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#
        for index in sheets.indices {
            text += #"<Override PartName="/xl/worksheets/sheet\#(index + 1).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        }
        return text + "</Types>"
    }

    private static let packageRelationships = XMLText.declaration
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
        + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#
        + "</Relationships>"

    private func coreProperties() -> String {
        XMLText.declaration
            + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">"#
            + "<dc:title>\(XMLText.escape(title ?? ""))</dc:title><dc:creator>robochain</dc:creator></cp:coreProperties>"
    }

    private func workbookPart(_ names: [String]) -> String {
        var text = XMLText.declaration
        text += #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
        text += "<sheets>"
        for (index, name) in names.enumerated() {
            text += #"<sheet name="\#(XMLText.escape(name))" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#
        }
        text += "</sheets>"
        // The filter ranges, as Excel itself records them.
        var defined = ""
        for (index, sheet) in sheets.enumerated() where sheet.isTable && !sheet.header.isEmpty {
            let quoted = "'" + names[index].replacingOccurrences(of: "'", with: "''") + "'"
            let range = "\(quoted)!$A$1:$\(SheetWriter.column(sheet.header.count - 1))$\(sheet.rows.count + 1)"
            defined += #"<definedName name="_xlnm._FilterDatabase" localSheetId="\#(index)" hidden="1">\#(XMLText.escape(range))</definedName>"#
        }
        if !defined.isEmpty { text += "<definedNames>\(defined)</definedNames>" }
        return text + "</workbook>"
    }

    private func workbookRelationships() -> String {
        var text = XMLText.declaration + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for index in sheets.indices {
            text += #"<Relationship Id="rId\#(index + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#(index + 1).xml"/>"#
        }
        text += #"<Relationship Id="rId\#(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
        return text + "</Relationships>"
    }

    /// Styles: 0 default, 1 bold header, 2 percentage (`0.0%`), 3 text with a quote prefix,
    /// 4 bold title (summary sheet).
    private static let styles = XMLText.declaration
        + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        + #"<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>"#
        + #"<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font>"#
        + #"<font><b/><sz val="14"/><name val="Calibri"/></font></fonts>"#
        + #"<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>"#
        + #"<fill><patternFill patternType="solid"><fgColor rgb="FFDDE6F0"/><bgColor indexed="64"/></patternFill></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>"#
        + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>"#
        + #"<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
        + "</styleSheet>"
}

/// Writes one worksheet part.
enum SheetWriter {
    static func xml(_ sheet: Worksheet) -> String {
        var text = XMLText.declaration
        text += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        let width = max(sheet.header.count, sheet.rows.lazy.map(\.count).max() ?? 0)
        if sheet.isTable && !sheet.header.isEmpty {
            text += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        }
        if width > 0 {
            text += "<cols>"
            for column in 0..<width {
                var widest = column < sheet.header.count ? displayWidth(sheet.header[column]) + 3 : 8
                for row in sheet.rows.prefix(2000) where column < row.count {
                    widest = max(widest, row[column].map(displayWidth) ?? 0)
                }
                let chosen = sheet.isTable ? min(60, max(8, widest + 1)) : (column == 0 ? 28 : 80)
                text += #"<col min="\#(column + 1)" max="\#(column + 1)" width="\#(chosen)" customWidth="1"/>"#
            }
            text += "</cols>"
        }
        text += "<sheetData>"
        if !sheet.header.isEmpty {
            text += #"<row r="1">"#
            for (column, title) in sheet.header.enumerated() {
                text += cell(.text(title), reference: "\(Self.column(column))1", style: sheet.isTable ? 1 : 4)
            }
            text += "</row>"
        }
        let offset = sheet.header.isEmpty ? 1 : 2
        for (index, row) in sheet.rows.enumerated() {
            let number = index + offset
            text += #"<row r="\#(number)">"#
            for (column, value) in row.enumerated() {
                guard let value else { continue }
                text += cell(value, reference: "\(Self.column(column))\(number)", style: nil)
            }
            text += "</row>"
        }
        text += "</sheetData>"
        if sheet.isTable && !sheet.header.isEmpty {
            text += #"<autoFilter ref="A1:\#(Self.column(sheet.header.count - 1))\#(sheet.rows.count + 1)"/>"#
        }
        return text + "</worksheet>"
    }

    static func cell(_ value: WorkbookCell, reference: String, style: Int?) -> String {
        switch value {
        case .text(let text):
            let risky = text.unicodeScalars.first.map { "=+-@".unicodeScalars.contains($0) } ?? false
            let styleID = style ?? (risky ? 3 : 0)
            let attribute = styleID == 0 ? "" : #" s="\#(styleID)""#
            return #"<c r="\#(reference)"\#(attribute) t="inlineStr"><is><t xml:space="preserve">\#(XMLText.escape(text))</t></is></c>"#
        case .number(let number):
            guard number.isFinite else { return "" }
            return #"<c r="\#(reference)"><v>\#(numberText(number))</v></c>"#
        case .percent(let number):
            guard number.isFinite else { return "" }
            return #"<c r="\#(reference)" s="2"><v>\#(numberText(number))</v></c>"#
        case .boolean(let flag):
            return #"<c r="\#(reference)" t="b"><v>\#(flag ? 1 : 0)</v></c>"#
        }
    }

    /// A number as XML Schema's `xsd:double` reads it (Swift's shortest round-trip form).
    static func numberText(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int(number)) }
        return "\(number)"
    }

    /// The column letters of a zero-based column index: 0 → A, 25 → Z, 26 → AA.
    static func column(_ index: Int) -> String {
        var index = index + 1
        var letters: [Character] = []
        while index > 0 {
            let remainder = (index - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + remainder))))
            index = (index - 1) / 26
        }
        return String(letters.reversed())
    }

    /// An estimate of a cell's width in characters (CJK counts two).
    static func displayWidth(_ value: WorkbookCell) -> Int {
        switch value {
        case .text(let text): displayWidth(text)
        case .number, .percent: 10
        case .boolean: 6
        }
    }

    static func displayWidth(_ text: String) -> Int {
        var width = 0
        for scalar in text.unicodeScalars.prefix(200) { width += scalar.value >= 0x1100 ? 2 : 1 }
        return width
    }
}

/// The XML declaration of every part; text is escaped by RoboChainModel's ``XMLText``.
extension XMLText {
    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
}
