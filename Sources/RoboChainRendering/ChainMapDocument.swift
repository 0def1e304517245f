import RoboChainAnalysis
import RoboChainModel

/// The chain map of a model as a deterministic DOT document.
///
/// Layout (Graphviz `dot`, top to bottom: parts above the assemblies that require them): one
/// cluster per segment, written in display order (`dot` keeps that order unless moving a
/// cluster removes crossings; it offers no way to pin it), each component in its segment's
/// cluster in model order, and an arrow from each part to the assembly that requires it —
/// upstream to downstream — as thick as the part's share of the assembly's cost (SPEC §2 edge
/// weights). Each node shows the component's name; with analyses, or with firms shown, the
/// number of its suppliers within the scope and in all; with ``FirmDisplay/top`` the first local
/// suppliers' names; with ``FirmDisplay/all`` a node per firm in a cluster per region. Analyses'
/// annotations (SPEC §5) fill, border and badge the nodes; their legends make up the legend,
/// which is drawn beside the title. Above ``ChainMapOptions/maxNodes`` the map is simplified as
/// ``MapPlan`` says.
///
/// The text is the same for the same model, results and options: statements follow segment
/// display order and model order, and attributes are sorted (see ``DOTGraph/encoded()``). Every
/// name is escaped (``HTMLText``, ``DOTText``), so no name can break the DOT or the SVG.
public struct ChainMapDocument: Sendable {
    /// The graph.
    public let graph: DOTGraph
    /// The DOT text of ``graph``.
    public let text: String
    /// What the map draws: everything, or a simplification.
    public let plan: MapPlan
    /// Sentences saying how the map was simplified (empty for a detailed map).
    public let notes: [String]
    /// Sentences saying which annotations were left out and why.
    public let warnings: [String]
    /// Whether some text on the map needs a CJK font.
    public let needsCJKFont: Bool

    /// The number of nodes drawn: components (or groups of them) and firms, not the legend.
    public let nodeCount: Int

    /// Builds the map.
    ///
    /// - Parameters:
    ///   - model: The model.
    ///   - results: The results of the analyses that ran, in the order they were asked for; their
    ///     annotations and legends are applied (an empty list: a plain map).
    ///   - options: The scope, the firm display and the node limit.
    ///   - measures: The supply and cost measures of the model and scope, when the analyses that
    ///     ran already computed them (`nil`: computed here).
    /// - Complexity: O(components + edges + regions log regions + L log L) for a detailed map,
    ///   where L is the largest number of supply links of one component (local suppliers are
    ///   sorted by share); see ``MapAggregation`` for an aggregated one.
    public init(model: ChainModel, results: [AnalysisResult] = [], options: ChainMapOptions, measures: SharedMeasures? = nil) {
        let measures = measures ?? SharedMeasures(model: model, scope: options.scope)
        precondition(measures.scope == options.scope, "the shared measures are of another scope")
        let plan = MapPlan.choose(for: model, options: options)
        let annotations = MapAnnotations(results: results, model: model)
        let builder = MapBuilder(model: model, options: options, annotations: annotations, analysesRan: !results.isEmpty,
            supply: measures.localSupply, cost: measures.costStructure)
        let graph: DOTGraph
        switch plan {
        case .detailed(let firms):
            graph = builder.detailedGraph(firms: firms)
            nodeCount = model.components.count + (firms == .all ? MapPlan.suppliers(in: model) : 0)
        case .withoutFirmNodes:
            graph = builder.detailedGraph(firms: .top)
            nodeCount = model.components.count
        case .aggregated(let aggregation):
            graph = builder.aggregatedGraph(aggregation)
            nodeCount = aggregation.groups.count
        }
        self.graph = graph
        self.plan = plan
        text = graph.encoded()
        notes = plan.note(for: model, options: options).map { [$0] } ?? []
        warnings = annotations.warnings
        needsCJKFont = LabelText.containsCJK(text)
    }
}

/// Builds the statements of a chain map.
struct MapBuilder {
    let model: ChainModel
    let options: ChainMapOptions
    let annotations: MapAnnotations
    let analysesRan: Bool
    let supply: LocalSupply
    let cost: CostStructure

    /// Font families, first found wins: CJK fonts on Linux, Windows and macOS, then any sans.
    static let fontName = "Noto Sans CJK SC,WenQuanYi Micro Hei,Microsoft YaHei,PingFang SC,sans-serif"
    static let nameWidth = 24
    /// The most lines a node's name takes (the tooltip has it whole).
    static let nameLines = 4
    static let firmLineWidth = 30
    static let defaultFill = "#ffffff"
    static let defaultBorder = "#666666"
    static let firmEdgeColour = "#9e9e9e"

    // MARK: - Common parts

    /// The graph with its attributes and its label: the title, the scope and the analyses on
    /// the left, the legend on the right (in the label, so that layout never moves it).
    func baseGraph(subtitle: String?, legend: String) -> DOTGraph {
        var title = "<FONT POINT-SIZE=\"22\"><B>" + LabelText.htmlLines(model.title ?? model.id ?? "Chain map", width: 60) + "</B></FONT>"
        var lines = ["Scope: " + Wording.region(options.scope, in: model)]
        let ran = annotations.legends.map(\.analysis)
        if !ran.isEmpty { lines.append("Analyses: " + ran.joined(separator: ", ")) }
        if let scenario = annotations.scenario { lines.append("Scenario: " + scenario.joined(separator: ", ")) }
        if let subtitle { lines.append(subtitle) }
        title += "<BR/><FONT POINT-SIZE=\"13\">" + lines.map { LabelText.htmlLines($0, width: 90) }.joined(separator: "<BR/>") + "</FONT>"
        let label = "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"0\"><TR>"
            + "<TD ALIGN=\"LEFT\" BALIGN=\"LEFT\" VALIGN=\"TOP\">" + title + "</TD>"
            + "<TD WIDTH=\"48\"></TD><TD ALIGN=\"LEFT\" VALIGN=\"TOP\">" + legend + "</TD></TR></TABLE>"
        return DOTGraph(
            id: model.id ?? "chain",
            attributes: [
                "bgcolor": .text("#ffffff"),
                "fontname": .text(Self.fontName),
                "fontsize": .number(12),
                "label": .html(label),
                "labeljust": .text("l"),
                "labelloc": .text("t"),
                "margin": .number(0),
                "newrank": .text("true"),
                "nodesep": .number(0.18),
                "outputorder": .text("edgesfirst"),
                "pad": .number(0.3),
                "rankdir": .text("TB"),
                "ranksep": .number(0.7),
            ],
            nodeDefaults: [
                "color": .text(Self.defaultBorder),
                "fillcolor": .text(Self.defaultFill),
                "fontname": .text(Self.fontName),
                "fontsize": .number(11),
                "margin": .text("0.12,0.06"),
                "penwidth": .number(1),
                "shape": .text("box"),
                "style": .text("rounded,filled"),
            ],
            edgeDefaults: [
                "arrowsize": .number(0.7),
                "color": .text("#4d4d4d"),
                "fontname": .text(Self.fontName),
            ])
    }

    func segmentCluster(_ segment: Int, statements: [DOTStatement]) -> DOTSubgraph {
        DOTSubgraph(
            "cluster_" + model.segments.ids[segment],
            [
                "color": .text("#bdbdbd"),
                "fillcolor": .text("#f5f5f5"),
                "fontsize": .number(15),
                "label": .html("<B>" + HTMLText.escape(model.segments.names[segment]) + "</B>"),
                "labeljust": .text("l"),
                "style": .text("rounded,filled"),
                "tooltip": .text(Wording.label(name: model.segments.names[segment], id: model.segments.ids[segment])),
            ],
            statements: statements)
    }

    /// The fill, font colour and border attributes of an annotated node.
    func colourAttributes(fill: String?, border: String?) -> [String: DOTValue] {
        var attributes: [String: DOTValue] = [:]
        if let fill {
            attributes["fillcolor"] = .text(fill)
            attributes["fontcolor"] = .text(LabelText.textColour(on: fill))
        }
        if let border {
            attributes["color"] = .text(border)
            attributes["penwidth"] = .number(3.5)
        }
        return attributes
    }

    var showsSupplyCounts: Bool { options.firms != .none || analysesRan }

    func supplyCountText(local: Int, suppliers: Int) -> String {
        suppliers == 0 ? "no supplier in the model" : "\(local) local / \(Wording.count(suppliers, "supplier"))"
    }

    // MARK: - Detailed map

    func detailedGraph(firms: FirmDisplay) -> DOTGraph {
        var graph = baseGraph(subtitle: nil, legend: legend(firmEdges: firms == .all, aggregated: false))
        let components = model.components
        var bySegment = [[Int]](repeating: [], count: model.segments.count)
        for component in 0..<components.count { bySegment[components.segment(of: component)].append(component) }
        for segment in model.segments.displayOrder where !bySegment[segment].isEmpty {
            let nodes = bySegment[segment].map { DOTStatement.node(componentNode($0, firms: firms)) }
            graph.statements.append(.subgraph(segmentCluster(segment, statements: nodes)))
        }
        if firms == .all { graph.statements += firmClusters() }
        for parent in 0..<components.count {
            for edge in components.requirements(of: parent) {
                graph.statements.append(.edge(requirementEdge(edge, parent: parent)))
            }
        }
        if firms == .all { graph.statements += supplyEdges() }
        return graph
    }

    func componentID(_ component: Int) -> String { "c." + model.components.ids[component] }

    func componentNode(_ component: Int, firms: FirmDisplay) -> DOTNode {
        let components = model.components
        let annotation = annotations.byComponent[component]
        var label = "<B>" + LabelText.htmlLines(components.names[component], width: Self.nameWidth, maxLines: Self.nameLines) + "</B>"
        if let badge = annotation?.badge, !badge.isEmpty {
            label += "<BR/><FONT POINT-SIZE=\"12\"><B>" + LabelText.htmlLines(badge, width: Self.firmLineWidth) + "</B></FONT>"
        }
        let suppliers = model.supplies.supplierCount(of: component)
        let local = Int(supply.localSuppliers[component])
        if showsSupplyCounts {
            label += "<BR/><FONT POINT-SIZE=\"9\">" + HTMLText.escape(supplyCountText(local: local, suppliers: suppliers)) + "</FONT>"
        }
        let localFirms = firms == .none ? [] : localSuppliers(of: component)
        if firms == .top && !localFirms.isEmpty && options.topFirms > 0 {
            let shown = localFirms.prefix(options.topFirms).map { LabelText.truncate(model.firms.names[$0], width: 26) }
            var line = shown.joined(separator: ", ")
            if localFirms.count > shown.count { line += " +\(localFirms.count - shown.count) more" }
            label += "<BR/><FONT POINT-SIZE=\"9\">" + LabelText.htmlLines(line, width: Self.firmLineWidth) + "</FONT>"
        }
        var tooltip = [Wording.component(component, in: model), "segment: " + model.segments.names[components.segment(of: component)]]
        if let text = annotation?.tooltip, !text.isEmpty { tooltip.append(text) }
        if firms != .none && !localFirms.isEmpty {
            tooltip.append("suppliers in " + model.regions.names[options.scope] + ": "
                + Wording.list(localFirms.lazy.map { model.firms.names[$0] }, first: 12))
        }
        var attributes: [String: DOTValue] = [
            "id": .text(componentID(component)),
            "label": .html(label),
            "tooltip": .text(tooltip.joined(separator: "\n")),
        ]
        attributes.merge(colourAttributes(fill: annotation?.fill, border: annotation?.border)) { _, new in new }
        return DOTNode(componentID(component), attributes)
    }

    /// The suppliers of a component within the scope: by share descending (absent = 0), then in
    /// link order.
    func localSuppliers(of component: Int) -> [Int] {
        var local: [(firm: Int, share: Double, position: Int)] = []
        for (position, link) in model.supplies.links(supplying: component).enumerated() {
            let firm = model.supplies.firm(of: Int(link))
            if supply.isLocal(firm: firm, in: model) {
                local.append((firm, model.supplies.share(of: Int(link)) ?? 0, position))
            }
        }
        local.sort { $0.share != $1.share ? $0.share > $1.share : $0.position < $1.position }
        return local.map(\.firm)
    }

    func requirementEdge(_ edge: Int, parent: Int) -> DOTEdge {
        let child = model.components.child(ofRequirement: edge)
        let weight = cost.edgeWeight[edge]
        let given = model.components.weight(ofRequirement: edge) != nil
        let tooltip = model.components.names[child] + " → " + model.components.names[parent] + ": "
            + Wording.percent(weight) + " of its cost" + (given ? "" : " (weight not given: an equal part of what the given weights leave)")
        return DOTEdge(
            from: componentID(child), to: componentID(parent),
            [
                "penwidth": .number(0.6 + 4.4 * min(max(weight, 0), 1)),
                "tooltip": .text(tooltip),
            ])
    }

    /// Firm nodes in one cluster per region: regions within the scope first, then those within
    /// the country, then the rest, each in model order; firms in model order.
    func firmClusters() -> [DOTStatement] {
        let regions = model.regions
        var byRegion = [[Int]](repeating: [], count: regions.count)
        for firm in 0..<model.firms.count where !model.firms.links(of: firm).isEmpty {
            byRegion[model.firms.region(of: firm)].append(firm)
        }
        func tier(_ region: Int) -> Int { supply.regionIsLocal[region] ? 0 : (supply.regionIsDomestic[region] ? 1 : 2) }
        let order = (0..<regions.count).filter { !byRegion[$0].isEmpty }.sorted {
            tier($0) != tier($1) ? tier($0) < tier($1) : $0 < $1
        }
        return order.map { region in
            let local = supply.regionIsLocal[region]
            let nodes = byRegion[region].map { firm in
                let products = model.firms.links(of: firm).map { model.components.names[model.supplies.component(of: $0)] }
                return DOTStatement.node(DOTNode("f." + model.firms.ids[firm], [
                    "fillcolor": .text(local ? "#ffffff" : "#e8e8e8"),
                    "fontsize": .number(9),
                    "id": .text("f." + model.firms.ids[firm]),
                    "label": .html(LabelText.htmlLines(model.firms.names[firm], width: Self.nameWidth, maxLines: Self.nameLines)),
                    "style": .text("filled"),
                    "tooltip": .text(Wording.label(name: model.firms.names[firm], id: model.firms.ids[firm]) + "\nregion: "
                        + Wording.region(region, in: model) + "\nsupplies: " + products.joined(separator: ", ")),
                ]))
            }
            return .subgraph(DOTSubgraph(
                "cluster_region_" + regions.ids[region],
                [
                    "color": .text(local ? "#4d4d4d" : "#bdbdbd"),
                    "fontsize": .number(11),
                    "label": .html(HTMLText.escape(regions.names[region])),
                    "style": .text(local ? "rounded" : "rounded,dashed"),
                    "tooltip": .text(Wording.region(region, in: model)),
                ],
                statements: nodes))
        }
    }

    func supplyEdges() -> [DOTStatement] {
        (0..<model.supplies.count).map { link in
            let firm = model.supplies.firm(of: link)
            let component = model.supplies.component(of: link)
            var tooltip = model.firms.names[firm] + " supplies " + model.components.names[component]
            if let share = model.supplies.share(of: link) { tooltip += " (share \(Wording.percent(share)))" }
            return .edge(DOTEdge(
                from: "f." + model.firms.ids[firm], to: componentID(component),
                [
                    "arrowsize": .number(0.5),
                    "color": .text(Self.firmEdgeColour),
                    "penwidth": .number(0.7),
                    "style": .text("dashed"),
                    "tooltip": .text(tooltip),
                ]))
        }
    }

    // MARK: - Aggregated map

    func aggregatedGraph(_ aggregation: MapAggregation) -> DOTGraph {
        var graph = baseGraph(
            subtitle: "Aggregated: \(model.components.count) components drawn as \(aggregation.groups.count) groups (segment × level)",
            legend: legend(firmEdges: false, aggregated: true))
        var groupsBySegment = [[Int]](repeating: [], count: model.segments.count)
        for (index, group) in aggregation.groups.enumerated() { groupsBySegment[group.segment].append(index) }
        for segment in model.segments.displayOrder where !groupsBySegment[segment].isEmpty {
            let nodes = groupsBySegment[segment].map { DOTStatement.node(groupNode($0, aggregation)) }
            graph.statements.append(.subgraph(segmentCluster(segment, statements: nodes)))
        }
        for link in aggregation.links {
            graph.statements.append(.edge(DOTEdge(
                from: groupID(link.from, aggregation), to: groupID(link.to, aggregation),
                [
                    "penwidth": .number(min(6, 0.8 + log2(Double(link.count)))),
                    "tooltip": .text(Wording.count(link.count, "requires edge")),
                ])))
        }
        return graph
    }

    func groupID(_ index: Int, _ aggregation: MapAggregation) -> String {
        let group = aggregation.groups[index]
        let levels = group.levels.count == 1 ? "\(group.levels.lowerBound)" : "\(group.levels.lowerBound)-\(group.levels.upperBound)"
        return "g." + model.segments.ids[group.segment] + "." + levels
    }

    func groupNode(_ index: Int, _ aggregation: MapAggregation) -> DOTNode {
        let group = aggregation.groups[index]
        let levels = group.levels.count == 1 ? "level \(group.levels.lowerBound)" : "levels \(group.levels.lowerBound)–\(group.levels.upperBound)"
        var label = "<B>" + HTMLText.escape(Wording.count(group.members.count, "component")) + "</B><BR/>" + HTMLText.escape(levels)
        if showsSupplyCounts {
            let withLocal = group.members.filter { supply.localSuppliers[$0] > 0 }.count
            let shares = group.members.compactMap { supply.direct($0) }
            let mean = shares.isEmpty ? nil : shares.reduce(0, +) / Double(shares.count)
            label += "<BR/><FONT POINT-SIZE=\"9\">" + HTMLText.escape("\(withLocal) with a local supplier · mean local share \(Wording.percent(mean))") + "</FONT>"
        }
        var badgeCounts: [String] = []
        var border: String?
        for (badge, badgeBorder) in annotations.legendBadges {
            let count = group.members.filter { member in
                guard let text = annotations.byComponent[member]?.badge else { return false }
                return text.split(separator: " · ").contains { $0 == badge }
            }.count
            guard count > 0 else { continue }
            badgeCounts.append("\(badge) \(count)")
            if border == nil { border = badgeBorder }
        }
        if !badgeCounts.isEmpty {
            label += "<BR/><FONT POINT-SIZE=\"11\"><B>" + LabelText.htmlLines(badgeCounts.joined(separator: " · "), width: Self.firmLineWidth) + "</B></FONT>"
        }
        let tooltip = "\(model.segments.names[group.segment]), \(levels): "
            + Wording.list(group.members.lazy.map { model.components.names[$0] }, first: 20)
        var attributes: [String: DOTValue] = [
            "id": .text(groupID(index, aggregation)),
            "label": .html(label),
            "tooltip": .text(tooltip),
        ]
        attributes.merge(colourAttributes(fill: nil, border: border)) { _, new in new }
        return DOTNode(groupID(index, aggregation), attributes)
    }

    // MARK: - Legend

    /// The legend: an HTML-like table explaining arrows, counts and every analysis' colours and badges.
    func legend(firmEdges: Bool, aggregated: Bool) -> String {
        var rows = ["<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><FONT POINT-SIZE=\"13\"><B>Legend</B></FONT></TD></TR>"]
        func row(_ swatch: String, _ text: String) -> String {
            "<TR>" + swatch + "<TD ALIGN=\"LEFT\" BALIGN=\"LEFT\">" + LabelText.htmlLines(text, width: 60) + "</TD></TR>"
        }
        func heading(_ text: String) -> String {
            "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><B>" + HTMLText.escape(text) + "</B></TD></TR>"
        }
        let arrowCell = "<TD WIDTH=\"44\"><B>→</B></TD>"
        if aggregated {
            rows.append(row(arrowCell, "parts in one group → assemblies in another; thicker = more requires edges; "
                + "at most the \(MapAggregation.linksPerGroup) heaviest links into each group"))
            rows.append(row("<TD WIDTH=\"44\">n</TD>", "badge n: how many components of the group carry that badge"))
        } else {
            rows.append(row(arrowCell, "a part → the assembly that requires it; thicker = larger share of its cost"))
            if showsSupplyCounts {
                rows.append(row("<TD WIDTH=\"44\">a / b</TD>", "a local / b suppliers: a of the component's b suppliers are in " + model.regions.names[options.scope]))
            }
        }
        if firmEdges {
            rows.append(row("<TD WIDTH=\"44\"><FONT COLOR=\"\(Self.firmEdgeColour)\">- - →</FONT></TD>", "a firm supplies a component; firms grouped by region"))
        }
        for legend in annotations.legends {
            guard let entries = legend.entries, !entries.isEmpty else {
                if legend.annotates { rows.append(heading(legend.analysis + " (gave no legend)")) }
                continue
            }
            rows.append(heading(legend.analysis))
            for entry in entries {
                var cell = "<TD WIDTH=\"44\""
                if let fill = entry.fill { cell += " BGCOLOR=\"\(fill)\"" }
                if let border = entry.border { cell += " BORDER=\"3\" COLOR=\"\(border)\"" }
                cell += ">"
                if let badge = entry.badge {
                    let colour = LabelText.textColour(on: entry.fill)
                    cell += "<FONT COLOR=\"\(colour)\"><B>" + HTMLText.escape(LabelText.truncate(badge, width: 12)) + "</B></FONT>"
                }
                cell += "</TD>"
                rows.append(row(cell, entry.label))
            }
        }
        return "<TABLE BORDER=\"1\" COLOR=\"#9e9e9e\" CELLBORDER=\"0\" CELLSPACING=\"3\" CELLPADDING=\"3\" BGCOLOR=\"#ffffff\">"
            + rows.joined() + "</TABLE>"
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
