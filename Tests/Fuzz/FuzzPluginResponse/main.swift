#if canImport(Glibc)
import Glibc
#endif
import CFuzzerDriver
import RoboChainAnalysis
import RoboChainJSON
import RoboChainPluginHost

/// libFuzzer entry: any bytes as a plugin's standard output, parsed and decoded exactly as
/// robochain does (the response limits, then the protocol-1 response rules).
func fuzzPluginResponse(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: count)
    guard let json = try? JSONParser.parse(bytes, limits: AnalysisRunner.responseLimits) else { return 0 }
    _ = try? AnalysisResult.decodeResponse(json, analysis: "fuzz", scope: "CN")
    return 0
}

// libFuzzer's entry point. Whichever `main` the linker keeps — libFuzzer's, which calls this,
// or the Swift one below, which runs libFuzzer's driver with the same function — fuzzes it.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data else { return 0 }
    return fuzzPluginResponse(data, count)
}

var arguments = CommandLine.argc
var argumentValues: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argumentValues) { data, count in testOneInput(data, count) })
