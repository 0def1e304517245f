#if canImport(Glibc)
import Glibc
#endif
import CFuzzerDriver
import RoboChainModel

/// The directory the CSV files are written to, made once per fuzzing process (a static, so it
/// is initialised on first use whichever `main` runs).
enum Scratch {
    nonisolated(unsafe) static var directory: String?
}

/// libFuzzer entry: any bytes as a CSV model directory. The input is split at NUL bytes into
/// regions.csv, components.csv, firms.csv, supplies.csv, requires.csv and segments.csv (in that
/// order; missing parts are absent files).
func fuzzCSVModel(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    if Scratch.directory == nil {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((base + "/robochain-fuzz-csv-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { return 0 }
        Scratch.directory = String(cString: made)
    }
    guard let directory = Scratch.directory else { return 0 }
    let names = ["regions.csv", "components.csv", "firms.csv", "supplies.csv", "requires.csv", "segments.csv"]
    let parts = UnsafeBufferPointer(start: data, count: count).split(separator: 0, maxSplits: names.count - 1, omittingEmptySubsequences: false)
    for (index, name) in names.enumerated() {
        let path = directory + "/" + name
        unlink(path)
        guard index < parts.count else { continue }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { return 0 }
        let bytes = Array(parts[index])
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
    }
    _ = try? ModelLoader.loadCSV(directory: directory)
    return 0
}

// libFuzzer's entry point. Whichever `main` the linker keeps — libFuzzer's, which calls this,
// or the Swift one below, which runs libFuzzer's driver with the same function — fuzzes it.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data else { return 0 }
    return fuzzCSVModel(data, count)
}

var arguments = CommandLine.argc
var argumentValues: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argumentValues) { data, count in testOneInput(data, count) })
