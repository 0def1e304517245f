import Foundation
import RoboChainAnalysis
import RoboChainPluginHost
import RoboChainTestSupport
import Testing

/// The registry of built-in analyses matches `Plugins/`: every built-in analysis target there
/// (a directory with an `Analysis` folder) is registered, and every registered analysis lives there.
@Suite struct BuiltinRegistryTests {
    static var pluginDirectories: [String] {
        let plugins = CommandRunner.packageDirectory.appendingPathComponent("Plugins")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: plugins.path)) ?? []
        return names.filter {
            FileManager.default.fileExists(atPath: plugins.appendingPathComponent($0).appendingPathComponent("Analysis").path)
        }.sorted()
    }

    @Test func everyBuiltInTargetIsRegisteredAndNothingElse() {
        let registered = BuiltinAnalyses.all.map { String(describing: type(of: $0)) }.sorted()
        #expect(!Self.pluginDirectories.isEmpty)
        #expect(registered == Self.pluginDirectories)
    }

    @Test func builtInsHaveValidDistinctNamesAndDocumentedOptions() {
        let names = BuiltinAnalyses.all.map(\.name)
        #expect(Set(names).count == names.count)
        for analysis in BuiltinAnalyses.all {
            #expect(PluginManifest.isValidName(analysis.name), "\(analysis.name)")
            #expect(!analysis.summary.isEmpty && !analysis.version.isEmpty)
            for option in analysis.options {
                #expect(!option.help.isEmpty, "\(analysis.name).\(option.name) has no help")
                #expect(option.defaultValue?.type == option.type)
            }
        }
    }

    @Test func theSpecBuiltInOptions() {
        // SPEC §4: gap-detection declares threshold (number, 0.3) and candidates (integer, 5).
        let gap = BuiltinAnalyses.all.first { $0.name == "gap-detection" }
        #expect(gap?.options.map(\.name) == ["threshold", "candidates"])
        #expect(gap?.options.map(\.defaultValue) == [.number(0.3), .integer(5)])
        #expect(BuiltinAnalyses.all.contains { $0.name == "localisation-share" })
        // SPEC §4: value-origin declares group (string, empty); recruitment limit (integer, 20).
        let byName = Dictionary(uniqueKeysWithValues: BuiltinAnalyses.all.map { ($0.name, $0) })
        #expect(byName["value-origin"]?.options.map(\.name) == ["group"])
        #expect(byName["value-origin"]?.options.map(\.defaultValue) == [.string("")])
        #expect(byName["recruitment"]?.options.map(\.name) == ["limit"])
        #expect(byName["recruitment"]?.options.map(\.defaultValue) == [.integer(20)])
        #expect(byName["critical-firms"]?.options.isEmpty == true)
    }
}
