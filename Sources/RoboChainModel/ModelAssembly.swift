import Dispatch
import Synchronization

/// A model's elements with every reference resolved to an index by ``ModelResolver``: what both
/// ways of loading (``ModelBuilder`` from text ids, the CSV reader from bytes) produce before the
/// structural checks. References that did not resolve are -1 (and were reported).
struct ResolvedModel: Sendable {
    var id: String?
    var title: String?
    var home: Int?

    var regionIDs: [String] = []
    var regionNames: [String] = []
    var regionParent: [Int32] = []
    var regionSources = SparseColumn<String>()
    var regionNotes = SparseColumn<String>()
    var regionLocations = LocationColumn()
    var regionAttributes = AttributeTable()
    var regionIndex = IDIndex(capacity: 0)

    var segmentIDs: [String] = []
    var segmentNames: [String] = []
    var segmentOrders: [Int?] = []
    var segmentSources = SparseColumn<String>()
    var segmentNotes = SparseColumn<String>()
    var segmentAttributes = AttributeTable()
    var segmentsDeclared = false
    var segmentIndex = IDIndex(capacity: 0)

    var componentIDs: [String] = []
    var componentNames: [String] = []
    var componentSegment: [Int32] = []
    var componentSources = SparseColumn<String>()
    var componentNotes = SparseColumn<String>()
    var componentAttributes = AttributeTable()
    var componentIndex = IDIndex(capacity: 0)

    /// Requirement edges in the order read.
    var edges = EdgeColumns()

    var firmIDs: [String] = []
    var firmNames: [String] = []
    var firmRegion: [Int32] = []
    var firmSources = SparseColumn<String>()
    var firmNotes = SparseColumn<String>()
    var firmAttributes = AttributeTable()
    var firmIndex = IDIndex(capacity: 0)

    /// Supply links in the order read.
    var links = LinkColumns()
}

/// `requires` edges as read: endpoints (-1 where unresolved), weights, texts, places.
struct EdgeColumns: Sendable {
    var parent: [Int32] = []
    var child: [Int32] = []
    /// The weight given, or NaN (none given, or out of range and reported).
    var weight: [Double] = []
    var sources = SparseColumn<String>()
    var notes = SparseColumn<String>()
    var attributes = AttributeTable()
    var locations = LocationColumn()
}

/// Supply links as read: firm and component (-1 where unresolved), shares, texts, places.
struct LinkColumns: Sendable {
    var firm: [Int32] = []
    var component: [Int32] = []
    /// The share given, or NaN.
    var share: [Double] = []
    var products = SparseColumn<String>()
    var sources = SparseColumn<String>()
    var notes = SparseColumn<String>()
    var attributes = AttributeTable()
    var locations = LocationColumn()
}

/// Checks applied to single values as they are read, shared by every loader.
enum ValueChecks {
    /// Whether an id follows the rule of SPEC §1 (``IDRule``).
    @inline(__always)
    static func isValidID(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { IDRule.isValid(bytes) }

    static func isValidID(_ id: String) -> Bool {
        var id = id
        return id.withUTF8 { IDRule.isValid($0) }
    }

    /// The fraction a percentage stands for (`30%` or `30 %` is 0.3), or `nil` if the bytes
    /// are not a decimal number followed by `%`.
    static func percentage(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard bytes.last == UInt8(ascii: "%") else { return nil }
        var end = bytes.count - 1
        while end > 0, bytes[end - 1] == 0x20 { end -= 1 }
        guard let value = YAMLNumber.parse(UnsafeBufferPointer(rebasing: bytes[..<end])), value.isFinite else { return nil }
        return value / 100
    }

    /// `true` or `false` in any case (spreadsheets write `TRUE`), else `nil`.
    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true": true
        case "false": false
        default: nil
        }
    }

    /// Whether a `requires` weight is in (0, 1].
    @inline(__always)
    static func isValidWeight(_ weight: Double) -> Bool { weight > 0 && weight <= 1 }

    /// Whether a supply share is in [0, 1].
    @inline(__always)
    static func isValidShare(_ share: Double) -> Bool { share >= 0 && share <= 1 }

    /// A segment's `order` as a whole number (below 10⁹ in size), or `nil` if it is not one.
    static func segmentOrder(_ value: Double) -> Int? {
        value == value.rounded() && abs(value) < 1e9 ? Int(value) : nil
    }

    /// The problem with an `order` ``segmentOrder(_:)`` refuses.
    static func segmentOrderProblem(_ value: Double) -> String {
        "must be a whole number, found \(value)"
    }
}

/// The structural checks of SPEC §1.3 and the compact layout of a ``ChainModel``, from
/// resolved elements: one implementation for every loader.
enum ModelAssembly {
    /// Checks the structure and builds the model.
    ///
    /// - Parameter log: The problems found before (reading, resolving); assembly adds its own.
    /// - Throws: ``ModelError``: every problem, here or before, in file and line order.
    ///
    /// Checks: region parents without cycles; no child twice in one component's `requires`;
    /// the given weights of one component summing to at most 1 (+1e-6); `requires` without
    /// cycles (the message lists one); no firm supplying a component twice. Builds: requirements
    /// grouped by component and links by firm (stable counting sorts), adjacency both ways, a
    /// topological order (Kahn 1962) and the roots.
    ///
    /// - Complexity: O(elements + edges + links).
    static func assemble(_ model: ResolvedModel, log: ProblemLog) throws(ModelError) -> ChainModel {
        var log = log
        checkRegionCycles(model, log: &log)
        // Requirements and supply links do not depend on each other: side by side.
        let files = log.emptyCopy()
        let parts = Mutex<(requirements: RequirementsPart?, links: LinksPart?)>((nil, nil))
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            var partLog = files
            if part == 0 {
                let requirements = assembleRequirements(model, log: &partLog)
                parts.withLock { $0.requirements = requirements }
            } else {
                let links = groupLinksByFirm(model)
                parts.withLock { $0.links = links }
            }
        }
        let requirements = parts.withLock { $0.requirements.take()! }
        let links = indexLinks(parts.withLock { $0.links.take()! }, model, log: files)
        log.merge(requirements.log)
        log.merge(links.log)
        if let error = log.error { throw error }

        return ChainModel(
            id: model.id, title: model.title, home: model.home,
            regions: RegionTable(ids: model.regionIDs, names: model.regionNames, parentIndex: model.regionParent,
                sources: model.regionSources, notes: model.regionNotes, attributes: model.regionAttributes, index: model.regionIndex),
            segments: SegmentTable(
                ids: model.segmentIDs, names: model.segmentNames, orders: model.segmentOrders, sources: model.segmentSources,
                notes: model.segmentNotes, attributes: model.segmentAttributes, isDeclared: model.segmentsDeclared,
                index: model.segmentIndex),
            components: ComponentTable(
                ids: model.componentIDs, names: model.componentNames, segmentIndex: model.componentSegment,
                requirementStart: requirements.start, requirementChild: requirements.child,
                requirementWeight: requirements.weight, parentStart: requirements.parentStart, parentList: requirements.parentList,
                topologicalOrder: requirements.topologicalOrder, roots: requirements.roots, sources: model.componentSources,
                notes: model.componentNotes, requirementSources: model.edges.sources.permuted(by: requirements.order),
                requirementNotes: model.edges.notes.permuted(by: requirements.order), attributes: model.componentAttributes,
                requirementAttributes: model.edges.attributes.permuted(by: requirements.order), index: model.componentIndex),
            firms: FirmTable(ids: model.firmIDs, names: model.firmNames, regionIndex: model.firmRegion, linkStart: links.firmStart,
                sources: model.firmSources, notes: model.firmNotes, attributes: model.firmAttributes, index: model.firmIndex),
            supplies: SupplyTable(
                firmIndex: links.firm, componentIndex: links.component, shareValue: links.share,
                componentLinkStart: links.componentStart, componentLinks: links.componentLinks,
                products: links.isIdentity ? model.links.products : model.links.products.permuted(by: links.order),
                sources: links.isIdentity ? model.links.sources : model.links.sources.permuted(by: links.order),
                notes: links.isIdentity ? model.links.notes : model.links.notes.permuted(by: links.order),
                attributes: links.isIdentity ? model.links.attributes : model.links.attributes.permuted(by: links.order)))
    }

    /// The `requires` edges grouped by component, with their checks, both directions and an order.
    struct RequirementsPart: Sendable {
        var order: [Int32] = []
        var start: [Int32] = []
        var child: [Int32] = []
        var weight: [Double] = []
        var parentStart: [Int32] = []
        var parentList: [Int32] = []
        var topologicalOrder: [Int32] = []
        var roots: [Int32] = []
        var log = ProblemLog()
    }

    /// Groups the edges by requiring component; checks no child twice and the weights' sum;
    /// indexes parents; orders the components (Kahn) when every edge resolved.
    static func assembleRequirements(_ model: ResolvedModel, log: inout ProblemLog) -> RequirementsPart {
        var part = RequirementsPart()
        let componentCount = model.componentIDs.count
        (part.start, part.order) = groupStable(model.edges.parent, groups: componentCount)
        part.child = part.order.map { model.edges.child[Int($0)] }
        part.weight = part.order.map { model.edges.weight[Int($0)] }
        let locations = part.order.map { model.edges.locations[Int($0)] }
        var lastParentOfChild = [Int32](repeating: -1, count: componentCount)
        for component in 0..<componentCount {
            var sum = 0.0
            for edge in Int(part.start[component])..<Int(part.start[component + 1]) {
                let child = part.child[edge]
                if child >= 0 {
                    if lastParentOfChild[Int(child)] == Int32(component) {
                        log.report(.duplicateRequirement(log.describe(locations[edge]),
                            component: model.componentIDs[component], child: model.componentIDs[Int(child)]))
                    }
                    lastParentOfChild[Int(child)] = Int32(component)
                }
                let weight = part.weight[edge]
                if !weight.isNaN { sum += weight }
            }
            if sum > 1 + 1e-6 {
                log.report(.weightsExceedOne(log.describe(locations[Int(part.start[component])]),
                    component: model.componentIDs[component], sum: sum))
            }
        }
        part.parentStart = [Int32](repeating: 0, count: componentCount + 1)
        let resolved = !model.edges.parent.contains { $0 < 0 } && !model.edges.child.contains { $0 < 0 }
        if resolved {
            // The edges are in parent order, so grouping them by child (stably) lists each
            // component's parents in ascending order.
            let byChild = groupStable(part.child, groups: componentCount)
            part.parentStart = byChild.start
            part.parentList = byChild.order.map { model.edges.parent[Int(part.order[Int($0)])] }
            part.topologicalOrder = orderLeavesFirst(
                model: model, requirementStart: part.start, requirementChild: part.child,
                parentStart: part.parentStart, parentList: part.parentList, locations: locations, log: &log)
            part.roots = (0..<componentCount).filter { part.parentStart[$0] == part.parentStart[$0 + 1] }.map { Int32($0) }
        }
        part.log = log
        return part
    }

    /// The supply links grouped by firm, with the index by component.
    struct LinksPart: Sendable {
        var order: [Int32] = []
        var isIdentity = false
        var firmStart: [Int32] = []
        var firm: [Int32] = []
        var component: [Int32] = []
        var share: [Double] = []
        var componentStart: [Int32] = []
        var componentLinks: [Int32] = []
        var log = ProblemLog()
    }

    /// Groups the links by firm (stable): the first half of assembling them.
    static func groupLinksByFirm(_ model: ResolvedModel) -> LinksPart {
        var part = LinksPart()
        (part.firmStart, part.order) = groupStable(model.links.firm, groups: model.firmIDs.count)
        part.isIdentity = part.order.count == model.links.firm.count && part.order.enumerated().allSatisfy { $0.offset == Int($0.element) }
        part.firm = part.isIdentity ? model.links.firm : part.order.map { model.links.firm[Int($0)] }
        part.component = part.isIdentity ? model.links.component : part.order.map { model.links.component[Int($0)] }
        part.share = part.isIdentity ? model.links.share : part.order.map { model.links.share[Int($0)] }
        return part
    }

    /// The second half: checks that no firm supplies a component twice, beside indexing the
    /// links by component (kept only when the links have no problem).
    static func indexLinks(_ grouped: LinksPart, _ model: ResolvedModel, log files: ProblemLog) -> LinksPart {
        let componentCount = model.componentIDs.count
        let halves = Mutex<(log: ProblemLog?, index: (start: [Int32], links: [Int32])?)>((nil, nil))
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            if half == 0 {
                var log = files
                var lastFirmOfComponent = [Int32](repeating: -1, count: componentCount)
                for link in 0..<grouped.firm.count {
                    // The components fall at random: each one's last firm is asked for some links ahead.
                    if link + 16 < grouped.firm.count { CacheHint.prefetch(lastFirmOfComponent, at: Int(grouped.component[link + 16])) }
                    let component = grouped.component[link]
                    guard component >= 0 else { continue }
                    if lastFirmOfComponent[Int(component)] == grouped.firm[link] {
                        log.report(.duplicateSupply(log.describe(model.links.locations[Int(grouped.order[link])]),
                            firm: model.firmIDs[Int(grouped.firm[link])], component: model.componentIDs[Int(component)]))
                    }
                    lastFirmOfComponent[Int(component)] = grouped.firm[link]
                }
                halves.withLock { $0.log = log }
            } else {
                // Unknown components (-1) are left out; the index is dropped below if there are any.
                let index = groupStable(grouped.component, groups: componentCount)
                halves.withLock { $0.index = (index.start, index.order) }
            }
        }
        var part = grouped
        let (log, index) = halves.withLock { ($0.log.take()!, $0.index.take()!) }
        part.log = log
        guard log.isEmpty, !part.component.contains(where: { $0 < 0 }) else { return part }
        (part.componentStart, part.componentLinks) = index
        return part
    }

    /// A stable counting sort: the positions of `keys`, grouped by key (keys below 0 dropped),
    /// and where each group starts — the compressed-sparse-row index of the keys.
    ///
    /// - Returns: `order`, the positions, and `start` (`groups + 1` offsets): the positions with
    ///   key `k` are `order[start[k]..<start[k + 1]]`, in ascending order.
    /// - Complexity: O(keys + groups).
    static func groupStable(_ keys: [Int32], groups: Int) -> (start: [Int32], order: [Int32]) {
        var start = [Int32](repeating: 0, count: groups + 1)
        let count = keys.count
        // The keys fall at random among many groups: each counter is asked for some keys ahead
        // (``CacheHint``), and, in the second pass, the place it points to half as far ahead.
        start.withUnsafeMutableBufferPointer { start in
            for position in 0..<count {
                if position + 16 < count, keys[position + 16] >= 0 { CacheHint.prefetch(start.baseAddress! + Int(keys[position + 16]) + 1) }
                let key = keys[position]
                if key >= 0 { start[Int(key) + 1] += 1 }
            }
        }
        for group in 0..<groups { start[group + 1] += start[group] }
        var next = start
        var order = [Int32](repeating: 0, count: Int(start[groups]))
        next.withUnsafeMutableBufferPointer { next in
            order.withUnsafeMutableBufferPointer { order in
                for position in 0..<count {
                    if position + 16 < count, keys[position + 16] >= 0 { CacheHint.prefetch(next.baseAddress! + Int(keys[position + 16])) }
                    if position + 8 < count, keys[position + 8] >= 0 {
                        CacheHint.prefetch(order.baseAddress! + Int(next[Int(keys[position + 8])]))
                    }
                    let key = keys[position]
                    guard key >= 0 else { continue }
                    order[Int(next[Int(key)])] = Int32(position)
                    next[Int(key)] += 1
                }
            }
        }
        return (start, order)
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

extension ChainModel {
    /// Whether `text` is a valid id (SPEC §1): letters of any script, digits, `.`, `_` and
    /// `-`, starting with a letter or digit (`ubtech`, `CN-GD-SZ`, `优必选`).
    public static func isValidID(_ text: String) -> Bool { ValueChecks.isValidID(text) }

    /// Whether `text` is a valid ASCII name, `[A-Za-z0-9][A-Za-z0-9._-]*`: the rule for
    /// analysis and option names, which are typed on command lines and in manifests.
    public static func isValidASCIIName(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { IDRule.isValidASCII($0) }
    }
}
