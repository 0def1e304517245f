import Foundation
import RoboChainTestSupport
import Testing

/// docs/plugins.md's walk-throughs (scaffold → check → install → run), run as written: each
/// ```sh block whose first line is `# walk-through: LANGUAGE`, in a new directory holding the
/// Guangdong model, with the built robochain on PATH and a HOME of its own.
@Suite struct PluginWalkthroughTests {
    static func script(_ language: String) throws -> String {
        let text = try String(contentsOf: CommandRunner.packageDirectory.appendingPathComponent("docs/plugins.md"), encoding: .utf8)
        var blocks: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```sh" {
                current = []
            } else if let lines = current, line == "```" {
                if lines.first == "# walk-through: \(language)" { blocks.append(lines.joined(separator: "\n")) }
                current = nil
            } else if current != nil {
                current!.append(line)
            }
        }
        return blocks.joined(separator: "\n")
    }

    func walk(_ language: String, timeout: Double) throws -> CommandResult {
        let script = try Self.script(language)
        try #require(!script.isEmpty, "docs/plugins.md has no '# walk-through: \(language)' block")
        let directory = try TemporaryDirectory("walkthrough")
        defer { directory.remove() }
        let model = try String(contentsOf: CommandRunner.packageDirectory.appendingPathComponent("Models/guangdong-robots.yaml"), encoding: .utf8)
        try directory.write(model, to: "guangdong-robots.yaml")
        let path = CommandRunner.productsDirectory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return try CommandRunner.run("/bin/bash", ["-euo", "pipefail", "-x", "-c", script],
            environment: ["PATH": path, "HOME": directory.path + "/home", "ROBOCHAIN_PLUGIN_PATH": ""],
            directory: directory.url, timeout: timeout)
    }

    @Test func thePythonWalkthroughRunsAsWritten() throws {
        let result = try walk("python", timeout: 300)
        #expect(result.exitStatus == 0, "\(result.standardError.suffix(3000))")
        #expect(result.standardOutput.contains("all 9 checks passed\n"))
        #expect(result.standardOutput.contains("installed supplier-count 0.1.0 (copied) in "))
        #expect(result.standardOutput.contains("| medium | few-local-suppliers |"))
        #expect(result.standardOutput.hasSuffix("/home/.robochain/plugins/supplier-count\n"))
    }

    /// Builds the Swift scaffold in release mode (minutes, the first time).
    @Test func theSwiftWalkthroughRunsAsWritten() throws {
        let result = try walk("swift", timeout: 1800)
        #expect(result.exitStatus == 0, "\(result.standardError.suffix(3000))")
        #expect(result.standardOutput.contains("checks passed\n"))
        #expect(result.standardOutput.contains("installed supplier-count 0.1.0 (linked) in "))
        #expect(result.standardOutput.contains(#""analysis":"supplier-count""#) || result.standardOutput.contains(#""analysis": "supplier-count""#))
    }
}
