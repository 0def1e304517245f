import RoboChainAnalysis
import RoboChainJSON
import RoboChainModel

/// A ready-to-run plugin: a Swift package using the SDK, or a Python script (standard library
/// only), each with its manifest, a test and a README saying how to build and run it.
///
/// The generated analysis is a working example, not an empty shell: it flags components with
/// fewer than `minimum` suppliers in the scope (option `minimum`, integer, default 2).
public enum PluginScaffold {
    /// The languages a plugin can be scaffolded in.
    public enum Language: String, Sendable, CaseIterable {
        case swift, python
    }

    /// Where a Swift plugin gets the RoboChain package (its SDK) from.
    public enum SDKSource: Sendable, Equatable {
        /// A published package, by URL and the lowest version wanted (`from:`).
        case url(String, version: String)
        /// A local checkout, by path (offline; for development and the tests).
        case path(String)

        /// The package's identity as SwiftPM derives it: the last path component, without `.git`, lowercased.
        var identity: String {
            let location = switch self {
            case .url(let url, _): url
            case .path(let path): path
            }
            var last = String(location.split(separator: "/").last ?? "robochain")
            if last.hasSuffix(".git") { last.removeLast(4) }
            return last.lowercased()
        }

        var dependency: String {
            switch self {
            case .url(let url, let version): ".package(url: \"\(url)\", from: \"\(version)\")"
            case .path(let path): ".package(path: \"\(path)\")"
            }
        }
    }

    /// The RoboChain package's published URL — the one place the Swift scaffold takes it from
    /// (with ``sdkVersion``) — or nil while the project has none; `plugins new` then depends on
    /// the repository robochain's checkout was cloned from, when that checkout is of a release
    /// (``defaultSDK(checkout:version:published:)``), or else on the checkout by path.
    public static let sdkURL: String? = nil

    /// The SDK version a new plugin asks for (`from:`): this robochain's.
    public static var sdkVersion: String { RoboChainVersion.current }

    /// Where a new Swift plugin gets the SDK when neither `--sdk-url` nor `--sdk-path` is given:
    /// the published URL (``sdkURL``) when there is one; else the repository the checkout at
    /// `checkout` was cloned from, when that checkout holds the release tag `version` (a clone
    /// of a release: its `origin` has the same tags, so SwiftPM resolves `from: version`
    /// there); else the checkout itself, by path.
    ///
    /// The checkout is read, not run: its `.git/config` (`[remote "origin"]`'s `url`) and the
    /// tag in `.git/refs/tags/` or `.git/packed-refs`. A checkout whose `.git` is a file (a
    /// worktree) counts as without a tag.
    public static func defaultSDK(checkout: String, version: String = sdkVersion, published: String? = sdkURL) -> SDKSource {
        if let published { return .url(published, version: version) }
        if let origin = releaseOrigin(checkout: checkout, version: version) { return .url(origin, version: version) }
        return .path(checkout)
    }

    /// The `origin` URL of the git repository at `checkout` when it has the tag `version`.
    static func releaseOrigin(checkout: String, version: String) -> String? {
        let git = checkout + "/.git"
        guard FileAccess.isDirectory(git), !version.isEmpty, !version.contains("/"),
            let config = try? FileAccess.readFile(git + "/config", limit: 1 << 20)
        else { return nil }
        let tagged = FileAccess.exists(git + "/refs/tags/" + version)
            || ((try? FileAccess.readFile(git + "/packed-refs", limit: 64 << 20)).map { packed in
                String(decoding: packed, as: UTF8.self).split(separator: "\n").contains { $0.hasSuffix(" refs/tags/" + version) }
            } ?? false)
        guard tagged else { return nil }
        var inOrigin = false
        func trimmed<S: StringProtocol>(_ text: S) -> String {
            String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
        }
        for line in String(decoding: config, as: UTF8.self).split(separator: "\n") {
            let text = trimmed(line)
            if text.hasPrefix("[") {
                inOrigin = text == "[remote \"origin\"]"
            } else if inOrigin, text.hasPrefix("url"), let equals = text.firstIndex(of: "=") {
                let url = trimmed(text[text.index(after: equals)...])
                return url.isEmpty ? nil : url
            }
        }
        return nil
    }

    /// One file of a scaffold.
    public struct File: Sendable, Equatable {
        /// The path, relative to the plugin's directory.
        public var path: String
        public var text: String
        public var isExecutable: Bool
    }

    /// The files of the plugin `name`, to be written into a new directory of that name.
    ///
    /// - Parameters:
    ///   - name: The analysis name: lowercase letters, digits and hyphens, starting with a letter
    ///     (stricter than plugin names in general, since it also names a Swift package, its
    ///     targets and a type).
    ///   - language: Swift or Python.
    ///   - sdk: For Swift: where the plugin's package gets the RoboChain package.
    /// - Returns: The files, with paths relative to the plugin's directory.
    /// - Throws: ``PluginHostError/invalidName(_:)`` if the name is invalid.
    public static func files(name: String, language: Language, sdk: SDKSource) throws(PluginHostError) -> [File] {
        guard isStarterName(name) else { throw .invalidName(name) }
        let files = language == .swift ? swiftFiles(name: name, sdk: sdk) : pythonFiles(name: name)
        return files.map { File(path: $0.0, text: $0.1, isExecutable: $0.2) }
    }

    /// Whether `name` is lowercase letters, digits and hyphens, starting with a letter.
    static func isStarterName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first >= 0x61 && first <= 0x7A else { return false }
        return name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    /// `my-check` → `MyCheck`.
    static func typeName(_ name: String) -> String {
        name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// The starter's manifest: one analysis with one option, `minimum`; the two languages differ
    /// only in the executable.
    static func manifest(name: String, executable: String) -> PluginManifest {
        PluginManifest(
            name: name, version: "0.1.0", executable: executable,
            description: "Flags components with fewer than `minimum` suppliers in the scope.",
            options: [OptionDeclaration(name: "minimum", type: .integer, defaultValue: .integer(2),
                help: "Fewest suppliers in the scope a component should have.")])
    }

    static func swiftFiles(name: String, sdk: SDKSource) -> [(String, String, Bool)] {
        let type = typeName(name)
        let identity = sdk.identity
        let manifest = Self.manifest(name: name, executable: ".build/release/\(name)")
        let package = """
            // swift-tools-version: 6.1
            import PackageDescription

            let package = Package(
                name: "\(name)",
                platforms: [.macOS(.v15)],
                dependencies: [
                    // The RoboChain package: its library RoboChainPluginSDK is the plugin SDK.
                    \(sdk.dependency),
                ],
                targets: [
                    // The analysis, as a library so the tests can call it.
                    .target(name: "\(type)", dependencies: [.product(name: "RoboChainPluginSDK", package: "\(identity)")]),
                    // The plugin executable that plugin.json names.
                    .executableTarget(
                        name: "\(name)", dependencies: ["\(type)", .product(name: "RoboChainPluginSDK", package: "\(identity)")]),
                    .testTarget(name: "\(type)Tests", dependencies: ["\(type)"]),
                ]
            )

            """
        let analysis = """
            import RoboChainPluginSDK

            /// Flags components with fewer than `minimum` suppliers in the scope.
            public struct \(type): Analysis {
                public let name = "\(name)"
                public let version = "0.1.0"
                public let summary = "Flags components with fewer than `minimum` suppliers in the scope."
                public let options = [
                    OptionDeclaration(name: "minimum", type: .integer, defaultValue: .integer(2),
                        help: "Fewest suppliers in the scope a component should have."),
                ]

                public init() {}

                public func run(_ request: AnalysisRequest) throws(AnalysisError) -> AnalysisResult {
                    let model = request.model
                    let minimum = request.options.integer("minimum") ?? 2
                    guard minimum >= 0 else {
                        throw .invalidOption(analysis: name, option: "minimum", problem: "must be 0 or more")
                    }
                    // Suppliers within the scope, per component (SPEC §2), computed once for every analysis of the command.
                    let supply = request.measures.localSupply
                    var findings: [Finding] = []
                    var annotations: [String: Annotation] = [:]
                    for component in 0..<model.components.count {
                        let local = Int(supply.localSuppliers[component])
                        guard local < minimum else { continue }
                        let id = model.components.ids[component]
                        let message = "\\(model.components.names[component]) has \\(local) supplier(s) in \\(request.scopeID), fewer than \\(minimum)."
                        findings.append(Finding(kind: "few-local-suppliers", severity: local == 0 ? .high : .medium,
                            message: message, component: id, details: ["localSuppliers": .number(Double(local))]))
                        annotations[id] = Annotation(badge: "<\\(minimum)", tooltip: message)
                    }
                    return AnalysisResult(
                        analysis: name, scope: request.scopeID, findings: findings,
                        metrics: ["flagged": Double(findings.count), "components": Double(model.components.count)],
                        annotations: annotations)
                }
            }

            """
        let main = """
            // The plugin executable: reads a request on standard input, writes the response.
            import \(type)
            import RoboChainPluginSDK

            PluginMain.run(\(type)())

            """
        let tests = """
            import RoboChainPluginSDK
            import Testing
            import \(type)

            @Test func flagsComponentsWithFewLocalSuppliers() throws {
                let model = try ChainModel(yaml: \"\"\"
                    regions: [{id: CN, name: China}, {id: CN-GD, name: Guangdong, parent: CN}]
                    components: [{id: hand, name: Hand, segment: limbs}, {id: eye, name: Eye, segment: senses}]
                    firms:
                      - {id: a, name: A, region: CN-GD, supplies: [hand, eye]}
                      - {id: b, name: B, region: CN-GD, supplies: [eye]}
                    \"\"\")
                let analysis = \(type)()
                let options = try OptionValues(declarations: analysis.options, analysis: analysis.name)
                let result = try analysis.run(AnalysisRequest(model: model, scope: 1, options: options))
                #expect(result.findings?.map(\\.component) == ["hand"])
                #expect(result.metrics?["flagged"] == 1)
            }

            """
        let readme = """
            # \(name)

            A RoboChain analysis plugin written in Swift with the RoboChain plugin SDK. It flags
            components with fewer than `minimum` suppliers in the scope; change
            `Sources/\(type)/\(type).swift` to compute what you need.

            ```sh
            swift build -c release        # builds .build/release/\(name), the executable plugin.json names
            swift test                    # runs Tests/\(type)Tests
            robochain plugins check .     # the conformance check against protocol 1
            robochain plugins install . --link   # links it into ~/.robochain/plugins
            ROBOCHAIN_PLUGIN_PATH="$(dirname "$PWD")" robochain plugins list
            ROBOCHAIN_PLUGIN_PATH="$(dirname "$PWD")" robochain analyze MODEL --with \(name) --option minimum=3
            ```

            `.build/release/\(name) --manifest`, run here, prints the manifest for the analysis as
            declared in Swift; keep `plugin.json` in step with it when you change options
            (`.build/release/\(name) --manifest > plugin.json`).

            """
        return [
            ("Package.swift", package, false),
            ("plugin.json", JSONWriter.encode(manifest.json).asString, false),
            ("Sources/\(type)/\(type).swift", analysis, false),
            ("Sources/\(name)/main.swift", main, false),
            ("Tests/\(type)Tests/\(type)Tests.swift", tests, false),
            ("README.md", readme, false),
        ]
    }

    static func pythonFiles(name: String) -> [(String, String, Bool)] {
        let manifest = Self.manifest(name: name, executable: "run.py")
        let script = """
            #!/usr/bin/env python3
            \"\"\"\(name): a RoboChain analysis plugin (protocol 1), Python standard library only.

            robochain runs this script with no arguments in its directory, writes one JSON request on
            standard input and reads one JSON response from standard output. robochain_plugin.py, beside
            it, reads the request and writes the response; print() goes to standard error, the log.
            \"\"\"
            import robochain_plugin as rc


            def analyse(request, model):
                \"\"\"The response (without protocol and analysis) for one request.\"\"\"
                scope = request["scope"]
                minimum = request["options"]["minimum"]
                if minimum < 0:
                    raise rc.UsageError(f"option 'minimum' of '{request['analysis']}' must be 0 or more, not {minimum}")
                findings, annotations = [], {}
                for component in model.component_ids:
                    count = sum(1 for firm, _ in model.suppliers(component) if model.within(model.firms[firm]["region"], scope))
                    if count < minimum:
                        message = f"{model.name(component)} has {count} supplier(s) in {scope}, fewer than {minimum}."
                        findings.append(rc.finding("few-local-suppliers", "high" if count == 0 else "medium", message,
                                                   component=component, localSuppliers=count))
                        annotations[component] = {"badge": f"<{minimum}", "tooltip": message}
                return {"findings": findings,
                        "metrics": {"flagged": len(findings), "components": len(model.component_ids)},
                        "annotations": annotations}


            if __name__ == "__main__":
                rc.run(analyse)

            """
        let tests = """
            \"\"\"Tests of \(name): python3 -m unittest (in this directory).\"\"\"
            import json
            import os
            import subprocess
            import sys
            import unittest

            import robochain_plugin as rc
            import run

            REQUEST = {
                "protocol": 1, "analysis": "\(name)", "scope": "CN-GD", "options": {"minimum": 2},
                "model": {
                    "regions": [{"id": "CN", "name": "China"}, {"id": "CN-GD", "name": "Guangdong", "parent": "CN"}],
                    "components": [{"id": "hand", "name": "Hand", "segment": "limbs"}, {"id": "eye", "name": "Eye", "segment": "senses"}],
                    "firms": [
                        {"id": "a", "name": "A", "region": "CN-GD", "supplies": [{"component": "hand"}, {"component": "eye"}]},
                        {"id": "b", "name": "B", "region": "CN-GD", "supplies": [{"component": "eye"}]},
                    ],
                },
            }


            class AnalyseTests(unittest.TestCase):
                def test_flags_components_with_few_local_suppliers(self):
                    response = rc.answer(REQUEST, run.analyse)
                    self.assertEqual([f["component"] for f in response["findings"]], ["hand"])
                    self.assertEqual(response["metrics"]["flagged"], 1)

                def test_a_negative_minimum_is_a_usage_error(self):
                    request = dict(REQUEST, options={"minimum": -1})
                    self.assertEqual(rc.answer(request, run.analyse)["error"]["kind"], "usage")

                def test_runs_as_a_plugin(self):
                    here = os.path.dirname(os.path.abspath(__file__))
                    done = subprocess.run([os.path.join(here, "run.py")], input=json.dumps(REQUEST), text=True,
                                          capture_output=True, cwd=here, check=True)
                    self.assertEqual(json.loads(done.stdout)["protocol"], 1)


            if __name__ == "__main__":
                unittest.main()

            """
        let readme = """
            # \(name)

            A RoboChain analysis plugin in Python (standard library only). It flags components with
            fewer than `minimum` suppliers in the scope; change `analyse` in `run.py` to compute what
            you need. `robochain_plugin.py` is RoboChain's helper module (reading the request, SPEC §2
            weights, findings, tables, error responses): keep it beside `run.py`.

            ```sh
            python3 -m unittest           # runs test_run.py
            robochain plugins check .     # the conformance check against protocol 1
            robochain plugins install .   # copies it into ~/.robochain/plugins
            ROBOCHAIN_PLUGIN_PATH="$(dirname "$PWD")" robochain plugins list
            ROBOCHAIN_PLUGIN_PATH="$(dirname "$PWD")" robochain analyze MODEL --with \(name) --option minimum=3
            ```

            """
        return [
            ("plugin.json", JSONWriter.encode(manifest.json).asString, false),
            ("run.py", script, true),
            (PythonHelper.fileName, PythonHelper.source, false),
            ("test_run.py", tests, false),
            ("README.md", readme, false),
        ]
    }
}

extension [UInt8] {
    var asString: String { String(decoding: self, as: UTF8.self) }
}
