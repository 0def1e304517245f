@testable import RoboChainModel
import Testing

/// RoboChain's own reader of workbook XML (issue 20: no libxml2): its events on small parts, and
/// its refusals with the part and line.
@Suite struct XMLScannerTests {
    typealias Event = XMLScanner.Event

    static func attribute(_ name: String, _ value: String) -> XMLScanner.Attribute {
        XMLScanner.Attribute(name: name, value: value)
    }

    /// Every event of `text`, or the message of the error that stopped the scanner.
    static func scan(_ text: String) -> Result<[Event], ModelError> {
        scan(Array(text.utf8))
    }

    static func scan(_ bytes: [UInt8]) -> Result<[Event], ModelError> {
        var scanner = XMLScanner(bytes, workbook: "book.xlsx", part: "xl/p.xml")
        var events: [Event] = []
        do {
            while let event = try scanner.next() { events.append(event) }
            return .success(events)
        } catch {
            return .failure(error)
        }
    }

    static func refusal(_ line: Int, _ why: String) -> Result<[Event], ModelError> {
        .failure(.syntax(SourceLocation(file: "book.xlsx"), problem: "the workbook's part xl/p.xml is not well-formed XML at line \(line): \(why)"))
    }

    @Test func elementsAttributesAndText() {
        #expect(Self.scan(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n<a x=\"1\" y='two'><b/>hi<c></c></a>\n") == .success([
            .start("a", [Self.attribute("x", "1"), Self.attribute("y", "two")]),
            .start("b", []), .end("b"),
            .text("hi"),
            .start("c", []), .end("c"),
            .end("a"),
        ]))
        // A byte-order mark, white space inside tags, and after the root.
        #expect(Self.scan("\u{FEFF}<a\n  k = \"v\"\t/>\n<!-- end -->\n") == .success([
            .start("a", [Self.attribute("k", "v")]), .end("a"),
        ]))
    }

    @Test func quotesAndMarkupCharactersInsideAttributeValues() {
        #expect(Self.scan(#"<a q='say "hi"' r="it's" g="a>b" s="x/>y"/>"#) == .success([
            .start("a", [Self.attribute("q", "say \"hi\""), Self.attribute("r", "it's"), Self.attribute("g", "a>b"), Self.attribute("s", "x/>y")]),
            .end("a"),
        ]))
    }

    @Test func namespacePrefixesAreKeptAsWritten() {
        #expect(Self.scan(#"<x:ws xmlns:x="urn:x" xmlns:r="urn:r"><x:c r:id="rId1"/></x:ws>"#) == .success([
            .start("x:ws", [Self.attribute("xmlns:x", "urn:x"), Self.attribute("xmlns:r", "urn:r")]),
            .start("x:c", [Self.attribute("r:id", "rId1")]), .end("x:c"),
            .end("x:ws"),
        ]))
        #expect(XMLScanner.prefix(of: "x:row") == "x")
        #expect(XMLScanner.prefix(of: "row") == nil)
        #expect(XMLScanner.localName(of: "x:row") == "row")
        #expect(XMLScanner.localName(of: "row") == "row")
        #expect([Self.attribute("r:id", "rId1")]["r:id"] == "rId1")
        #expect([Self.attribute("r:id", "rId1")]["id"] == nil)
    }

    @Test func predefinedEntitiesAndCharacterReferences() {
        #expect(Self.scan("<t a=\"&lt;&amp;&gt;&quot;&apos;\">&lt;b&gt; &amp; &quot;q&quot; &apos;</t>") == .success([
            .start("t", [Self.attribute("a", "<&>\"'")]),
            .text("<b> & \"q\" '"),
            .end("t"),
        ]))
        #expect(Self.scan("<t>&#233;&#xE9;&#x4E2D;&#128512;&#x0041;&#0065;</t>") == .success([
            .start("t", []), .text("éé中😀AA"), .end("t"),
        ]))
    }

    @Test func invalidCharacterReferencesAreRefused() {
        #expect(Self.scan("<t>&#0;</t>") == Self.refusal(1, "the character reference &#0; is to a code point XML does not allow"))
        #expect(Self.scan("<t>&#x1;</t>") == Self.refusal(1, "the character reference &#x1; is to a code point XML does not allow"))
        #expect(Self.scan("<t>\n&#xD800;</t>") == Self.refusal(2, "the character reference &#xD800; is to a code point XML does not allow"))
        #expect(Self.scan("<t>&#xFFFE;</t>") == Self.refusal(1, "the character reference &#xFFFE; is to a code point XML does not allow"))
        #expect(Self.scan("<t>&#x110000;</t>") == Self.refusal(1, "the character reference &#x110000; is to a code point XML does not allow"))
        #expect(Self.scan("<t>&#99999999999999999999;</t>")
            == Self.refusal(1, "the character reference &#99999999999999… is to a code point XML does not allow"))
        #expect(Self.scan("<t>&#X41;</t>") == Self.refusal(1, "'&#' is not a character reference (write &amp; for '&')"))
        #expect(Self.scan("<t>&#;</t>") == Self.refusal(1, "'&#' is not a character reference (write &amp; for '&')"))
        #expect(Self.scan("<t>&#x41</t>") == Self.refusal(1, "'&#x41' is not a character reference (write &amp; for '&')"))
    }

    @Test func unknownEntitiesAndBareAmpersandsAreRefused() {
        #expect(Self.scan("<t>&nbsp;</t>") == Self.refusal(1, "unknown entity &nbsp; (XML without a DTD has only &lt; &gt; &amp; &apos; &quot;)"))
        #expect(Self.scan("<t>a & b</t>") == Self.refusal(1, "'&' begins no reference (write &amp; for '&')"))
        #expect(Self.scan("<t a=\"&amp\"/>") == Self.refusal(1, "'&' begins no reference (write &amp; for '&')"))
    }

    @Test func cdataIsTextAsWritten() {
        #expect(Self.scan("<t>a<![CDATA[<b>&amp;]]]]>c</t>") == .success([
            .start("t", []), .text("a"), .text("<b>&amp;]]"), .text("c"), .end("t"),
        ]))
        #expect(Self.scan("<t><![CDATA[]]></t>") == .success([.start("t", []), .end("t")]))
        #expect(Self.scan("<![CDATA[x]]><t/>") == Self.refusal(1, "a CDATA section outside the root element"))
        #expect(Self.scan("<t>\n<![CDATA[x</t>") == Self.refusal(2, "the part ends inside a CDATA section of line 2"))
    }

    @Test func lineBreaksAreNormalisedAndCounted() {
        // Text: CR LF and a lone CR become LF; a CR written as a reference stays.
        #expect(Self.scan("<t>a\r\nb\rc&#13;d</t>") == .success([.start("t", []), .text("a\nb\nc\rd"), .end("t")]))
        #expect(Self.scan("<t><![CDATA[a\r\nb\rc]]></t>") == .success([.start("t", []), .text("a\nb\nc"), .end("t")]))
        // Attribute values: white space becomes a space; a reference to it stays.
        #expect(Self.scan("<t a=\"x\r\ny\tz\nw&#10;&#9;\"/>") == .success([
            .start("t", [Self.attribute("a", "x y z w\n\t")]), .end("t"),
        ]))
        // CR LF, LF and a lone CR each end one line.
        #expect(Self.scan("<t>\r\n\n\r<</t>") == Self.refusal(4, "a start tag lacks a name ('<' found)"))
    }

    @Test func commentsAndProcessingInstructionsAreSkipped() {
        #expect(Self.scan("<!-- a - b --><?pi data?><t><!----><?x?>v</t><?y z?>") == .success([
            .start("t", []), .text("v"), .end("t"),
        ]))
        #expect(Self.scan("<t><!-- a -- b --></t>") == Self.refusal(1, "'--' inside a comment"))
        #expect(Self.scan("<t><!-- a </t>") == Self.refusal(1, "the part ends inside a comment of line 1"))
        #expect(Self.scan("<t/><?xml version=\"1.0\"?>") == Self.refusal(1, "an XML declaration (<?xml) is allowed only at the start of the part"))
        #expect(Self.scan(" <?xml version=\"1.0\"?><t/>") == Self.refusal(1, "an XML declaration (<?xml) is allowed only at the start of the part"))
        #expect(Self.scan("<t><?pi\nno end</t>") == Self.refusal(2, "the part ends inside the processing instruction <?pi of line 1"))
    }

    @Test func aDocumentTypeDeclarationIsRefused() {
        #expect(Self.scan("<?xml version=\"1.0\"?>\n<!DOCTYPE t [<!ENTITY a \"aaaa\">]><t>&a;</t>")
            == Self.refusal(2, "the part declares a DTD (<!DOCTYPE), which workbook parts do not; it is refused"))
        #expect(Self.scan("<t><!ELEMENT t ANY></t>") == Self.refusal(1, "'<!' begins neither a comment nor a CDATA section"))
    }

    @Test func mismatchedAndUnmatchedTagsAreRefusedWithTheirLines() {
        #expect(Self.scan("<a>\n  <b>\n  </c>\n</a>") == Self.refusal(3, "the end tag </c> does not match the start tag <b> of line 2"))
        #expect(Self.scan("<a></a></a>") == Self.refusal(1, "the end tag </a> has no start tag"))
        #expect(Self.scan("<x:a></a>") == Self.refusal(1, "the end tag </a> does not match the start tag <x:a> of line 1"))
        #expect(Self.scan("<a/><b/>") == Self.refusal(1, "a second root element <b>"))
        #expect(Self.scan("<a/>x") == Self.refusal(1, "text after the root element"))
        #expect(Self.scan("x<a/>") == Self.refusal(1, "text before the root element"))
        #expect(Self.scan("") == Self.refusal(1, "the part has no root element"))
        #expect(Self.scan("<!-- only -->\n") == Self.refusal(2, "the part has no root element"))
    }

    @Test func partsCutShortAreRefused() {
        #expect(Self.scan("<a>\n<b>text") == Self.refusal(2, "the part ends inside element <b> of line 2"))
        #expect(Self.scan("<a\n b=\"1\"") == Self.refusal(2, "the part ends inside the start tag <a> of line 1"))
        #expect(Self.scan("<a b=\"1") == Self.refusal(1, "the part ends inside the value of attribute b of <a> of line 1"))
        #expect(Self.scan("<a b") == Self.refusal(1, "the part ends inside the start tag <a> of line 1"))
        #expect(Self.scan("<a></a") == Self.refusal(1, "the part ends inside the end tag </a>"))
        #expect(Self.scan("<a><") == Self.refusal(1, "the part ends inside a tag"))
        #expect(Self.scan("<a/") == Self.refusal(1, "the part ends inside the start tag <a> of line 1"))
    }

    @Test func malformedTagsAreRefused() {
        #expect(Self.scan("<a b=1/>") == Self.refusal(1, "the value of attribute b of <a> is not in quotes"))
        #expect(Self.scan("<a b/>") == Self.refusal(1, "attribute b of <a> has no '=' and value"))
        #expect(Self.scan("<a b=\"1\"c=\"2\"/>") == Self.refusal(1, "unexpected 'c' in the start tag <a>"))
        #expect(Self.scan("<a b=\"1\" b='2'/>") == Self.refusal(1, "attribute b appears twice in <a>"))
        #expect(Self.scan("<a b=\"<\"/>") == Self.refusal(1, "'<' in the value of attribute b of <a> (write &lt;)"))
        #expect(Self.scan("<a /x>") == Self.refusal(1, "'/' in the start tag <a> is not followed by '>'"))
        #expect(Self.scan("<1a/>") == Self.refusal(1, "a start tag lacks a name ('1' found)"))
        #expect(Self.scan("< a/>") == Self.refusal(1, "a start tag lacks a name (a space found)"))
        #expect(Self.scan("<a></a x>") == Self.refusal(1, "unexpected 'x' in the end tag </a>"))
        #expect(Self.scan("<a>]]></a>") == Self.refusal(1, "']]>' in text outside a CDATA section"))
    }

    @Test func namesBeyondASCII() {
        #expect(Self.scan("<表 名=\"企业\">é</表>") == .success([.start("表", [Self.attribute("名", "企业")]), .text("é"), .end("表")]))
        #expect(Self.scan("<a·b/>") == .success([.start("a·b", []), .end("a·b")]))
        #expect(Self.scan("<·a/>") == Self.refusal(1, "a start tag lacks a name (a character beyond ASCII found)"))
    }

    @Test func bytesThatAreNotUTF8OrNotXMLCharactersAreRefused() {
        #expect(Self.scan(Array("<a>\n".utf8) + [0xE9] + Array("</a>".utf8)) == Self.refusal(2, "byte 0xE9 begins no UTF-8 sequence here: the part is not UTF-8 text"))
        #expect(Self.scan(Array("<r".utf8) + [0xE9] + Array("w/>".utf8)) == Self.refusal(1, "byte 0xE9 begins no UTF-8 sequence here: the part is not UTF-8 text"))
        #expect(Self.scan(Array("<a>".utf8) + [0xFF] + Array("</a>".utf8)) == Self.refusal(1, "byte 0xFF is not UTF-8 text"))
        #expect(Self.scan(Array("<a>".utf8) + [0xC0, 0x80] + Array("</a>".utf8)) == Self.refusal(1, "byte 0xC0 is not UTF-8 text"))
        // An encoded surrogate, and a sequence cut short by the end of the part.
        #expect(Self.scan(Array("<a>".utf8) + [0xED, 0xA0, 0x80] + Array("</a>".utf8)) == Self.refusal(1, "byte 0xED begins no UTF-8 sequence here: the part is not UTF-8 text"))
        #expect(Self.scan(Array("<a>".utf8) + [0xE4, 0xB8]) == Self.refusal(1, "the part ends inside a UTF-8 sequence"))
        #expect(Self.scan("<a>\u{2}</a>") == Self.refusal(1, "U+0002 is a character XML does not allow"))
        #expect(Self.scan("<a>\u{FFFF}</a>") == Self.refusal(1, "U+FFFF is a character XML does not allow"))
        #expect(Self.scan("<a b=\"\u{0}\"/>") == Self.refusal(1, "U+0000 is a character XML does not allow"))
    }

    @Test func depthAndSizeAreBounded() {
        let deepest = String(repeating: "<a>", count: XMLScanner.maximumDepth) + String(repeating: "</a>", count: XMLScanner.maximumDepth)
        #expect((try? Self.scan(deepest).get().count) == 2 * XMLScanner.maximumDepth)
        // Far deeper than any stack could recurse: refused at the limit, not a crash.
        #expect(Self.scan(String(repeating: "<a>", count: 100_000)) == Self.refusal(1, "elements nest deeper than 256 at <a>"))
        let name = String(repeating: "n", count: XMLScanner.maximumNameLength + 1)
        #expect(Self.scan("<\(name)/>") == Self.refusal(1, "a name in a start tag is longer than 1024 bytes"))
        let many = (0...XMLScanner.maximumAttributes).map { "a\($0)=\"\"" }.joined(separator: " ")
        #expect(Self.scan("<t \(many)/>") == Self.refusal(1, "<t> has more than 1024 attributes"))
        let repeated = (0..<20).map { "a\($0)=\"\"" }.joined(separator: " ") + " a7=\"\""
        #expect(Self.scan("<t \(repeated)/>") == Self.refusal(1, "attribute a7 appears twice in <t>"))
    }
}
