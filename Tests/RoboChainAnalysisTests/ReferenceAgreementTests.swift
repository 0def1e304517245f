import Foundation
import RoboChainJSON
import RoboChainTestSupport
import Testing

/// `robochain analyze … --format json` agrees with `../shared/bench/reference.py` on every
/// finding and every number (to 1e-9), on generated models of several seeds and scopes.
/// Skipped when `../shared` is not beside the checkout (a user's clone).
@Suite(.enabled(if: CommandRunner.sharedDirectory != nil, "../shared is not beside the checkout"))
struct ReferenceAgreementTests {
    static let cases: [(seed: Int, firms: Int, scope: String)] = [
        (1, 600, "CN-GD"), (2, 3000, "CN-GD"), (3, 3000, "CN"), (4, 2000, "CN-GD-03"), (5, 1500, "JP"), (6, 2500, "DE-A"),
    ]

    @Test(arguments: cases.indices)
    func agreesWithTheReference(caseIndex: Int) throws {
        let (seed, firms, scope) = Self.cases[caseIndex]
        let shared = try #require(CommandRunner.sharedDirectory)
        let directory = try TemporaryDirectory("reference-\(seed)")
        defer { directory.remove() }
        let generate = try CommandRunner.run("python3", [
            shared.appendingPathComponent("bench/gen_chain.py").path, "--firms", "\(firms)", "--seed", "\(seed)",
            "--out", directory.path,
        ])
        try #require(generate.exitStatus == 0, "gen_chain.py failed: \(generate.standardError)")
        let reference = try CommandRunner.run("python3", [
            shared.appendingPathComponent("bench/reference.py").path, directory.path, "--scope", scope,
        ])
        try #require(reference.exitStatus == 0, "reference.py failed: \(reference.standardError)")
        let ours = try CommandRunner.robochain([
            "analyze", directory.path, "--with", "gap-detection", "--with", "localisation-share", "--scope", scope,
            "--format", "json",
        ])
        try #require(ours.exitStatus == 0, "robochain failed: \(ours.standardError)")
        let expected = try JSONParser.parse(reference.standardOutput)
        let actual = try JSONParser.parse(ours.standardOutput)
        let differences = Self.compare(reference: expected, ours: actual)
        #expect(differences.isEmpty, Comment(rawValue: "\(differences.count) differences, e.g.:\n" + differences.prefix(10).joined(separator: "\n")))
    }

    /// Every difference between the reference's combined output and ours (an array of two results).
    static func compare(reference: JSONValue, ours: JSONValue) -> [String] {
        var differences: [String] = []
        guard let results = ours.arrayValue, results.count == 2,
            let gap = results[0].objectValue, let localisation = results[1].objectValue,
            let expected = reference.objectValue
        else { return ["unexpected shape of the output"] }
        if gap["analysis"] != "gap-detection" || localisation["analysis"] != "localisation-share" {
            differences.append("analysis names")
        }
        if gap["scope"] != expected["scope"] || localisation["scope"] != expected["scope"] { differences.append("scope") }

        let expectedFindings = expected["gap"]?.objectValue?["findings"]?.arrayValue ?? []
        let actualFindings = gap["findings"]?.arrayValue ?? []
        if expectedFindings.count != actualFindings.count {
            differences.append("finding count \(expectedFindings.count) vs \(actualFindings.count)")
        }
        for (index, (left, right)) in zip(expectedFindings, actualFindings).enumerated() {
            guard let left = left.objectValue, let right = right.objectValue else { continue }
            for key in left.keys {
                if !same(left[key], right[key]) {
                    differences.append("findings[\(index)].\(key): \(describe(left[key])) vs \(describe(right[key]))")
                }
            }
            if right["message"]?.stringValue?.isEmpty != false { differences.append("findings[\(index)] has no message") }
        }

        let expectedLocalisation = expected["localisation"]?.objectValue
        for key in ["components", "segments", "coverage", "roots"] {
            differences += compareObjects(expectedLocalisation?[key], localisation[key], path: key)
        }
        return differences
    }

    static func compareObjects(_ left: JSONValue?, _ right: JSONValue?, path: String) -> [String] {
        switch (left, right) {
        case (.object(let a), .object(let b)):
            var differences: [String] = []
            if Set(a.keys) != Set(b.keys) {
                differences.append("\(path): keys differ: \(Set(a.keys).symmetricDifference(b.keys).sorted().prefix(5))")
            }
            for key in a.keys { differences += compareObjects(a[key], b[key], path: "\(path).\(key)") }
            return differences
        default:
            return same(left, right) ? [] : ["\(path): \(describe(left)) vs \(describe(right))"]
        }
    }

    static func same(_ left: JSONValue?, _ right: JSONValue?) -> Bool {
        switch (left, right) {
        case (.number(let a), .number(let b)): abs(a - b) <= 1e-9
        default: left == right
        }
    }

    static func describe(_ value: JSONValue?) -> String {
        value.map { String(decoding: JSONWriter.encode($0, style: .compact), as: UTF8.self) } ?? "absent"
    }
}
