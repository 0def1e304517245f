/// A model's elements with every reference resolved to an index: what both ways of loading
/// (``ModelBuilder`` from text ids, the CSV reader from bytes) produce before the structural
/// checks. References that did not resolve are -1 (and were reported).
struct ResolvedModel: Sendable {
    var id: String?
    var title: String?
    var home: Int?

    var regionIDs: [String] = []
    var regionNames: [String] = []
    var regionParent: [Int32] = []
    var regionSources = SparseColumn<String>()
    var regionNotes = SparseColumn<String>()
    var regionLocations: [ElementLocation] = []
    var regionIndex = IDIndex(capacity: 0)

    var segmentIDs: [String] = []
    var segmentNames: [String] = []
    var segmentOrders: [Int?] = []
    var segmentSources = SparseColumn<String>()
    var segmentNotes = SparseColumn<String>()
    var segmentsDeclared = false
    var segmentIndex = IDIndex(capacity: 0)

    var componentIDs: [String] = []
    var componentNames: [String] = []
    var componentSegment: [Int32] = []
    var componentSources = SparseColumn<String>()
    var componentNotes = SparseColumn<String>()
    var componentIndex = IDIndex(capacity: 0)

    /// Requirement edges in the order read.
    var edgeParent: [Int32] = []
    var edgeChild: [Int32] = []
    /// The weight given, or NaN (none given, or out of range and reported).
    var edgeWeight: [Double] = []
    var edgeSources = SparseColumn<String>()
    var edgeNotes = SparseColumn<String>()
    var edgeLocations: [ElementLocation] = []

    var firmIDs: [String] = []
    var firmNames: [String] = []
    var firmRegion: [Int32] = []
    var firmSources = SparseColumn<String>()
    var firmNotes = SparseColumn<String>()
    var firmIndex = IDIndex(capacity: 0)

    /// Supply links in the order read.
    var linkFirm: [Int32] = []
    var linkComponent: [Int32] = []
    var linkShare: [Double] = []
    var linkProducts = SparseColumn<String>()
    var linkSources = SparseColumn<String>()
    var linkNotes = SparseColumn<String>()
    var linkLocations: [ElementLocation] = []
}

/// Checks applied to single values as they are read, shared by every loader.
enum ValueChecks {
    /// Whether an id matches `[A-Za-z0-9][A-Za-z0-9._-]*`.
    @inline(__always)
    static func isValidID(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, isAlphanumeric(first) else { return false }
        for byte in bytes.dropFirst() where !(isAlphanumeric(byte) || byte == 0x2E || byte == 0x5F || byte == 0x2D) {
            return false
        }
        return true
    }

    static func isValidID(_ id: String) -> Bool {
        var id = id
        return id.withUTF8 { isValidID($0) }
    }

    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// Whether a `requires` weight is in (0, 1].
    @inline(__always)
    static func isValidWeight(_ weight: Double) -> Bool { weight > 0 && weight <= 1 }

    /// Whether a supply share is in [0, 1].
    @inline(__always)
    static func isValidShare(_ share: Double) -> Bool { share >= 0 && share <= 1 }
}

/// The structural checks of SPEC §1.3 and the compact layout of a ``ChainModel``, from
/// resolved elements: one implementation for every loader.
enum ModelAssembly {
    /// Checks the structure and builds the model; `nil` (with the problems in `log`) if any
    /// problem was found, here or before.
    ///
    /// Checks: region parents without cycles; no child twice in one component's `requires`;
    /// the given weights of one component summing to at most 1 (+1e-6); `requires` without
    /// cycles (the message lists one); no firm supplying a component twice. Builds: requirements
    /// grouped by component and links by firm (stable counting sorts), adjacency both ways, a
    /// topological order (Kahn 1962) and the roots.
    ///
    /// - Complexity: O(elements + edges + links).
    static func assemble(_ model: ResolvedModel, log: inout ProblemLog) -> ChainModel? {
        checkRegionCycles(model, log: &log)

        // Requirements, grouped by the requiring component.
        let componentCount = model.componentIDs.count
        let edgeOrder = groupStable(model.edgeParent, groups: componentCount)
        var requirementStart = [Int32](repeating: 0, count: componentCount + 1)
        for parent in model.edgeParent where parent >= 0 { requirementStart[Int(parent) + 1] += 1 }
        for position in 0..<componentCount { requirementStart[position + 1] += requirementStart[position] }
        let requirementChild = edgeOrder.map { model.edgeChild[Int($0)] }
        let requirementWeight = edgeOrder.map { model.edgeWeight[Int($0)] }
        let requirementLocation = edgeOrder.map { model.edgeLocations[Int($0)] }
        var lastParentOfChild = [Int32](repeating: -1, count: componentCount)
        for component in 0..<componentCount {
            var sum = 0.0
            for edge in Int(requirementStart[component])..<Int(requirementStart[component + 1]) {
                let child = requirementChild[edge]
                if child >= 0 {
                    if lastParentOfChild[Int(child)] == Int32(component) {
                        log.report(.duplicateRequirement(log.describe(requirementLocation[edge]),
                            component: model.componentIDs[component], child: model.componentIDs[Int(child)]))
                    }
                    lastParentOfChild[Int(child)] = Int32(component)
                }
                let weight = requirementWeight[edge]
                if !weight.isNaN { sum += weight }
            }
            if sum > 1 + 1e-6 {
                log.report(.weightsExceedOne(log.describe(requirementLocation[Int(requirementStart[component])]),
                    component: model.componentIDs[component], sum: sum))
            }
        }

        // Who requires each component, and an order with every part before what requires it.
        let requirementsResolved = !model.edgeParent.contains { $0 < 0 } && !model.edgeChild.contains { $0 < 0 }
        var parentStart = [Int32](repeating: 0, count: componentCount + 1)
        var parentList: [Int32] = []
        var topologicalOrder: [Int32] = []
        var roots: [Int32] = []
        if requirementsResolved {
            for child in requirementChild { parentStart[Int(child) + 1] += 1 }
            for position in 0..<componentCount { parentStart[position + 1] += parentStart[position] }
            parentList = [Int32](repeating: 0, count: requirementChild.count)
            var fill = parentStart
            for component in 0..<componentCount {
                for edge in Int(requirementStart[component])..<Int(requirementStart[component + 1]) {
                    let child = Int(requirementChild[edge])
                    parentList[Int(fill[child])] = Int32(component)
                    fill[child] += 1
                }
            }
            topologicalOrder = orderLeavesFirst(
                model: model, requirementStart: requirementStart, requirementChild: requirementChild,
                parentStart: parentStart, parentList: parentList, locations: requirementLocation, log: &log)
            roots = (0..<componentCount).filter { parentStart[$0] == parentStart[$0 + 1] }.map { Int32($0) }
        }

        // Supply links, grouped by firm; no firm supplies a component twice.
        let firmCount = model.firmIDs.count
        let linkOrder = groupStable(model.linkFirm, groups: firmCount)
        var firmLinkStart = [Int32](repeating: 0, count: firmCount + 1)
        for firm in model.linkFirm where firm >= 0 { firmLinkStart[Int(firm) + 1] += 1 }
        for position in 0..<firmCount { firmLinkStart[position + 1] += firmLinkStart[position] }
        let identity = linkOrder.count == model.linkFirm.count && linkOrder.enumerated().allSatisfy { $0.offset == Int($0.element) }
        let sortedFirm = identity ? model.linkFirm : linkOrder.map { model.linkFirm[Int($0)] }
        let sortedComponent = identity ? model.linkComponent : linkOrder.map { model.linkComponent[Int($0)] }
        let sortedShare = identity ? model.linkShare : linkOrder.map { model.linkShare[Int($0)] }
        var lastFirmOfComponent = [Int32](repeating: -1, count: componentCount)
        for link in 0..<sortedFirm.count {
            let component = sortedComponent[link]
            guard component >= 0 else { continue }
            if lastFirmOfComponent[Int(component)] == sortedFirm[link] {
                log.report(.duplicateSupply(log.describe(model.linkLocations[Int(linkOrder[link])]),
                    firm: model.firmIDs[Int(sortedFirm[link])], component: model.componentIDs[Int(component)]))
            }
            lastFirmOfComponent[Int(component)] = sortedFirm[link]
        }

        guard log.isEmpty else { return nil }

        // Links by component (link numbers in link order).
        var componentLinkStart = [Int32](repeating: 0, count: componentCount + 1)
        for component in sortedComponent { componentLinkStart[Int(component) + 1] += 1 }
        for position in 0..<componentCount { componentLinkStart[position + 1] += componentLinkStart[position] }
        var componentLinks = [Int32](repeating: 0, count: sortedComponent.count)
        var fill = componentLinkStart
        for (link, component) in sortedComponent.enumerated() {
            componentLinks[Int(fill[Int(component)])] = Int32(link)
            fill[Int(component)] += 1
        }

        return ChainModel(
            id: model.id, title: model.title, home: model.home,
            regions: RegionTable(ids: model.regionIDs, names: model.regionNames, parentIndex: model.regionParent,
                sources: model.regionSources, notes: model.regionNotes, index: model.regionIndex),
            segments: SegmentTable(
                ids: model.segmentIDs, names: model.segmentNames, orders: model.segmentOrders, sources: model.segmentSources,
                notes: model.segmentNotes, isDeclared: model.segmentsDeclared, index: model.segmentIndex),
            components: ComponentTable(
                ids: model.componentIDs, names: model.componentNames, segmentIndex: model.componentSegment,
                requirementStart: requirementStart, requirementChild: requirementChild,
                requirementWeight: requirementWeight, parentStart: parentStart, parentList: parentList,
                topologicalOrder: topologicalOrder, roots: roots, sources: model.componentSources,
                notes: model.componentNotes, requirementSources: model.edgeSources.permuted(by: edgeOrder),
                requirementNotes: model.edgeNotes.permuted(by: edgeOrder), index: model.componentIndex),
            firms: FirmTable(ids: model.firmIDs, names: model.firmNames, regionIndex: model.firmRegion, linkStart: firmLinkStart,
                sources: model.firmSources, notes: model.firmNotes, index: model.firmIndex),
            supplies: SupplyTable(
                firmIndex: sortedFirm, componentIndex: sortedComponent, shareValue: sortedShare,
                componentLinkStart: componentLinkStart, componentLinks: componentLinks,
                products: identity ? model.linkProducts : model.linkProducts.permuted(by: linkOrder),
                sources: identity ? model.linkSources : model.linkSources.permuted(by: linkOrder),
                notes: identity ? model.linkNotes : model.linkNotes.permuted(by: linkOrder)))
    }

    /// A stable counting sort: the positions of `keys`, grouped by key (keys below 0 dropped).
    ///
    /// - Complexity: O(keys + groups).
    static func groupStable(_ keys: [Int32], groups: Int) -> [Int32] {
        var start = [Int32](repeating: 0, count: groups + 1)
        for key in keys where key >= 0 { start[Int(key) + 1] += 1 }
        for group in 0..<groups { start[group + 1] += start[group] }
        var order = [Int32](repeating: 0, count: Int(start[groups]))
        for (position, key) in keys.enumerated() where key >= 0 {
            order[Int(start[Int(key)])] = Int32(position)
            start[Int(key)] += 1
        }
        return order
    }

    /// Reports each cycle of region parents once.
    ///
    /// - Complexity: O(regions): every region is walked once, colouring the path.
    static func checkRegionCycles(_ model: ResolvedModel, log: inout ProblemLog) {
        let parent = model.regionParent
        var state = [UInt8](repeating: 0, count: parent.count)  // 0 new, 1 on the current walk, 2 done
        for start in parent.indices where state[start] == 0 {
            var path: [Int] = []
            var current = start
            while current >= 0 && state[current] == 0 {
                state[current] = 1
                path.append(current)
                current = Int(parent[current])
            }
            if current >= 0 && state[current] == 1, let entry = path.firstIndex(of: current) {
                let cycle = path[entry...].map { model.regionIDs[$0] } + [model.regionIDs[current]]
                log.report(.regionCycle(log.describe(model.regionLocations[path[entry]]), cycle: cycle))
            }
            for region in path { state[region] = 2 }
        }
    }

    /// Kahn's algorithm, leaves first: the returned order puts every component after all it
    /// requires. If some components are left (a cycle), one cycle is reported.
    ///
    /// - Complexity: O(components + edges).
    static func orderLeavesFirst(
        model: ResolvedModel, requirementStart: [Int32], requirementChild: [Int32], parentStart: [Int32], parentList: [Int32],
        locations: [ElementLocation], log: inout ProblemLog
    ) -> [Int32] {
        let count = requirementStart.count - 1
        var remainingChildren = (0..<count).map { requirementStart[$0 + 1] - requirementStart[$0] }
        var order: [Int32] = []
        order.reserveCapacity(count)
        for component in 0..<count where remainingChildren[component] == 0 { order.append(Int32(component)) }
        var next = 0
        while next < order.count {
            let component = Int(order[next])
            next += 1
            for parent in parentList[Int(parentStart[component])..<Int(parentStart[component + 1])] {
                remainingChildren[Int(parent)] -= 1
                if remainingChildren[Int(parent)] == 0 { order.append(parent) }
            }
        }
        guard order.count < count else { return order }
        // Every component left requires at least one other component left: follow those
        // edges from the first one left until a component repeats.
        var step = [Int](repeating: -1, count: count)
        var walk: [Int] = []
        var walkEdges: [Int] = []
        var current = (0..<count).first { remainingChildren[$0] > 0 }!
        while step[current] < 0 {
            step[current] = walk.count
            walk.append(current)
            let edges = Int(requirementStart[current])..<Int(requirementStart[current + 1])
            let edge = edges.first { remainingChildren[Int(requirementChild[$0])] > 0 }!
            walkEdges.append(edge)
            current = Int(requirementChild[edge])
        }
        let cycle = walk[step[current]...].map { model.componentIDs[$0] } + [model.componentIDs[current]]
        log.report(.requiresCycle(log.describe(locations[walkEdges[walkEdges.count - 1]]), cycle: cycle))
        return order
    }
}
