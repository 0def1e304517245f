import RoboChainModel

/// Where each component's suppliers are, for one scope: the supply side of SPEC §2.
///
/// For every component: how many suppliers it has within the scope S ("local"), within the
/// national scope N ("domestic"), and its direct share D(c) — the weight of its supply links from
/// firms within S over the weight of all its links. Link weights: if no link of c has a share, each
/// weighs 1; otherwise a link with a share weighs that share, and the links without one split
/// `max(0, 1 − Σ given shares)` equally; if the total is 0, every link weighs 1 instead.
///
/// - Complexity: O(regions × depth + components + links): two passes over the links.
public struct LocalSupply: Sendable {
    /// The scope S, a region index.
    public let scope: Int
    /// The national scope N: the root of S.
    public let nationalScope: Int
    /// For each region: whether it is within S.
    public let regionIsLocal: [Bool]
    /// For each region: whether it is within N.
    public let regionIsDomestic: [Bool]
    /// For each component: its suppliers within S.
    public let localSuppliers: [Int32]
    /// For each component: its suppliers within N.
    public let domesticSuppliers: [Int32]
    /// For each component: D(c), or NaN when it has no supplier. Prefer ``direct(_:)``.
    public let directShare: [Double]

    /// How many links ahead a pass over the links asks for the tally of their component.
    static let lookahead = 16

    /// Computes the measures for `scope`.
    ///
    /// Two passes over the links in storage order (firm order), so the firm and region
    /// look-ups and the link columns are read sequentially: first each component's count and
    /// sum of given shares, then each link's weight. A component's links are met in the order
    /// ``SupplyTable/links(supplying:)`` lists them, so every sum is added up in that order.
    public init(model: ChainModel, scope: Int) {
        self.scope = scope
        nationalScope = model.regions.nationalScope(of: scope)
        let regionIsLocal = model.regions.withinFlags(scope: scope)
        let regionIsDomestic = model.regions.withinFlags(scope: nationalScope)
        self.regionIsLocal = regionIsLocal
        self.regionIsDomestic = regionIsDomestic
        let supplies = model.supplies
        let firms = model.firms
        let linkCount = supplies.count
        let components = model.components.count
        // Per component: links, links with a share, the sum of those shares, local and domestic
        // links — side by side in one record, so that a link touches one cache line of them.
        struct Tally {
            var links: Int32 = 0
            var given: Int32 = 0
            var local: Int32 = 0
            var domestic: Int32 = 0
            var givenSum = 0.0
        }
        var tallies = [Tally](repeating: Tally(), count: components)
        tallies.withUnsafeMutableBufferPointer { tallies in
            supplies.shareValue.withUnsafeBufferPointer { shares in
                for link in 0..<linkCount {
                    // The components are met at random: each tally is asked for some links ahead.
                    if link + Self.lookahead < linkCount {
                        CacheHint.prefetch(tallies.baseAddress! + supplies.component(of: link + Self.lookahead))
                    }
                    let component = supplies.component(of: link)
                    let region = firms.region(of: supplies.firm(of: link))
                    tallies[component].links &+= 1
                    if regionIsLocal[region] { tallies[component].local &+= 1 }
                    if regionIsDomestic[region] { tallies[component].domestic &+= 1 }
                    let share = shares[link]
                    if !share.isNaN {
                        tallies[component].given &+= 1
                        tallies[component].givenSum += share
                    }
                }
            }
        }
        // Per component: the weight of a link without a share (1 when no link has one, so
        // every link weighs 1), then the total and local weights, again in one record.
        struct Weights {
            var missing = 1.0
            var total = 0.0
            var local = 0.0
        }
        var weights = [Weights](repeating: Weights(), count: components)
        for component in 0..<components {
            let tally = tallies[component]
            if tally.given != 0 && tally.given != tally.links {
                weights[component].missing = max(0, 1 - tally.givenSum) / Double(tally.links - tally.given)
            }
        }
        weights.withUnsafeMutableBufferPointer { weights in
            supplies.shareValue.withUnsafeBufferPointer { shares in
                for link in 0..<linkCount {
                    if link + Self.lookahead < linkCount {
                        CacheHint.prefetch(weights.baseAddress! + supplies.component(of: link + Self.lookahead))
                    }
                    let component = supplies.component(of: link)
                    let share = shares[link]
                    let weight = share.isNaN ? weights[component].missing : share
                    weights[component].total += weight
                    if regionIsLocal[firms.region(of: supplies.firm(of: link))] { weights[component].local += weight }
                }
            }
        }
        var direct = [Double](repeating: .nan, count: components)
        var local = [Int32](repeating: 0, count: components)
        var domestic = [Int32](repeating: 0, count: components)
        for component in 0..<components {
            let tally = tallies[component]
            local[component] = tally.local
            domestic[component] = tally.domestic
            guard tally.links > 0 else { continue }
            let weight = weights[component]
            direct[component] = weight.total > 0 ? weight.local / weight.total : Double(tally.local) / Double(tally.links)
        }
        localSuppliers = local
        domesticSuppliers = domestic
        directShare = direct
    }

    /// D(c), or `nil` when the component has no supplier.
    @inlinable
    public func direct(_ component: Int) -> Double? {
        let share = directShare[component]
        return share.isNaN ? nil : share
    }

    /// Whether a firm is within the scope.
    @inlinable
    public func isLocal(firm: Int, in model: ChainModel) -> Bool {
        regionIsLocal[model.firms.region(of: firm)]
    }

    /// Whether a firm is within the national scope.
    @inlinable
    public func isDomestic(firm: Int, in model: ChainModel) -> Bool {
        regionIsDomestic[model.firms.region(of: firm)]
    }
}

/// The cost structure of the chain (SPEC §2 "edge weights"): the effective weight of every
/// `requires` edge and each assembler's own value added.
///
/// For an assembly c: if no edge of c has a weight, each of its n children weighs 1/n; otherwise
/// given weights stand and the missing ones split `max(0, 1 − Σ given)` equally. W(c) is the sum,
/// and own(c) = 1 − W(c) (own = 1 for a leaf).
///
/// - Complexity: O(components + edges).
public struct CostStructure: Sendable {
    /// The effective weight of each requirement edge.
    public let edgeWeight: [Double]
    /// own(c) for each component.
    public let ownShare: [Double]

    public init(model: ChainModel) {
        let components = model.components
        var edgeWeight = [Double](repeating: 0, count: components.requirementCount)
        var ownShare = [Double](repeating: 1, count: components.count)
        for component in 0..<components.count {
            let edges = components.requirements(of: component)
            guard !edges.isEmpty else { continue }
            var givenCount = 0
            var givenSum = 0.0
            for edge in edges {
                if let weight = components.weight(ofRequirement: edge) {
                    givenCount += 1
                    givenSum += weight
                }
            }
            let missingWeight = givenCount == 0
                ? 1 / Double(edges.count)
                : (givenCount == edges.count ? 0 : max(0, 1 - givenSum) / Double(edges.count - givenCount))
            var total = 0.0
            for edge in edges {
                let weight = components.weight(ofRequirement: edge) ?? missingWeight
                edgeWeight[edge] = weight
                total += weight
            }
            ownShare[component] = 1 - total
        }
        self.edgeWeight = edgeWeight
        self.ownShare = ownShare
    }
}

/// Algorithms over the `requires` graph that the SPEC §2–3 measures need.
public enum ChainMeasures {
    /// The rolled-up share R(c) of every component (SPEC §2), NaN where it is null.
    ///
    /// For a leaf R(c) = D(c). For an assembly, num = own(c)·D(c) [if D(c) is not null and
    /// own(c) > 0] + Σ w_k·R(k) [over children with R(k) not null], den = the same with D(c) and R(k)
    /// replaced by 1, and R(c) = num ÷ den, or D(c) when den = 0. One pass, leaves first.
    ///
    /// - Complexity: O(components + edges).
    public static func rolledUpShares(model: ChainModel, supply: LocalSupply, cost: CostStructure) -> [Double] {
        let components = model.components
        var rolled = [Double](repeating: .nan, count: components.count)
        for position in components.topologicalOrder {
            let component = Int(position)
            let direct = supply.directShare[component]
            let edges = components.requirements(of: component)
            if edges.isEmpty {
                rolled[component] = direct
                continue
            }
            var numerator = 0.0
            var denominator = 0.0
            let own = cost.ownShare[component]
            if !direct.isNaN && own > 0 {
                numerator += own * direct
                denominator += own
            }
            for edge in edges {
                let childShare = rolled[components.child(ofRequirement: edge)]
                guard !childShare.isNaN else { continue }
                let weight = cost.edgeWeight[edge]
                numerator += weight * childShare
                denominator += weight
            }
            rolled[component] = denominator > 0 ? numerator / denominator : direct
        }
        return rolled
    }

    /// Visits every root r with the value weights V_r of the components it reaches (SPEC §2):
    /// V_r(r) = 1 and V_r(k) = Σ over parents p of V_r(p)·w(p, k).
    ///
    /// For each root: a depth-first search collects the components it reaches, they are put in
    /// topological order (parents first), and the weights flow down each edge once.
    ///
    /// - Parameters:
    ///   - model: The model.
    ///   - cost: Its cost structure.
    ///   - body: Called once per root with the root, the components it reaches (the root
    ///     included, parents before children) and a table of V_r indexed by component; only the
    ///     entries of the reached components are meaningful.
    /// - Complexity: O(Σ over roots of (reached + their edges) × log reached).
    public static func forEachRootValueWeights(
        model: ChainModel, cost: CostStructure,
        _ body: (_ root: Int, _ reached: [Int32], _ valueWeight: [Double]) -> Void
    ) {
        let components = model.components
        var rank = [Int32](repeating: 0, count: components.count)
        let order = components.topologicalOrder
        for (position, component) in order.enumerated() {
            rank[Int(component)] = Int32(order.count - 1 - position)  // parents first
        }
        var value = [Double](repeating: 0, count: components.count)
        var seen = [Bool](repeating: false, count: components.count)
        var reached: [Int32] = []
        var stack: [Int32] = []
        for root in components.roots {
            reached.removeAll(keepingCapacity: true)
            stack.append(root)
            seen[Int(root)] = true
            while let component = stack.popLast() {
                reached.append(component)
                for edge in components.requirements(of: Int(component)) {
                    let child = components.child(ofRequirement: edge)
                    if !seen[child] {
                        seen[child] = true
                        stack.append(Int32(child))
                    }
                }
            }
            // Parents first: sorted by rank, as plain integers (ranks are distinct), then mapped back.
            for index in reached.indices { reached[index] = rank[Int(reached[index])] }
            reached.sort()
            for index in reached.indices { reached[index] = order[order.count - 1 - Int(reached[index])] }
            for component in reached { value[Int(component)] = 0 }
            value[Int(root)] = 1
            for component in reached {
                let weight = value[Int(component)]
                guard weight != 0 else { continue }
                for edge in components.requirements(of: Int(component)) {
                    value[components.child(ofRequirement: edge)] += weight * cost.edgeWeight[edge]
                }
            }
            body(Int(root), reached, value)
            for component in reached { seen[Int(component)] = false }
        }
    }

    /// valueWeight(c) = max over roots r of V_r(c) (SPEC §2), for every component.
    ///
    /// - Complexity: as ``forEachRootValueWeights(model:cost:_:)``.
    public static func maximumValueWeights(model: ChainModel, cost: CostStructure) -> [Double] {
        var maximum = [Double](repeating: 0, count: model.components.count)
        forEachRootValueWeights(model: model, cost: cost) { _, reached, value in
            for component in reached {
                maximum[Int(component)] = max(maximum[Int(component)], value[Int(component)])
            }
        }
        return maximum
    }

    /// The number of distinct components that require each component, directly or
    /// transitively (its ancestors in the `requires` graph; SPEC §3 `dependents`).
    ///
    /// One pass in topological order, parents first: a component's ancestors are the union of
    /// its parents and their ancestors, gathered as short lists and deduplicated with a stamp
    /// per component; only assemblies keep their lists. That costs O(Σ over edges of
    /// (ancestors of the parent + 1)), which is small for real chains. If the lists would pass
    /// `sparseBudget` entries in all (a deep, densely shared graph), it switches to
    /// ``blockedDependentCounts(model:)``, whose cost does not depend on the ancestor counts.
    /// No walk per component either way.
    ///
    /// - Complexity: O(components + Σ over edges of (|ancestors(parent)| + 1)) time and memory,
    ///   at most O(edges × assemblies / 64) time when it switches.
    public static func dependentCounts(model: ChainModel, sparseBudget: Int = 1 << 25) -> [Int32] {
        let components = model.components
        let count = components.count
        var dependents = [Int32](repeating: 0, count: count)
        // Per component, in one record (a parent's look-up touches one cache line): where its
        // ancestors lie in `ancestors`, and the last component whose list it joined.
        struct Entry {
            var start: Int32 = 0
            var end: Int32 = 0
            var stamp: Int32 = -1
        }
        var entries = [Entry](repeating: Entry(), count: count)
        var ancestors: [Int32] = []
        let parentsFirst = Array(components.topologicalOrder.reversed())
        for step in parentsFirst.indices {
            let position = parentsFirst[step]
            let component = Int(position)
            // The components are met at random: what each reads is asked for a few steps ahead.
            if step + 8 < count { CacheHint.prefetchStructure(of: Int(parentsFirst[step + 8]), in: components) }
            if step + 6 < count { CacheHint.prefetch(components.parents(of: Int(parentsFirst[step + 6]))) }
            if step + 4 < count {
                entries.withUnsafeBufferPointer { entries in
                    for parent in components.parents(of: Int(parentsFirst[step + 4])) {
                        CacheHint.prefetch(entries.baseAddress! + Int(parent))
                    }
                }
            }
            let begin = ancestors.count
            for parent in components.parents(of: component) {
                if entries[Int(parent)].stamp != position {
                    entries[Int(parent)].stamp = position
                    ancestors.append(parent)
                }
                for index in Int(entries[Int(parent)].start)..<Int(entries[Int(parent)].end) {
                    let ancestor = ancestors[index]
                    if entries[Int(ancestor)].stamp != position {
                        entries[Int(ancestor)].stamp = position
                        ancestors.append(ancestor)
                    }
                }
            }
            dependents[component] = Int32(ancestors.count - begin)
            if components.isLeaf(component) {
                ancestors.removeSubrange(begin...)  // nothing asks for a leaf's ancestors
            } else {
                entries[component].start = Int32(begin)
                entries[component].end = Int32(ancestors.count)
                if ancestors.count > sparseBudget { return blockedDependentCounts(model: model) }
            }
        }
        return dependents
    }

    /// ``dependentCounts(model:sparseBudget:)`` by word-parallel transitive closure in blocks: the
    /// assemblies (the only possible ancestors) are numbered in topological order, parents first,
    /// and taken 1,024 at a time; one pass over the components after the block's first member
    /// ORs each component's parents' bit sets into its own and counts the bits. Parents whose
    /// set is empty in the block are skipped.
    ///
    /// - Complexity: O(edges × assemblies / 64) time, O(assemblies × 16) words of memory.
    public static func blockedDependentCounts(model: ChainModel) -> [Int32] {
        let components = model.components
        let count = components.count
        let parentsFirst = Array(components.topologicalOrder.reversed())
        var assemblyNumber = [Int32](repeating: -1, count: count)
        var assemblies = 0
        for component in parentsFirst where !components.isLeaf(Int(component)) {
            assemblyNumber[Int(component)] = Int32(assemblies)
            assemblies += 1
        }
        var dependents = [Int32](repeating: 0, count: count)
        let words = 16
        let blockSize = words * 64
        var bits: [UInt64] = []
        var nonEmpty: [Bool] = []
        var accumulator = [UInt64](repeating: 0, count: words)
        var blockStart = 0
        var firstPosition = 0
        while blockStart < assemblies {
            let blockEnd = min(blockStart + blockSize, assemblies)
            bits = [UInt64](repeating: 0, count: (assemblies - blockStart) * words)
            nonEmpty = [Bool](repeating: false, count: assemblies - blockStart)
            while firstPosition < count && assemblyNumber[Int(parentsFirst[firstPosition])] != Int32(blockStart) {
                firstPosition += 1
            }
            for index in firstPosition..<count {
                let component = Int(parentsFirst[index])
                for word in 0..<words { accumulator[word] = 0 }
                var any = false
                for parent in components.parents(of: component) {
                    let number = Int(assemblyNumber[Int(parent)])
                    guard number >= blockStart, number < blockEnd || nonEmpty[number - blockStart] else { continue }
                    any = true
                    if nonEmpty[number - blockStart] {
                        let base = (number - blockStart) * words
                        for word in 0..<words { accumulator[word] |= bits[base + word] }
                    }
                    if number < blockEnd {
                        let bit = number - blockStart
                        accumulator[bit >> 6] |= 1 << UInt64(bit & 63)
                    }
                }
                guard any else { continue }
                var total = 0
                for word in 0..<words { total += accumulator[word].nonzeroBitCount }
                dependents[component] += Int32(total)
                let number = Int(assemblyNumber[component])
                if number >= blockStart && total > 0 {
                    let base = (number - blockStart) * words
                    for word in 0..<words { bits[base + word] = accumulator[word] }
                    nonEmpty[number - blockStart] = true
                }
            }
            blockStart = blockEnd
        }
        return dependents
    }
}

/// The normalised weight of every supply link: w_l ÷ W_c, the link's part of its component's
/// supply (SPEC §2 link weights, used by §8 and §9).
///
/// Link weights as in ``LocalSupply``: if no link of c has a share, each weighs 1; otherwise a
/// link with a share weighs that share, and the links without one split `max(0, 1 − Σ given)`
/// equally; if the total W_c is 0, every link weighs 1 instead. So the fractions of one
/// component's links sum to 1 (to rounding), and D(c) for any set of firms is the sum of their
/// links' fractions.
///
/// - Complexity: O(components + links).
public struct SupplyWeights: Sendable {
    /// For each supply link: its weight ÷ the total weight of its component's links.
    public let fraction: [Double]

    public init(model: ChainModel) {
        let supplies = model.supplies
        var fraction = [Double](repeating: 0, count: supplies.count)
        for component in 0..<model.components.count {
            let links = supplies.links(supplying: component)
            guard !links.isEmpty else { continue }
            var givenCount = 0
            var givenSum = 0.0
            for link in links {
                let share = supplies.shareValue[Int(link)]
                if !share.isNaN {
                    givenCount += 1
                    givenSum += share
                }
            }
            let missingWeight = givenCount == 0 || givenCount == links.count
                ? 1.0 : max(0, 1 - givenSum) / Double(links.count - givenCount)
            var total = 0.0
            for link in links {
                let share = supplies.shareValue[Int(link)]
                let weight = givenCount == 0 ? 1 : (share.isNaN ? missingWeight : share)
                fraction[Int(link)] = weight
                total += weight
            }
            for link in links {
                fraction[Int(link)] = total > 0 ? fraction[Int(link)] / total : 1 / Double(links.count)
            }
        }
        self.fraction = fraction
    }
}

/// The value each whole product draws from each supplied component (SPEC §8): for every root r
/// and every component c it reaches that has a supplier (the set C_r), a_r(c) = V_r(c)·own(c),
/// and Z_r = Σ_{c ∈ C_r} a_r(c). Stored by component, so that the roots a component counts in
/// are one contiguous list.
///
/// Built from ``ChainMeasures/forEachRootValueWeights(model:cost:_:)`` and transposed by
/// counting.
///
/// - Complexity: that of the value weights, plus O(components + E) time and memory, where E is
///   the number of (root, supplied component it reaches) pairs.
public struct SuppliedValue: Sendable {
    /// Z_r for each root, in the order of `model.components.roots`.
    public let total: [Double]
    /// For each entry: the root's position in `model.components.roots`.
    public let rootPosition: [Int32]
    /// For each entry: a_r(c).
    public let valueAdded: [Double]
    @usableFromInline let start: [Int32]

    /// The entries of `component`: indices into ``rootPosition`` and ``valueAdded``, one per
    /// root that reaches it (none when it has no supplier), roots in order.
    @inlinable
    public func entries(of component: Int) -> Range<Int> { Int(start[component])..<Int(start[component + 1]) }

    public init(model: ChainModel, cost: CostStructure) {
        let components = model.components
        let supplies = model.supplies
        var count = [Int32](repeating: 0, count: components.count + 1)
        var byRoot: [(component: Int32, value: Double)] = []
        var rootStart: [Int] = []
        var total: [Double] = []
        total.reserveCapacity(components.roots.count)
        ChainMeasures.forEachRootValueWeights(model: model, cost: cost) { _, reached, value in
            rootStart.append(byRoot.count)
            var sum = 0.0
            for position in reached where supplies.supplierCount(of: Int(position)) > 0 {
                let added = value[Int(position)] * cost.ownShare[Int(position)]
                byRoot.append((position, added))
                count[Int(position) + 1] += 1
                sum += added
            }
            total.append(sum)
        }
        rootStart.append(byRoot.count)
        for component in 0..<components.count { count[component + 1] += count[component] }
        var next = count
        var rootPosition = [Int32](repeating: 0, count: byRoot.count)
        var valueAdded = [Double](repeating: 0, count: byRoot.count)
        for root in 0..<(rootStart.count - 1) {
            for index in rootStart[root]..<rootStart[root + 1] {
                let (component, added) = byRoot[index]
                let slot = Int(next[Int(component)])
                next[Int(component)] += 1
                rootPosition[slot] = Int32(root)
                valueAdded[slot] = added
            }
        }
        self.total = total
        self.rootPosition = rootPosition
        self.valueAdded = valueAdded
        start = count
    }
}
