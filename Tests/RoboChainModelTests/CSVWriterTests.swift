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
}
