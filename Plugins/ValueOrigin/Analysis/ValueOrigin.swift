import RoboChainAnalysis
import RoboChainJSON
import RoboChainModel

/// Value origin (SPEC §8): where the value of each whole product comes from, by country — or,
/// with option `group`, by the regions within one region — and how concentrated each
/// component's supply is.
///
/// A firm's *group*: without `group`, its country (the national scope of its region); with
/// `group` G, for a firm within G, the child of G its region is within (G itself when its region
/// is G), and for a firm outside G, its country. So `group=CN` splits China into provinces and
/// keeps other countries whole.
///
/// For a component c with suppliers, D_X(c) is the part of its supply (link weights as in §2)
/// held by firms of group X, and HHI(c) = Σ_X D_X(c)², the Herfindahl–Hirschman index of its
/// supply over groups (above 0.4 is concentrated, the threshold of the European Commission's
/// strategic-dependency method, SWD(2021) 352, and of CEPII's GeoDep). For a root r (a whole
/// product), O_r(X) = Σ_c V_r(c)·own(c)·D_X(c) ÷ Z_r over the supplied components c it contains,
/// Z_r = Σ_c V_r(c)·own(c): the look-through ("value-added") origin of the product, which trade
/// statistics attribute wholly to the assembler's country (the look-through exposure of
/// Baldwin, Freeman and Theodorakopoulos, "Horses for courses: measuring foreign supply chain
/// exposure", NBER w30525, 2022).
///
/// Result keys: `group` (the option, null when empty), `roots` ({rootId: {groupId: O_r(X)} or
/// null when Z_r = 0}; groups with O_r(X) > 0, largest first) and `components` ({id: {groups:
/// {groupId: D_X(c)}, hhi}}; components with a supplier, in model order; groups with
/// D_X(c) > 0, largest first).
///
/// A `group` that is no region of the model is a usage error, with a did-you-mean.
///
/// - Complexity: O(regions × depth + components + links) for the groups and component shares,
///   plus the value weights of ``SuppliedValue`` and O(E × g) for the roots, where E is the
///   number of (root, supplied component it reaches) pairs and g the groups of a component.
public struct ValueOrigin: Analysis {
    public let name = "value-origin"
    public let version = "1.0.0"
    public let summary =
        "Shows where the value of each whole product comes from, by country (or by province with group=CN), looking through every part, and how concentrated each component's supply is (HHI)."

    /// The region whose parts are the groups; empty for countries.
    public static let group = AnalysisOption<String>("group", default: "",
        help: "A region whose sub-regions are the groups (group=CN: provinces of China, other countries whole); empty: countries.")

    /// The HHI above which a component's supply counts as concentrated (EU SWD(2021) 352, CEPII GeoDep).
    public static let concentrated = 0.4

    public var options: [OptionDeclaration] { [Self.group.declaration] }

    public init() {}

    public func run(_ request: AnalysisRequest) throws(AnalysisError) -> AnalysisResult {
        let model = request.model
        let regions = model.regions
        let groupText = request.options[Self.group]
        var groupRegion: Int?
        if !groupText.isEmpty {
            guard let index = regions.index(of: groupText) else {
                throw .invalidOption(analysis: name, option: Self.group.name, problem: Self.unknownRegion(groupText, in: model))
            }
            groupRegion = index
        }
        let groups = Groups(model: model, group: groupRegion)
        let weights = request.measures.supplyWeights
        let supplied = request.measures.suppliedValue

        // D_X(c) for every supplied component, largest first, as flat lists.
        let components = model.components
        var groupStart = [Int32](repeating: 0, count: components.count + 1)
        var groupOf: [Int32] = []
        var groupShare: [Double] = []
        var hhi = [Double](repeating: .nan, count: components.count)
        var scratch = [Double](repeating: 0, count: groups.count)
        var touched: [Int32] = []
        var stamp = [Int](repeating: -1, count: groups.count)
        let groupIDs = groups.ids
        let supplies = model.supplies
        for component in 0..<components.count {
            let links = supplies.links(supplying: component)
            if !links.isEmpty {
                for link in links {
                    let group = groups.ofFirm(supplies.firm(of: Int(link)))
                    if stamp[group] != component {
                        stamp[group] = component
                        touched.append(Int32(group))
                    }
                    scratch[group] += weights.fraction[Int(link)]
                }
                // The fractions sum to 1 but for rounding; dividing by their sum makes a single
                // origin's share exactly 1.
                var whole = 0.0
                for group in touched { whole += scratch[Int(group)] }
                if whole > 0 { for group in touched { scratch[Int(group)] /= whole } }
                var sum = 0.0
                if touched.count > 1 {
                    touched.sort { left, right in
                        scratch[Int(left)] != scratch[Int(right)]
                            ? scratch[Int(left)] > scratch[Int(right)] : groupIDs[Int(left)] < groupIDs[Int(right)]
                    }
                }
                for group in touched {
                    let share = scratch[Int(group)]
                    sum += share * share
                    if share > 0 {
                        groupOf.append(group)
                        groupShare.append(share)
                    }
                    scratch[Int(group)] = 0
                }
                touched.removeAll(keepingCapacity: true)
                hhi[component] = sum
            }
            groupStart[component + 1] = Int32(groupOf.count)
        }

        // O_r(X): Σ over each component's roots and groups, then ÷ Z_r.
        let rootCount = components.roots.count
        let dense = rootCount * groups.count <= 1 << 24
        var originDense = [Double](repeating: 0, count: dense ? rootCount * groups.count : 0)
        var originSparse: [Int: Double] = [:]
        for component in 0..<components.count {
            let groupRange = Int(groupStart[component])..<Int(groupStart[component + 1])
            guard !groupRange.isEmpty else { continue }
            for entry in supplied.entries(of: component) {
                let root = Int(supplied.rootPosition[entry])
                let added = supplied.valueAdded[entry]
                for index in groupRange {
                    let cell = root * groups.count + Int(groupOf[index])
                    if dense {
                        originDense[cell] += added * groupShare[index]
                    } else {
                        originSparse[cell, default: 0] += added * groupShare[index]
                    }
                }
            }
        }
        var rootOrigins: [[(group: Int, share: Double)]?] = []
        for root in 0..<rootCount {
            let total = supplied.total[root]
            guard total != 0 else {
                rootOrigins.append(nil)
                continue
            }
            var origins: [(group: Int, share: Double)] = []
            for group in 0..<groups.count {
                let cell = root * groups.count + group
                let share = (dense ? originDense[cell] : originSparse[cell] ?? 0) / total
                if share > 0 { origins.append((group, share)) }
            }
            origins.sort { $0.share != $1.share ? $0.share > $1.share : groupIDs[$0.group] < groupIDs[$1.group] }
            rootOrigins.append(origins)
        }

        var rootsObject = JSONObject()
        for (position, root) in components.roots.enumerated() {
            rootsObject.append(components.ids[Int(root)], rootOrigins[position].map { origins in
                .object(JSONObject(origins.map { .init(groupIDs[$0.group], .number($0.share)) }))
            } ?? .null)
        }
        var componentsObject = JSONObject()
        for component in 0..<components.count where !hhi[component].isNaN {
            let range = Int(groupStart[component])..<Int(groupStart[component + 1])
            componentsObject.append(components.ids[component], .object(JSONObject([
                .init("groups", .object(JSONObject(range.map { .init(groupIDs[Int(groupOf[$0])], .number(groupShare[$0])) }))),
                .init("hhi", .number(hhi[component])),
            ])))
        }
        var result = AnalysisResult(analysis: name, scope: request.scopeID, extra: JSONObject([
            .init("group", groupText.isEmpty ? .null : .string(groupText)),
            .init("roots", .object(rootsObject)),
            .init("components", .object(componentsObject)),
        ]))
        let shares = ComponentShares(start: groupStart, group: groupOf, share: groupShare, hhi: hhi)
        if request.wantsTables {
            result.tables = [
                productTable(model, groups: groups, origins: rootOrigins, language: request.language),
                componentTable(model, groups: groups, shares: shares, language: request.language),
            ]
            result.headline = headline(model, groups: groups, origins: rootOrigins, shares: shares, language: request.language)
        }
        if request.wantsMap {
            (result.annotations, result.legend) = map(request, groups: groups, shares: shares)
        }
        return result
    }

    /// The problem with a `group` that names no region: a did-you-mean, or the regions there are.
    static func unknownRegion(_ text: String, in model: ChainModel) -> String {
        let ids = model.regions.ids
        if let match = IDSuggestion.closest(to: text, among: ids) {
            let note = match.lowercased() == text.lowercased() ? " (region ids are case-sensitive)" : ""
            return "names no region of the model: '\(text)'; did you mean '\(match)'?\(note)"
        }
        return "names no region of the model: '\(text)'; its regions are: \(Wording.list(ids, first: 20))"
    }

    /// The group of every region, numbered compactly in region order.
    struct Groups {
        /// For each region: its group's number.
        let ofRegion: [Int32]
        /// For each group number: its region index.
        let region: [Int]
        let firms: FirmTable

        init(model: ChainModel, group: Int?) {
            let regions = model.regions
            var groupRegion = [Int](repeating: 0, count: regions.count)
            for region in 0..<regions.count {
                if let group, regions.isWithin(region, scope: group) {
                    var current = region
                    while current != group, let parent = regions.parent(of: current), parent != group { current = parent }
                    groupRegion[region] = current
                } else {
                    groupRegion[region] = regions.nationalScope(of: region)
                }
            }
            var number = [Int32](repeating: -1, count: regions.count)
            var region: [Int] = []
            for index in 0..<regions.count where number[groupRegion[index]] < 0 {
                number[groupRegion[index]] = Int32(region.count)
                region.append(groupRegion[index])
            }
            ofRegion = groupRegion.map { number[$0] }
            self.region = region
            ids = region.map { regions.ids[$0] }
            names = region.map { regions.names[$0] }
            firms = model.firms
        }

        var count: Int { region.count }

        @inline(__always)
        func ofFirm(_ firm: Int) -> Int { Int(ofRegion[firms.region(of: firm)]) }

        /// For each group number: its region's id and name.
        let ids: [String]
        let names: [String]

    }

    /// D_X(c) of every supplied component as flat lists (largest first), and HHI(c) (NaN for
    /// components without a supplier).
    struct ComponentShares {
        let start: [Int32]
        let group: [Int32]
        let share: [Double]
        let hhi: [Double]

        func range(_ component: Int) -> Range<Int> { Int(start[component])..<Int(start[component + 1]) }
    }

    /// The groups shown as columns of the product table: those with the largest value summed
    /// over the products, at most eight (none with the id `product` or `other`).
    func leadingGroups(_ origins: [[(group: Int, share: Double)]?], groups: Groups, model: ChainModel) -> [Int] {
        var total: [Int: Double] = [:]
        for case let origin? in origins {
            // A region named like the table's own columns goes with the other origins.
            for (group, share) in origin where groups.ids[group] != "product" && groups.ids[group] != "other" {
                total[group, default: 0] += share
            }
        }
        return total.sorted { $0.value != $1.value ? $0.value > $1.value : groups.ids[$0.key] < groups.ids[$1.key] }
            .prefix(8).map(\.key)
    }

    /// Each whole product's value by origin: the leading groups, then the rest together.
    func productTable(
        _ model: ChainModel, groups: Groups, origins: [[(group: Int, share: Double)]?], language: Language = .en
    ) -> ResultTable {
        let leading = leadingGroups(origins, groups: groups, model: model)
        let words = language.pick
        var table = ResultTable(id: "products", title: words("Value of each whole product by origin", "各整机价值的来源"), columns: [
            TableColumn("product", words("Whole product", "整机"), .component,
                help: words("each column: the share of the product's value, its parts' included, made by firms of that origin"
                    + " (– where no part of the product has a supplier)",
                    "每列：该来源的企业创造的整机价值（含零部件）份额（– 表示整机无任何有供应的零部件）")),
        ] + leading.map { TableColumn(groups.ids[$0], groups.names[$0], .share) }
            + [TableColumn("other", words("Other", "其他"), .share, help: words("all other origins together", "其余来源合计"))], isView: true)
        for (position, root) in model.components.roots.enumerated() {
            guard let origin = origins[position] else {
                table.rows.append([.id(model.components.ids[Int(root)])] + Array(repeating: nil, count: leading.count + 1))
                continue
            }
            var byGroup: [Int: Double] = [:]
            for (group, share) in origin { byGroup[group] = share }
            let shown = leading.map { byGroup[$0] ?? 0 }
            let other = origin.filter { !leading.contains($0.group) }.reduce(0) { $0 + $1.share }
            table.rows.append([.id(model.components.ids[Int(root)])] + shown.map { .number($0) } + [.number(other)])
        }
        return table
    }

    /// Every supplied component's largest origin and concentration, most concentrated first.
    func componentTable(_ model: ChainModel, groups: Groups, shares: ComponentShares, language: Language = .en) -> ResultTable {
        let words = language.pick
        let components = model.components
        let supplied = (0..<components.count).filter { !shares.hhi[$0].isNaN }.sorted { left, right in
            shares.hhi[left] != shares.hhi[right] ? shares.hhi[left] > shares.hhi[right] : components.ids[left] < components.ids[right]
        }
        var table = ResultTable(id: "components", title: words("Origin and concentration of each component's supply", "各环节供应的来源与集中度"), columns: [
            TableColumn("component", words("Component", "环节"), .component),
            TableColumn("origins", words("Origins", "来源数"), .integer,
                help: words("the origins (countries, or regions of the group) supplying it", "供应它的来源（国家，或分组内的地区）")),
            TableColumn("largest", words("Largest origin", "最大来源"), .region),
            TableColumn("largestShare", words("Its share", "其份额"), .share),
            TableColumn("hhi", "HHI", .number,
                help: words("Σ of the origins' squared shares: 1 for one origin; above 0.4 is concentrated",
                    "各来源份额的平方和：单一来源为 1；高于 0.4 为集中")),
            TableColumn("concentrated", words("Concentrated", "集中"), .boolean),
        ], isView: true)
        table.rows.reserveCapacity(supplied.count)
        for component in supplied {
            let range = shares.range(component)
            let largest = range.first
            table.rows.append([
                .id(components.ids[component]), .integer(range.count),
                largest.map { .id(groups.ids[Int(shares.group[$0])]) }, largest.map { .number(shares.share[$0]) },
                .number(shares.hhi[component]), .boolean(shares.hhi[component] > Self.concentrated),
            ])
        }
        return table
    }

    /// "Humanoid robot: China 62 %, Japan 30 %, …; 12 of 40 supplied components concentrated".
    func headline(
        _ model: ChainModel, groups: Groups, origins: [[(group: Int, share: Double)]?], shares: ComponentShares,
        language: Language = .en
    ) -> String {
        let roots = model.components.roots
        let zh = language == .zh
        var products = roots.indices.prefix(2).map { position in
            let name = model.components.names[Int(roots[position])]
            guard let origin = origins[position] else { return zh ? "\(name)：无有供应的零部件" : "\(name): no supplied part" }
            return name + (zh ? "：" : ": ") + origin.prefix(3).map { "\(groups.names[$0.group]) \(Wording.percent($0.share))" }
                .joined(separator: zh ? "，" : ", ")
        }.joined(separator: zh ? "；" : "; ")
        if roots.count > 2 { products += zh ? "（另有 \(roots.count - 2) 种整机）" : " (and \(Wording.count(roots.count - 2, "more product")))" }
        let supplied = shares.hhi.filter { !$0.isNaN }
        let concentrated = supplied.filter { $0 > Self.concentrated }.count
        if zh {
            return (roots.isEmpty ? "无整机" : products) + "；\(supplied.count) 个有供应的环节中 \(concentrated) 个供应集中（HHI > 0.4）"
        }
        return (roots.isEmpty ? "no whole product" : products)
            + "; \(concentrated) of \(Wording.count(supplied.count, "supplied component")) concentrated (HHI > 0.4)"
    }

    /// Fills by the largest origin outside the scope's group, HHI badges on concentrated supply.
    func map(_ request: AnalysisRequest, groups: Groups, shares: ComponentShares) -> ([String: Annotation], [LegendEntry]) {
        let model = request.model
        let components = model.components
        let language = request.language
        let zh = language == .zh
        let home = Int(groups.ofRegion[request.scope])
        var largestForeign = [Int](repeating: -1, count: components.count)
        var timesLargest: [Int: Int] = [:]
        for component in 0..<components.count where !shares.hhi[component].isNaN {
            if let index = shares.range(component).first(where: { Int(shares.group[$0]) != home }) {
                largestForeign[component] = Int(shares.group[index])
                timesLargest[Int(shares.group[index]), default: 0] += 1
            }
        }
        let ranked = timesLargest.sorted { $0.value != $1.value ? $0.value > $1.value : groups.ids[$0.key] < groups.ids[$1.key] }
            .map(\.key)
        var colour: [Int: String] = [:]
        for (group, fill) in zip(ranked, Self.palette) { colour[group] = fill }
        var annotations: [String: Annotation] = [:]
        for component in 0..<components.count where !shares.hhi[component].isNaN {
            let range = shares.range(component)
            let foreign = largestForeign[component]
            let origins = range.prefix(5).map { "\(groups.names[Int(shares.group[$0])]) \(Wording.percent(shares.share[$0]))" }
                .joined(separator: zh ? "，" : ", ") + (range.count > 5 ? (zh ? "，…" : ", …") : "")
            let hhi = shares.hhi[component]
            let level = hhi > Self.concentrated ? language.pick("concentrated", "集中") : language.pick("not concentrated", "不集中")
            annotations[components.ids[component]] = Annotation(
                fill: foreign < 0 ? Self.homeFill : colour[foreign] ?? Self.otherFill,
                badge: hhi > Self.concentrated ? "HHI \(Self.twoDecimals(hhi))" : nil,
                tooltip: zh
                    ? "供应来源：\(origins)（HHI \(Self.twoDecimals(hhi))，\(level)）"
                    : "Supply by origin: \(origins) (HHI \(Self.twoDecimals(hhi)), \(level))")
        }
        let homeName = groups.names[home]
        var legend = ranked.prefix(Self.palette.count).map {
            LegendEntry(label: language.pick("largest origin outside \(homeName): ", "\(homeName)以外的最大来源：") + groups.names[$0], fill: colour[$0])
        }
        if ranked.count > Self.palette.count {
            legend.append(LegendEntry(label: language.pick("largest origin outside \(homeName): another", "\(homeName)以外的最大来源：其他"), fill: Self.otherFill))
        }
        legend.append(LegendEntry(label: language.pick("all supply from \(homeName)", "全部供应来自\(homeName)"), fill: Self.homeFill))
        legend.append(LegendEntry(label: language.pick("supply concentrated (HHI over origins above 0.4)", "供应集中（来源 HHI 高于 0.4）"), badge: "HHI"))
        return (annotations, legend)
    }

    /// Light qualitative colours (ColorBrewer Set3), dark text stays readable on them.
    static let palette = ["#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5", "#bc80bd", "#ccebc5"]
    static let otherFill = "#d9d9d9"
    static let homeFill = "#ffffff"

    static func twoDecimals(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}
