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
/// which is drawn beside the title. Above ``ChainMapOptions/maxNodes``, or when one rank would
/// hold too many components to read, the map is simplified as ``MapPlan`` says. With
/// ``ChainMapOptions/root`` only that component and what it requires are drawn; with
/// ``ChainMapOptions/page`` the map is made to fit the page (see ``MapPage``).
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
    ///   - language: The language of the map's own words (title line, legend); names and the
    ///     analyses' legends are drawn as they are.
    /// - Complexity: O(components + edges + regions log regions + L log L) for a detailed map,
    ///   where L is the largest number of supply links of one component (local suppliers are
    ///   sorted by share); see ``MapAggregation`` for an aggregated one.
    public init(model: ChainModel, results: [AnalysisResult] = [], options: ChainMapOptions, measures: SharedMeasures? = nil,
        language: Language = .en
    ) {
        self.init(model: model, results: results, options: options, measures: measures, language: language, selection: nil)
    }

    /// Builds one page of a paged map (``ChainMapPages``): the components of `selection`, or
    /// its overview; `nil` builds the map ``MapPlan`` chooses.
    init(model: ChainModel, results: [AnalysisResult], options: ChainMapOptions, measures: SharedMeasures?,
        language: Language, selection: PageSelection?
    ) {
        let measures = measures ?? SharedMeasures(model: model, scope: options.scope)
        precondition(measures.scope == options.scope, "the shared measures are of another scope")
        let plan: MapPlan
        switch selection?.content {
        case nil: plan = MapPlan.choose(for: model, options: options)
        case .components: plan = .detailed(firms: options.firms == .none ? .none : .top)
        case .overview(let aggregation): plan = .aggregated(aggregation)
        }
        let aggregated: Bool
        if case .aggregated = plan { aggregated = true } else { aggregated = false }
        let annotations = MapAnnotations(results: results, model: model, perComponentText: !aggregated, language: language)
        var included = MapPlan.included(in: model, root: options.root)
        if case .components(let members)? = selection?.content {
            var only = [Bool](repeating: false, count: model.components.count)
            for member in members { only[member] = true }
            included = only
        }
        var builder = MapBuilder(model: model, options: options, annotations: annotations, analysesRan: !results.isEmpty,
            supply: measures.localSupply, cost: measures.costStructure, included: included,
            language: language)
        builder.selection = selection
        let graph: DOTGraph
        let components = included.map { $0.reduce(0) { $0 + ($1 ? 1 : 0) } } ?? model.components.count
        switch plan {
        case .detailed(let firms):
            graph = builder.detailedGraph(firms: firms)
            nodeCount = components + (firms == .all ? MapPlan.suppliers(in: model, included: included) : 0)
        case .withoutFirmNodes:
            graph = builder.detailedGraph(firms: .top)
            nodeCount = components
        case .aggregated(let aggregation):
            graph = builder.aggregatedGraph(aggregation)
            nodeCount = aggregation.groups.count
        }
        self.graph = graph
        self.plan = plan
        text = graph.encoded()
        var notes = selection != nil ? [] : plan.note(for: model, options: options, language: language).map { [$0] } ?? []
        if selection == nil && options.page != nil && options.firms == .all && plan == .detailed(firms: .top) {
            notes.append(language.pick("on a page firms are not drawn as nodes; their names are in the components' tooltips",
                "页面上企业不画成节点；企业名称在各环节的提示框中"))
        }
        self.notes = notes
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
    /// The components drawn (`nil`: all).
    let included: [Bool]?
    /// The language of the map's own words.
    var language: Language = .en
    /// The page of a paged map this builder draws (`nil`: a map of its own).
    var selection: PageSelection?

    func isIncluded(_ component: Int) -> Bool { included?[component] ?? true }

    /// The most ranks the parts that require nothing are staggered over on a page (measured on
    /// the Guangdong map: two ranks fit a 16:9 page at 0.50 of full size, one rank at 0.42,
    /// three at 0.44; more ranks make the map taller than they make it narrower).
    static let maximumStagger = 2

    /// Font families, first found wins: CJK fonts on Linux, Windows and macOS, then any sans.
    static let fontName = "Noto Sans CJK SC,WenQuanYi Micro Hei,Microsoft YaHei,PingFang SC,sans-serif"
    static let nameWidth = 24
    /// The width a name wraps at on a page.
    static let pageNameWidth = 18
    var nameWidth: Int { options.page == nil ? Self.nameWidth : Self.pageNameWidth }
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
        var title = "<FONT POINT-SIZE=\"\(options.page == nil ? 22 : 18)\"><B>" + LabelText.htmlLines(options.title ?? model.title ?? model.id ?? language.pick("Chain map", "产业链图谱"), width: options.page == nil ? 60 : 40) + "</B></FONT>"
        let words = language.pick
        var lines = [words("Scope: ", "范围：") + Wording.region(options.scope, in: model)]
        if let root = options.root { lines.append(language == .zh
            ? "整机：" + model.components.names[root] + "及其所需环节"
            : "Product: " + model.components.names[root] + " and what it requires") }
        let ran = annotations.legends.map(\.analysis)
        if !ran.isEmpty { lines.append(words("Analyses: ", "分析：") + ran.joined(separator: ", ")) }
        if let scenario = annotations.scenario { lines.append(words("Scenario: ", "情景：") + scenario.joined(separator: ", ")) }
        if let subtitle { lines.append(subtitle) }
        if let selection { lines.append(selection.subtitle(language: language)) }
        title += "<BR/><FONT POINT-SIZE=\"13\">" + lines.map { LabelText.htmlLines($0, width: options.page == nil ? 90 : 70) }.joined(separator: "<BR/>") + "</FONT>"
        // Beside the title; on a portrait page, below it, so that the header is no wider than the map.
        let label = options.page != .a4
            ? "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"0\"><TR>"
                + "<TD ALIGN=\"LEFT\" BALIGN=\"LEFT\" VALIGN=\"TOP\">" + title + "</TD>"
                + "<TD WIDTH=\"48\"></TD><TD ALIGN=\"LEFT\" VALIGN=\"TOP\">" + legend + "</TD></TR></TABLE>"
            : "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"0\">"
                + "<TR><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\" VALIGN=\"TOP\">" + title + "</TD></TR>"
                + "<TR><TD HEIGHT=\"6\"></TD></TR><TR><TD ALIGN=\"LEFT\" VALIGN=\"TOP\">" + legend + "</TD></TR></TABLE>"
        var attributes: [String: DOTValue] = [
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
                "rankdir": .text(options.direction.rawValue),
                "ranksep": .number(0.7),
            ]
        if let page = options.page {
            let size = page.inches
            // Scaled down to the page if larger, never up; the margins are inside the page.
            attributes["size"] = .text(DOTText.number(size.width - 0.4) + "," + DOTText.number(size.height - 0.4))
            attributes["ranksep"] = .number(0.3)
            attributes["nodesep"] = .number(0.12)
            attributes["pad"] = .number(0.2)
        }
        return DOTGraph(
            id: model.id ?? "chain",
            attributes: attributes,
            nodeDefaults: [
                "color": .text(Self.defaultBorder),
                "fillcolor": .text(Self.defaultFill),
                "fontname": .text(Self.fontName),
                "fontsize": .number(11),
                "margin": .text(options.page == nil ? "0.12,0.06" : "0.08,0.04"),
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
        if language == .zh { return suppliers == 0 ? "模型中无供应企业" : "本地 \(local) / 共 \(suppliers) 家供应" }
        return suppliers == 0 ? "no supplier in the model" : "\(local) local / \(Wording.count(suppliers, "supplier"))"
    }

    // MARK: - Detailed map

    func detailedGraph(firms: FirmDisplay) -> DOTGraph {
        var graph = baseGraph(subtitle: nil, legend: legend(firmEdges: firms == .all, aggregated: false))
        let components = model.components
        var bySegment = [[Int]](repeating: [], count: model.segments.count)
        for component in 0..<components.count where isIncluded(component) { bySegment[components.segment(of: component)].append(component) }
        for segment in model.segments.displayOrder where !bySegment[segment].isEmpty {
            let nodes = bySegment[segment].map { DOTStatement.node(componentNode($0, firms: firms)) }
            graph.statements.append(.subgraph(segmentCluster(segment, statements: nodes)))
        }
        if firms == .all { graph.statements += firmClusters() }
        let stagger = leafStagger(bySegment)
        guard let selection else {
            for parent in 0..<components.count where isIncluded(parent) {
                for edge in components.requirements(of: parent) {
                    graph.statements.append(.edge(requirementEdge(edge, parent: parent, minimumLength: stagger[components.child(ofRequirement: edge)])))
                }
            }
            if firms == .all { graph.statements += supplyEdges() }
            return graph
        }
        // A page: edges between its components as usual; the parts from, or the assemblies
        // on, other pages are one dashed reference node per segment, naming the pages, with
        // one edge per component of this page (as thick as its heaviest edge).
        var references: [Int: Set<Int>] = [:]
        var merged: [String: (from: String, to: String, weight: Double, names: [String])] = [:]
        var order: [String] = []
        func add(from: String, to: String, weight: Double, name: String) {
            let key = from + "\u{0}" + to
            if merged[key] == nil { order.append(key) }
            var entry = merged[key] ?? (from, to, 0, [])
            entry.weight = max(entry.weight, weight)
            entry.names.append(name)
            merged[key] = entry
        }
        func reference(_ component: Int) -> String {
            let segment = components.segment(of: component)
            references[segment, default: []].insert(selection.pageOfComponent[component])
            return "x." + model.segments.ids[segment]
        }
        var edges: [DOTStatement] = []
        for parent in 0..<components.count {
            for edge in components.requirements(of: parent) {
                let child = components.child(ofRequirement: edge)
                let weight = cost.edgeWeight[edge]
                switch (isIncluded(child), isIncluded(parent)) {
                case (true, true):
                    edges.append(.edge(requirementEdge(edge, parent: parent, minimumLength: stagger[child])))
                case (true, false):
                    add(from: componentID(child), to: reference(parent), weight: weight, name: components.names[parent])
                case (false, true):
                    add(from: reference(child), to: componentID(parent), weight: weight, name: components.names[child])
                case (false, false):
                    continue
                }
            }
        }
        for key in order {
            let entry = merged[key]!
            let names = Wording.list(entry.names, first: 8, language: language)
            edges.append(.edge(DOTEdge(from: entry.from, to: entry.to, [
                "penwidth": .number(0.6 + 4.4 * min(max(entry.weight, 0), 1)),
                "style": .text("dashed"),
                "tooltip": .text(names),
            ])))
        }
        graph.statements += model.segments.displayOrder.compactMap { segment in
            references[segment].map { .node(referenceNode(segment: segment, pages: $0.sorted())) }
        }
        graph.statements += edges
        if firms == .all { graph.statements += supplyEdges() }
        return graph
    }

    /// On a page, for each component that requires nothing, the ranks between it and the
    /// assemblies that require it (1, 2, … in turn within its segment), so that such parts are
    /// spread over several ranks instead of one rank wider than the page; 1 for every other
    /// component and off a page.
    func leafStagger(_ bySegment: [[Int]]) -> [Int] {
        var stagger = [Int](repeating: 1, count: model.components.count)
        guard options.page != nil else { return stagger }
        let leaves = bySegment.map { $0.filter { model.components.requirements(of: $0).isEmpty } }
        let total = leaves.reduce(0) { $0 + $1.count }
        let capacity = MapPlan.rankCapacity(options, scale: 1)
        let spread = min(Self.maximumStagger, max(1, (total + capacity - 1) / capacity))
        for segment in leaves {
            for (index, leaf) in segment.enumerated() { stagger[leaf] = 1 + index % spread }
        }
        return stagger
    }

    func componentID(_ component: Int) -> String { "c." + model.components.ids[component] }


    /// The components of one segment on other pages of a paged map that this page's edges
    /// reach: a dashed box naming the segment and the pages.
    func referenceNode(segment: Int, pages: [Int]) -> DOTNode {
        let range = pages.count == 1 ? "\(pages[0])" : "\(pages.first!)–\(pages.last!)"
        let onPage = language.pick((pages.count == 1 ? "→ p. " : "→ pp. ") + range, "→ 第 " + range + " 页")
        let name = model.segments.names[segment]
        let label = LabelText.htmlLines(name, width: nameWidth, maxLines: Self.nameLines) + "<BR/><I>" + HTMLText.escape(onPage) + "</I>"
        return DOTNode("x." + model.segments.ids[segment], [
            "color": .text("#9e9e9e"),
            "fontcolor": .text("#424242"),
            "id": .text("x." + model.segments.ids[segment]),
            "label": .html(label),
            "style": .text("rounded,dashed"),
            "tooltip": .text(name + language.pick(": drawn on page ", "：画在第 ") + range.replacing("–", with: language.pick("–", " 至 ")) + language.pick("", " 页")),
        ])
    }

    func componentNode(_ component: Int, firms: FirmDisplay) -> DOTNode {
        let components = model.components
        let annotation = annotations.byComponent[component]
        var label = "<B>" + LabelText.htmlLines(components.names[component], width: nameWidth, maxLines: Self.nameLines) + "</B>"
        if let badge = annotation?.badge, !badge.isEmpty {
            label += "<BR/><FONT POINT-SIZE=\"12\"><B>" + LabelText.htmlLines(badge, width: Self.firmLineWidth) + "</B></FONT>"
        }
        let suppliers = model.supplies.supplierCount(of: component)
        let local = Int(supply.localSuppliers[component])
        if showsSupplyCounts && options.page == nil {
            label += "<BR/><FONT POINT-SIZE=\"9\">" + HTMLText.escape(supplyCountText(local: local, suppliers: suppliers)) + "</FONT>"
        }
        let localFirms = firms == .none ? [] : localSuppliers(of: component)
        if firms == .top && options.page == nil && !localFirms.isEmpty && options.topFirms > 0 {
            let shown = localFirms.prefix(options.topFirms).map { LabelText.truncate(model.firms.names[$0], width: 26) }
            var line = shown.joined(separator: ", ")
            if localFirms.count > shown.count { line += language.pick(" +\(localFirms.count - shown.count) more", " 等 \(localFirms.count) 家") }
            label += "<BR/><FONT POINT-SIZE=\"9\">" + LabelText.htmlLines(line, width: Self.firmLineWidth) + "</FONT>"
        }
        var tooltip = [Wording.component(component, in: model), language.pick("segment: ", "环节：") + model.segments.names[components.segment(of: component)]]
        if showsSupplyCounts && options.page != nil { tooltip.append(supplyCountText(local: local, suppliers: suppliers)) }
        if let text = annotation?.tooltip, !text.isEmpty { tooltip.append(text) }
        if firms != .none && !localFirms.isEmpty {
            tooltip.append(language.pick("suppliers in " + model.regions.names[options.scope] + ": ", model.regions.names[options.scope] + "的供应企业：")
                + Wording.list(localFirms.lazy.map { model.firms.names[$0] }, first: 12, language: language))
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

    func requirementEdge(_ edge: Int, parent: Int, minimumLength: Int = 1) -> DOTEdge {
        let child = model.components.child(ofRequirement: edge)
        let weight = cost.edgeWeight[edge]
        let given = model.components.weight(ofRequirement: edge) != nil
        let tooltip = model.components.names[child] + " → " + model.components.names[parent] + language.pick(": ", "：")
            + language.pick(Wording.percent(weight) + " of its cost", "占其成本 " + Wording.percent(weight))
            + (given ? "" : language.pick(" (weight not given: an equal part of what the given weights leave)", "（未给权重：取已给权重余下部分的均分）"))
        var attributes: [String: DOTValue] = [
            "penwidth": .number(0.6 + 4.4 * min(max(weight, 0), 1)),
            "tooltip": .text(tooltip),
        ]
        if minimumLength > 1 { attributes["minlen"] = .number(Double(minimumLength)) }
        return DOTEdge(from: componentID(child), to: componentID(parent), attributes)
    }

    /// Firm nodes in one cluster per region: regions within the scope first, then those within
    /// the country, then the rest, each in model order; firms in model order.
    func firmClusters() -> [DOTStatement] {
        let regions = model.regions
        var byRegion = [[Int]](repeating: [], count: regions.count)
        for firm in 0..<model.firms.count
        where model.firms.links(of: firm).contains(where: { isIncluded(model.supplies.component(of: $0)) }) {
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
                    "tooltip": .text(Wording.label(name: model.firms.names[firm], id: model.firms.ids[firm]) + language.pick("\nregion: ", "\n地区：")
                        + Wording.region(region, in: model) + language.pick("\nsupplies: ", "\n供应：") + products.joined(separator: language.pick(", ", "、"))),
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
        (0..<model.supplies.count).filter { isIncluded(model.supplies.component(of: $0)) }.map { link in
            let firm = model.supplies.firm(of: link)
            let component = model.supplies.component(of: link)
            var tooltip = model.firms.names[firm] + language.pick(" supplies ", " 供应 ") + model.components.names[component]
            if let share = model.supplies.share(of: link) { tooltip += language.pick(" (share \(Wording.percent(share)))", "（份额 \(Wording.percent(share))）") }
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
        let drawn = aggregation.groups.reduce(0) { $0 + $1.members.count }
        var graph = baseGraph(
            subtitle: selection != nil ? nil : language.pick(
                "Aggregated: \(drawn) components drawn as \(aggregation.groups.count) groups (segment × level)",
                "聚合图：\(drawn) 个环节画成 \(aggregation.groups.count) 组（环节类别 × 层级）"),
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
                    "tooltip": .text(language.pick(Wording.count(link.count, "requires edge"), "\(link.count) 条需求边")),
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
        let levels = group.levels.count == 1
            ? language.pick("level \(group.levels.lowerBound)", "第 \(group.levels.lowerBound) 层")
            : language.pick("levels \(group.levels.lowerBound)–\(group.levels.upperBound)", "第 \(group.levels.lowerBound)–\(group.levels.upperBound) 层")
        let count = language.pick(Wording.count(group.members.count, "component"), "\(group.members.count) 个环节")
        var label = "<B>" + HTMLText.escape(count) + "</B><BR/>" + HTMLText.escape(levels)
        // On a page no text is smaller than ``MapPage/smallestFontSize``.
        let small = options.page == nil ? 9 : Int(MapPage.smallestFontSize)
        if showsSupplyCounts {
            let withLocal = group.members.filter { supply.localSuppliers[$0] > 0 }.count
            let shares = group.members.compactMap { supply.direct($0) }
            let mean = shares.isEmpty ? nil : shares.reduce(0, +) / Double(shares.count)
            let text = language.pick("\(withLocal) with a local supplier · mean local share \(Wording.percent(mean))",
                "\(withLocal) 个有本地供应企业 · 平均本地份额 \(Wording.percent(mean))")
            label += "<BR/><FONT POINT-SIZE=\"\(small)\">"
                + (options.page == nil ? HTMLText.escape(text) : LabelText.htmlLines(text, width: Self.firmLineWidth)) + "</FONT>"
        }
        if let pages = selection?.pages(of: group.members), !pages.isEmpty {
            label += "<BR/><FONT POINT-SIZE=\"\(small)\"><I>" + HTMLText.escape(PageSelection.pageList(pages, language: language)) + "</I></FONT>"
        }
        var badgeCounts: [String] = []
        var border: String?
        for (position, (badge, badgeBorder)) in annotations.legendBadges.enumerated() {
            let count = group.members.reduce(0) { $0 + (annotations.hasBadge(position, component: $1) ? 1 : 0) }
            guard count > 0 else { continue }
            badgeCounts.append("\(badge) \(count)")
            if border == nil { border = badgeBorder }
        }
        if !badgeCounts.isEmpty {
            label += "<BR/><FONT POINT-SIZE=\"11\"><B>" + LabelText.htmlLines(badgeCounts.joined(separator: " · "), width: Self.firmLineWidth) + "</B></FONT>"
        }
        let tooltip = "\(model.segments.names[group.segment]), \(levels)" + language.pick(": ", "：")
            + Wording.list(group.members.lazy.map { model.components.names[$0] }, first: 20, language: language)
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
        // On a page the entries go two or three to a row (narrower text), so that the legend is wide
        // and short instead of tall beside the title.
        let columns = options.page == nil ? 1 : (options.page == .widescreen ? 3 : 2)
        let textWidth = options.page == nil ? 60 : 24
        var rows = ["<TR><TD COLSPAN=\"\(2 * columns)\" ALIGN=\"LEFT\"><FONT POINT-SIZE=\"13\"><B>" + language.pick("Legend", "图例") + "</B></FONT></TD></TR>"]
        var pending: [String] = []
        func flush() {
            while !pending.isEmpty {
                let cells = pending.prefix(columns)
                pending.removeFirst(cells.count)
                rows.append("<TR>" + cells.joined() + String(repeating: "<TD></TD><TD></TD>", count: columns - cells.count) + "</TR>")
            }
        }
        func row(_ swatch: String, _ text: String) {
            pending.append(swatch + "<TD ALIGN=\"LEFT\" BALIGN=\"LEFT\">" + LabelText.htmlLines(text, width: textWidth) + "</TD>")
            if columns == 1 { flush() }
        }
        func heading(_ text: String) {
            flush()
            rows.append("<TR><TD COLSPAN=\"\(2 * columns)\" ALIGN=\"LEFT\"><B>" + HTMLText.escape(text) + "</B></TD></TR>")
        }
        let arrowCell = "<TD WIDTH=\"44\"><B>→</B></TD>"
        let words = language.pick
        if aggregated {
            row(arrowCell, words("parts in one group → assemblies in another; thicker = more requires edges; "
                + "at most the \(MapAggregation.linksPerGroup) heaviest links into each group",
                "一组的零部件 → 另一组的总成；越粗 = 需求边越多；每组最多画 \(MapAggregation.linksPerGroup) 条最重的连线"))
            row("<TD WIDTH=\"44\">n</TD>", words("badge n: how many components of the group carry that badge", "标记 n：组内带该标记的环节数"))
        } else {
            row(arrowCell, words("a part → the assembly that requires it; thicker = larger share of its cost",
                "零部件 → 需要它的总成；越粗 = 占其成本份额越大"))
            if showsSupplyCounts && options.page == nil {
                row("<TD WIDTH=\"44\">a / b</TD>", language == .zh
                    ? "本地 a / 全部 b：该环节 b 家供应企业中 a 家在" + model.regions.names[options.scope]
                    : "a local / b suppliers: a of the component's b suppliers are in " + model.regions.names[options.scope])
            }
        }
        if firmEdges {
            row("<TD WIDTH=\"44\"><FONT COLOR=\"\(Self.firmEdgeColour)\">- - →</FONT></TD>", words("a firm supplies a component; firms grouped by region", "企业供应环节；企业按地区分组"))
        }
        for legend in annotations.legends {
            guard let entries = legend.entries, !entries.isEmpty else {
                if legend.annotates { heading(legend.analysis + words(" (gave no legend)", "（未提供图例）")) }
                continue
            }
            heading(legend.analysis)
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
                row(cell, entry.label)
            }
        }
        flush()
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

extension ChainMapDocument {
    /// The scale Graphviz drew an SVG map at: 1 at natural size, less when a page's `size`
    /// shrank it (read from the `transform="scale(…)"` of the graph group); `nil` if the bytes
    /// are not Graphviz SVG.
    ///
    /// - Complexity: O(n) in the bytes before the first graph group.
    public static func drawnScale(ofSVG bytes: [UInt8]) -> Double? {
        let marker = Array("transform=\"scale(".utf8)
        guard bytes.count > marker.count else { return nil }
        for start in 0...(bytes.count - marker.count) where bytes[start] == marker[0] && Array(bytes[start..<start + marker.count]) == marker {
            var end = start + marker.count
            while end < bytes.count, bytes[end] == UInt8(ascii: ".") || (bytes[end] >= 0x30 && bytes[end] <= 0x39) { end += 1 }
            return Double(String(decoding: bytes[(start + marker.count)..<end], as: UTF8.self))
        }
        return nil
    }
}
