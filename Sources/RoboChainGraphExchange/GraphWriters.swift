import RoboChainModel

extension ChainGraph {
    /// The graph as GraphML 1.0 (read by NetworkX, Cytoscape, yEd and Gephi).
    ///
    /// One `<key>` per attribute name of each domain (graph, node, edge), typed `string`, `int`,
    /// `double` or `boolean`, with ids `g0…`, `n0…`, `e0…`; nodes, then edges (ids `e0…`), in
    /// ``ChainGraph`` order; every value escaped (``XMLText``). Node ids are
    /// `c.`/`f.`/`r.` + a model id, which is a valid `NMTOKEN` for any id SPEC §1 allows.
    ///
    /// - Complexity: O(size of the graph and its attributes).
    public func graphML() -> String {
        func typeName(_ type: GraphValueType) -> String {
            switch type {
            case .text: "string"
            case .integer: "int"
            case .number: "double"
            case .boolean: "boolean"
            }
        }
        let graphKeys = Self.declarations([attributes])
        let nodeKeys = Self.declarations(nodes.map(\.attributes))
        let edgeKeys = Self.declarations(edges.map(\.attributes))
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
            xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">

            """
        var keyIDs: [String: [String: String]] = ["graph": [:], "node": [:], "edge": [:]]
        for (domain, prefix, keys) in [("graph", "g", graphKeys), ("node", "n", nodeKeys), ("edge", "e", edgeKeys)] {
            for (index, key) in keys.enumerated() {
                let id = prefix + String(index)
                keyIDs[domain]![key.name] = id
                out += "  <key id=\"\(id)\" for=\"\(domain)\" attr.name=\"\(XMLText.escape(key.name))\" attr.type=\"\(typeName(key.type))\"/>\n"
            }
        }
        func data(_ attributes: GraphAttributes, domain: String, indent: String) -> String {
            var text = ""
            for (name, value) in attributes.entries {
                guard let written = XMLText.value(value) else { continue }
                text += indent + "<data key=\"\(keyIDs[domain]![name]!)\">" + written + "</data>\n"
            }
            return text
        }
        out += "  <graph id=\"chain\" edgedefault=\"directed\">\n"
        out += data(attributes, domain: "graph", indent: "    ")
        for node in nodes {
            out += "    <node id=\"\(XMLText.escape(node.id))\">\n" + data(node.attributes, domain: "node", indent: "      ") + "    </node>\n"
        }
        for (index, edge) in edges.enumerated() {
            out += "    <edge id=\"e\(index)\" source=\"\(XMLText.escape(edge.source))\" target=\"\(XMLText.escape(edge.target))\">\n"
                + data(edge.attributes, domain: "edge", indent: "      ") + "    </edge>\n"
        }
        out += "  </graph>\n</graphml>\n"
        return out
    }

    /// The graph as GEXF 1.2 (Gephi's own format; read by NetworkX).
    ///
    /// The node attribute `label` is the node's `label`; the edge attribute `weight` is the
    /// edge's `weight` (1 when absent); every other attribute is declared in `<attributes>`
    /// (types `string`, `integer`, `double`, `boolean`; ids `0…` per class). A node the analyses
    /// filled is coloured with `viz:color`. The graph's `title` is the `<meta>` description.
    ///
    /// - Complexity: O(size of the graph and its attributes).
    public func gexf() -> String {
        func typeName(_ type: GraphValueType) -> String {
            switch type {
            case .text: "string"
            case .integer: "integer"
            case .number: "double"
            case .boolean: "boolean"
            }
        }
        let nodeKeys = Self.declarations(nodes.map(\.attributes)).filter { $0.name != "label" }
        let edgeKeys = Self.declarations(edges.map(\.attributes)).filter { $0.name != "weight" }
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" version="1.2">
              <meta>
                <creator>robochain</creator>

            """
        if case .text(let title)? = attributes["title"] { out += "    <description>\(XMLText.escape(title))</description>\n" }
        out += "  </meta>\n  <graph defaultedgetype=\"directed\" mode=\"static\">\n"
        var keyIDs: [String: [String: String]] = ["node": [:], "edge": [:]]
        for (domain, keys) in [("node", nodeKeys), ("edge", edgeKeys)] where !keys.isEmpty {
            out += "    <attributes class=\"\(domain)\" mode=\"static\">\n"
            for (index, key) in keys.enumerated() {
                keyIDs[domain]![key.name] = String(index)
                out += "      <attribute id=\"\(index)\" title=\"\(XMLText.escape(key.name))\" type=\"\(typeName(key.type))\"/>\n"
            }
            out += "    </attributes>\n"
        }
        func attvalues(_ attributes: GraphAttributes, domain: String, skipping skipped: String) -> String {
            var text = ""
            for (name, value) in attributes.entries where name != skipped {
                guard let written = XMLText.value(value) else { continue }
                text += "          <attvalue for=\"\(keyIDs[domain]![name]!)\" value=\"\(written)\"/>\n"
            }
            return text.isEmpty ? "" : "        <attvalues>\n" + text + "        </attvalues>\n"
        }
        out += "    <nodes>\n"
        for node in nodes {
            var label = ""
            if case .text(let text)? = node.attributes["label"] { label = " label=\"\(XMLText.escape(text))\"" }
            out += "      <node id=\"\(XMLText.escape(node.id))\"\(label)>\n" + attvalues(node.attributes, domain: "node", skipping: "label")
            if let colour = node.colour, let rgb = Self.rgb(colour) {
                out += "        <viz:color r=\"\(rgb.0)\" g=\"\(rgb.1)\" b=\"\(rgb.2)\"/>\n"
            }
            out += "      </node>\n"
        }
        out += "    </nodes>\n    <edges>\n"
        for (index, edge) in edges.enumerated() {
            var weight = ""
            if case .number(let value)? = edge.attributes["weight"], value.isFinite { weight = " weight=\"\(value)\"" }
            out += "      <edge id=\"\(index)\" source=\"\(XMLText.escape(edge.source))\" target=\"\(XMLText.escape(edge.target))\"\(weight)>\n"
                + attvalues(edge.attributes, domain: "edge", skipping: "weight") + "      </edge>\n"
        }
        out += "    </edges>\n  </graph>\n</gexf>\n"
        return out
    }

    /// The red, green and blue of `#rrggbb`.
    static func rgb(_ colour: String) -> (Int, Int, Int)? {
        let digits = Array(colour.utf8.dropFirst())
        guard colour.utf8.first == UInt8(ascii: "#"), digits.count == 6 else { return nil }
        func component(_ at: Int) -> Int? { Int(String(decoding: digits[at..<at + 2], as: UTF8.self), radix: 16) }
        guard let red = component(0), let green = component(2), let blue = component(4) else { return nil }
        return (red, green, blue)
    }
}
