import Testing
@testable import RoboChainWorkbook

@Suite struct WorkbookTests {
    @Test func columnLetters() {
        #expect(SheetWriter.column(0) == "A")
        #expect(SheetWriter.column(25) == "Z")
        #expect(SheetWriter.column(26) == "AA")
        #expect(SheetWriter.column(701) == "ZZ")
        #expect(SheetWriter.column(702) == "AAA")
    }
}
