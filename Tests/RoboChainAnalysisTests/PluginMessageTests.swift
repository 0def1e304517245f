import RoboChainAnalysis
import RoboChainJSON
import Testing

/// Reading plugin responses and manifests: what is kept, and the exact error for each bad key.
struct PluginMessageTests {
    static func response(_ members: String) throws -> AnalysisResult {
        let json = try JSONParser.parse(Array(##"{"protocol": 1, "analysis": "a", "##.utf8) + Array(members.utf8) + [UInt8(ascii: "}")])
        return try AnalysisResult.decodeResponse(json, analysis: "a")
    }

    static func responseProblem(_ members: String) -> AnalysisError? {
        do {
            _ = try response(members)
            return nil
        } catch let error as AnalysisError {
            return error
        } catch {
            return nil
        }
    }

    @Test func annotationsAndLegendRoundTrip() throws {
        var result = AnalysisResult(analysis: "a", scope: nil)
        result.annotations = ["hand": Annotation(fill: "#aabbcc", badge: "!", tooltip: "t", border: "#000000")]
        result.legend = [LegendEntry(label: "gap", fill: "#ffffff", border: nil, badge: "!")]
        var writer = JSONWriter(style: .compact)
        result.write(to: &writer, asResponse: true, includePresentation: true)
        #expect(writer.bytes.asString == ##"{"protocol":1,"analysis":"a","annotations":{"hand":{"fill":"#aabbcc","badge":"!","tooltip":"t","border":"#000000"}},"legend":[{"label":"gap","fill":"#ffffff","badge":"!"}]}"##)
        #expect(try AnalysisResult.decodeResponse(JSONParser.parse(writer.bytes), analysis: "a") == result)
    }

    @Test func unknownAndNullKeysOfAnAnnotationAreLeftAlone() throws {
        let result = try Self.response(#""annotations": {"hand": {"fill": null, "badge": "!", "shape": 3}}"#)
        #expect(result.annotations == ["hand": Annotation(badge: "!")])
    }

    @Test(arguments: [
        (#""annotations": {"hand": {"fill": "red"}}"#, "annotations.hand.fill", "must be a colour #rrggbb, found 'red'"),
        (#""annotations": {"hand": {"badge": 1}}"#, "annotations.hand.badge", "must be a string, found a number"),
        (##""annotations": {"hand": "#ffffff"}"##, "annotations.hand", "must be an object, found a string"),
        (#""findings": [{"component": "x", "kind": "k", "severity": null, "message": "m"}]"#, "findings[0].severity", "is missing"),
        (#""findings": [{"component": "x", "severity": "low", "message": "m"}]"#, "findings[0].kind", "is missing"),
        (#""findings": [{"component": 7, "kind": "k", "severity": "low", "message": "m"}]"#, "findings[0].component", "must be a string, found a number"),
    ])
    func badMembersAreNamed(members: String, path: String, problem: String) {
        #expect(Self.responseProblem(members) == .malformedMessage(message: "response", path: path, problem: problem))
    }

    /// SPEC §5: keys other than those it defines are passed through untouched. `legend` is
    /// robochain's own addition, read only when it has the form of one.
    @Test(arguments: [
        #""legend": "see the map""#,
        ##""legend": [{"fill": "#ffffff"}]"##,
        ##""legend": [{"label": "gap", "border": "#fff"}]"##,
        #""legend": [{"label": "gap", "badge": true}]"#,
    ])
    func aLegendOfAnotherFormIsPassedThrough(members: String) throws {
        let result = try Self.response(members)
        #expect(result.legend == nil)
        #expect(result.extra.members.map(\.key) == ["legend"])
    }

    @Test func theScopeOfAResponseIsPassedThrough() throws {
        #expect(try Self.response(#""scope": "JP""#).scope == "JP")
        let odd = try Self.response(#""scope": 7"#)
        #expect(odd.scope == nil)
        #expect(odd.extra["scope"] == .number(7))
        var writer = JSONWriter(style: .compact)
        odd.write(to: &writer)
        #expect(writer.bytes.asString == #"{"analysis":"a","scope":7}"#)
    }

    @Test func severitiesBeyondTheStandardFiveAreKeptAndSortLast() throws {
        let result = try Self.response(
            #""findings": [{"firm": "f", "kind": "k", "severity": "warning", "message": "m"}, {"component": "nowhere", "kind": "k", "severity": "info", "message": "m"}]"#)
        #expect(result.findings?.map(\.severity) == [Severity(rawValue: "warning"), .info])
        #expect(result.findings?.map(\.component) == [nil, "nowhere"])
        #expect(Severity.info < Severity(rawValue: "warning"))
        #expect(Severity(rawValue: "notice") < Severity(rawValue: "warning"))
        #expect(Severity.critical < .high && Severity.low < .info)
    }

    @Test func aManifestVersionMayBeANumber() throws {
        let manifest = ##"{"name": "Check_2.b", "version": 2, "protocol": 1, "executable": "run"}"##
        let decoded = try PluginManifest.decode(Array(manifest.utf8))
        #expect(decoded.version == "2")
        #expect(decoded.name == "Check_2.b")
    }

    @Test func manifestHelpMustBeText() {
        let manifest = ##"{"name": "m", "version": "1", "protocol": 1, "executable": "run", "options": {"limit": {"type": "number", "default": 1, "help": 5}}}"##
        #expect(throws: AnalysisError.malformedMessage(message: "plugin.json", path: "options.limit.help", problem: "must be a string, found a number")) {
            try PluginManifest.decode(Array(manifest.utf8))
        }
    }

    @Test func manifestKeepsItsFields() throws {
        let manifest = ##"{"name": "m", "version": "1.2", "protocol": 1, "executable": "bin/run", "options": {"limit": {"type": "number", "default": 1, "help": "How many."}}}"##
        let decoded = try PluginManifest.decode(Array(manifest.utf8))
        #expect(decoded == PluginManifest(name: "m", version: "1.2", protocolVersion: 1, executable: "bin/run", description: "",
            options: [OptionDeclaration(name: "limit", type: .number, defaultValue: .number(1), help: "How many.")]))
    }

    @Test func anOptionWithoutADefaultIsRequired() throws {
        let manifest = ##"{"name": "m", "version": "1", "protocol": 1, "executable": "run", "options": {"region": {"type": "string"}, "limit": {"type": "number", "default": null, "help": "How many."}}}"##
        let decoded = try PluginManifest.decode(Array(manifest.utf8))
        #expect(decoded.options == [
            OptionDeclaration(name: "region", type: .string, defaultValue: nil, help: ""),
            OptionDeclaration(name: "limit", type: .number, defaultValue: nil, help: "How many."),
        ])
        #expect(decoded.options.map(\.isRequired) == [true, true])
        // Written back without a default.
        #expect(OptionDeclaration.json(decoded.options) == ["region": ["type": "string", "help": ""], "limit": ["type": "number", "help": "How many."]])
        #expect(throws: AnalysisError.invalidOption(analysis: "m", option: "region", problem: "has no default and was given no value (a string is required)")) {
            try OptionValues(declarations: decoded.options, overrides: ["limit": .number(2)], analysis: "m")
        }
        let values = try OptionValues(declarations: decoded.options, overrides: ["limit": .number(2), "region": .string("CN")], analysis: "m")
        #expect(values.string("region") == "CN" && values.number("limit") == 2)
    }
}

extension [UInt8] {
    fileprivate var asString: String { String(decoding: self, as: UTF8.self) }
}
