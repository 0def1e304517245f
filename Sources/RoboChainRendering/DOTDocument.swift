/// The value of a DOT attribute.
public enum DOTValue: Sendable, Hashable {
    /// Text, written as a quoted DOT string: `"` and `\` are escaped and a line break becomes
    /// `\n`, so any text round-trips through Graphviz's escString attributes (`tooltip`, `id`).
    case text(String)
    /// An HTML-like label, written between `<` and `>`. The markup must be well-formed; build it
    /// from ``HTMLText/escape(_:)``-escaped text so that no name can change its structure.
    case html(String)
    /// A number, written with at most two decimals (`0.5`, `2`, `1.25`).
    case number(Double)

    /// The value as DOT text.
    public var encoded: String {
        switch self {
        case .text(let text): DOTText.quoted(text)
        case .html(let markup): "<" + markup + ">"
        case .number(let number): "\"" + DOTText.number(number) + "\""
        }
    }
}

/// A DOT node statement: an id and its attributes.
public struct DOTNode: Sendable, Hashable {
    /// The node's DOT id (written quoted).
    public var id: String
    /// Its attributes, written sorted by name.
    public var attributes: [String: DOTValue]

    /// A node statement; without attributes it only names (or places) the node.
    public init(_ id: String, _ attributes: [String: DOTValue] = [:]) {
        self.id = id
        self.attributes = attributes
    }
}

/// A DOT edge statement, `from -> to`, with its attributes.
public struct DOTEdge: Sendable, Hashable {
    /// The tail node's id.
    public var from: String
    /// The head node's id (the arrow points at it).
    public var to: String
    /// Its attributes, written sorted by name.
    public var attributes: [String: DOTValue]

    /// An edge statement `from -> to`.
    public init(from: String, to: String, _ attributes: [String: DOTValue] = [:]) {
        self.from = from
        self.to = to
        self.attributes = attributes
    }
}

/// A subgraph: a cluster when its id starts with `cluster`, else a group (e.g. for `rank=same`).
public struct DOTSubgraph: Sendable, Hashable {
    /// The subgraph's id; Graphviz draws it as a cluster when it starts with `cluster`.
    public var id: String
    /// Graph attributes of the subgraph (`label`, `style`, `rank` …).
    public var attributes: [String: DOTValue]
    /// Its statements, written in this order.
    public var statements: [DOTStatement]

    /// A subgraph statement.
    public init(_ id: String, _ attributes: [String: DOTValue] = [:], statements: [DOTStatement] = []) {
        self.id = id
        self.attributes = attributes
        self.statements = statements
    }
}

/// One statement of a graph or subgraph body.
public indirect enum DOTStatement: Sendable, Hashable {
    /// A node and its attributes.
    case node(DOTNode)
    /// An edge and its attributes.
    case edge(DOTEdge)
    /// A subgraph or cluster with its own statements.
    case subgraph(DOTSubgraph)
}

/// A directed graph in the DOT language, written deterministically.
///
/// ``encoded()`` writes the statements in the order given and every attribute list sorted by
/// key, every id and value quoted, so equal graphs give byte-equal text and tests can compare
/// exact strings (like the DOT encoder of SwiftDocOrg/GraphViz).
public struct DOTGraph: Sendable, Hashable {
    /// The graph's id (written quoted; SVG output shows it as the title).
    public var id: String
    /// Graph attributes (`rankdir`, `label`, `bgcolor` …).
    public var attributes: [String: DOTValue]
    /// Attributes every node gets unless it sets them itself.
    public var nodeDefaults: [String: DOTValue]
    /// Attributes every edge gets unless it sets them itself.
    public var edgeDefaults: [String: DOTValue]
    /// The body's statements, written in this order.
    public var statements: [DOTStatement]

    /// A directed graph.
    public init(
        id: String, attributes: [String: DOTValue] = [:], nodeDefaults: [String: DOTValue] = [:],
        edgeDefaults: [String: DOTValue] = [:], statements: [DOTStatement] = []
    ) {
        self.id = id
        self.attributes = attributes
        self.nodeDefaults = nodeDefaults
        self.edgeDefaults = edgeDefaults
        self.statements = statements
    }

    /// The graph as DOT text: one statement per line, indented by two spaces per level,
    /// attributes sorted by key.
    ///
    /// - Complexity: O(n + a log a) for n statements and the longest attribute list a.
    public func encoded() -> String {
        var text = "digraph " + DOTText.quoted(id) + " {\n"
        Self.append(attributeStatement: "graph", attributes, indent: "  ", to: &text)
        Self.append(attributeStatement: "node", nodeDefaults, indent: "  ", to: &text)
        Self.append(attributeStatement: "edge", edgeDefaults, indent: "  ", to: &text)
        Self.append(statements, indent: "  ", to: &text)
        text += "}\n"
        return text
    }

    private static func append(_ statements: [DOTStatement], indent: String, to text: inout String) {
        for statement in statements {
            switch statement {
            case .node(let node):
                text += indent + DOTText.quoted(node.id) + attributeList(node.attributes) + ";\n"
            case .edge(let edge):
                text += indent + DOTText.quoted(edge.from) + " -> " + DOTText.quoted(edge.to) + attributeList(edge.attributes) + ";\n"
            case .subgraph(let subgraph):
                text += indent + "subgraph " + DOTText.quoted(subgraph.id) + " {\n"
                append(attributeStatement: "graph", subgraph.attributes, indent: indent + "  ", to: &text)
                append(subgraph.statements, indent: indent + "  ", to: &text)
                text += indent + "}\n"
            }
        }
    }

    private static func append(attributeStatement keyword: String, _ attributes: [String: DOTValue], indent: String, to text: inout String) {
        guard !attributes.isEmpty else { return }
        text += indent + keyword + attributeList(attributes) + ";\n"
    }

    /// An attribute name: bare when it is a plain identifier (all Graphviz's are), else quoted.
    private static func attributeKey(_ key: String) -> String {
        let bytes = Array(key.utf8)
        let plain = !bytes.isEmpty && !(bytes[0] >= 0x30 && bytes[0] <= 0x39) && bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
        }
        return plain ? key : DOTText.quoted(key)
    }

    private static func attributeList(_ attributes: [String: DOTValue]) -> String {
        guard !attributes.isEmpty else { return "" }
        let pairs = attributes.sorted { $0.key < $1.key }.map { attributeKey($0.key) + "=" + $0.value.encoded }
        return " [" + pairs.joined(separator: ", ") + "]"
    }
}

/// Escaping for DOT's quoted strings.
public enum DOTText {
    /// `text` as a quoted DOT string that comes out as `text` in the SVG of an escString
    /// attribute such as `tooltip`: `"` becomes `\"`, a line break (LF, CR or CRLF) becomes `\n`,
    /// other control characters become spaces, bidirectional overrides, embeddings and isolates
    /// are dropped (``HTMLText/isDirectionOverride(_:)``), and
    ///
    /// - `\` becomes `\\\\` (four): Graphviz 2.42 applies its escString substitution to a tooltip
    ///   twice on the way to SVG, each pass turning `\\` into `\` and `\N`, `\G`, `\E`, `\L` …
    ///   into names, so with fewer a name containing `\N` would show the node's name;
    /// - `&` becomes `&amp;`: Graphviz decodes entities in escString values and passes what looks
    ///   like an entity to SVG unescaped, so a literal `&lt;` in a name would otherwise show as `<`.
    ///
    /// Both were found by rendering every combination and reading the SVG back; the hostile-name
    /// tests check them. Ids and fixed attribute values never contain `\` or `&`.
    public static func quoted(_ text: String) -> String {
        var result = "\""
        result.reserveCapacity(text.utf8.count + 2)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": result += "\\\\\\\\"
            case "\"": result += "\\\""
            case "&": result += "&amp;"
            case _ where HTMLText.isDirectionOverride(scalar): break
            case "\n": if !previousWasCR { result += "\\n" }
            case "\r": result += "\\n"
            default:
                if HTMLText.isControl(scalar) {
                    result += " "
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// A number with at most two decimals and no trailing zeros: `2`, `0.5`, `1.25`.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let whole = magnitude / 100
        let fraction = magnitude % 100
        if fraction == 0 { return sign + "\(whole)" }
        if fraction % 10 == 0 { return sign + "\(whole).\(fraction / 10)" }
        return sign + "\(whole)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}

/// Escaping for the text inside Graphviz's HTML-like labels.
public enum HTMLText {
    /// `text` as character data of an HTML-like label: `&`, `<`, `>`, `"` and `'` become
    /// entities, a line break (LF, CR or CRLF) becomes `<BR/>`, a tab and the control characters
    /// that XML forbids become spaces — so no name can end the label, open a tag or break the
    /// SVG — and `\` is doubled: Graphviz reads `\N`, `\G`, `\E` and `\\` in the text of HTML-like
    /// labels as escapes (the node's name, the graph's name, …), even when written as `&#92;`.
    /// Bidirectional overrides, embeddings and isolates are dropped (``isDirectionOverride(_:)``).
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\\": result += "\\\\"
            case "\t": result += " "
            case _ where isDirectionOverride(scalar): break
            case "\n": if !previousWasCR { result += "<BR/>" }
            case "\r": result += "<BR/>"
            default:
                if isControl(scalar) {
                    result += " "
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// Whether a scalar is a bidirectional embedding, override or isolate (U+202A–U+202E,
    /// U+2066–U+2069): dropped from labels, where one could make a name read backwards (or hide
    /// what follows it) on the map. The marks (U+200E, U+200F) only guide and are kept.
    static func isDirectionOverride(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// Whether a scalar is a control character (C0 other than tab, DEL, C1) or a noncharacter
    /// that XML 1.0 does not allow in a document.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 { return value != 0x09 }
        if value >= 0x7F && value <= 0x9F { return true }
        return value == 0xFFFE || value == 0xFFFF
    }
}
