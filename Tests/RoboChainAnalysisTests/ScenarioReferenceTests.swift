import Foundation
import RoboChainJSON
import RoboChainTestSupport
import Testing

/// `robochain analyze … --without … --relocate …` agrees with `../shared/bench/reference.py`
/// given the same scenario (SPEC §6), on generated models. Skipped when `../shared` is absent.
@Suite(.enabled(if: CommandRunner.sharedDirectory != nil, "../shared is not beside the checkout"))
struct ScenarioReferenceTests {
    /// Seed, firms, scope, and the scenario: `%REGION` stands for the first firm (in file order)
    /// whose region starts with REGION.
    static let cases: [(seed: Int, firms: Int, scope: String, scenario: [String])] = [
        (1, 600, "CN-GD", ["--without", "region:JP"]),
        (2, 3000, "CN-GD", ["--relocate", "%DE=CN-GD-01", "--without", "region:JP", "--without", "firm:%CN-GD"]),
        (3, 2000, "CN", ["--without", "region:CN-SH", "--relocate", "%US=CN-JS-02", "--without", "region:DE"]),
        (4, 1500, "CN-GD-03", ["--relocate", "%JP=CN-GD-03", "--relocate", "%KR=CN-GD-03", "--without", "region:CN-GD-04"]),
        (5, 800, "CN-GD", ["--without", "region:CN", "--without", "region:JP", "--without", "region:US", "--without", "region:DE",
            "--without", "region:CH", "--without", "region:KR"]),
    ]

    @Test(arguments: cases.indices)
    func agreesWithTheReference(caseIndex: Int) throws {
        let (seed, firms, scope, pattern) = Self.cases[caseIndex]
        let shared = try #require(CommandRunner.sharedDirectory)
        let directory = try TemporaryDirectory("scenario-reference-\(seed)")
        defer { directory.remove() }
        let generate = try CommandRunner.run("python3", [
            shared.appendingPathComponent("bench/gen_chain.py").path, "--firms", "\(firms)", "--seed", "\(seed)",
            "--out", directory.path,
        ])
        try #require(generate.exitStatus == 0, "gen_chain.py failed: \(generate.standardError)")
        let firmRows = try String(contentsOf: directory.url.appendingPathComponent("firms.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let scenario = try pattern.map { argument -> String in
            guard let percent = argument.firstIndex(of: "%") else { return argument }
            let rest = argument[argument.index(after: percent)...]
            let prefix = String(rest.prefix { $0 != "=" })
            let firm = try #require(firmRows.first { $0[2].hasPrefix(prefix) }?[0], "no firm in \(prefix)")
            return String(argument[..<percent]) + firm + rest.dropFirst(prefix.count)
        }
        let reference = try CommandRunner.run("python3", [
            shared.appendingPathComponent("bench/reference.py").path, directory.path, "--scope", scope,
        ] + scenario)
        try #require(reference.exitStatus == 0, "reference.py failed: \(reference.standardError)")
        let ours = try CommandRunner.robochain([
            "analyze", directory.path, "--with", "gap-detection", "--with", "localisation-share", "--scope", scope,
            "--format", "json",
        ] + scenario)
        try #require(ours.exitStatus == 0, "robochain failed: \(ours.standardError)")
        let expected = try JSONParser.parse(reference.standardOutput)
        let actual = try JSONParser.parse(ours.standardOutput)
        let differences = ReferenceAgreementTests.compare(reference: expected, ours: actual)
        #expect(differences.isEmpty, Comment(rawValue: "\(differences.count) differences, e.g.:\n" + differences.prefix(10).joined(separator: "\n")))
        let operations = stride(from: 0, to: scenario.count, by: 2).map { JSONValue.string("\(scenario[$0].dropFirst(2)) \(scenario[$0 + 1])") }
        #expect(expected.objectValue?["scenario"] == .array(operations))
        for result in actual.arrayValue ?? [] {
            #expect(result.objectValue?["scenario"] == .array(operations))
        }
    }
}
