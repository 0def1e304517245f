import RoboChainAnalysis
import RoboChainJSON
import Testing

/// `--lang` on the wire: the request's optional `"lang"` and the response's `"kindTitles"`.
@Suite struct LanguageTests {
    @Test func theLocaleChoosesTheDefault() {
        #expect(Language.fromLocale([:]) == .en)
        #expect(Language.fromLocale(["LANG": "zh_CN.UTF-8"]) == .zh)
        #expect(Language.fromLocale(["LC_ALL": "C", "LANG": "zh_CN.UTF-8"]) == .en)
        #expect(Language.fromLocale(["LC_ALL": "", "LC_MESSAGES": "zh_TW", "LANG": "en_GB"]) == .zh)
    }

    @Test func theRequestCarriesTheLanguage() throws {
        let model = OutputFixture.model
        let options = try OptionValues(declarations: [], analysis: "x")
        let bytes = PluginRequest(analysis: "x", scope: 1, options: options, model: model, language: .zh)
            .encode(.json(model.encodedJSON()))
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix(#"{"protocol":1,"analysis":"x","scope":"CN-GD","options":{},"lang":"zh","model":"#))
        #expect(try PluginRequest.decode(bytes, declarations: []).language == .zh)
        let english = PluginRequest(analysis: "x", scope: 1, options: options, model: model).encode(.json(model.encodedJSON()))
        #expect(!String(decoding: english, as: UTF8.self).contains(#""lang""#))
        #expect(try PluginRequest.decode(english, declarations: []).language == nil)
        let other = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: #""lang":"zh""#, with: #""lang":"fr""#).utf8)
        #expect(try PluginRequest.decode(other, declarations: []).language == nil)
    }

    @Test func kindTitlesTravelAndShowInTheFindingsTable() throws {
        var result = OutputFixture.pluginResult
        result.kindTitles = ["foreign-only": "国内无供应"]
        var writer = JSONWriter(style: .compact)
        result.write(to: &writer, asResponse: true, includePresentation: true)
        writer.finish()
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(text.contains(#""kindTitles":{"foreign-only":"国内无供应"}"#))
        let decoded = try AnalysisResult.decodeResponse(try JSONParser.parse(writer.bytes), analysis: "concentration")
        #expect(decoded.kindTitles == ["foreign-only": "国内无供应"])
        #expect(decoded.findings?.first?.kind == "foreign-only")
        let findings = decoded.presentedTables(in: .zh)[0]
        #expect(findings.columns.map(\.title).prefix(3) == ["严重程度", "类型", "环节"])
        #expect(findings.rows[0][1] == .text("国内无供应"))
    }
}
