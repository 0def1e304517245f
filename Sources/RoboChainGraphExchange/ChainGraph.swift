import RoboChainAnalysis
import RoboChainModel

/// A typed attribute value of a node, an edge or the graph.
public enum GraphValue: Sendable, Equatable {
    case text(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)

    /// The value type, as both exchange formats name it in their own words.
    public var type: GraphValueType {
        switch self {
        case .text: .text
        case .integer: .integer
        case .number: .number
        case .boolean: .boolean
        }
    }
}

/// The type of an attribute: every value an attribute has in one graph is of one type.
public enum GraphValueType: Sendable, Equatable {
    case text, integer, number, boolean
}

/// Attributes in the order they were set; setting a name again replaces its value in place.
public struct GraphAttributes: Sendable, Equatable {
    /// The names and values, in order.
    public private(set) var entries: [(name: String, value: GraphValue)] = []

    /// No attributes.
    public init() {}

    /// The value of `name`, if set.
    public subscript(name: String) -> GraphValue? {
        get { entries.first { $0.name == name }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.name == name }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((name, newValue))
            }
        }
    }

    /// Whether both have the same names with the same values in the same order.
    public static func == (lhs: GraphAttributes, rhs: GraphAttributes) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

/// The chain as a plain attributed graph, for other tools (Gephi, Cytoscape, NetworkX, yEd):
/// components, firms and regions as nodes; `requires`, supply, location and region-parent links
/// as directed edges; names, segments, weights, shares and every analysis' annotations and
/// findings as attributes. ``graphML()`` and ``gexf()`` write it.
///
/// **Nodes.** Ids are the map's (`c.` + component id, `f.` + firm id) and `r.` + region id, so
/// the three kinds never collide and the ids match the SVG map's. Every node has `kind`
/// (`component`, `firm` or `region`) and `label` (its name); components have `segment`,
/// `segmentName`, `suppliers`, `localSuppliers` (within the scope) and, when they have a
/// supplier, `localShare` (the direct share D(c) of SPEC §2); firms have `region`,
/// `regionName`, `local` and `domestic`; regions `parent` (when they have one), `local` and
/// `domestic`; any element with a `source` or `note` has it.
///
/// **Edges.** `kind` is `requires` (from the part to the assembly that requires it, upstream to
/// downstream as on the map; `weight` is its share of the assembly's cost, SPEC §2, and
/// `weightGiven` says whether the model gave it), `supplies` (firm to component; `weight` is the
/// link's weight of SPEC §2, `share` and `product` when given), `located-in` (firm to region) or
/// `within` (region to its parent).
///
/// **Analyses.** Generic over their results, whatever analysis they come from: for each result,
/// in the order given, a component it annotates gets `NAME.fill`, `NAME.badge`, `NAME.tooltip`
/// and `NAME.border` (those it gives), and a component or firm a finding is about gets
/// `NAME.kind`, `NAME.severity` and `NAME.message` (several findings about one subject are
/// joined: kinds and severities with ` · `, messages by line). Colours that are not `#rrggbb`
/// and annotations of components the model does not have are left out, as on the map. The
/// merged fill (the last analysis' wins) also colours the node in GEXF (`viz:color`).
///
/// The same model, results and scope give the same graph, in model order.
public struct ChainGraph: Sendable, Equatable {
    /// A node: an id unique in the graph, and its attributes.
    public struct Node: Sendable, Equatable {
        /// The node's id: `c.`, `f.` or `r.` and the element's id.
        public var id: String
        /// The node's attributes.
        public var attributes: GraphAttributes
        /// The fill colour (`#rrggbb`) the analyses gave, for formats that draw nodes.
        public var colour: String?
    }

    /// A directed edge between two node ids.
    public struct Edge: Sendable, Equatable {
        /// The id of the node the edge leaves.
        public var source: String
        /// The id of the node the edge enters.
        public var target: String
        /// The edge's attributes, `kind` among them.
        public var attributes: GraphAttributes
    }

    /// The graph's own attributes: `model`, `title`, `scope`, `scopeName`, `analyses`.
    public var attributes: GraphAttributes
    /// Components, then firms, then regions, in model order.
    public var nodes: [Node]
    /// The edges: requires, then supplies, located-in and within, in model order.
    public var edges: [Edge]

    /// Builds the graph of a model.
    ///
    /// - Parameters:
    ///   - model: The model (with any scenario already applied).
    ///   - results: The results of the analyses that ran, in the order asked for.
    ///   - scope: The scope, a region index: firms within it are local.
    ///   - measures: The measures the analyses computed, if any (`nil`: computed here).
    /// - Complexity: O(regions × depth + components + edges + links + F + A log A) for F
    ///   findings and A annotations (sorted by component id, so that the output is stable).
    public init(model: ChainModel, results: [AnalysisResult] = [], scope: Int, measures: SharedMeasures? = nil) {
        let measures = measures ?? SharedMeasures(model: model, scope: scope)
        precondition(measures.scope == scope, "the shared measures are of another scope")
        let supply = measures.localSupply
        let cost = measures.costStructure
        let components = model.components, firms = model.firms, regions = model.regions, supplies = model.supplies

        var graph = GraphAttributes()
        if let id = model.id { graph["model"] = .text(id) }
        if let title = model.title { graph["title"] = .text(title) }
        graph["scope"] = .text(regions.ids[scope])
        graph["scopeName"] = .text(regions.names[scope])
        if !results.isEmpty { graph["analyses"] = .text(results.map(\.analysis).joined(separator: ", ")) }
        attributes = graph

        func describe(_ attributes: inout GraphAttributes, source: String?, note: String?) {
            if let source { attributes["source"] = .text(source) }
            if let note { attributes["note"] = .text(note) }
        }

        var componentNodes: [Node] = []
        componentNodes.reserveCapacity(components.count)
        for component in 0..<components.count {
            var node = GraphAttributes()
            node["kind"] = .text("component")
            node["label"] = .text(components.names[component])
            let segment = components.segment(of: component)
            node["segment"] = .text(model.segments.ids[segment])
            node["segmentName"] = .text(model.segments.names[segment])
            node["suppliers"] = .integer(supplies.supplierCount(of: component))
            node["localSuppliers"] = .integer(Int(supply.localSuppliers[component]))
            if let share = supply.direct(component) { node["localShare"] = .number(share) }
            describe(&node, source: components.sources[component], note: components.notes[component])
            componentNodes.append(Node(id: Self.componentID(components.ids[component]), attributes: node))
        }
        var firmNodes: [Node] = []
        firmNodes.reserveCapacity(firms.count)
        for firm in 0..<firms.count {
            let region = firms.region(of: firm)
            var node = GraphAttributes()
            node["kind"] = .text("firm")
            node["label"] = .text(firms.names[firm])
            node["region"] = .text(regions.ids[region])
            node["regionName"] = .text(regions.names[region])
            node["local"] = .boolean(supply.regionIsLocal[region])
            node["domestic"] = .boolean(supply.regionIsDomestic[region])
            describe(&node, source: firms.sources[firm], note: firms.notes[firm])
            firmNodes.append(Node(id: Self.firmID(firms.ids[firm]), attributes: node))
        }
        var regionNodes: [Node] = []
        for region in 0..<regions.count {
            var node = GraphAttributes()
            node["kind"] = .text("region")
            node["label"] = .text(regions.names[region])
            if let parent = regions.parent(of: region) { node["parent"] = .text(regions.ids[parent]) }
            node["local"] = .boolean(supply.regionIsLocal[region])
            node["domestic"] = .boolean(supply.regionIsDomestic[region])
            describe(&node, source: regions.sources[region], note: regions.notes[region])
            regionNodes.append(Node(id: Self.regionID(regions.ids[region]), attributes: node))
        }

        Self.applyResults(results, model: model, components: &componentNodes, firms: &firmNodes)
        nodes = componentNodes + firmNodes + regionNodes

        var edges: [Edge] = []
        edges.reserveCapacity(components.requirementCount + 2 * supplies.count + regions.count)
        for parent in 0..<components.count {
            for edge in components.requirements(of: parent) {
                var attributes = GraphAttributes()
                attributes["kind"] = .text("requires")
                attributes["weight"] = .number(cost.edgeWeight[edge])
                attributes["weightGiven"] = .boolean(components.weight(ofRequirement: edge) != nil)
                describe(&attributes, source: components.requirementSources[edge], note: components.requirementNotes[edge])
                edges.append(Edge(
                    source: Self.componentID(components.ids[components.child(ofRequirement: edge)]),
                    target: Self.componentID(components.ids[parent]), attributes: attributes))
            }
        }
        let linkWeights = Self.linkWeights(model)
        for link in 0..<supplies.count {
            var attributes = GraphAttributes()
            attributes["kind"] = .text("supplies")
            attributes["weight"] = .number(linkWeights[link])
            if let share = supplies.share(of: link) { attributes["share"] = .number(share) }
            if let product = supplies.products[link] { attributes["product"] = .text(product) }
            describe(&attributes, source: supplies.sources[link], note: supplies.notes[link])
            edges.append(Edge(
                source: Self.firmID(firms.ids[supplies.firm(of: link)]),
                target: Self.componentID(components.ids[supplies.component(of: link)]), attributes: attributes))
        }
        for firm in 0..<firms.count {
            var attributes = GraphAttributes()
            attributes["kind"] = .text("located-in")
            edges.append(Edge(source: Self.firmID(firms.ids[firm]), target: Self.regionID(regions.ids[firms.region(of: firm)]), attributes: attributes))
        }
        for region in 0..<regions.count {
            guard let parent = regions.parent(of: region) else { continue }
            var attributes = GraphAttributes()
            attributes["kind"] = .text("within")
            edges.append(Edge(source: Self.regionID(regions.ids[region]), target: Self.regionID(regions.ids[parent]), attributes: attributes))
        }
        self.edges = edges
    }

    /// The node id of a component (the same as on the SVG map).
    public static func componentID(_ id: String) -> String { "c." + id }
    /// The node id of a firm (the same as on the SVG map).
    public static func firmID(_ id: String) -> String { "f." + id }
    /// The node id of a region.
    public static func regionID(_ id: String) -> String { "r." + id }

    /// The weight of each supply link (SPEC §2): 1 when no link of its component has a share;
    /// else its share, or an equal part of what the given shares leave.
    static func linkWeights(_ model: ChainModel) -> [Double] {
        let supplies = model.supplies
        var weights = [Double](repeating: 1, count: supplies.count)
        for component in 0..<model.components.count {
            let links = supplies.links(supplying: component)
            var given = 0.0, missing = 0
            for link in links {
                if let share = supplies.share(of: Int(link)) { given += share } else { missing += 1 }
            }
            guard missing < links.count else { continue }
            let rest = missing == 0 ? 0 : max(0, 1 - given) / Double(missing)
            for link in links { weights[Int(link)] = supplies.share(of: Int(link)) ?? rest }
        }
        return weights
    }

    /// Adds each result's annotations and findings as `NAME.member` attributes.
    private static func applyResults(_ results: [AnalysisResult], model: ChainModel, components: inout [Node], firms: inout [Node]) {
        func add(_ value: String, _ name: String, to attributes: inout GraphAttributes, separator: String) {
            if case .text(let old)? = attributes[name] {
                attributes[name] = .text(old + separator + value)
            } else {
                attributes[name] = .text(value)
            }
        }
        for result in results {
            let prefix = result.analysis + "."
            for (id, annotation) in (result.annotations ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let component = model.components.index(of: id) else { continue }
                if let fill = annotation.fill, Annotation.isColour(fill) {
                    components[component].attributes[prefix + "fill"] = .text(fill)
                    components[component].colour = fill
                }
                if let badge = annotation.badge, !badge.isEmpty { components[component].attributes[prefix + "badge"] = .text(badge) }
                if let tooltip = annotation.tooltip, !tooltip.isEmpty {
                    components[component].attributes[prefix + "tooltip"] = .text(tooltip)
                }
                if let border = annotation.border, Annotation.isColour(border) {
                    components[component].attributes[prefix + "border"] = .text(border)
                }
            }
            for finding in result.findings ?? [] {
                func apply(to attributes: inout GraphAttributes) {
                    add(finding.kind, prefix + "kind", to: &attributes, separator: " · ")
                    add(finding.severity.rawValue, prefix + "severity", to: &attributes, separator: " · ")
                    add(finding.message, prefix + "message", to: &attributes, separator: "\n")
                }
                if let id = finding.component, let component = model.components.index(of: id) {
                    apply(to: &components[component].attributes)
                } else if let id = finding.firm, let firm = model.firms.index(of: id) {
                    apply(to: &firms[firm].attributes)
                }
            }
        }
    }

    /// The attribute names and types of one kind of element, in first-seen order. An attribute
    /// whose values are of several types is text (each value written as text).
    static func declarations(_ all: [GraphAttributes]) -> [(name: String, type: GraphValueType)] {
        var order: [String] = []
        var types: [String: GraphValueType] = [:]
        for attributes in all {
            for (name, value) in attributes.entries {
                if let known = types[name] {
                    if known != value.type { types[name] = .text }
                } else {
                    types[name] = value.type
                    order.append(name)
                }
            }
        }
        return order.map { ($0, types[$0]!) }
    }
}
