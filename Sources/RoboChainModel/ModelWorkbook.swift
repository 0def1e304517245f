import Foundation
import ZIPFoundation

extension ChainModel {
    /// The model as an `.xlsx` workbook (SPEC §1.2): one sheet per file of ``csvFiles(_:)``,
    /// named as the file without `.csv` (`model`, `regions`, …), with the same columns, the
    /// attributes included.
    ///
    /// Cells are typed as the CSV reader would read them: a cell the CSV form writes quoted,
    /// or that is not a number or `true`/`false`, is text; numbers are numbers (shares and
    /// weights as fractions); `true`/`false` are Booleans. Text is stored inline (no shared
    /// strings), the first row is the header. Loading the workbook with
    /// ``ModelLoader/loadWorkbook(path:progress:)`` gives back an equal model.
    ///
    /// - Complexity: O(n) in the size of the model.
    /// - Throws: ``ModelError/unreadable(path:reason:)`` if the archive cannot be made.
    public func encodedWorkbook() throws(ModelError) -> [UInt8] {
        var parts: [(String, [UInt8])] = []
        let files = csvFiles()
        var sheets = ""
        var relations = ""
        var overrides = ""
        for (number, file) in files.enumerated() {
            let name = String(file.name.dropLast(4))
            let id = number + 1
            sheets += "<sheet name=\"\(name)\" sheetId=\"\(id)\" r:id=\"rId\(id)\"/>"
            relations += "<Relationship Id=\"rId\(id)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(id).xml\"/>"
            overrides += "<Override PartName=\"/xl/worksheets/sheet\(id).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            parts.append(("xl/worksheets/sheet\(id).xml", WorkbookSheetWriter.sheet(fromCSV: file.bytes)))
        }
        let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        parts.insert(("[Content_Types].xml", Array((header
            + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
            + overrides + "</Types>").utf8)), at: 0)
        parts.insert(("_rels/.rels", Array((header
            + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
            + "</Relationships>").utf8)), at: 1)
        parts.insert(("xl/workbook.xml", Array((header
            + "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
            + "<sheets>" + sheets + "</sheets></workbook>").utf8)), at: 2)
        parts.insert(("xl/_rels/workbook.xml.rels", Array((header
            + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" + relations
            + "</Relationships>").utf8)), at: 3)
        return try WorkbookSheetWriter.zip(parts)
    }
}

/// Sheet XML from CSV text, and the zip archive of a workbook's parts.
enum WorkbookSheetWriter {
    /// A worksheet holding the rows of CSV text (written by ``CSVWriter``), cells typed as the
    /// CSV reader reads them.
    static func sheet(fromCSV csv: [UInt8]) -> [UInt8] {
        var xml = Array("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>".utf8)
        csv.withUnsafeBufferPointer { buffer in
            var tokenizer = CSVTokenizer(buffer)
            var fields = CSVTokenizer.Fields()
            while let line = try? tokenizer.nextRecord(into: &fields) {
                xml += Array("<row r=\"\(line)\">".utf8)
                for (column, field) in fields.enumerated() where field.start != field.end {
                    let reference = columnName(column) + String(line)
                    let text = tokenizer.text(of: field) ?? ""
                    let bytes = tokenizer.rawBytes(of: field)
                    if !field.isQuoted, line > 1, YAMLNumber.parse(bytes) != nil {
                        xml += Array("<c r=\"\(reference)\"><v>\(text)</v></c>".utf8)
                    } else if !field.isQuoted, line > 1, let flag = ValueChecks.boolean(text) {
                        xml += Array("<c r=\"\(reference)\" t=\"b\"><v>\(flag ? 1 : 0)</v></c>".utf8)
                    } else {
                        xml += Array("<c r=\"\(reference)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">".utf8)
                        escape(text, into: &xml)
                        xml += Array("</t></is></c>".utf8)
                    }
                }
                xml += Array("</row>".utf8)
            }
        }
        xml += Array("</sheetData></worksheet>".utf8)
        return xml
    }

    /// `A`, `B`, …, `Z`, `AA`, … for a 0-based column.
    static func columnName(_ column: Int) -> String {
        var column = column + 1
        var name: [UInt8] = []
        while column > 0 {
            column -= 1
            name.insert(UInt8(ascii: "A") + UInt8(column % 26), at: 0)
            column /= 26
        }
        return String(decoding: name, as: UTF8.self)
    }

    /// XML text: `&`, `<`, `>` and `"` escaped; control characters XML 1.0 cannot hold dropped.
    static func escape(_ text: String, into xml: inout [UInt8]) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": xml += Array("&amp;".utf8)
            case "<": xml += Array("&lt;".utf8)
            case ">": xml += Array("&gt;".utf8)
            case "\"": xml += Array("&quot;".utf8)
            case "\t", "\n", "\r": xml += Array(String(scalar).utf8)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                xml += Array(String(scalar).utf8)
            }
        }
    }

    /// A zip archive (deflated) of the parts, in memory.
    static func zip(_ parts: [(String, [UInt8])]) throws(ModelError) -> [UInt8] {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for (path, bytes) in parts {
                let data = Data(bytes)
                try archive.addEntry(
                    with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: Date(timeIntervalSince1970: 1_700_000_000),
                    compressionMethod: .deflate
                ) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
            return [UInt8](data)
        } catch {
            throw .unreadable(path: "workbook", reason: "it cannot be written: \(error)")
        }
    }
}
