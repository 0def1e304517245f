import RoboChainModel
import Testing

/// The one CSV quoting rule (the model's CSV files, analysis and comparison tables).
@Suite struct CSVWriterTests {
    @Test func fieldsAreQuotedOnlyWhenTheyNeedIt() {
        #expect(CSVWriter.field("plain 机器人") == "plain 机器人")
        #expect(CSVWriter.field("") == "")
        #expect(CSVWriter.field("a,b") == "\"a,b\"")
        #expect(CSVWriter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.field("one\ntwo") == "\"one\ntwo\"")
        #expect(CSVWriter.field("one\r\ntwo") == "\"one\r\ntwo\"", "CRLF is one Character but still a line break")
    }

    @Test func rowsQuoteByTheSameRule() {
        var writer = CSVWriter(["id", "note"])
        writer.row(["a,1", nil])
        writer.row(["b", "x\r\ny"])
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "id,note\n\"a,1\",\n" + "b,\"x\r\ny\"\n")
    }

    @Test func cellsAppendedOneByOneMakeTheSameRows() {
        var byRow = CSVWriter(["id", "share", "note"])
        byRow.row(["a,1", "0.25", nil])
        byRow.row([nil, nil, "x"])
        var byCell = CSVWriter(["id", "share", "note"])
        byCell.cell("a,1")
        byCell.cell(number: 0.25)
        byCell.cell(nil)
        byCell.endRow()
        byCell.cell(nil)
        byCell.cell(number: nil)
        byCell.cell("x")
        byCell.endRow()
        #expect(byCell.bytes == byRow.bytes)
        #expect(String(decoding: byCell.bytes, as: UTF8.self) == "id,share,note\n\"a,1\",0.25,\n,,x\n")
    }

    @Test func numbersInTheirShortestExactForm() {
        #expect(CSVWriter.number(1) == "1")
        #expect(CSVWriter.number(-0.0) == "0")
        #expect(CSVWriter.number(-12) == "-12")
        #expect(CSVWriter.number(0.158) == "0.158")
        #expect(CSVWriter.number(1.5e-7) == "1.5e-07")
        #expect(CSVWriter.number(.nan) == "null")
        var writer = CSVWriter(["x"])
        for value in [1, -0.0, 0.158, 1.5e-7, 1.0 / 3] { writer.cell(number: value); writer.endRow() }
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "x\n1\n0\n0.158\n1.5e-07\n0.3333333333333333\n")
    }
}
