/// The output formats of the chain map; raw values are Graphviz's format names.
public enum MapFormat: String, Sendable, CaseIterable {
    /// Scalable vector graphics, with tooltips (Graphviz's core SVG renderer).
    case svg
    /// A bitmap at 96 dpi (Graphviz's cairo renderer).
    case png
    /// A vector document (Graphviz's cairo renderer).
    case pdf
    /// The DOT document itself, not laid out.
    case dot

    /// The format a file name's extension names (`.svg`, `.png`, `.pdf`, `.dot` or `.gv`), if any.
    public init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: "."), !fileName[dot...].contains("/") else { return nil }
        let suffix = fileName[fileName.index(after: dot)...].lowercased()
        if suffix == "gv" {
            self = .dot
        } else {
            self.init(rawValue: suffix)
        }
    }

    /// Whether glyphs are drawn by Graphviz (and so need a font for every script on the map).
    public var drawsGlyphs: Bool { self == .png || self == .pdf }
}

/// How firms appear on the chain map.
public enum FirmDisplay: String, Sendable, CaseIterable {
    /// No firm information.
    case none
    /// The number of suppliers in the scope and in all, in each component's node.
    case count
    /// The counts and the names of the first few suppliers in the scope, with "+N more".
    case top
    /// A node per firm, grouped by region, with an edge to each component it supplies.
    case all
}

/// What the chain map shows.
public struct ChainMapOptions: Sendable, Equatable {
    /// The scope: a region index; firms within it are local.
    public var scope: Int
    /// How firms appear.
    public var firms: FirmDisplay
    /// How many local suppliers `top` names in a node.
    public var topFirms: Int
    /// Above this many nodes the map is simplified (see ``MapPlan``).
    public var maxNodes: Int

    /// The default node limit: `dot` lays out 2,000 nodes in seconds; at 5,000 it takes
    /// about 13 s and at 10,000 more than two minutes.
    public static let defaultMaxNodes = 2000

    /// - Parameters:
    ///   - scope: The scope, a region index.
    ///   - firms: How firms appear (default `top`).
    ///   - topFirms: How many local suppliers `top` names (default 3).
    ///   - maxNodes: The node limit (default ``defaultMaxNodes``); at least 1.
    public init(scope: Int, firms: FirmDisplay = .top, topFirms: Int = 3, maxNodes: Int = ChainMapOptions.defaultMaxNodes) {
        self.scope = scope
        self.firms = firms
        self.topFirms = max(0, topFirms)
        self.maxNodes = max(1, maxNodes)
    }
}
