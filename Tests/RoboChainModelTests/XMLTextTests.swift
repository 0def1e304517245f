import RoboChainModel
import Testing

/// The one XML escaper (GraphML, GEXF and the workbook use it).
@Suite struct XMLTextTests {
    @Test func escapesMarkupAndDropsForbiddenCharacters() {
        #expect(XMLText.escape("a<b>&\"c\u{1}\u{FFFF}") == "a&lt;b&gt;&amp;&quot;c\u{FFFD}\u{FFFD}")
        #expect(XMLText.escape("O'Neil") == "O&apos;Neil")
        #expect(XMLText.escape("a\tb\nc\rd") == "a&#9;b&#10;c&#13;d", "kept through attribute-value normalisation")
        #expect(XMLText.escape("\u{FFFE}x\u{0}") == "\u{FFFD}x\u{FFFD}")
    }

    @Test func plainTextIsUnchanged() {
        #expect(XMLText.escape("") == "")
        #expect(XMLText.escape("机器人 Robot é") == "机器人 Robot é")
    }
}
