import RoboChainRendering
import Testing

@Suite struct DOTTextTests {
    @Test(arguments: [
        ("plain", "\"plain\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        ("back\\slash", "\"back\\\\\\\\slash\""),
        ("ends with \\", "\"ends with \\\\\\\\\""),
        ("two\nlines", "\"two\\nlines\""),
        ("crlf\r\nline", "\"crlf\\nline\""),
        ("cr\rline", "\"cr\\nline\""),
        ("A&B &lt;", "\"A&amp;B &amp;lt;\""),
        ("bell\u{07}and nul\u{0}", "\"bell and nul \""),
        ("中文 🤖", "\"中文 🤖\""),
        // Issue #16: a right-to-left override made a label read backwards; marks are kept.
        ("acme\u{202E}gnp.exe\u{2066}x\u{2069}", "\"acmegnp.exex\""),
        ("a\u{200F}b", "\"a\u{200F}b\""),
    ])
    func quotesText(text: String, expected: String) {
        #expect(DOTText.quoted(text) == expected)
    }

    @Test(arguments: [(0.0, "0"), (2.0, "2"), (0.5, "0.5"), (1.25, "1.25"), (0.605, "0.61"), (0.07, "0.07"), (-1.5, "-1.5"), (Double.nan, "0")])
    func writesNumbers(value: Double, expected: String) {
        #expect(DOTText.number(value) == expected)
    }
}

@Suite struct HTMLTextTests {
    @Test(arguments: [
        ("plain 中文", "plain 中文"),
        ("acme\u{202E}gnp.exe\u{202A}\u{202B}\u{202C}\u{202D}\u{2067}\u{2068}", "acmegnp.exe"),
        ("<B>&amp;</B>", "&lt;B&gt;&amp;amp;&lt;/B&gt;"),
        ("\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;"),
        ("one\ntwo\r\nthree\rfour", "one<BR/>two<BR/>three<BR/>four"),
        ("tab\there", "tab here"),
        ("control\u{1B}[31m", "control [31m"),
        ("back\\slash \\N \\", "back\\\\slash \\\\N \\\\"),
    ])
    func escapes(text: String, expected: String) {
        #expect(HTMLText.escape(text) == expected)
    }
}

@Suite struct DOTGraphTests {
    @Test func encodesStatementsInOrderAndAttributesSorted() {
        let graph = DOTGraph(
            id: "g",
            attributes: ["rankdir": .text("TB"), "label": .html("<B>t</B>"), "bgcolor": .text("#ffffff")],
            nodeDefaults: ["shape": .text("box")],
            statements: [
                .subgraph(DOTSubgraph("cluster_a", ["label": .text("A \"a\""), "color": .text("grey")], statements: [
                    .node(DOTNode("n2", ["width": .number(1.5), "id": .text("n2")])),
                    .node(DOTNode("n1")),
                ])),
                .edge(DOTEdge(from: "n1", to: "n2", ["penwidth": .number(2), "color": .text("red")])),
            ])
        #expect(graph.encoded() == """
            digraph "g" {
              graph [bgcolor="#ffffff", label=<<B>t</B>>, rankdir="TB"];
              node [shape="box"];
              subgraph "cluster_a" {
                graph [color="grey", label="A \\"a\\""];
                "n2" [id="n2", width="1.5"];
                "n1";
              }
              "n1" -> "n2" [color="red", penwidth="2"];
            }

            """)
    }

    @Test func quotesKeysThatAreNotPlainIdentifiers() {
        let graph = DOTGraph(id: "g", statements: [.node(DOTNode("n", ["odd key": .text("v")]))])
        #expect(graph.encoded().contains("\"n\" [\"odd key\"=\"v\"];"))
    }
}

@Suite struct MapFormatTests {
    @Test(arguments: [
        ("map.svg", MapFormat.svg), ("out/Map.PNG", .png), ("a.b.pdf", .pdf), ("chain.dot", .dot), ("chain.gv", .dot),
    ])
    func readsTheExtension(name: String, format: MapFormat) {
        #expect(MapFormat(fileName: name) == format)
    }

    @Test(arguments: ["map", "map.jpeg", "dir.svg/map", ".hidden/file", "map."])
    func rejectsOtherNames(name: String) {
        #expect(MapFormat(fileName: name) == nil)
    }
}
