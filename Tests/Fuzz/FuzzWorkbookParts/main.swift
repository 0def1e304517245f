#if canImport(Glibc)
import Glibc
#endif
import CFuzzerDriver
import Foundation
import RoboChainModel
import ZIPFoundation

/// A real workbook's parts (LibreOffice's twin of a small model), read once.
enum Template {
    nonisolated(unsafe) static var parts: [(path: String, bytes: Data)] = []
    nonisolated(unsafe) static var path: String?

    static func load() {
        let source = "Tests/Fuzz/Corpus/workbook-model/libreoffice-twin.xlsx"
        guard let archive = try? Archive(url: URL(fileURLWithPath: source), accessMode: .read) else {
            FileHandle.standardError.write(Data("FuzzWorkbookParts: run from the package directory (\(source) is its template)\n".utf8))
            exit(2)
        }
        for entry in archive where entry.type == .file {
            var data = Data()
            _ = try? archive.extract(entry) { data.append($0) }
            parts.append((entry.path, data))
        }
        parts.sort { $0.path < $1.path }
        var template = Array("/tmp/robochain-fuzz-parts-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { exit(2) }
        path = String(cString: made) + "/book.xlsx"
    }
}

/// libFuzzer entry: the first byte chooses one part of the template workbook (a sheet, the
/// shared strings, the workbook or its relations), the rest replaces that part's XML; the other
/// parts stay valid and the archive is written properly, so mutations reach the XML readers and
/// the sheet-to-table conversion behind the zip layer (whose checksums stop most mutations of a
/// whole archive, the other workbook target's input).
func fuzzWorkbookParts(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    if Template.path == nil { Template.load() }
    guard count >= 1, let path = Template.path, !Template.parts.isEmpty else { return 0 }
    let chosen = Int(data[0]) % Template.parts.count
    let replacement = Data(bytes: data + 1, count: count - 1)
    // Built in memory and stored, not deflated: the fuzzer's time goes to the readers.
    guard let archive = try? Archive(data: Data(), accessMode: .create) else { return 0 }
    for (index, part) in Template.parts.enumerated() {
        let bytes = index == chosen ? replacement : part.bytes
        try? archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .none) { position, size in
            bytes.subdata(in: Int(position)..<Int(position) + size)
        }
    }
    guard let zipped = archive.data, (try? zipped.write(to: URL(fileURLWithPath: path))) != nil else { return 0 }
    _ = try? ModelLoader.load(path: path)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data else { return 0 }
    return fuzzWorkbookParts(data, count)
}

var arguments = CommandLine.argc
var argumentValues: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argumentValues) { data, count in testOneInput(data, count) })
