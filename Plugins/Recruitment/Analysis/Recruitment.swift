import Dispatch
import RoboChainAnalysis
import RoboChainJSON
import RoboChainModel
import Synchronization

/// Recruitment (SPEC §9): the firms outside the scope that would raise its share of the chain's
/// value most if they came (招商 targets), with the gaps each would fill.
///
/// For scope S, a firm f not within S and a root r with Z_r > 0 (SPEC §8):
/// G_r(f) = Σ over f's links l to supplied components c of r of a_r(c)·w_l ÷ W_c, all ÷ Z_r, where
/// a_r(c) = V_r(c)·own(c) and w_l ÷ W_c is the link's part of c's supply (``SupplyWeights``).
/// That is exactly how much r's value-weighted local share Σ a_r(c)·D(c) ÷ Z_r rises if f's
/// region were within S (`--relocate f=S`). score(f) = max over roots of G_r(f); `root` is that
/// root (the smallest id on a tie, gains equal within rounding tying); `fills` are the components f supplies that have no supplier
/// within S. Listed: firms with score > 0, by score descending, then firm id; the first `limit`
/// (0 lists all).
///
/// Every firm's gains come from one pass over its own links, each link visiting the roots that
/// reach its component: no analysis is re-run per firm. The firms are split into chunks on the
/// cores there are; the result does not depend on how many.
///
/// Result key: `firms` ([{firm, region, domestic, score, root, gains: {rootId: G_r(f)} (those
/// > 0, roots in model order), fills}]).
///
/// - Complexity: O(links × roots) at most — exactly O(Σ over links of the roots reaching the
///   link's component) — plus the value weights of ``SuppliedValue`` and O(n log limit) to keep
///   the best `limit` of n firms with a positive score (O(n log n) when `limit` is 0); see
///   ``best(_:limit:ids:)``.
public struct Recruitment: Analysis {
    public let name = "recruitment"
    public let version = "1.0.0"
    public let summary =
        "Ranks the firms outside the scope by how much each would raise the scope's value-weighted local share if recruited (招商), with the gaps each would fill."

    /// The most firms listed.
    public static let limit = AnalysisOption<Int>("limit", default: 20, help: "Most firms listed; 0 lists all.") {
        $0 >= 0 ? nil : "must be 0 or more, not \($0)"
    }

    public var options: [OptionDeclaration] { [Self.limit.declaration] }

    public init() {}

    /// One firm's ranking: its best gain and that root's position.
    struct Score {
        var firm: Int32
        var root: Int32
        var score: Double
    }

    public func run(_ request: AnalysisRequest) throws(AnalysisError) -> AnalysisResult {
        let model = request.model
        let limit = request.options[Self.limit]
        let supply = request.measures.localSupply
        let weights = request.measures.supplyWeights
        let supplied = request.measures.suppliedValue
        let ids = model.firms.ids
        let roots = model.components.roots
        let rootIDs = roots.map { model.components.ids[Int($0)] }
        let coefficient = Self.coefficients(supplied)
        let firms = model.firms
        let supplies = model.supplies
        let regionIsLocal = supply.regionIsLocal

        // Each firm's score, in chunks of firms; then the best `limit` of all, in ranking order.
        let firmCount = model.firms.count
        let chunkCount = firmCount < 8192 ? 1 : 16
        let scored = Mutex([[Score]](repeating: [], count: chunkCount))
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            var gains = [Double](repeating: 0, count: roots.count)
            var seen = [Bool](repeating: false, count: roots.count)
            var touched: [Int32] = []
            var positive: [Score] = []
            for firm in (firmCount * chunk / chunkCount)..<(firmCount * (chunk + 1) / chunkCount) {
                guard !regionIsLocal[firms.region(of: firm)] else { continue }
                Self.gains(of: firm, firms, supplies, weights, supplied, coefficient, into: &gains, touched: &touched, seen: &seen)
                var score = 0.0
                for root in touched where gains[Int(root)] > score { score = gains[Int(root)] }
                var top: Score?
                for root in touched {
                    let gain = gains[Int(root)]
                    gains[Int(root)] = 0
                    seen[Int(root)] = false
                    // The smallest root id among the gains equal to the best (within rounding).
                    guard gain > 0, Self.ties(gain, score) else { continue }
                    if let current = top, rootIDs[Int(root)] > rootIDs[Int(current.root)] { continue }
                    top = Score(firm: Int32(firm), root: root, score: score)
                }
                touched.removeAll(keepingCapacity: true)
                if let top { positive.append(top) }
            }
            scored.withLock { $0[chunk] = positive }
        }
        let ranked = Self.best(scored.withLock { $0.flatMap { $0 } }, limit: limit, ids: ids)

        // The listed firms in full: gains by root, fills.
        var gains = [Double](repeating: 0, count: roots.count)
        var seen = [Bool](repeating: false, count: roots.count)
        var touched: [Int32] = []
        var entries: [JSONValue] = []
        var fills: [[Int]] = []
        for score in ranked {
            let firm = Int(score.firm)
            Self.gains(of: firm, firms, supplies, weights, supplied, coefficient, into: &gains, touched: &touched, seen: &seen)
            var byRoot = JSONObject()
            for root in touched.sorted() {
                if gains[Int(root)] > 0 { byRoot.append(rootIDs[Int(root)], .number(gains[Int(root)])) }
                gains[Int(root)] = 0
                seen[Int(root)] = false
            }
            touched.removeAll(keepingCapacity: true)
            let filled = model.firms.links(of: firm).map { model.supplies.component(of: $0) }
                .filter { supply.localSuppliers[$0] == 0 }
                .sorted { model.components.ids[$0] < model.components.ids[$1] }
            fills.append(filled)
            let region = model.firms.region(of: firm)
            entries.append(.object(JSONObject([
                .init("firm", .string(ids[firm])),
                .init("region", .string(model.regions.ids[region])),
                .init("domestic", .bool(supply.regionIsDomestic[region])),
                .init("score", .number(score.score)),
                .init("root", .string(rootIDs[Int(score.root)])),
                .init("gains", .object(byRoot)),
                .init("fills", .array(filled.map { .string(model.components.ids[$0]) })),
            ])))
        }
        var result = AnalysisResult(analysis: name, scope: request.scopeID, extra: ["firms": .array(entries)])
        if request.wantsTables {
            result.tables = [table(model, ranked: ranked, fills: fills, supply: supply, language: request.language)]
            result.headline = headline(model, request: request, ranked: ranked, fills: fills)
        }
        if request.wantsMap {
            (result.annotations, result.legend) = map(model, request: request, ranked: ranked, fills: fills)
        }
        return result
    }

    /// Adds G_r(firm) to `gains[r]` for every root r that reaches a component the firm supplies
    /// (0 where Z_r ≤ 0, by `coefficient`), and appends each such r to `touched` once.
    ///
    /// - Precondition: `gains` is all zeros, `touched` empty and `seen` all false; the caller
    ///   resets the entries of `touched` after use.
    @inline(__always)
    static func gains(
        of firm: Int, _ firms: FirmTable, _ supplies: SupplyTable, _ weights: SupplyWeights, _ supplied: SuppliedValue,
        _ coefficient: [Double], into gains: inout [Double], touched: inout [Int32], seen: inout [Bool]
    ) {
        for link in firms.links(of: firm) {
            let fraction = weights.fraction[link]
            for entry in supplied.entries(of: supplies.component(of: link)) {
                let root = Int(supplied.rootPosition[entry])
                if !seen[root] {
                    seen[root] = true
                    touched.append(Int32(root))
                }
                gains[root] += coefficient[entry] * fraction
            }
        }
    }

    /// a_r(c) ÷ Z_r for each entry of `supplied`, 0 where Z_r ≤ 0 (such a root gains nothing).
    static func coefficients(_ supplied: SuppliedValue) -> [Double] {
        var coefficient = [Double](repeating: 0, count: supplied.valueAdded.count)
        for entry in coefficient.indices {
            let total = supplied.total[Int(supplied.rootPosition[entry])]
            if total > 0 { coefficient[entry] = supplied.valueAdded[entry] / total }
        }
        return coefficient
    }

    /// Whether two scores are equal but for rounding: within 1e-12 of the larger, relatively.
    ///
    /// Gains that are equal by SPEC §9's definition come out of different sums of products and
    /// may differ in their last bits; such scores tie (ranked by firm id, root the smallest id).
    static func ties(_ left: Double, _ right: Double) -> Bool {
        abs(left - right) <= 1e-12 * max(abs(left), abs(right))
    }

    /// Whether `left` ranks before `right` by the exact scores: score descending, then firm id.
    static func precedes(_ left: Score, _ right: Score, ids: [String]) -> Bool {
        left.score != right.score ? left.score > right.score : ids[Int(left.firm)] < ids[Int(right.firm)]
    }

    /// The first `limit` of `scores` (all when 0) in ranking order: score descending, scores that
    /// ``ties(_:_:)`` counting as equal, then firm id.
    ///
    /// A bounded heap keeps the `limit` best by exact score; then every score that ties with the
    /// worst of those joins them, and those candidates are sorted and cut to `limit`.
    ///
    /// - Complexity: O(n log limit) for n scores, plus O(k log k) for the k candidates (`limit` and
    ///   the scores tied with the last kept one); O(n log n) when `limit` is 0.
    static func best(_ scores: [Score], limit: Int, ids: [String]) -> [Score] {
        var candidates = scores
        if limit > 0 && limit < scores.count {
            // A heap whose root is the worst kept score: a score that ranks before it replaces it.
            var heap = BoundedHeap(capacity: limit) { precedes($0, $1, ids: ids) }
            for score in scores { heap.offer(score) }
            let cut = heap.worst!.score
            candidates = scores.filter { $0.score >= cut || ties($0.score, cut) }
        }
        candidates.sort { precedes($0, $1, ids: ids) }
        // Runs of tied scores (each within rounding of its run's first) go by firm id.
        var start = 0
        while start < candidates.count {
            var end = start + 1
            while end < candidates.count && ties(candidates[end].score, candidates[start].score) { end += 1 }
            if end - start > 1 { candidates[start..<end].sort { ids[Int($0.firm)] < ids[Int($1.firm)] } }
            start = end
        }
        if limit > 0 && candidates.count > limit { candidates.removeLast(candidates.count - limit) }
        return candidates
    }

    /// The listed firms, best first.
    func table(_ model: ChainModel, ranked: [Score], fills: [[Int]], supply: LocalSupply, language: Language = .en) -> ResultTable {
        let words = language.pick
        var table = ResultTable(id: "firms", title: words("Firms to recruit 招商, by the value they would bring", "招商对象（按可带来的价值排序）"), columns: [
            TableColumn("firm", words("Firm", "企业"), .firm),
            TableColumn("region", words("Region", "地区"), .region),
            TableColumn("domestic", words("In the country", "国内"), .boolean),
            TableColumn("score", words("Gain", "提升"), .share,
                help: words("how much the scope's value-weighted local share of the product below would rise if the firm came",
                    "引进该企业后，范围内下列整机按价值加权的本地化率可提升的幅度")),
            TableColumn("root", words("Product", "整机"), .component,
                help: words("the whole product whose local share it raises most", "本地化率提升最多的整机")),
            TableColumn("fills", words("Fills 补链", "补链环节"), .components,
                help: words("the components it supplies that have no supplier in the scope", "它供应而范围内无供应企业的环节")),
        ], isView: true)
        for (score, filled) in zip(ranked, fills) {
            let firm = Int(score.firm)
            let region = model.firms.region(of: firm)
            table.rows.append([
                .id(model.firms.ids[firm]), .id(model.regions.ids[region]), .boolean(supply.regionIsDomestic[region]),
                .number(score.score), .id(model.components.ids[Int(model.components.roots[Int(score.root)])]),
                .ids(filled.map { model.components.ids[$0] }),
            ])
        }
        return table
    }

    /// "top recruit: Nabtesco (Japan) would bring 4 % of Humanoid robot's value into Guangdong; fills RV reducer".
    func headline(_ model: ChainModel, request: AnalysisRequest, ranked: [Score], fills: [[Int]]) -> String {
        let scopeName = model.regions.names[request.scope]
        guard let top = ranked.first else {
            return request.language.pick("no firm outside \(scopeName) would add to its share", "\(scopeName)以外没有能提高其本地化率的企业")
        }
        let firm = Int(top.firm)
        let product = model.components.names[Int(model.components.roots[Int(top.root)])]
        if request.language == .zh {
            var text = "首选招商对象：\(model.firms.names[firm])（\(model.regions.names[model.firms.region(of: firm)])），"
                + "可为 \(scopeName) 带来 \(product) \(Wording.percent(top.score)) 的价值"
            if !fills[0].isEmpty { text += "；补链：" + fills[0].prefix(3).map { model.components.names[$0] }.joined(separator: "、") + (fills[0].count > 3 ? " 等" : "") }
            return text + "；共列出 \(ranked.count) 家企业"
        }
        var text = "top recruit: \(model.firms.names[firm]) (\(model.regions.names[model.firms.region(of: firm)]))"
            + " would bring \(Wording.percent(top.score)) of \(product)'s value into \(model.regions.names[request.scope])"
        if !fills[0].isEmpty { text += "; fills " + Wording.list(fills[0].lazy.map { model.components.names[$0] }, first: 3) }
        return text + "; \(Wording.count(ranked.count, "firm")) listed"
    }

    static let topBorder = "#d6604d"
    static let otherBorder = "#f4a582"

    /// 招商 badges on what the top recruit would fill; a lighter border on what the others would.
    func map(_ model: ChainModel, request: AnalysisRequest, ranked: [Score], fills: [[Int]]) -> ([String: Annotation], [LegendEntry]) {
        var annotations: [String: Annotation] = [:]
        let scopeName = model.regions.names[request.scope]
        let language = request.language
        for (rank, (score, filled)) in zip(ranked, fills).enumerated() {
            let firmName = model.firms.names[Int(score.firm)]
            for component in filled {
                let id = model.components.ids[component]
                let line = language == .zh
                    ? "引进 \(firmName)（第 \(rank + 1) 名，+\(Wording.percent(score.score))）可为 \(scopeName) 补上供应"
                    : "Recruiting \(firmName) (#\(rank + 1), +\(Wording.percent(score.score))) would give \(scopeName) a supplier"
                if let existing = annotations[id] {
                    annotations[id] = existing.merged(with: Annotation(tooltip: line))
                } else {
                    annotations[id] = rank == 0
                        ? Annotation(badge: "招商", tooltip: line, border: Self.topBorder)
                        : Annotation(tooltip: line, border: Self.otherBorder)
                }
            }
        }
        let legend = [
            LegendEntry(label: language.pick("the top recruit would fill this gap (招商)", "首选招商对象可补此缺口（招商）"), border: Self.topBorder, badge: "招商"),
            LegendEntry(label: language.pick("another listed recruit would fill this gap", "其他招商对象可补此缺口"), border: Self.otherBorder),
        ]
        return (annotations, legend)
    }
}

/// At most `capacity` elements, the worst (by `precedes`) at the root of a binary heap, so that
/// keeping the best `capacity` of n elements costs O(n log capacity).
struct BoundedHeap<Element> {
    let capacity: Int
    /// Whether the first element ranks before (is better than) the second.
    let precedes: (Element, Element) -> Bool
    private(set) var elements: [Element] = []

    init(capacity: Int, precedes: @escaping (Element, Element) -> Bool) {
        self.capacity = capacity
        self.precedes = precedes
        elements.reserveCapacity(capacity)
    }

    /// The worst element kept, nil when none is.
    var worst: Element? { elements.first }

    /// Keeps `element` if fewer than `capacity` are kept or it ranks before the worst kept one
    /// (which then goes). O(log capacity).
    mutating func offer(_ element: Element) {
        guard capacity > 0 else { return }
        if elements.count < capacity {
            elements.append(element)
            var child = elements.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard precedes(elements[parent], elements[child]) else { break }
                elements.swapAt(parent, child)
                child = parent
            }
            return
        }
        guard precedes(element, elements[0]) else { return }
        elements[0] = element
        var parent = 0
        while true {
            var worst = parent
            let left = 2 * parent + 1
            if left < elements.count && precedes(elements[worst], elements[left]) { worst = left }
            if left + 1 < elements.count && precedes(elements[worst], elements[left + 1]) { worst = left + 1 }
            guard worst != parent else { return }
            elements.swapAt(parent, worst)
            parent = worst
        }
    }
}
