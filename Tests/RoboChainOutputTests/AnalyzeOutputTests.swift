import Foundation
import RoboChainTestSupport
import Testing

/// `robochain analyze` writing a workbook and Excel-friendly CSV, and `--lang`.
@Suite struct AnalyzeOutputTests {
    static let model = "Models/guangdong-robots.yaml"
    static var plugins: [String: String] {
        ["ROBOCHAIN_PLUGIN_PATH": CommandRunner.packageDirectory.appendingPathComponent("Plugins").path]
    }

    @Test func aCSVFileHasAByteOrderMarkAndStandardOutputNone() throws {
        let directory = try TemporaryDirectory("csv")
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("gaps.csv").path
        let file = try CommandRunner.robochain(["analyze", Self.model, "--with", "gap-detection", "--output", path])
        #expect(file.exitStatus == 0)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes.prefix(4)) == [0xEF, 0xBB, 0xBF, UInt8(ascii: "a")])
        let standard = try CommandRunner.robochain(["analyze", Self.model, "--with", "gap-detection", "--format", "csv"])
        #expect(standard.standardOutput.hasPrefix("analysis,scope,table,"))
    }

    @Test func aFormatTheExtensionContradictsIsAUsageError() throws {
        let result = try CommandRunner.robochain(["analyze", Self.model, "--with", "gap-detection", "--format", "csv", "--output", "gaps.xlsx"])
        #expect(result.exitStatus == 64)
        #expect(result.standardError.hasPrefix("Error: --format csv does not match the extension '.xlsx' of --output 'gaps.xlsx'\n"))
        #expect(!FileManager.default.fileExists(atPath: "gaps.xlsx"))
        let toTerminal = try CommandRunner.robochain(["analyze", Self.model, "--with", "gap-detection", "--format", "xlsx"])
        #expect(toTerminal.exitStatus == 64)
        #expect(toTerminal.standardError.hasPrefix("Error: --format xlsx writes a file: give --output FILE.xlsx\n"))
        let report = try CommandRunner.robochain(["report", Self.model, "--with", "gap-detection", "--output", "r.pdf"])
        #expect(report.exitStatus == 64)
        #expect(report.standardError.hasPrefix("Error: a report is HTML: end --output in .html, not '.pdf'"))
    }

    @Test func aFailingPluginIsNamedInTheReportWhichIsStillWrittenWithExit70() throws {
        let directory = try TemporaryDirectory("failing")
        defer { directory.remove() }
        _ = try directory.write(#"{"name": "broken", "version": "1.0.0", "protocol": 1, "executable": "run.sh", "description": "fails"}"#,
            to: "plugins/broken/plugin.json")
        _ = try directory.write("#!/bin/sh\necho oops >&2\nexit 3\n", to: "plugins/broken/run.sh", executable: true)
        let output = directory.url.appendingPathComponent("report.html").path
        let result = try CommandRunner.robochain(["report", Self.model, "--with", "broken", "--with", "gap-detection", "--output", output],
            environment: ["ROBOCHAIN_PLUGIN_PATH": directory.url.appendingPathComponent("plugins").path])
        #expect(result.exitStatus == 70)
        #expect(result.standardError.contains("error: analysis 'broken' failed: it exited with status 3"))
        let page = try String(contentsOfFile: output, encoding: .utf8)
        #expect(page.contains(#"<li class="failed"><b>broken</b>: Failed — analysis &#39;broken&#39; failed: it exited with status 3"#))
        #expect(page.contains("<h3>Findings</h3>"))
    }

    @Test func whenEveryAnalysisFailsNoReportIsWrittenWithExit70() throws {
        let directory = try TemporaryDirectory("all-failing")
        defer { directory.remove() }
        _ = try directory.write(#"{"name": "broken", "version": "1.0.0", "protocol": 1, "executable": "run.sh", "description": "fails"}"#,
            to: "plugins/broken/plugin.json")
        _ = try directory.write("#!/bin/sh\necho oops >&2\nexit 3\n", to: "plugins/broken/run.sh", executable: true)
        let output = directory.url.appendingPathComponent("report.html").path
        let result = try CommandRunner.robochain(["report", Self.model, "--with", "broken", "--output", output],
            environment: ["ROBOCHAIN_PLUGIN_PATH": directory.url.appendingPathComponent("plugins").path])
        #expect(result.exitStatus == 70)
        #expect(result.standardError.contains("error: analysis 'broken' failed: it exited with status 3"))
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(result.standardOutput.isEmpty)
    }

    /// Of two analyses giving fills, the first's are drawn and the map's legend shows only them.
    @Test func theReportsMapDrawsTheFirstAnalysisFills() throws {
        let directory = try TemporaryDirectory("fills")
        defer { directory.remove() }
        let output = directory.url.appendingPathComponent("report.html").path
        let result = try CommandRunner.robochain(
            ["report", Self.model, "--with", "localisation-share", "--with", "value-origin", "--output", output], environment: Self.plugins)
        #expect(result.exitStatus == 0)
        #expect(result.standardError.contains(
            "warning: value-origin's fills are not drawn: localisation-share's are (the first given); put value-origin first to see them"))
        // Graphviz writes "-" as "&#45;" in the map's SVG.
        let page = try String(contentsOfFile: output, encoding: .utf8).replacingOccurrences(of: "&#45;", with: "-")
        #expect(page.contains("put value-origin first to see them"))
    }

    @Test func anUnknownLanguageIsAUsageErrorWithTheChoices() throws {
        let result = try CommandRunner.robochain(["analyze", Self.model, "--with", "gap-detection", "--lang", "fr"])
        #expect(result.exitStatus == 64)
        #expect(result.standardError.hasPrefix("Error: The value 'fr' is invalid for '--lang <lang>'. Please provide one of 'en' and 'zh'.\n"))
    }

    @Test func chineseFromTheOptionOrTheLocale() throws {
        let option = try CommandRunner.robochain(["analyze", Self.model, "--with", "gap-detection", "--lang", "zh", "--format", "markdown"])
        #expect(option.exitStatus == 0)
        #expect(option.standardOutput.contains("gap-detection: 25 处缺口（本地无供应（补链） 6 项，本地单一来源 18 项，本地份额低 1 项）"))
        #expect(option.standardOutput.contains("| 严重程度 | 类型 | 环节 | 本地 | 全部 | 价值 | 下游 | 招商对象 | 说明 |"))
        #expect(option.standardOutput.contains("| 高 | 本地无供应（补链） | Linear actuator 线性执行器 | 0 | 2 | 24 % | 1 | Sanhua Intelligent Controls 三花智控, Tuopu Group 拓普集团 | Linear actuator 线性执行器在Guangdong 广东 (CN-GD)没有供应企业；China 中国 (CN)其他地区有 2 家（补链缺口）；招商对象：Sanhua Intelligent Controls 三花智控、Tuopu Group 拓普集团。 |"))
        let locale = try CommandRunner.robochain(["analyze", Self.model, "--with", "localisation-share"],
            environment: ["LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"])
        #expect(locale.standardOutput.hasPrefix("Guangdong 广东 (CN-GD): localisation-share: 本地化率：Humanoid robot 人形机器人 38 %"))
        let english = try CommandRunner.robochain(["analyze", Self.model, "--with", "localisation-share"],
            environment: ["LC_ALL": "C", "LANG": "zh_CN.UTF-8"])
        #expect(english.standardOutput.hasPrefix("Guangdong 广东 (CN-GD): localisation-share: local share of"))
    }

    /// The Guangdong workbook with a plugin beside the built-ins, read by openpyxl: a sheet per
    /// table, the plugin's as a built-in's, names beside ids, percentages, frozen headers, filters.
    @Test(.enabled(if: OutputFixture.hasOpenpyxl, "needs python3 with openpyxl (scripts/setup.sh installs it)"))
    func theGuangdongWorkbookReadsBack() throws {
        let directory = try TemporaryDirectory("xlsx")
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("guangdong.xlsx").path
        let run = try CommandRunner.robochain([
            "analyze", Self.model, "--with", "gap-detection", "--with", "localisation-share", "--with", "supplier-concentration",
            "--output", path,
        ], environment: Self.plugins)
        #expect(run.exitStatus == 0, "\(run.standardError)")
        let script = """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            for ws in wb.worksheets[1:]:
                print(ws.title, ws.max_row - 1, ws.freeze_panes, ws.auto_filter.ref is not None)
            ws = wb["gap-detection findings"]
            print([c.value for c in ws[1]][:4])
            print([c.value for c in ws[2]][:4], ws["I2"].value, ws["J2"].value)
            ws = wb["localisation-share products"]
            print(ws["C2"].number_format, round(ws["C2"].value, 4))
            ws = wb["supplier-concentration concentr"]
            print([c.value for c in ws[1]])
            """
        let result = try CommandRunner.run("python3", ["-c", script, path], timeout: 60)
        #expect(result.exitStatus == 0, "\(result.standardError)")
        #expect(result.standardOutput == """
            gap-detection findings 25 A2 True
            localisation-share products 5 A2 True
            localisation-share coverage 4 A2 True
            localisation-share components 46 A2 True
            supplier-concentration findings 7 A2 True
            supplier-concentration concentr 7 A2 True
            supplier-concentration metrics 3 A2 True
            ['Severity', 'Kind', 'Component', 'Component id']
            ['high', 'no-local-supplier', 'Linear actuator 线性执行器', 'linear-actuator'] Sanhua Intelligent Controls 三花智控, Tuopu Group 拓普集团 sanhua; tuopu
            0.0% 0.3815
            ['Component', 'Component id', 'HHI', 'Suppliers', 'Top share', 'HHI ≥ 0.8', 'Top supplier', 'Top supplier id', 'Its region', 'Its region id', 'All suppliers', 'All suppliers id', 'Required by', 'Required by id', 'Note']

            """)
    }
}
