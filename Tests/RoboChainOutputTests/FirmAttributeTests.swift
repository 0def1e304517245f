import Foundation
import RoboChainAnalysis
import RoboChainModel
import RoboChainReports
import RoboChainTestSupport
import Testing

/// Firm attributes (SPEC §1) are shown where firms are listed to people: beside a table's firm
/// column, after a list of firms, in the report's supplier table and firm panel.
@Suite struct FirmAttributeTests {
    static let yaml = """
        id: attrs
        title: Attributes 属性
        home: CN-GD
        regions:
          - {id: CN, name: China 中国}
          - {id: CN-GD, name: Guangdong 广东, parent: CN}
          - {id: JP, name: Japan 日本}
        components:
          - {id: robot, name: Robot 机器人, segment: body, requires: [{component: arm, weight: 0.6}]}
          - {id: arm, name: Arm 机械臂, segment: limbs}
        firms:
          - {id: acme, name: Acme 艾克米, region: CN-GD, supplies: [{component: robot}], attributes: {revenue: 1200000000, listed: true}}
          - {id: nabe, name: Nabe 纳博, region: JP, supplies: [{component: arm, share: 0.7}], attributes: {revenue: 300000000, exchange: TSE}}
          - {id: plain, name: Plain 普通, region: CN, supplies: [{component: arm, share: 0.3}]}
        """

    static var model: ChainModel { get throws { try ModelLoader.loadYAML(yaml).model } }

    @Test func aTableOfFirmsGainsAColumnPerAttribute() throws {
        let table = ResultTable(id: "t", title: "T", columns: [
            TableColumn("firm", "Firm", .firm), TableColumn("score", "Score", .number), TableColumn("others", "Others", .firms),
        ], rows: [
            [.id("acme"), .number(1), .ids(["nabe", "plain"])],
            [.id("plain"), .number(2), .ids(["plain"])],
            [.id("nabe"), nil, nil],
        ])
        let shown = table.withFirmAttributes(of: try Self.model)
        #expect(shown.columns.map(\.id) == ["firm", "score", "others", "firm.revenue", "firm.listed", "firm.exchange", "others.attributes"])
        #expect(shown.columns.map(\.title) == ["Firm", "Score", "Others", "revenue", "listed", "exchange", "Others: attributes"])
        #expect(shown.columns.map(\.type) == [.firm, .number, .firms, .number, .boolean, .text, .text])
        #expect(shown.rows == [
            [.id("acme"), .number(1), .ids(["nabe", "plain"]), .number(1_200_000_000), .boolean(true), nil,
                .text("Nabe 纳博: revenue 300000000, exchange TSE")],
            [.id("plain"), .number(2), .ids(["plain"]), nil, nil, nil, nil],
            [.id("nabe"), nil, nil, .number(300_000_000), nil, .text("TSE"), nil],
        ])
        let twice = shown.withFirmAttributes(of: try Self.model).columns.map(\.id)
        #expect(twice.count == 11 && Set(twice).count == 11)  // ids stay unique when applied twice
        #expect(table.withFirmAttributes(of: try Self.model, language: .zh).columns.last?.title == "Others：属性")
        // A model without attributes leaves the table as it is.
        let bare = try ModelLoader.loadYAML(Self.yaml.replacing(/, attributes: \{[^}]*\}/, with: "")).model
        #expect(table.withFirmAttributes(of: bare) == table)
    }

    @Test func gapCandidatesAndReportShowAttributes() throws {
        let directory = try TemporaryDirectory("attributes")
        defer { directory.remove() }
        let model = try directory.write(Self.yaml, to: "model.yaml")
        // The arm has no supplier in Guangdong: its gap lists the candidates Nabe and Plain.
        let analysed = try CommandRunner.robochain(["analyze", model, "--with", "gap-detection", "--format", "markdown", "--output", "-"])
        #expect(analysed.exitStatus == 0, "\(analysed.standardError)")
        #expect(analysed.standardOutput.contains("| CANDIDATES 招商: ATTRIBUTES |\n"), "\(analysed.standardOutput)")
        #expect(analysed.standardOutput.contains("Nabe 纳博: revenue 300000000, exchange TSE"))
        // The JSON result is the analysis' own: no attribute in it.
        let json = try CommandRunner.robochain(["analyze", model, "--with", "gap-detection", "--format", "json", "--output", "-"])
        #expect(json.exitStatus == 0)
        #expect(!json.standardOutput.contains("TSE"))

        let output = directory.path + "/report.html"
        let report = try CommandRunner.robochain(["report", model, "--with", "gap-detection", "--output", output])
        #expect(report.exitStatus == 0, "\(report.standardError)")
        let html = try String(contentsOfFile: output, encoding: .utf8)
        #expect(html.contains(#""attributes":["revenue","listed","exchange"]"#))
        #expect(html.contains(#"["acme","Acme 艾克米",1,[[0,"1200000000"],[1,"true"]]]"#))
        #expect(html.contains(#"["plain","Plain 普通",0]"#))
    }
}

/// The report's panels in headless Chromium: a click on the arm lists its suppliers with their
/// attributes; finding a firm shows its attributes.
@Suite(.serialized, .enabled(if: OutputFixture.hasChromium, "needs chromium (scripts/setup.sh installs it)"))
struct FirmAttributesInChromiumTests {
    @Test func panelsShowAttributes() throws {
        let directory = try TemporaryDirectory("attributes-chromium")
        defer { directory.remove() }
        let model = try directory.write(FirmAttributeTests.yaml, to: "model.yaml")
        let output = directory.path + "/report.html"
        let report = try CommandRunner.robochain(["report", model, "--with", "gap-detection", "--output", output])
        #expect(report.exitStatus == 0, "\(report.standardError)")
        let probe = """
            <script>(function(){var out={};
            window.robochainReport.showComponent("arm");
            out.head=Array.prototype.map.call(document.querySelectorAll("#panel table tr:first-child th"),function(t){return t.textContent});
            out.rows=Array.prototype.map.call(document.querySelectorAll("#panel tr.supplier"),function(r){
              return Array.prototype.map.call(r.querySelectorAll("td"),function(t){return t.textContent}).join("|")});
            window.robochainReport.showFirm(0);
            out.firm=Array.prototype.map.call(document.querySelectorAll("#panel dl.attributes dt, #panel dl.attributes dd"),function(t){return t.textContent});
            out.cells=Array.prototype.map.call(document.querySelectorAll("div.table th"),function(t){return t.textContent.replace(/[▲▼]/g,"")});
            var pre=document.createElement("pre");pre.id="probe";pre.textContent=JSON.stringify(out);document.body.appendChild(pre);})();</script>
            """
        let html = try String(contentsOfFile: output, encoding: .utf8).replacingOccurrences(of: "</body>", with: probe + "</body>")
        let path = try directory.write(html, to: "probe.html")
        let result = try CommandRunner.run("chromium", [
            "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=3000", "--dump-dom", "file://" + path,
        ], timeout: 60)
        #expect(result.exitStatus == 0)
        let dom = result.standardOutput
        let start = try #require(dom.range(of: "<pre id=\"probe\">"))
        let end = try #require(dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex))
        let text = dom[start.upperBound..<end.lowerBound].replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect((seen["head"] as? [String]) == ["Firm", "Region", "Product", "Share", "revenue", "exchange"])
        #expect((seen["rows"] as? [String]) == ["Nabe 纳博|Japan 日本||70 %|300000000|TSE", "Plain 普通|China 中国||30 %||"])
        #expect((seen["firm"] as? [String]) == ["revenue", "1200000000", "listed", "true"])
        #expect((seen["cells"] as? [String])?.contains("Candidates 招商: attributes") == true, "\(seen["cells"] ?? "")")
    }
}

extension FirmAttributeTests {
    /// 20,000 attribute names: each new column's id was checked against every column before it
    /// (quadratic); a set of the ids taken makes it linear.
    @Test func twentyThousandAttributesMakeTwentyThousandColumns() throws {
        let names = (0..<20_000).map { "a\($0)" }
        let attributes = names.map { "\($0): 1" }.joined(separator: ", ")
        let yaml = Self.yaml.replacing("attributes: {revenue: 1200000000, listed: true}", with: "attributes: {\(attributes)}")
        let model = try ModelLoader.loadYAML(yaml).model
        let table = ResultTable(id: "t", title: "T", columns: [TableColumn("firm", "Firm", .firm), TableColumn("firm.a1", "Taken", .number)],
            rows: [[.id("acme"), .number(0)]])
        let shown = table.withFirmAttributes(of: model)
        #expect(shown.columns.count == 2 + 20_000)  // Nabe's attributes: not in the table
        #expect(Set(shown.columns.map(\.id)).count == shown.columns.count)
        #expect(shown.columns[3].id == "firm.a1_")  // 'firm.a1' was taken
        #expect(shown.rows[0].count == shown.columns.count)
    }
}
