#if canImport(Glibc)
import Glibc
#endif
import CFuzzerDriver
import RoboChainAnalysis

/// libFuzzer entry: any bytes as a plugin.json.
func fuzzPluginManifest(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    _ = try? PluginManifest.decode(Array(UnsafeBufferPointer(start: data, count: count)))
    return 0
}

// libFuzzer's entry point. Whichever `main` the linker keeps — libFuzzer's, which calls this,
// or the Swift one below, which runs libFuzzer's driver with the same function — fuzzes it.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data else { return 0 }
    return fuzzPluginManifest(data, count)
}

var arguments = CommandLine.argc
var argumentValues: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argumentValues) { data, count in testOneInput(data, count) })
