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

/// The direction of the chain map: where parts are and where the products they go into are.
public enum MapDirection: String, Sendable, CaseIterable {
    /// Top to bottom: parts at the top, whole products at the bottom (Graphviz `rankdir=TB`).
    case TB
    /// Left to right: parts on the left, whole products on the right (Graphviz `rankdir=LR`).
    case LR
}

/// A page the map is made to fit, for slides and print.
///
/// On a page the map is scaled down to the page if it is larger (Graphviz `size`), PNG is drawn
/// at 144 dpi, and the map is made to fit at a legible size rather than shrunk: firm names
/// move from the nodes to their tooltips (the report lists them), component names wrap
/// narrower, the legend is laid out in columns, and the parts that require nothing are
/// staggered over several ranks (as Graphviz's `unflatten -l` does) so that no rank is wider
/// than the page. A map that still does not fit with text of at least
/// ``minimumTextPoints`` points is split into pages by ``ChainMapPages``.
public enum MapPage: String, Sendable, CaseIterable {
    /// A 16:9 slide, 13.333 × 7.5 inches (PowerPoint's and Keynote's widescreen size).
    case widescreen = "16:9"
    /// A4 portrait, 210 × 297 mm.
    case a4
    /// A4 landscape, 297 × 210 mm.
    case a4Landscape = "a4-landscape"

    /// The width and height in inches.
    public var inches: (width: Double, height: Double) {
        switch self {
        case .widescreen: (13.333, 7.5)
        case .a4: (8.27, 11.69)
        case .a4Landscape: (11.69, 8.27)
        }
    }
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

    /// The title drawn at the top (`nil`: the model's title, else its id).
    public var title: String?
    /// The direction of the map.
    public var direction: MapDirection = .TB
    /// The page to fit (`nil`: the map's natural size).
    public var page: MapPage?
    /// The one component drawn with everything it requires, directly or not (`nil`: the whole
    /// chain): a component index.
    public var root: Int?

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
