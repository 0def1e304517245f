import Dispatch
import RoboChainAnalysis
import RoboChainJSON
import RoboChainModel
import Synchronization

/// Gap detection (SPEC §3): where the chain has no local or no domestic supplier.
///
/// For scope S, national scope N and threshold τ, every component gets at most one finding,
/// the first that holds: `unsupplied` (no supplier at all; info), `foreign-only` (no supplier
/// within N, a 卡脖子 candidate; critical), `no-local-supplier` (none within S, a 补链 gap; high),
/// `single-local-source` (exactly one within S; medium), `low-local-share` (D(c) < τ; low).
/// `foreign-only` and `no-local-supplier` findings list recruitment candidates (招商): the
/// suppliers outside S, those within N first, then by share descending, then by firm id.
/// Findings are ordered by severity, then value weight descending, then component id.
///
/// The supply counts, value weights and dependents are computed side by side; the candidates
/// and the single local suppliers come from a pass over each half of the supply links in
/// storage order, beside the sort of the findings; and the findings are written in chunks on
/// the cores there are, asking for what each reads a few findings ahead (``CacheHint``). The
/// result does not depend on how many cores there are.
///
/// - Complexity: O(regions × depth + components + links) for the supply counts, plus the value
///   weights of ``ChainMeasures/forEachRootValueWeights(model:cost:_:)``, the dependents of
///   ``ChainMeasures/dependentCounts(model:sparseBudget:)``, O(f log f) to sort f findings, and
///   O(links × candidates) for the recruitment candidates.
public struct GapDetection: Analysis {
    public let name = "gap-detection"
    public let version = "1.0.0"
    public let summary =
        "Finds components with no supplier in the scope (补链) or in the country (卡脖子), single local sources and low local shares, with recruitment candidates (招商)."
    /// The direct local share below which a component is flagged `low-local-share`.
    public static let threshold = AnalysisOption<Double>("threshold", default: 0.3,
        help: "Direct local share (0 to 1) below which a component with two or more local suppliers is flagged low-local-share."
    ) { value in
        value >= 0 && value <= 1 ? nil : "must be a share from 0 to 1 (0.3 is 30 %), not \(OptionValue.number(value))"
    }

    /// The most recruitment candidates listed per finding.
    public static let candidates = AnalysisOption<Int>("candidates", default: 5,
        help: "Most recruitment candidates listed per foreign-only or no-local-supplier finding."
    ) { value in
        value >= 0 ? nil : "must be 0 or more, not \(value)"
    }

    public var options: [OptionDeclaration] { [Self.threshold.declaration, Self.candidates.declaration] }

    public init() {}

    /// The finding kinds of SPEC §3, most severe first.
    public enum Kind: String, CaseIterable, Sendable {
        case foreignOnly = "foreign-only"
        case noLocalSupplier = "no-local-supplier"
        case singleLocalSource = "single-local-source"
        case lowLocalShare = "low-local-share"
        case unsupplied

        public var severity: Severity {
            switch self {
            case .foreignOnly: .critical
            case .noLocalSupplier: .high
            case .singleLocalSource: .medium
            case .lowLocalShare: .low
            case .unsupplied: .info
            }
        }

        /// The map badge.
        var badge: String {
            switch self {
            case .foreignOnly: "卡脖子"
            case .noLocalSupplier: "补链"
            case .singleLocalSource: "单一"
            case .lowLocalShare: "低"
            case .unsupplied: "无数据"
            }
        }

        /// The border colour on the map: black, purples and blue — hues outside localisation
        /// share's red-to-green fills, darker for the more severe — so they show on any fill.
        var border: String {
            switch self {
            case .foreignOnly: "#000000"
            case .noLocalSupplier: "#542788"
            case .singleLocalSource: "#2166ac"
            case .lowLocalShare: "#8073ac"
            case .unsupplied: "#878787"
            }
        }

        /// What the kind means, for the legend.
        func meaning(_ language: Language) -> String {
            switch self {
            case .foreignOnly: language.pick("no supplier in the country (choke point)", "国内无供应（卡脖子）")
            case .noLocalSupplier: language.pick("no supplier in the scope (gap to fill)", "本地无供应（需补链）")
            case .singleLocalSource: language.pick("one supplier in the scope", "本地仅一家供应")
            case .lowLocalShare: language.pick("local share below the threshold", "本地份额低于阈值")
            case .unsupplied: language.pick("no supplier in the model (data gap)", "模型中无供应（数据缺口）")
            }
        }

        /// How the headline counts findings of the kind.
        func label(_ language: Language) -> String {
            switch self {
            case .foreignOnly: language.pick("foreign-only 卡脖子", "卡脖子")
            case .noLocalSupplier: language.pick("no local supplier 补链", "本地无供应（补链）")
            case .singleLocalSource: language.pick("single local source", "本地单一来源")
            case .lowLocalShare: language.pick("low local share", "本地份额低")
            case .unsupplied: language.pick("without any supplier", "无任何供应")
            }
        }
    }

    /// The members of each finding beyond the standard ones, typed for every output format.
    static func findingColumns(_ language: Language) -> [TableColumn] {
        let words = language.pick
        return [
            TableColumn("localSuppliers", words("Local", "本地"), .integer, help: words("suppliers in the scope", "范围内的供应企业数")),
            TableColumn("suppliers", words("All", "全部"), .integer, help: words("all suppliers in the model", "模型中全部供应企业数")),
            TableColumn("valueWeight", words("Value", "价值"), .share,
                help: words("the component's share of the cost of the whole product it weighs most in", "该环节在其占比最高的整机成本中的份额")),
            TableColumn("dependents", words("Dependents", "下游"), .integer,
                help: words("the components that need it, directly or through others", "直接或间接需要它的环节数")),
            TableColumn("candidates", words("Candidates 招商", "招商对象"), .firms,
                help: words("suppliers outside the scope, those in the country first", "范围外的供应企业，国内优先")),
        ]
    }

    public func run(_ request: AnalysisRequest) throws(AnalysisError) -> AnalysisResult {
        let model = request.model
        let threshold = request.options[Self.threshold]
        let candidateLimit = request.options[Self.candidates]
        // Three independent measures, side by side.
        let measures = Mutex<(supply: LocalSupply?, valueWeight: [Double], dependents: [Int32])>((nil, [], []))
        DispatchQueue.concurrentPerform(iterations: 3) { part in
            switch part {
            case 0:
                let supply = request.measures.localSupply
                measures.withLock { $0.supply = supply }
            case 1:
                let valueWeight = ChainMeasures.maximumValueWeights(model: model, cost: request.measures.costStructure)
                measures.withLock { $0.valueWeight = valueWeight }
            default:
                let dependents = ChainMeasures.dependentCounts(model: model)
                measures.withLock { $0.dependents = dependents }
            }
        }
        let (supply, valueWeight, dependents) = measures.withLock { ($0.supply!, $0.valueWeight, $0.dependents) }
        let language = request.language
        let scopeName = Wording.region(request.scope, in: model)
        let nationName = Wording.region(supply.nationalScope, in: model)

        // Kinds by number (their rank, most severe first), so that sorting compares integers.
        let kinds = Kind.allCases
        var kindsFound: [(component: Int, kind: Int)] = []
        for component in 0..<model.components.count {
            let suppliers = model.supplies.supplierCount(of: component)
            let kind: Kind
            if suppliers == 0 {
                kind = .unsupplied
            } else if supply.domesticSuppliers[component] == 0 {
                kind = .foreignOnly
            } else if supply.localSuppliers[component] == 0 {
                kind = .noLocalSupplier
            } else if supply.localSuppliers[component] == 1 {
                kind = .singleLocalSource
            } else if supply.directShare[component] < threshold {
                kind = .lowLocalShare
            } else {
                continue
            }
            kindsFound.append((component, kinds.firstIndex(of: kind)!))
        }
        let found = kindsFound
        // The findings' order (positions in `found`, by severity, value weight, then id) beside
        // what they need of their suppliers, gathered from the two halves of the supply links.
        let slots = LocalFacts.Slots(found.map { (component: $0.component, kind: kinds[$0.kind]) },
            components: model.components.count, limit: candidateLimit)
        let parts = model.supplies.count < 100_000 ? 1 : 2
        let sorted = Mutex<(order: [Int32], local: [LocalFacts?])>(([], Array(repeating: nil, count: parts)))
        DispatchQueue.concurrentPerform(iterations: parts + 1) { part in
            if part == parts {
                let order = Self.rankOrder(found, valueWeight: valueWeight, ids: model.components.ids)
                sorted.withLock { $0.order = order }
            } else {
                let links = (model.supplies.count * part / parts)..<(model.supplies.count * (part + 1) / parts)
                let local = Self.localFacts(slots, links: links, model: model, supply: supply)
                sorted.withLock { $0.local[part] = local }
            }
        }
        let (order, halves) = sorted.withLock { ($0.order, $0.local.map { $0! }) }
        let local = halves.dropFirst().reduce(halves[0]) { $0.merged(with: $1, ids: model.firms.ids) }

        // The findings — sentences, candidates, details — in chunks on the cores there are, in
        // rank order, so that they lie in memory in the order they are written out.
        let chunkCount = found.count < 4096 ? 1 : 16
        @Sendable func prefetchComponent(_ component: Int) {
            CacheHint.prefetch(supply.localSuppliers, at: component)
            CacheHint.prefetch(supply.domesticSuppliers, at: component)
            CacheHint.prefetch(supply.directShare, at: component)
            CacheHint.prefetchSuppliers(of: component, in: model.supplies)
            CacheHint.prefetch(dependents, at: component)
            CacheHint.prefetch(valueWeight, at: component)
            CacheHint.prefetch(model.components.ids, at: component)
            CacheHint.prefetch(model.components.names, at: component)
            local.prefetchSlot(of: component)
        }
        let findings = [Finding](unsafeUninitializedCapacity: found.count) { buffer, initialized in
            let target = FindingSlots(buffer: buffer)
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                var candidateBuffer: [Candidate] = []
                let ranks = (found.count * chunk / chunkCount)..<(found.count * (chunk + 1) / chunkCount)
                for rank in ranks {
                    // The findings are in rank order, their components and firms at random: what
                    // each reads is asked for a few findings ahead (``CacheHint``).
                    if rank + 4 < ranks.upperBound { CacheHint.prefetch(found, at: Int(order[rank + 4])) }
                    if rank + 3 < ranks.upperBound { prefetchComponent(found[Int(order[rank + 3])].component) }
                    if rank + 2 < ranks.upperBound { local.prefetchCandidates(of: found[Int(order[rank + 2])].component) }
                    if rank + 1 < ranks.upperBound { local.prefetchFirms(of: found[Int(order[rank + 1])].component, in: model) }
                    let (component, kindNumber) = found[Int(order[rank])]
                    let kind = kinds[kindNumber]
                    let candidates = kind == .foreignOnly || kind == .noLocalSupplier
                        ? local.candidates(of: component) ?? recruitmentCandidates(component, model, supply, limit: candidateLimit,
                            buffer: &candidateBuffer)
                        : []
                    let message = sentence(
                        kind: kind, component: component, model: model, supply: supply, threshold: threshold,
                        scopeName: scopeName, nationName: nationName, candidates: candidates,
                        localFirm: kind == .singleLocalSource ? local.onlyLocalFirm(of: component) : nil, language: language)
                    let details: JSONObject = [
                        "localSuppliers": .number(Double(supply.localSuppliers[component])),
                        "suppliers": .number(Double(model.supplies.supplierCount(of: component))),
                        "dependents": .number(Double(dependents[component])),
                        "valueWeight": .number(valueWeight[component]),
                        "candidates": .array(candidates.map { .string(model.firms.ids[$0]) }),
                    ]
                    (target.buffer.baseAddress! + rank).initialize(to: Finding(kind: kind.rawValue,
                        severity: kind.severity, message: message, component: model.components.ids[component], details: details))
                }
            }
            initialized = found.count
        }
        let ranked = order.map { found[Int($0)] }
        var result = AnalysisResult(analysis: name, scope: request.scopeID, findings: findings)
        if request.wantsTables {
            result.findingColumns = Self.findingColumns(language)
            result.headline = Self.headline(ranked.map { kinds[$0.kind] }, language: language)
            if language != .en {
                result.kindTitles = Dictionary(uniqueKeysWithValues: Kind.allCases.map { ($0.rawValue, $0.label(language)) })
            }
        }
        guard request.wantsMap else { return result }
        var annotations: [String: Annotation] = [:]
        for (finding, (_, kindNumber)) in zip(findings, ranked) {
            let kind = kinds[kindNumber]
            annotations[finding.component!] = Annotation(badge: kind.badge, tooltip: finding.message, border: kind.border)
        }
        result.annotations = annotations
        result.legend = kinds.map { LegendEntry(label: "\($0.rawValue): \($0.meaning(language))", border: $0.border, badge: $0.badge) }
        return result
    }

    /// "27 gaps (11 no local supplier 补链, 15 single local source, 1 low local share); 2
    /// components without any supplier": the gaps by kind, the data gaps apart.
    static func headline(_ found: [Kind], language: Language = .en) -> String {
        var counts: [Kind: Int] = [:]
        for kind in found { counts[kind, default: 0] += 1 }
        let gaps = found.count - counts[.unsupplied, default: 0]
        let byKind = Kind.allCases.filter { $0 != .unsupplied && counts[$0, default: 0] > 0 }
            .map { language == .zh ? "\($0.label(language)) \(counts[$0]!) 项" : "\(counts[$0]!) \($0.label(language))" }
        if language == .zh {
            var headline = "\(gaps) 处缺口" + (byKind.isEmpty ? "" : "（\(byKind.joined(separator: "，"))）")
            if let unsupplied = counts[.unsupplied] { headline += "；\(unsupplied) 个环节无任何供应" }
            return headline
        }
        var headline = Wording.count(gaps, "gap") + (byKind.isEmpty ? "" : " (\(byKind.joined(separator: ", ")))")
        if let unsupplied = counts[.unsupplied] {
            headline += "; \(Wording.count(unsupplied, "component")) without any supplier"
        }
        return headline
    }

    /// A recruitment candidate: a firm outside the scope, and how it ranks.
    struct Candidate: Sendable {
        var firm: Int
        var domestic: Bool
        var share: Double

        /// A supplier outside the scope as a candidate: its share (NaN, absent, counts as 0).
        init(firm: Int, share: Double, model: ChainModel, supply: LocalSupply) {
            self.init(firm: firm, domestic: supply.isDomestic(firm: firm, in: model), share: share.isNaN ? 0 : share)
        }

        init(firm: Int, domestic: Bool, share: Double) {
            self.firm = firm
            self.domestic = domestic
            self.share = share
        }

        /// Puts this candidate among the best `width` kept in order at
        /// `places[base..<base + count]`, if it is one of them (the last is dropped when all
        /// `width` places are taken).
        ///
        /// - Complexity: O(width).
        func keep(in places: inout [Candidate], base: Int, count: inout Int, width: Int, ids: [String]) {
            if count == width {
                guard precedes(places[base + width - 1], ids: ids) else { return }
                count -= 1
            }
            var position = count
            while position > 0 && precedes(places[base + position - 1], ids: ids) {
                places[base + position] = places[base + position - 1]
                position -= 1
            }
            places[base + position] = self
            count += 1
        }

        /// Whether this candidate comes before `other`: within the country first, then by share
        /// descending (absent counts as 0), then by firm id.
        func precedes(_ other: Candidate, ids: [String]) -> Bool {
            if domestic != other.domestic { return domestic }
            if share != other.share { return share > other.share }
            return ids[firm] < ids[other.firm]
        }
    }

    /// What the findings need of their components' suppliers, found in a pass over the supply
    /// links in storage order (or over parts of them, ``merged(with:ids:)`` after): the
    /// recruitment candidates of each `foreign-only` and `no-local-supplier` finding, and the one
    /// local supplier of each `single-local-source`.
    struct LocalFacts: Sendable {
        /// Which components want what: the same for every part of the links.
        struct Slots: Sendable {
            /// The most candidates of a finding (0 when they are not kept, see ``keptCandidates``).
            let limit: Int
            /// For each component: its candidates' slot (≥ 0), -2 when its one local supplier is
            /// wanted, else -1.
            let slot: [Int32]
            /// How many components have a candidates' slot.
            let count: Int

            /// The slots of the findings `found` among `components` components, for at most `limit`
            /// candidates each.
            init(_ found: [(component: Int, kind: Kind)], components: Int, limit: Int) {
                let keeps = limit > 0 && limit <= keptCandidates
                var slot = [Int32](repeating: -1, count: components)
                var count = 0
                for (component, kind) in found {
                    switch kind {
                    case .foreignOnly, .noLocalSupplier:
                        guard keeps else { continue }
                        slot[component] = Int32(count)
                        count += 1
                    case .singleLocalSource:
                        slot[component] = -2
                    default:
                        break
                    }
                }
                self.limit = keeps ? limit : 0
                self.slot = slot
                self.count = count
            }
        }

        let slots: Slots
        /// `slots.limit` places for each slot, its candidates first, in order.
        var candidates: [Candidate]
        /// How many candidates each slot has.
        var counts: [Int32]
        /// For each component whose local supplier is wanted: that firm (the first met), or -1.
        var localFirm: [Int32]

        /// The candidates of a component, or `nil` when they were not kept.
        func candidates(of component: Int) -> [Int]? {
            let kept = Int(slots.slot[component])
            guard kept >= 0 else { return nil }
            let limit = slots.limit
            return candidates[(kept * limit)..<(kept * limit + Int(counts[kept]))].map(\.firm)
        }

        /// The local supplier of a component whose local supplier was wanted, if it has one.
        func onlyLocalFirm(of component: Int) -> Int? {
            localFirm[component] < 0 ? nil : Int(localFirm[component])
        }

        /// Asks for what ``candidates(of:)`` and ``onlyLocalFirm(of:)`` read first (``CacheHint``).
        func prefetchSlot(of component: Int) {
            CacheHint.prefetch(slots.slot, at: component)
            CacheHint.prefetch(localFirm, at: component)
        }

        /// Asks for a component's candidates, once its slot is in the cache.
        func prefetchCandidates(of component: Int) {
            let kept = Int(slots.slot[component])
            guard kept >= 0 else { return }
            CacheHint.prefetch(counts, at: kept)
            CacheHint.prefetch(candidates, at: kept * slots.limit)
            CacheHint.prefetch(candidates, at: kept * slots.limit + slots.limit - 1)
        }

        /// Asks for the ids and names of a component's candidates or of its local supplier, once
        /// they are in the cache.
        func prefetchFirms(of component: Int, in model: ChainModel) {
            let kept = Int(slots.slot[component])
            if kept == -2, localFirm[component] >= 0 {
                CacheHint.prefetch(model.firms.names, at: Int(localFirm[component]))
            }
            guard kept >= 0 else { return }
            for place in (kept * slots.limit)..<(kept * slots.limit + Int(counts[kept])) {
                CacheHint.prefetch(model.firms.ids, at: candidates[place].firm)
                CacheHint.prefetch(model.firms.names, at: candidates[place].firm)
            }
        }

        /// The facts of these links followed by those of `later`, the links after them: the best
        /// candidates of both (the order is total, so they are those of one pass over all the
        /// links), and the local supplier met first.
        ///
        /// - Complexity: O(components + slots × limit²): each of `later`'s candidates is kept by insertion.
        func merged(with later: LocalFacts, ids: [String]) -> LocalFacts {
            var merged = self
            let width = slots.limit
            for kept in 0..<slots.count where later.counts[kept] > 0 {
                var count = Int(merged.counts[kept])
                for place in (kept * width)..<(kept * width + Int(later.counts[kept])) {
                    later.candidates[place].keep(in: &merged.candidates, base: kept * width, count: &count, width: width, ids: ids)
                }
                merged.counts[kept] = Int32(count)
            }
            for component in 0..<localFirm.count where merged.localFirm[component] < 0 {
                merged.localFirm[component] = later.localFirm[component]
            }
            return merged
        }
    }

    /// The most candidates per finding kept by ``localFacts(_:links:model:supply:)``; above it,
    /// each finding looks its candidates up itself (``recruitmentCandidates(_:_:_:limit:buffer:)``),
    /// so that a large `--candidates` does not keep that many places for every finding.
    static let keptCandidates = 8

    /// ``LocalFacts`` for the findings given by `slots`, from the supply links `links`.
    ///
    /// Each component's links are read where they lie (links are stored firm by firm), not
    /// component by component, so the firms, their regions and the shares are read in turn
    /// rather than at random. The candidates are the first `limit` by ``Candidate/precedes(_:ids:)``,
    /// a total order (a firm supplies a component at most once), so they do not depend on the
    /// order the links are read in, and are those ``recruitmentCandidates(_:_:_:limit:buffer:)``
    /// gives.
    ///
    /// - Complexity: O(components + links × limit).
    static func localFacts(_ slots: LocalFacts.Slots, links: Range<Int>, model: ChainModel, supply: LocalSupply) -> LocalFacts {
        let width = slots.limit
        var store = [Candidate](repeating: Candidate(firm: 0, domestic: false, share: 0), count: slots.count * width)
        var counts = [Int32](repeating: 0, count: slots.count)
        var localFirm = [Int32](repeating: -1, count: slots.slot.count)
        let ids = model.firms.ids
        let supplies = model.supplies
        let slot = slots.slot
        supplies.shareValue.withUnsafeBufferPointer { shares in
            for link in links {
                let component = supplies.component(of: link)
                let kept = Int(slot[component])
                guard kept != -1 else { continue }
                let firm = supplies.firm(of: link)
                let isLocal = supply.isLocal(firm: firm, in: model)
                if kept == -2 {
                    if isLocal && localFirm[component] < 0 { localFirm[component] = Int32(firm) }
                    continue
                }
                guard !isLocal else { continue }
                var count = Int(counts[kept])
                Candidate(firm: firm, share: shares[link], model: model, supply: supply)
                    .keep(in: &store, base: kept * width, count: &count, width: width, ids: ids)
                counts[kept] = Int32(count)
            }
        }
        return LocalFacts(slots: slots, candidates: store, counts: counts, localFirm: localFirm)
    }

    /// The order of the findings `found` (positions in it): by kind (their rank, most severe
    /// first), value weight descending, then component id. The kinds and weights are gathered
    /// side by side first, so that the sort compares what lies together and reads an id only
    /// on a tie.
    ///
    /// - Complexity: O(f log f) for f findings.
    static func rankOrder(_ found: [(component: Int, kind: Int)], valueWeight: [Double], ids: [String]) -> [Int32] {
        var keys = found.indices.map { position in
            RankKey(kind: Int32(found[position].kind), position: Int32(position), weight: valueWeight[found[position].component])
        }
        keys.sort { left, right in
            if left.kind != right.kind { return left.kind < right.kind }
            if left.weight != right.weight { return left.weight > right.weight }
            return ids[found[Int(left.position)].component] < ids[found[Int(right.position)].component]
        }
        return keys.map(\.position)
    }

    /// What ``rankOrder(_:valueWeight:ids:)`` sorts: a finding's kind and value weight, and its
    /// position.
    struct RankKey {
        var kind: Int32
        var position: Int32
        var weight: Double
    }

    /// The firms outside the scope that supply `component`: those within the country first, then
    /// by share descending (absent counts as 0), then by firm id; at most `limit`.
    ///
    /// - Complexity: O(links × limit): the best `limit` are kept by insertion, no full sort.
    func recruitmentCandidates(
        _ component: Int, _ model: ChainModel, _ supply: LocalSupply, limit: Int, buffer: inout [Candidate]
    ) -> [Int] {
        // No more places than the component has suppliers: `--candidates` may be huge.
        let width = min(limit, model.supplies.supplierCount(of: component))
        guard width > 0 else { return [] }
        if buffer.count < width { buffer = [Candidate](repeating: Candidate(firm: 0, domestic: false, share: 0), count: width) }
        let ids = model.firms.ids
        var count = 0
        for link in model.supplies.links(supplying: component) {
            let firm = model.supplies.firm(of: Int(link))
            guard !supply.isLocal(firm: firm, in: model) else { continue }
            Candidate(firm: firm, share: model.supplies.shareValue[Int(link)], model: model, supply: supply)
                .keep(in: &buffer, base: 0, count: &count, width: width, ids: ids)
        }
        return buffer[0..<count].map(\.firm)
    }

    private func sentence(
        kind: Kind, component: Int, model: ChainModel, supply: LocalSupply, threshold: Double, scopeName: String,
        nationName: String, candidates: [Int], localFirm: Int?, language: Language = .en
    ) -> String {
        let name = model.components.names[component]
        let suppliers = model.supplies.supplierCount(of: component)
        if language == .zh {
            return chineseSentence(kind: kind, component: component, model: model, supply: supply, threshold: threshold,
                scopeName: scopeName, nationName: nationName, candidates: candidates, localFirm: localFirm)
        }
        let firstCandidates = candidates.prefix(3).map { model.firms.names[$0] }.joined(separator: ", ")
        switch kind {
        case .unsupplied:
            return "\(name) has no supplier in the model: a data gap to research."
        case .foreignOnly:
            let abroad = suppliers == 1 ? "its only supplier is abroad" : "all \(suppliers) suppliers are abroad"
            return "No supplier of \(name) is in \(nationName): \(abroad) (卡脖子 candidate)"
                + (firstCandidates.isEmpty ? "." : "; e.g. \(firstCandidates).")
        case .noLocalSupplier:
            return "No supplier of \(name) is in \(scopeName); \(Wording.count(Int(supply.domesticSuppliers[component]), "supplier")) elsewhere in \(nationName) (补链 gap)"
                + (firstCandidates.isEmpty ? "." : "; recruitment candidates: \(firstCandidates).")
        case .singleLocalSource:
            let firmName = localFirm.map { model.firms.names[$0] } ?? "one firm"
            return "\(name) has a single supplier in \(scopeName), \(firmName), out of \(Wording.count(suppliers, "supplier"))"
                + " (local share \(Wording.percent(supply.direct(component))))."
        case .lowLocalShare:
            return "Suppliers in \(scopeName) provide \(Wording.percent(supply.direct(component))) of \(name), below the \(Wording.percent(threshold)) threshold."
        }
    }

    /// The finding's sentence in Chinese.
    private func chineseSentence(
        kind: Kind, component: Int, model: ChainModel, supply: LocalSupply, threshold: Double, scopeName: String,
        nationName: String, candidates: [Int], localFirm: Int?
    ) -> String {
        let name = model.components.names[component]
        let suppliers = model.supplies.supplierCount(of: component)
        let firstCandidates = candidates.prefix(3).map { model.firms.names[$0] }.joined(separator: "、")
        switch kind {
        case .unsupplied:
            return "\(name)在模型中没有供应企业：需补充调研的数据缺口。"
        case .foreignOnly:
            let abroad = suppliers == 1 ? "唯一的供应企业在国外" : "全部 \(suppliers) 家供应企业都在国外"
            return "\(name)在\(nationName)没有供应企业：\(abroad)（卡脖子候选）" + (firstCandidates.isEmpty ? "。" : "；如\(firstCandidates)。")
        case .noLocalSupplier:
            return "\(name)在\(scopeName)没有供应企业；\(nationName)其他地区有 \(supply.domesticSuppliers[component]) 家（补链缺口）"
                + (firstCandidates.isEmpty ? "。" : "；招商对象：\(firstCandidates)。")
        case .singleLocalSource:
            let firmName = localFirm.map { model.firms.names[$0] } ?? "一家企业"
            return "\(name)在\(scopeName)仅有一家供应企业（\(firmName)），共 \(suppliers) 家供应企业（本地份额 \(Wording.percent(supply.direct(component)))）。"
        case .lowLocalShare:
            return "\(scopeName)的供应企业提供\(name)的 \(Wording.percent(supply.direct(component)))，低于 \(Wording.percent(threshold)) 的阈值。"
        }
    }
}

/// The findings' array being filled, handed to the threads of `concurrentPerform`: each
/// initialises its own places.
private struct FindingSlots: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Finding>
}
