import RoboChainAnalysis
import RoboChainJSON
import RoboChainModel

/// Critical firms (SPEC §10): the firms whose loss would leave a component without a supplier
/// in the country or in the scope (单点) — the key-firm list (重点企业清单) with its reason.
///
/// For scope S with national scope N, firm f is *nationally sole* for component c when the
/// suppliers of c within N are exactly {f}, and *locally sole* when those within S are exactly
/// {f}. Every firm sole for at least one component is listed, with `national` and `local` (those
/// components' ids, sorted), `valueAtStake` (the largest value weight of SPEC §2 among them) and
/// `dependents` (the distinct components that require at least one of them, directly or not).
/// Ordered by valueAtStake descending, then firm id.
///
/// Result key: `firms` ([{firm, region, national, local, valueAtStake, dependents}]).
///
/// - Complexity: O(regions × depth + components + links) to find the sole suppliers, plus the
///   value weights of ``ChainMeasures/maximumValueWeights(model:cost:)``, the dependents of
///   ``ChainMeasures/dependentCounts(model:sparseBudget:)`` for firms sole for one component,
///   O(ancestors) for each firm sole for several, and O(f log f) to sort f firms.
public struct CriticalFirms: Analysis {
    public let name = "critical-firms"
    public let version = "1.0.0"
    public let summary =
        "Lists the firms that are the only supplier of a component in the country or in the scope (单点), with the value at stake: the key-firm list (重点企业清单)."
    public let options: [OptionDeclaration] = []

    public init() {}

    /// A listed firm.
    struct Entry {
        var firm: Int
        var national: [Int] = []
        var local: [Int] = []
        var valueAtStake = 0.0
        var dependents = 0
    }

    public func run(_ request: AnalysisRequest) throws(AnalysisError) -> AnalysisResult {
        let model = request.model
        let components = model.components
        let supply = request.measures.localSupply

        // The sole suppliers, component by component.
        var entryOf: [Int: Int] = [:]
        var entries: [Entry] = []
        for component in 0..<components.count {
            let national = supply.domesticSuppliers[component] == 1
            let local = supply.localSuppliers[component] == 1
            guard national || local else { continue }
            for link in model.supplies.links(supplying: component) {
                let firm = model.supplies.firm(of: Int(link))
                let isNational = national && supply.isDomestic(firm: firm, in: model)
                let isLocal = local && supply.isLocal(firm: firm, in: model)
                guard isNational || isLocal else { continue }
                let index = entryOf[firm] ?? {
                    entries.append(Entry(firm: firm))
                    entryOf[firm] = entries.count - 1
                    return entries.count - 1
                }()
                if isNational { entries[index].national.append(component) }
                if isLocal { entries[index].local.append(component) }
            }
        }

        if !entries.isEmpty {
            let valueWeight = ChainMeasures.maximumValueWeights(model: model, cost: request.measures.costStructure)
            let dependents = ChainMeasures.dependentCounts(model: model)
            var stamp = [Int32](repeating: -1, count: components.count)
            var stack: [Int32] = []
            for index in entries.indices {
                let sole = Array(Set(entries[index].national + entries[index].local))
                entries[index].valueAtStake = sole.map { valueWeight[$0] }.max() ?? 0
                if sole.count == 1 {
                    entries[index].dependents = Int(dependents[sole[0]])
                    continue
                }
                // The union of several components' ancestors: one walk up, each ancestor once.
                var count = 0
                for component in sole { stack.append(contentsOf: components.parents(of: component)) }
                while let parent = stack.popLast() {
                    guard stamp[Int(parent)] != Int32(index) else { continue }
                    stamp[Int(parent)] = Int32(index)
                    count += 1
                    stack.append(contentsOf: components.parents(of: Int(parent)))
                }
                entries[index].dependents = count
            }
            let ids = model.firms.ids
            entries.sort { $0.valueAtStake != $1.valueAtStake ? $0.valueAtStake > $1.valueAtStake : ids[$0.firm] < ids[$1.firm] }
        }

        let componentIDs = components.ids
        func sortedIDs(_ list: [Int]) -> [String] { list.map { componentIDs[$0] }.sorted() }
        var firms: [JSONValue] = []
        firms.reserveCapacity(entries.count)
        for entry in entries {
            firms.append(.object(JSONObject([
                .init("firm", .string(model.firms.ids[entry.firm])),
                .init("region", .string(model.regions.ids[model.firms.region(of: entry.firm)])),
                .init("national", .array(sortedIDs(entry.national).map { .string($0) })),
                .init("local", .array(sortedIDs(entry.local).map { .string($0) })),
                .init("valueAtStake", .number(entry.valueAtStake)),
                .init("dependents", .number(Double(entry.dependents))),
            ])))
        }
        var result = AnalysisResult(analysis: name, scope: request.scopeID, extra: ["firms": .array(firms)])
        if request.wantsTables {
            result.tables = [table(model, entries: entries, language: request.language)]
            result.headline = headline(model, request: request, entries: entries, supply: supply)
        }
        if request.wantsMap {
            (result.annotations, result.legend) = map(model, request: request, entries: entries, supply: supply)
        }
        return result
    }

    /// The listed firms, most value at stake first.
    func table(_ model: ChainModel, entries: [Entry], language: Language = .en) -> ResultTable {
        let ids = model.components.ids
        let words = language.pick
        var table = ResultTable(id: "firms", title: words("Sole suppliers 单点: the key-firm list 重点企业清单", "单点供应企业：重点企业清单"), columns: [
            TableColumn("firm", words("Firm", "企业"), .firm),
            TableColumn("region", words("Region", "地区"), .region),
            TableColumn("national", words("National sole", "全国单点"), .components,
                help: words("components it alone supplies in the country", "国内仅由它供应的环节")),
            TableColumn("local", words("Local sole", "本地单点"), .components,
                help: words("components it alone supplies in the scope", "范围内仅由它供应的环节")),
            TableColumn("valueAtStake", words("Value at stake", "涉及价值"), .share,
                help: words("the largest share of a whole product's cost among those components", "这些环节在整机成本中的最大份额")),
            TableColumn("dependents", words("Dependents", "下游"), .integer,
                help: words("the components that need one of them, directly or through others", "直接或间接需要其中之一的环节数")),
        ], isView: true)
        table.rows.reserveCapacity(entries.count)
        for entry in entries {
            table.rows.append([
                .id(model.firms.ids[entry.firm]), .id(model.regions.ids[model.firms.region(of: entry.firm)]),
                .ids(entry.national.map { ids[$0] }.sorted()), .ids(entry.local.map { ids[$0] }.sorted()),
                .number(entry.valueAtStake), .integer(entry.dependents),
            ])
        }
        return table
    }

    /// "12 firms are sole suppliers: 5 in China 单点, 9 in Guangdong; most at stake: UBTech".
    func headline(_ model: ChainModel, request: AnalysisRequest, entries: [Entry], supply: LocalSupply) -> String {
        let national = entries.filter { !$0.national.isEmpty }.count
        let local = entries.filter { !$0.local.isEmpty }.count
        if request.language == .zh {
            var text = "\(entries.count) 家企业为单点供应：\(model.regions.names[supply.nationalScope]) \(national) 家，"
                + "\(model.regions.names[request.scope]) \(local) 家"
            if let first = entries.first { text += "；涉及价值最大：\(model.firms.names[first.firm])" }
            return text
        }
        var text = "\(Wording.count(entries.count, "firm")) \(entries.count == 1 ? "is a" : "are") sole supplier\(entries.count == 1 ? "" : "s"):"
            + " \(national) in \(model.regions.names[supply.nationalScope]) 单点, \(local) in \(model.regions.names[request.scope])"
        if let first = entries.first { text += "; most at stake: \(model.firms.names[first.firm])" }
        return text
    }

    static let nationalBorder = "#000000"
    static let localBorder = "#b35806"

    /// 单点 badges on components with a sole supplier in the country, a border on those with a
    /// sole supplier in the scope only.
    func map(_ model: ChainModel, request: AnalysisRequest, entries: [Entry], supply: LocalSupply) -> ([String: Annotation], [LegendEntry]) {
        var annotations: [String: Annotation] = [:]
        let nation = model.regions.names[supply.nationalScope]
        let scope = model.regions.names[request.scope]
        let language = request.language
        for entry in entries {
            let firmName = model.firms.names[entry.firm]
            for component in entry.national {
                let line = language == .zh
                    ? "\(firmName) 是 \(nation)" + (entry.local.contains(component) ? "及 \(scope) " : " ") + "唯一的供应企业"
                    : "\(firmName) is the only supplier in \(nation)" + (entry.local.contains(component) ? " and in \(scope)" : "")
                annotations[model.components.ids[component]] = Annotation(badge: "单点", tooltip: line, border: Self.nationalBorder)
            }
            for component in entry.local where !entry.national.contains(component) {
                annotations[model.components.ids[component]] = Annotation(
                    badge: "本地单点",
                    tooltip: language.pick("\(firmName) is the only supplier in \(scope)", "\(firmName) 是 \(scope) 唯一的供应企业"), border: Self.localBorder)
            }
        }
        // S is within N, so a component's sole local supplier, if it is also sole nationally, is
        // the same firm: each component gets at most one annotation.
        let legend = [
            LegendEntry(label: language.pick("one supplier in \(nation) (单点)", "\(nation)仅一家供应（单点）"), border: Self.nationalBorder, badge: "单点"),
            LegendEntry(label: language.pick("one supplier in \(scope), more in \(nation)", "\(scope)仅一家供应，\(nation)有多家"), border: Self.localBorder, badge: "本地单点"),
        ]
        return (annotations, legend)
    }
}
