import Foundation
import RoboChainJSON
import RoboChainPluginHost
import RoboChainTestSupport
import Testing

/// The Swift SDK gives the same results out of process as built in; the scaffolds build and run;
/// the Python example plugin passes its own tests and runs through robochain.
@Suite struct PluginKitTests {
    /// A plugin directory whose executable is a built-in analysis built with the SDK, registered
    /// under another name (a built-in's own name would be taken by the built-in).
    func externalBuild(of product: String, as name: String, in plugins: PluginFixtures) throws {
        let binary = CommandRunner.product(product)
        let manifest = try CommandRunner.run(binary, ["--manifest"])
        #expect(manifest.exitStatus == 0)
        var object = try #require(try JSONParser.parse(manifest.standardOutput).objectValue)
        object["name"] = .string(name)
        object["executable"] = "plugin"
        try plugins.root.write(String(decoding: JSONWriter.encode(.object(object)), as: UTF8.self), to: "\(name)/plugin.json")
        // A copy: a link out of the plugin's directory would be refused.
        try FileManager.default.copyItem(atPath: binary, toPath: plugins.path + "/\(name)/plugin")
    }

    func sameResultsInAndOutOfProcess(model: String, scope: [String]) throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try externalBuild(of: "robochain-gap-detection", as: "gap-detection-external", in: plugins)
        try externalBuild(of: "robochain-localisation-share", as: "localisation-share-external", in: plugins)
        let result = try plugins.robochain(["analyze", model, "--with", "gap-detection", "--with", "gap-detection-external",
            "--with", "localisation-share", "--with", "localisation-share-external", "--option", "threshold=0.4",
            "--option", "candidates=2", "--format", "json"] + scope)
        #expect(result.exitStatus == 0, "\(result.standardError)")
        let results = try #require(try JSONParser.parse(result.standardOutput).arrayValue)
        #expect(results.count == 4)
        for pair in [(0, 1), (2, 3)] {
            var outside = try #require(results[pair.1].objectValue)
            outside["analysis"] = results[pair.0].objectValue?["analysis"]
            #expect(JSONValue.object(outside) == results[pair.0], "results \(pair) differ")
        }
    }

    /// value-origin, recruitment and critical-firms built with the SDK give what they give built
    /// in; an unknown `group`, found only once the model is read, is refused alike (64).
    @Test func theValueAnalysesGiveIdenticalResultsOutOfProcess() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let names = ["value-origin", "recruitment", "critical-firms"]
        for name in names { try externalBuild(of: "robochain-\(name)", as: "\(name)-external", in: plugins) }
        let result = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml"]
            + names.flatMap { ["--with", $0, "--with", "\($0)-external"] }
            + ["--option", "group=CN", "--option", "limit=5", "--scope", "CN-GD-SZ", "--format", "json"])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        let results = try #require(try JSONParser.parse(result.standardOutput).arrayValue)
        #expect(results.count == 6)
        for pair in [(0, 1), (2, 3), (4, 5)] {
            var outside = try #require(results[pair.1].objectValue)
            outside["analysis"] = results[pair.0].objectValue?["analysis"]
            #expect(JSONValue.object(outside) == results[pair.0], "results \(pair) differ")
        }
        for name in ["value-origin", "value-origin-external"] {
            let refused = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", name, "--option", "group=cn"])
            #expect(refused.exitStatus == 64)
            #expect(refused.standardError.hasPrefix(
                "Error: option 'group' of 'value-origin' names no region of the model: 'cn'; did you mean 'CN'?"),
                "\(refused.standardError)")
        }
    }

    /// Issue #11: the same option rejected by the built-in and by the same analysis built with
    /// the SDK gives the same exit status (64) and message; the SDK answers SPEC §5's `error`.
    @Test func anSDKPluginRejectsAnOptionAsTheBuiltInDoes() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        try externalBuild(of: "robochain-gap-detection", as: "gap-detection-external", in: plugins)
        let external = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection-external",
            "--option", "candidates=-1", "--format", "json"])
        let builtIn = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection",
            "--option", "candidates=-1", "--format", "json"])
        #expect(external.exitStatus == 64)
        #expect(builtIn.exitStatus == 64)
        #expect(external.standardOutput == "")
        let message = "Error: option 'candidates' of 'gap-detection' must be 0 or more, not -1\n"
        #expect(external.standardError.hasPrefix(message), "\(external.standardError)")
        #expect(builtIn.standardError.hasPrefix(message), "\(builtIn.standardError)")
        // What the plugin answered, exactly.
        let request = #"{"protocol": 1, "analysis": "renamed", "scope": "CN", "options": {"candidates": -1}, "model": {"regions": [{"id": "CN", "name": "China"}], "components": [], "firms": []}}"#
        let answer = try CommandRunner.run(CommandRunner.product("robochain-gap-detection"), [], input: Array(request.utf8))
        #expect(answer.exitStatus == 0)
        #expect(answer.standardOutput == #"{"protocol":1,"analysis":"renamed","error":{"kind":"usage","message":"option 'candidates' of 'gap-detection' must be 0 or more, not -1"}}"# + "\n")
    }

    @Test func builtInsGiveIdenticalResultsOutOfProcessOnGuangdong() throws {
        try sameResultsInAndOutOfProcess(model: "Models/guangdong-robots.yaml", scope: [])
    }

    @Test(.enabled(if: CommandRunner.sharedDirectory != nil, "../shared is not beside the checkout"))
    func builtInsGiveIdenticalResultsOutOfProcessOnAGeneratedModel() throws {
        let directory = try TemporaryDirectory("generated")
        defer { directory.remove() }
        let generator = CommandRunner.sharedDirectory!.appendingPathComponent("bench/gen_chain.py").path
        let generated = try CommandRunner.run("python3", [generator, "--firms", "5000", "--seed", "11", "--out", directory.path])
        try #require(generated.exitStatus == 0)
        try sameResultsInAndOutOfProcess(model: directory.path, scope: ["--scope", "CN-GD"])
    }

    @Test func pythonScaffoldRunsAsItStands() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let created = try plugins.robochain(["plugins", "new", "few-suppliers", "--language", "python", "--output", plugins.path])
        #expect(created.exitStatus == 0, "\(created.standardError)")
        #expect(created.standardOutput.hasPrefix("wrote \(plugins.path)/few-suppliers:\n  plugin.json\n  run.py\n  robochain_plugin.py\n  test_run.py\n  README.md\n"))
        let unitTests = try CommandRunner.run("python3", ["-m", "unittest", "-q"], directory: URL(fileURLWithPath: plugins.path + "/few-suppliers"))
        #expect(unitTests.exitStatus == 0, "\(unitTests.standardError)")
        let result = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "few-suppliers",
            "--option", "minimum=3", "--format", "json"])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        let object = try #require(try JSONParser.parse(result.standardOutput).objectValue)
        #expect((object["findings"]?.arrayValue?.count ?? 0) > 10)
        let again = try plugins.robochain(["plugins", "new", "few-suppliers", "--language", "python", "--output", plugins.path])
        #expect(again.exitStatus == 1)
        #expect(again.standardError == "error: cannot create '\(plugins.path)/few-suppliers': it exists already; choose another name or --output\n")
        let taken = try plugins.robochain(["plugins", "new", "gap-detection", "--language", "python", "--output", plugins.path])
        #expect(taken.exitStatus == 64)
        #expect(taken.standardError.hasPrefix("Error: the name 'gap-detection' is taken by a built-in analysis; a plugin of that name would never run"))
        #expect(!FileManager.default.fileExists(atPath: plugins.path + "/gap-detection"))
        let badName = try plugins.robochain(["plugins", "new", "Few Suppliers", "--output", plugins.path])
        #expect(badName.exitStatus == 64)
        #expect(badName.standardError.hasPrefix("Error: 'Few Suppliers' is not a valid analysis name"))
    }

    /// The package as a git repository at `directory`, its one commit tagged `version`: what a
    /// published RoboChain release is to SwiftPM. The files are this checkout's working tree
    /// (tracked and untracked, ignored ones left out), so the SDK built is the code under test.
    func taggedRepository(at directory: URL, version: String) throws {
        let package = CommandRunner.packageDirectory
        let listed = try CommandRunner.run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], directory: package)
        try #require(listed.exitStatus == 0, "git ls-files failed: \(listed.standardError)")
        for path in listed.standardOutput.split(separator: "\0").map(String.init) {
            let source = package.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: source.path) else { continue }  // deleted, not yet committed
            let target = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source, to: target)
        }
        let identity = ["-c", "user.name=RoboChain tests", "-c", "user.email=tests@robochain.invalid"]
        for arguments in [["init", "-q"], ["add", "-A"], identity + ["commit", "-q", "-m", "release \(version)"], ["tag", version]] {
            let done = try CommandRunner.run("git", arguments, directory: directory)
            try #require(done.exitStatus == 0, "git \(arguments.joined(separator: " ")) failed: \(done.standardError)")
        }
    }

    /// The Swift scaffold depends on the RoboChain package by URL and version: made against a
    /// git repository of this package tagged with robochain's version, it resolves that tag,
    /// builds and runs; and the SDK it imports is what a plugin needs, not the model's file
    /// utilities (a plugin naming `ModelLoader` or `FileAccess` does not compile).
    @Test func swiftScaffoldBuildsByURLAndVersionAndRuns() throws {
        let plugins = try PluginFixtures()
        defer { plugins.remove() }
        let version = try plugins.robochain(["--version"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(version.split(separator: ".").count == 3, "robochain --version printed '\(version)'")
        let repository = plugins.root.url.appendingPathComponent("robochain.git")
        try taggedRepository(at: repository, version: version)
        let url = repository.absoluteString  // file:///…/robochain.git
        let created = try plugins.robochain(["plugins", "new", "few-suppliers", "--language", "swift", "--output", plugins.path,
            "--sdk-url", url])
        #expect(created.exitStatus == 0, "\(created.standardError)")
        #expect(!created.standardError.contains("by path"))
        let directory = URL(fileURLWithPath: plugins.path + "/few-suppliers")
        let manifest = try String(contentsOf: directory.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(manifest.contains(".package(url: \"\(url)\", from: \"\(version)\")"), "\(manifest)")
        #expect(!manifest.contains(".package(path:"))
        let build = try CommandRunner.run("swift", ["build", "-c", "release"], directory: directory, timeout: 1200)
        try #require(build.exitStatus == 0, "swift build failed:\n\(build.standardError)\n\(build.standardOutput.suffix(2000))")
        // SwiftPM resolved the package by its version tag, not a branch or a revision.
        let resolved = try JSONParser.parse(Array(try Data(contentsOf: directory.appendingPathComponent("Package.resolved"))))
        let pins = resolved.objectValue?["pins"]?.arrayValue ?? []
        // (SwiftPM records a file:// URL as the repository's path.)
        let pin = try #require(pins.first { [url, repository.path].contains($0.objectValue?["location"]?.stringValue) }?.objectValue,
            "no pin for \(url): \(pins)")
        #expect(pin["identity"]?.stringValue == "robochain.git" || pin["identity"]?.stringValue == "robochain")
        #expect(pin["state"]?.objectValue?["version"]?.stringValue == version)
        let result = try plugins.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "few-suppliers", "--format", "json"])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        let object = try #require(try JSONParser.parse(result.standardOutput).objectValue)
        #expect(object["analysis"] == "few-suppliers")
        #expect((object["findings"]?.arrayValue?.count ?? 0) > 0)
        // The manifest the executable prints, run in its directory, is the plugin.json written.
        let printed = try CommandRunner.run(".build/release/few-suppliers", ["--manifest"], directory: directory)
        let written = try Data(contentsOf: directory.appendingPathComponent("plugin.json"))
        #expect(try JSONParser.parse(printed.standardOutput) == JSONParser.parse(Array(written)))
        // The SDK's surface: the model's loaders and file utilities are not part of it.
        let sources = try FileManager.default.contentsOfDirectory(atPath: directory.path + "/Sources")
        let target = try #require(sources.first { $0 != "few-suppliers" }, "no library target in \(sources)")
        let probe = directory.appendingPathComponent("Sources/\(target)/SurfaceProbe.swift")
        try "import RoboChainPluginSDK\nlet loader = ModelLoader.self\nlet directory = FileAccess.self\n"
            .write(to: probe, atomically: true, encoding: .utf8)
        let outside = try CommandRunner.run("swift", ["build", "-c", "release"], directory: directory, timeout: 600)
        #expect(outside.exitStatus != 0)
        let said = outside.standardOutput + outside.standardError
        #expect(said.contains("cannot find 'ModelLoader' in scope"), "\(said.suffix(2000))")
        #expect(said.contains("cannot find 'FileAccess' in scope"), "\(said.suffix(2000))")
    }

    /// Without --sdk-url or --sdk-path, a Swift plugin depends by URL and version on the
    /// published package, else on the repository a release checkout was cloned from (its
    /// `origin`, when the checkout has the version's tag), else on the checkout by path.
    @Test func theDefaultSDKIsByURLAndVersionWhenTheCheckoutIsATaggedClone() throws {
        let root = try TemporaryDirectory("sdk-default")
        defer { root.remove() }
        let checkout = root.path + "/robochain"
        try root.write("[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = https://example.org/other.git\n"
            + "[remote \"origin\"]\n\turl = https://git.example.org/robochain/robochain.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n",
            to: "robochain/.git/config")
        #expect(PluginScaffold.defaultSDK(checkout: checkout, version: "0.3.0", published: nil) == .path(checkout))
        try root.write("0123456789abcdef0123456789abcdef01234567\n", to: "robochain/.git/refs/tags/0.3.0")
        #expect(PluginScaffold.defaultSDK(checkout: checkout, version: "0.3.0", published: nil)
            == .url("https://git.example.org/robochain/robochain.git", version: "0.3.0"))
        #expect(PluginScaffold.defaultSDK(checkout: checkout, version: "0.4.0", published: nil) == .path(checkout))
        try root.write("# pack-refs with: peeled fully-peeled sorted\n0123456789abcdef0123456789abcdef01234567 refs/tags/0.4.0\n",
            to: "robochain/.git/packed-refs")
        #expect(PluginScaffold.defaultSDK(checkout: checkout, version: "0.4.0", published: nil)
            == .url("https://git.example.org/robochain/robochain.git", version: "0.4.0"))
        #expect(PluginScaffold.defaultSDK(checkout: checkout, version: "0.4.0", published: "https://github.com/o/robochain")
            == .url("https://github.com/o/robochain", version: "0.4.0"))
        // A worktree (.git is a file) or no git repository at all: by path.
        try root.write("gitdir: /elsewhere\n", to: "worktree/.git")
        #expect(PluginScaffold.defaultSDK(checkout: root.path + "/worktree", version: "0.4.0", published: nil) == .path(root.path + "/worktree"))
        #expect(PluginScaffold.defaultSDK(checkout: root.path, version: "0.4.0", published: nil) == .path(root.path))
    }

    @Test func supplierConcentrationPassesItsTestsAndRunsThroughRobochain() throws {
        let directory = CommandRunner.packageDirectory.appendingPathComponent("Plugins/SupplierConcentration")
        let unitTests = try CommandRunner.run("python3", ["-m", "unittest", "-q"], directory: directory)
        #expect(unitTests.exitStatus == 0, "\(unitTests.standardError)")
        // A relative plugin path, as the README shows it (the executable runs in the plugin's
        // directory, so its path must not stay relative to ours).
        let result = try CommandRunner.robochain(
            ["analyze", "Models/guangdong-robots.yaml", "--with", "supplier-concentration", "--with", "gap-detection", "--format", "json"],
            environment: ["ROBOCHAIN_PLUGIN_PATH": "Plugins"])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        let results = try #require(try JSONParser.parse(result.standardOutput).arrayValue)
        let concentration = try #require(results.first?.objectValue)
        #expect(concentration["analysis"] == "supplier-concentration")
        // Electronic skin has one supplier: HHI 1.
        let skin = concentration["findings"]?.arrayValue?.first { $0.objectValue?["component"] == "electronic-skin" }
        #expect(skin?.objectValue?["hhi"] == 1 && skin?.objectValue?["severity"] == "high")
        #expect(concentration["hhi"]?.objectValue?.members.isEmpty == false)
    }
}
