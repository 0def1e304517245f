#if canImport(Glibc)
import Glibc
#endif
import CFuzzerDriver
import RoboChainModel

/// The file the workbook is written to, made once per fuzzing process.
enum Scratch {
    nonisolated(unsafe) static var path: String?
}

/// libFuzzer entry: any bytes as an `.xlsx` workbook model (zip archive, XML parts, sheets read
/// as CSV). The seed corpus holds real workbooks, so mutations reach the zip and XML readers.
func fuzzWorkbookModel(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    if Scratch.path == nil {
        var template = Array("/tmp/robochain-fuzz-xlsx-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { return 0 }
        Scratch.path = String(cString: made) + "/book.xlsx"
    }
    guard let path = Scratch.path else { return 0 }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard descriptor >= 0 else { return 0 }
    _ = write(descriptor, data, count)
    close(descriptor)
    _ = try? ModelLoader.load(path: path)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data else { return 0 }
    return fuzzWorkbookModel(data, count)
}

var arguments = CommandLine.argc
var argumentValues: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argumentValues) { data, count in testOneInput(data, count) })
