import Foundation
import RoboChainRendering
import RoboChainTestSupport
import Testing

/// End-to-end: `robochain render` as built, its files, standard output, standard error and exit
/// status.
@Suite struct RenderCommandTests {
    static let guangdong = "Models/guangdong-robots.yaml"
    static let analyses = ["--with", "localisation-share", "--with", "gap-detection"]

    /// Runs the built `robochain` with no plugins but those given (no ~/.robochain of the user's).
    static func robochain(
        _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil, timeout: Double = 300
    ) throws -> CommandResult {
        var variables = ["ROBOCHAIN_PLUGIN_PATH": "", "HOME": "/nonexistent-robochain-home"]
        variables.merge(environment) { _, given in given }
        return try CommandRunner.robochain(arguments, environment: variables, directory: directory, timeout: timeout)
    }

    /// Writes a protocol-1 plugin: `root/name/plugin.json` and a shell script `run`.
    static func plugin(_ name: String, script: String, in root: TemporaryDirectory) throws {
        try root.write("""
            {"name": "\(name)", "version": "1.0.0", "protocol": 1, "executable": "run", "description": "test plugin", "options": {}}
            """, to: "\(name)/plugin.json")
        try root.write("#!/bin/sh\ncat > /dev/null\n\(script)\n", to: "\(name)/run", executable: true)
    }

    @Test func externalPluginAnnotationsApplyAndAFailingPluginIsExit70() throws {
        let directory = try TemporaryDirectory("render")
        defer { directory.remove() }
        try Self.plugin("paint", script: """
            printf '%s' '{"protocol": 1, "analysis": "paint", "annotations": {"quadruped-robot": {"fill": "#123456", "badge": "外部 <x>", "tooltip": "painted"}}, "legend": [{"label": "painted by a plugin", "fill": "#123456"}]}'
            """, in: directory)
        try Self.plugin("broken", script: "echo 'something went wrong' >&2\nexit 3", in: directory)
        let path = directory.path + "/map.svg"
        let result = try Self.robochain(
            ["render", Self.guangdong, "--with", "paint", "--with", "broken", "--with", "gap-detection", "--output", path],
            environment: ["ROBOCHAIN_PLUGIN_PATH": directory.path])
        #expect(result.exitStatus == 70)
        #expect(result.standardError.contains("error: analysis 'broken' failed: it exited with status 3"))
        #expect(result.standardError.contains("something went wrong"))
        // The map is still written, with the other analyses' annotations.
        let svg = try ParsedSVG(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
        #expect(svg.texts(inGroup: "c.quadruped-robot").contains("外部 <x> · 单一"))
        #expect(svg.elements.contains { $0.attributes["id"] == "c.quadruped-robot" } )
        #expect(svg.elements.contains { $0.group == "c.quadruped-robot" && $0.attributes["fill"] == "#123456" })
        let allText = svg.elements.filter { $0.name == "text" }.map(\.text)
        #expect(allText.contains("painted by a plugin"))
        #expect(allText.contains("paint") && allText.contains("gap-detection") && !allText.contains("broken"))
    }

    @Test func guangdongMapAsPNGWithAnalyses() throws {
        let directory = try TemporaryDirectory("render")
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("map.png").path
        let result = try Self.robochain(["render", Self.guangdong] + Self.analyses + ["--output", path])
        #expect(result.exitStatus == 0)
        // Silent, unless this machine has no font for Chinese (then the warning of the test below).
        #expect(result.standardError == (FontCheck.hasChineseFont() == false ? "warning: \(FontCheck.missingChineseFontWarning)\n" : ""))
        #expect(result.standardOutput == "")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let size = try #require(BinaryChecks.pngSize(bytes))
        #expect(size.width > 1500 && size.height > 800, "a 46-component map at 96 dpi, not \(size)")
        // Written atomically: no temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["map.png"])
    }

    @Test func guangdongMapAsSVGShowsSharesAndGaps() throws {
        let directory = try TemporaryDirectory("render")
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("map.svg").path
        let result = try Self.robochain(["render", Self.guangdong] + Self.analyses + ["--output", path, "--firms", "all"])
        #expect(result.exitStatus == 0)
        #expect(result.standardError == "")
        let svg = try ParsedSVG(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
        let nodes = svg.groups(class: "node").compactMap { $0.attributes["id"] }
        #expect(nodes.filter { $0.hasPrefix("c.") }.count == 46)
        #expect(nodes.filter { $0.hasPrefix("f.") }.count == 148)
        #expect(svg.groups(class: "cluster").contains { $0.attributes["id"] != nil })
        // RV reducers: no supplier in Guangdong (补链), 0 % local.
        #expect(svg.texts(inGroup: "c.rv-reducer").contains("0 % · 补链"))
        let allText = svg.elements.filter { $0.name == "text" }.map(\.text)
        #expect(allText.contains("Guangdong intelligent-robot industry chain"))
        #expect(allText.contains("localisation-share") && allText.contains("gap-detection"))
    }

    @Test func everyFormatFromTheExtensionOrTheFlag() throws {
        let directory = try TemporaryDirectory("render")
        defer { directory.remove() }
        for (name, flag) in [("m.svg", nil), ("m.pdf", nil), ("m.dot", nil), ("m.gv", nil), ("m.out", "png")] as [(String, String?)] {
            let path = directory.url.appendingPathComponent(name).path
            let result = try Self.robochain(["render", Self.guangdong, "--output", path] + (flag.map { ["--format", $0] } ?? []))
            #expect(result.exitStatus == 0, "\(name): \(result.standardError)")
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            switch name {
            case "m.svg": #expect(throws: Never.self) { try ParsedSVG(String(decoding: bytes, as: UTF8.self)) }
            case "m.pdf": #expect(BinaryChecks.isPDF(bytes))
            case "m.out": #expect(BinaryChecks.pngSize(bytes) != nil)
            default: #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("digraph \"guangdong-robots\" {\n"))
            }
        }
    }

    @Test func dotToStandardOutputIsDeterministic() throws {
        let arguments = ["render", Self.guangdong] + Self.analyses + ["--format", "dot", "--output", "-"]
        let first = try Self.robochain(arguments)
        let second = try Self.robochain(arguments)
        #expect(first.exitStatus == 0)
        #expect(first.standardError == "")
        #expect(first.standardOutput.hasPrefix("digraph \"guangdong-robots\" {\n"))
        #expect(first.standardOutput == second.standardOutput)
    }

    @Test func unwritableOutputIsExit1BeforeAnyWork() throws {
        let result = try Self.robochain(["render", Self.guangdong, "--output", "/no/such/directory/map.png"])
        #expect(result.exitStatus == 1)
        #expect(result.standardError == "error: cannot write '/no/such/directory/map.png': directory '/no/such/directory' does not exist\n")
        let directory = try TemporaryDirectory("render")
        defer { directory.remove() }
        let result2 = try Self.robochain(["render", Self.guangdong, "--output", directory.path + "/", "--format", "svg"])
        #expect(result2.exitStatus == 1)
        #expect(result2.standardError.contains("it names a directory, not a file"))
    }

    @Test(arguments: [
        (["--output", "map.jpeg"], "cannot tell the format from 'map.jpeg'"),
        (["--output", "-"], "give --format (svg, png, pdf, dot, graphml, gexf) to write to standard output"),
        (["--output", "m.svg", "--firms", "some"], "The value 'some' is invalid for '--firms <mode>'"),
        (["--output", "m.svg", "--max-nodes", "0"], "--max-nodes must be at least 1, not 0"),
        (["--output", "m.svg", "--layout-timeout", "0"], "--layout-timeout must be a positive number of seconds"),
        (["--output", "m.svg", "--with", "no-such-analysis"], "no-such-analysis"),
        (["--output", "m.svg", "--with", "gap-detection", "--option", "candidates=-1"], "must be 0 or more"),
        (["--output", "m.svg", "--scope", "XX"], "unknown scope 'XX'"),
        (["--format", "svg"], "Missing expected argument '--output <file>'"),
    ])
    func usageErrorsAreExit64(arguments: [String], message: String) throws {
        let directory = try TemporaryDirectory("render")
        defer { directory.remove() }
        let result = try Self.robochain(["render", CommandRunner.packageDirectory.path + "/" + Self.guangdong] + arguments, directory: directory.url)
        #expect(result.exitStatus == 64)
        #expect(result.standardError.contains(message), "stderr: \(result.standardError)")
        #expect(result.standardError.contains("See 'robochain render --help'"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func invalidModelIsExit65() throws {
        let directory = try TemporaryDirectory("render")
        defer { directory.remove() }
        let model = try directory.write("components: [{id: a, name: A, segment: s, requires: [a]}]\n", to: "bad.yaml")
        let result = try Self.robochain(["render", model, "--output", directory.path + "/map.svg"])
        #expect(result.exitStatus == 65)
        #expect(result.standardError.hasPrefix("error: invalid model '\(model)'"))
    }

    @Test func largeModelIsAggregatedAndSaysSo() throws {
        let directory = try TemporaryDirectory("render")
        defer { directory.remove() }
        let model = try directory.write(Fixtures.generatedYAML(components: 120), to: "large.yaml")
        let path = directory.path + "/large.svg"
        let result = try Self.robochain(["render", model, "--with", "gap-detection", "--max-nodes", "20", "--output", path])
        #expect(result.exitStatus == 0)
        #expect(result.standardError == """
            note: the model has 120 components, more than --max-nodes 20; drawing an aggregated map with one node per segment and band of 24 levels (8 nodes)

            """)
        let svg = try ParsedSVG(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
        let nodes = svg.groups(class: "node").compactMap { $0.attributes["id"] }
        #expect(nodes.count == 8)
        #expect(nodes.allSatisfy { $0.hasPrefix("g.") })
    }

    @Test func layoutOverItsTimeBudgetIsExit1() throws {
        let directory = try TemporaryDirectory("render")
        defer { directory.remove() }
        let model = try directory.write(Fixtures.generatedYAML(components: 1500), to: "slow.yaml")
        let path = directory.path + "/slow.svg"
        let clock = ContinuousClock()
        let start = clock.now
        let result = try Self.robochain(["render", model, "--max-nodes", "5000", "--layout-timeout", "0.5", "--output", path], timeout: 60)
        #expect(clock.now - start < .seconds(20))
        #expect(result.exitStatus == 1)
        #expect(result.standardError.hasSuffix("""
            error: layout of the map (1500 nodes) did not finish within its time budget of 0.5 s; draw fewer nodes (--max-nodes, --firms none) or allow more time (--layout-timeout)

            """))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func warnsWhenNoChineseFontIsInstalled() throws {
        let directory = try TemporaryDirectory("render")
        defer { directory.remove() }
        // A fontconfig configuration with no font directories: no font at all.
        let configuration = try directory.write("<?xml version=\"1.0\"?>\n<fontconfig><cachedir>\(directory.path)/cache</cachedir></fontconfig>\n", to: "fonts.conf")
        let environment = ["FONTCONFIG_FILE": configuration]
        let png = try Self.robochain(["render", Self.guangdong, "--output", directory.path + "/map.png"], environment: environment)
        #expect(png.exitStatus == 0)
        #expect(png.standardError.contains("warning: no font for Chinese is installed"))
        #expect(png.standardError.contains("fonts-wqy-microhei"))
        // SVG text is drawn by the viewer, so no warning there.
        let svg = try Self.robochain(["render", Self.guangdong, "--output", directory.path + "/map.svg"], environment: environment)
        #expect(svg.exitStatus == 0)
        #expect(!svg.standardError.contains("no font for Chinese"))
    }

    @Test func helpIsComplete() throws {
        let result = try Self.robochain(["render", "--help"], environment: ["COLUMNS": "100"])
        #expect(result.exitStatus == 0)
        #expect(Golden.mismatch(result.standardOutput, name: "render-help.txt") == nil)
        for option in ["--output", "--format", "--with", "--scope", "--option", "--timeout", "--firms", "--max-nodes", "--layout-timeout", "Examples:"] {
            #expect(result.standardOutput.contains(option))
        }
    }
}
