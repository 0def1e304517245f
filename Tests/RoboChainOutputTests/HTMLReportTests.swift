import Foundation
import RoboChainAnalysis
@testable import RoboChainHTMLReport
import RoboChainModel
import RoboChainReports
import RoboChainTestSupport
import Testing

@Suite struct HTMLReportTests {
    @Test func textAndDataCannotBreakTheMarkupOrTheScript() {
        #expect(HTMLText.escape(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(JSONText.string("</script>\u{2028}\"\\\u{1}") == #""\u003c/script\u003e\u2028\"\\\u0001""#)
    }

    @Test func theHostileFirmNameNeverAppearsRaw() {
        let page = HTMLReport(model: OutputFixture.model, scope: 1, entries: OutputFixture.entries, map: nil, date: "2026-12-02").html()
        #expect(!page.contains("<script>alert"))
        #expect(page.components(separatedBy: "</script>").count == 3)  // the data element and the script, nothing else
        #expect(page.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;") == false)  // names only in the JSON data here
        #expect(page.contains(#""\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e""#))
    }

    @Test func aPluginTableIsPlacedChartedAndIndexedByKey() {
        let page = HTMLReport(model: OutputFixture.model, scope: 1, entries: OutputFixture.entries, map: nil, date: "2026-12-02").html()
        #expect(page.contains("<h3>Suppliers by country</h3><div class=\"table\" id=\"t1\" data-table=\"1\"></div>"))
        #expect(page.contains("<h2>concentration</h2><p class=\"headline\">2 components checked</p>"))
        // The findings row and the table row of component arm are both found from the map.
        #expect(page.contains(#""c:arm":[[0,0],[1,0]]"#))
        #expect(page.contains(#"<dt>Scope</dt><dd id="scope">Guangdong 广东 (CN-GD)</dd>"#))
    }

    @Test func onlySmallTablesOfSharesAreCharted() {
        let share = ResultTable(id: "s", title: "S", columns: [TableColumn("k", "K", .text), TableColumn("v", "V", .share)],
            rows: [[.text("a"), .number(0.5)]])
        var mixed = share
        mixed.columns.append(TableColumn("n", "N", .integer))
        mixed.rows = [[.text("a"), .number(0.5), .integer(1)]]
        var large = share
        large.rows = Array(repeating: [.text("a"), .number(0.5)], count: 31)
        #expect(HTMLReport.isChartable(share))
        #expect(!HTMLReport.isChartable(mixed))
        #expect(!HTMLReport.isChartable(large))
    }

    /// An analysis' options read the same in every format: an empty string is "not set".
    @Test func optionsReadTheSameInEveryFormat() throws {
        let declarations = [
            AnalysisOption<String>("group", default: "", help: "g").declaration,
            AnalysisOption<Int>("limit", default: 20, help: "l").declaration,
        ]
        let values = try OptionValues(declarations: declarations, analysis: "concentration")
        #expect(values.readable == "limit 20")
        #expect(try OptionValues(declarations: [declarations[0]], analysis: "concentration").readable == nil)
        let grouped = try OptionValues(declarations: declarations, overrides: ["group": .string("CN")], analysis: "concentration")
        #expect(grouped.readable == "group CN, limit 20")
        let entries = [ReportEntry(name: "concentration", options: values, outcome: .success(OutputFixture.pluginResult))]
        let page = HTMLReport(model: OutputFixture.model, scope: 1, entries: entries, map: nil, date: "2026-12-02").html()
        #expect(page.contains("<h2>concentration (limit 20)</h2>"))
        let text = String(decoding: ResultReport(model: OutputFixture.model, scope: 1, entries: entries).render(.markdown), as: UTF8.self)
        #expect(text.contains("## concentration in Guangdong 广东 (CN-GD) (limit 20)"))
    }

    /// Charts: a generic section title, a colour per series (grey for "other"), a legend that
    /// wraps, percentages that never break before the sign.
    @Test func chartsOfManySeries() throws {
        let series = (1...9).map { TableColumn("g\($0)", "原产地区 \($0)", .share) } + [TableColumn("other", "Other", .share)]
        let table = ResultTable(id: "o", title: "Origins", columns: [TableColumn("product", "Product", .component)] + series,
            rows: [[.id("arm")] + (1...10).map { _ in .number(0.07) }])
        let entries = [ReportEntry(name: "value-origin", options: try OptionValues(declarations: [], analysis: "value-origin"),
            outcome: .success(AnalysisResult(analysis: "value-origin", scope: "CN-GD", tables: [table], headline: "arm: 7 %")))]
        let page = HTMLReport(model: OutputFixture.model, scope: 1, entries: entries, map: nil, date: "2026-12-02").html()
        #expect(page.contains("<section id=\"charts\"><h2>Charts</h2>"))
        #expect(!page.contains("Local share"))
        let legend = page.components(separatedBy: "class=\"lg\">").dropFirst().map { $0.prefix { $0 != "<" } }
        #expect(legend.count == 10)
        // Ten wide labels do not fit on one line of the chart.
        let legendRows = Set(page.components(separatedBy: "<rect x=\"").dropFirst().compactMap { cut -> String? in
            let y = cut.components(separatedBy: "y=\"")[1].prefix { $0 != "\"" }
            return cut.contains("width=\"10\" height=\"10\"") ? String(y) : nil
        })
        #expect(legendRows.count > 1)
        let colours = HTMLReport.palette.prefix(9)
        #expect(Set(colours).count == 9)
        #expect(HTMLReport.colour(9, series[9]) == HTMLReport.otherColour)
        #expect(!HTMLReport.palette.contains(HTMLReport.otherColour))
        #expect(page.contains("<p class=\"headline\">arm: 7\u{00A0}%</p>"))
        #expect(page.contains("class=\"val\">7\u{00A0}%</text>"))
        #expect(!page.contains("7 %"))
    }

    @Test func chineseReportWords() {
        let page = HTMLReport(model: OutputFixture.model, scope: 1, entries: OutputFixture.entries, map: "<svg></svg>", date: "2026-12-02",
            language: .zh).html()
        #expect(page.contains(#"<html lang="zh-CN">"#))
        #expect(page.contains("<h2>产业链图谱</h2>"))
        #expect(page.contains("<dt>范围</dt>"))
    }
}

/// The report of the Guangdong model in headless Chromium: it loads with no error, the map has
/// one node per component, a click on a node lists that component's suppliers, a plugin's table
/// is shown as a built-in's is, and a screenshot is taken (look at it: the path is printed).
@Suite(.serialized, .enabled(if: OutputFixture.hasChromium, "needs chromium (scripts/setup.sh installs it)"))
struct ReportInChromiumTests {
    static let modelPath = "Models/guangdong-robots.yaml"

    /// Runs the report's page with a probe appended: errors are collected from the first
    /// moment, then the probe clicks node `component` and writes what it sees into the page.
    func probe(_ html: String, component: String, firm: String, directory: TemporaryDirectory) throws -> [String: Any] {
        let catcher = """
            <script>window.__errors=[];addEventListener("error",function(e){__errors.push(String(e.message))});\
            document.addEventListener("securitypolicyviolation",function(e){__errors.push("CSP "+e.violatedDirective)});\
            var __ce=console.error;console.error=function(){__errors.push(Array.prototype.join.call(arguments," "))};</script>
            """
        let probe = """
            <script>(function(){var out={errors:__errors};
            out.nodes=document.querySelectorAll('#mapwrap g.node[id^="c."]').length;
            var n=document.getElementById("c.\(component)");
            if(n){n.dispatchEvent(new MouseEvent("click",{bubbles:true}));}
            out.title=(document.querySelector("#panel h3")||{}).textContent;
            out.suppliers=Array.prototype.map.call(document.querySelectorAll("#panel tr.supplier td:first-child"),function(t){return t.textContent});
            out.tables=Array.prototype.map.call(document.querySelectorAll("div.table"),function(d){return d.querySelectorAll("tbody tr").length});
            out.headings=Array.prototype.map.call(document.querySelectorAll("h3"),function(h){return h.textContent});
            var th=document.querySelector("div.table th.num");th.click();th=document.querySelector("div.table th.num");
            out.sorted=th.textContent;
            var seg=document.getElementById("segment");seg.value=seg.options[1].value;seg.dispatchEvent(new Event("change"));
            out.undimmed=document.querySelectorAll('#mapwrap g.node[id^="c."]:not(.dim)').length;
            var firm=document.getElementById("firm");firm.value="\(firm)";firm.dispatchEvent(new Event("change"));
            out.firmTitle=(document.querySelector("#panel h3")||{}).textContent;
            out.firmSupplies=document.querySelectorAll("#panel table tr").length-1;
            out.highlighted=document.querySelectorAll("#mapwrap g.node.hit").length;
            var pre=document.createElement("pre");pre.id="probe";pre.textContent=JSON.stringify(out);document.body.appendChild(pre);})();</script>
            """
        var page = html.replacingOccurrences(of: "<meta charset=\"utf-8\">", with: "<meta charset=\"utf-8\">" + catcher)
        page = page.replacingOccurrences(of: "</body>", with: probe + "</body>")
        let path = try directory.write(page, to: "probe.html")
        let result = try CommandRunner.run("chromium", [
            "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=3000", "--dump-dom", "file://" + path,
        ], timeout: 60)
        #expect(result.exitStatus == 0, "\(result.standardError)")
        guard let start = result.standardOutput.range(of: "<pre id=\"probe\">"),
            let end = result.standardOutput.range(of: "</pre>", range: start.upperBound..<result.standardOutput.endIndex)
        else {
            Issue.record("the probe wrote nothing: \(result.standardError.suffix(2000))")
            return [:]
        }
        let text = result.standardOutput[start.upperBound..<end.lowerBound]
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    @Test func theReportWorksInChromium() throws {
        let directory = try TemporaryDirectory("report")
        defer { directory.remove() }
        let output = directory.url.appendingPathComponent("report.html").path
        let run = try CommandRunner.robochain([
            "report", Self.modelPath, "--with", "gap-detection", "--with", "localisation-share", "--with", "supplier-concentration",
            "--output", output,
        ], environment: ["ROBOCHAIN_PLUGIN_PATH": CommandRunner.packageDirectory.appendingPathComponent("Plugins").path,
                         "SOURCE_DATE_EPOCH": "1764633600"])
        #expect(run.exitStatus == 0, "\(run.standardError)")
        let html = try String(contentsOfFile: output, encoding: .utf8)
        #expect(html.contains("<dt>Date</dt><dd>2025-12-02</dd>"))
        #expect(!html.contains("http://www.w3.org/1999/xlink\" href") && !html.contains("src=\"http"))
        let model = try ModelLoader.load(path: CommandRunner.packageDirectory.appendingPathComponent(Self.modelPath).path).model
        let component = model.components.index(of: "rv-reducer")!
        let expected = model.supplies.links(supplying: component).map { model.firms.names[model.supplies.firm(of: Int($0))] }

        let ubtech = model.firms.index(of: "ubtech")!
        let ubtechSupplies = model.firms.links(of: ubtech).count
        let firstSegment = model.segments.displayOrder[0]
        let inFirstSegment = (0..<model.components.count).filter { model.components.segment(of: $0) == firstSegment }.count
        let seen = try probe(html, component: "rv-reducer", firm: model.firms.names[ubtech], directory: directory)
        #expect((seen["errors"] as? [String]) == [])
        #expect((seen["nodes"] as? Int) == model.components.count)
        #expect((seen["title"] as? String) == model.components.names[component])
        #expect((seen["suppliers"] as? [String]) == expected)
        let headings = seen["headings"] as? [String] ?? []
        #expect(headings.contains("Concentrated supply"))  // the plugin's table, as a built-in's
        #expect(headings.contains("Findings"))
        #expect((seen["tables"] as? [Int])?.allSatisfy { $0 > 0 } == true)
        #expect((seen["sorted"] as? String)?.hasSuffix("▲") == true)
        // Filtered by the first segment: only its components stay undimmed.
        #expect((seen["undimmed"] as? Int) == inFirstSegment)
        // A firm found by name: what it supplies, listed and highlighted on the map.
        #expect((seen["firmTitle"] as? String) == model.firms.names[ubtech])
        #expect((seen["firmSupplies"] as? Int) == ubtechSupplies)
        #expect((seen["highlighted"] as? Int) == ubtechSupplies)
    }

    @Test func aScreenshotShowsTheReport() throws {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("robochain-report-screenshot")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let output = directory.appendingPathComponent("report-zh.html").path
        let run = try CommandRunner.robochain([
            "report", Self.modelPath, "--with", "gap-detection", "--with", "localisation-share", "--lang", "zh", "--output", output,
        ])
        #expect(run.exitStatus == 0, "\(run.standardError)")
        let png = directory.appendingPathComponent("report-zh.png").path
        try? FileManager.default.removeItem(atPath: png)
        let shot = try CommandRunner.run("chromium", [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1800",
            "--virtual-time-budget=3000", "--screenshot=" + png, "file://" + output,
        ], timeout: 60)
        #expect(shot.exitStatus == 0, "\(shot.standardError)")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: png)))
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: width and height, big-endian, at bytes 16 and 20.
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1280 && height == 1800)
        #expect(bytes.count > 100_000, "a page with a map, charts and tables does not compress below 100 kB; a blank one does")
        print("report screenshot: \(png)")

        // Printed: A4 pages (595 × 842 points), the map's landscape.
        let pdf = directory.appendingPathComponent("report-zh.pdf").path
        let printed = try CommandRunner.run("chromium", [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--print-to-pdf=" + pdf, "file://" + output,
        ], timeout: 60)
        #expect(printed.exitStatus == 0, "\(printed.standardError)")
        let document = String(decoding: try Data(contentsOf: URL(fileURLWithPath: pdf)), as: UTF8.self)
        let pages = document.components(separatedBy: "/MediaBox [0 0 594.9").count - 1
        #expect(pages >= 4)
        #expect(document.components(separatedBy: "/MediaBox [0 0 841.9").count - 1 == 1)  // the map, on a landscape page
        #expect(!document.contains("/MediaBox [0 0 612"))  // not US Letter
    }
}
