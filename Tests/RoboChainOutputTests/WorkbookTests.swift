import Foundation
import RoboChainAnalysis
import RoboChainReports
import RoboChainTestSupport
@testable import RoboChainWorkbook
import Testing

@Suite struct WorkbookTests {
    @Test func columnLetters() {
        #expect(SheetWriter.column(0) == "A")
        #expect(SheetWriter.column(25) == "Z")
        #expect(SheetWriter.column(26) == "AA")
        #expect(SheetWriter.column(701) == "ZZ")
        #expect(SheetWriter.column(702) == "AAA")
    }

    @Test func sheetNamesAreValidAndUnique() {
        #expect(Workbook.sheetNames(["a/b:c", "A/B:C", "", "x".padding(toLength: 40, withPad: "y", startingAt: 0)])
            == ["a_b_c", "A_B_C (2)", "Sheet", "x" + String(repeating: "y", count: 30)])
    }

    @Test func cellsAreTypedAndInjectionSafe() {
        #expect(SheetWriter.cell(.text("=1+1"), reference: "A2", style: nil)
            == #"<c r="A2" s="3" t="inlineStr"><is><t xml:space="preserve">=1+1</t></is></c>"#)
        #expect(SheetWriter.cell(.percent(0.25), reference: "B2", style: nil) == #"<c r="B2" s="2"><v>0.25</v></c>"#)
        #expect(SheetWriter.cell(.number(3), reference: "C2", style: nil) == #"<c r="C2"><v>3</v></c>"#)
        #expect(SheetWriter.cell(.boolean(true), reference: "D2", style: nil) == #"<c r="D2" t="b"><v>1</v></c>"#)
    }

    @Test func aPluginTableBecomesASheetWithNamesBesideIds() {
        let workbook = ResultWorkbook(model: OutputFixture.model, scope: 1, entries: OutputFixture.entries, date: "2026-12-02").workbook
        #expect(workbook.sheets.map(\.name) == ["Summary", "concentration findings", "concentration by-country", "concentration metrics"])
        let sheet = workbook.sheets[2]
        #expect(sheet.header == ["Component", "Component id", "Note", "Countries", "HHI", "Largest share", "Listed", "Top firm",
            "Top firm id", "Region", "Region id", "Parts", "Parts id", "Firms", "Firms id"])
        #expect(sheet.rows[0] == [
            .text(#"=HYPERLINK("http://x")"#), .text("arm"), .text("@SUM(A1)"), .number(2), .number(0.58), .percent(0.625),
            .boolean(true), .text("</script><script>alert(1)</script>"), .text("nabe"), .text("Japan"), .text("JP"),
            .text(#"=HYPERLINK("http://x"), Robot 机器人"#), .text("arm; robot"), .text("</script><script>alert(1)</script>, Acme 艾克米"),
            .text("nabe; acme"),
        ])
        #expect(sheet.rows[1][2] == nil)
    }

    @Test func chineseWords() {
        let workbook = ResultWorkbook(model: OutputFixture.model, scope: 1, entries: OutputFixture.entries, date: "2026-12-02",
            language: .zh).workbook
        #expect(workbook.sheets[0].name == "摘要")
        #expect(workbook.sheets[1].header.prefix(4) == ["严重程度", "类型", "环节", "环节 编号"])
    }

    /// The file as openpyxl reads it: sheets, typed values, percentage format, frozen header,
    /// filters, and formula-like text kept as text.
    @Test(.enabled(if: OutputFixture.hasOpenpyxl, "needs python3 with openpyxl (scripts/setup.sh installs it)"))
    func openpyxlReadsTheWorkbook() throws {
        let directory = try TemporaryDirectory("workbook")
        defer { directory.remove() }
        let bytes = try ResultWorkbook(model: OutputFixture.model, scope: 1, entries: OutputFixture.entries, date: "2026-12-02")
            .workbook.xlsx()
        let path = directory.url.appendingPathComponent("w.xlsx").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let script = """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            print(wb.sheetnames)
            ws = wb["concentration by-country"]
            print(ws.freeze_panes, ws.auto_filter.ref)
            print([c.value for c in ws[2]])
            print([c.data_type for c in ws[2]])
            print(ws["F2"].number_format, ws["A2"].quotePrefix, ws["C2"].quotePrefix)
            print(wb["Summary"]["B3"].value)
            """
        let result = try CommandRunner.run("python3", ["-c", script, path], timeout: 60)
        #expect(result.exitStatus == 0, "\(result.standardError)")
        #expect(result.standardOutput == """
            ['Summary', 'concentration findings', 'concentration by-country', 'concentration metrics']
            A2 A1:O3
            ['=HYPERLINK("http://x")', 'arm', '@SUM(A1)', 2, 0.58, 0.625, True, '</script><script>alert(1)</script>', 'nabe', 'Japan', 'JP', '=HYPERLINK("http://x"), Robot 机器人', 'arm; robot', '</script><script>alert(1)</script>, Acme 艾克米', 'nabe; acme']
            ['s', 's', 's', 'n', 'n', 'n', 'b', 's', 's', 's', 's', 's', 's', 's', 's']
            0.0% True True
            Guangdong 广东 (CN-GD)

            """)
    }
}
