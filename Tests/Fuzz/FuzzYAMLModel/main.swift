#if canImport(Glibc)
import Glibc
#endif
import CFuzzerDriver
import RoboChainModel

/// libFuzzer entry: any bytes as a YAML model file. Loading may reject them; it must never
/// crash, hang or take unbounded memory.
func fuzzYAMLModel(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    _ = try? ModelLoader.loadYAML(Array(UnsafeBufferPointer(start: data, count: count)), file: "fuzz.yaml")
    return 0
}

// libFuzzer's entry point. Whichever `main` the linker keeps — libFuzzer's, which calls this,
// or the Swift one below, which runs libFuzzer's driver with the same function — fuzzes it.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data else { return 0 }
    return fuzzYAMLModel(data, count)
}

var arguments = CommandLine.argc
var argumentValues: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argumentValues) { data, count in testOneInput(data, count) })
