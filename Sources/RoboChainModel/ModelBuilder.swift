/// Collects the elements of a model, then checks them all and builds a ``ChainModel``.
///
/// The loaders feed it; so can code that makes models by hand (tests, converters). Elements are
/// added with ids as text and an optional location; ``build()`` resolves every reference,
/// checks every rule of SPEC §1.3, and either returns a complete model or throws every problem
/// it found — never a partial model.
///
/// ```swift
/// var builder = ModelBuilder()
/// builder.addRegion(id: "CN", name: "China")
/// builder.addComponent(id: "hand", name: "Dexterous hand", segment: "limbs")
/// builder.addFirm(id: "acme", name: "Acme", region: "CN")
/// builder.addSupply(firm: "acme", component: "hand")
/// let model = try builder.build()
/// ```
///
/// - Complexity: ``build()`` is O(n) expected in the number of elements and links: ids are
///   interned through hash indexes, links grouped by counting sort, and the `requires` graph
///   ordered by Kahn's algorithm (Kahn 1962), which also finds cycles.
public struct ModelBuilder: Sendable {
    /// The most problems kept; the rest are counted in ``ModelError/moreProblems(count:)``.
    public static let problemLimit = 1000

    /// The model's id.
    public var id: String?
    /// The model's title.
    public var title: String?

    private var homeID: String?
    private var homeLocation = Location.unknown

    struct Location: Sendable {
        var file: Int32
        var line: Int32
        static let unknown = Location(file: -1, line: 0)
    }

    private var files: [String] = []
    private var lastFile: (path: String, index: Int32)?

    private var regionIDs: [String] = []
    private var regionNames: [String] = []
    private var regionParents: [String?] = []
    private var regionSources = SparseColumn<String>()
    private var regionNotes = SparseColumn<String>()
    private var regionLocations: [Location] = []

    private var segmentIDs: [String] = []
    private var segmentNames: [String] = []
    private var segmentOrders: [Int?] = []
    private var segmentSources = SparseColumn<String>()
    private var segmentNotes = SparseColumn<String>()
    private var segmentLocations: [Location] = []

    private var componentIDs: [String] = []
    private var componentNames: [String] = []
    private var componentSegments: [String] = []
    private var componentSources = SparseColumn<String>()
    private var componentNotes = SparseColumn<String>()
    private var componentLocations: [Location] = []

    private var requirementParents: [String] = []
    private var requirementChildren: [String] = []
    private var requirementWeights: [Double] = []
    private var requirementSources = SparseColumn<String>()
    private var requirementNotes = SparseColumn<String>()
    private var requirementLocations: [Location] = []

    private var firmIDs: [String] = []
    private var firmNames: [String] = []
    private var firmRegions: [String] = []
    private var firmSources = SparseColumn<String>()
    private var firmNotes = SparseColumn<String>()
    private var firmLocations: [Location] = []

    private var supplyFirms: [String] = []
    private var supplyComponents: [String] = []
    private var supplyShares: [Double] = []
    private var supplyProducts = SparseColumn<String>()
    private var supplySources = SparseColumn<String>()
    private var supplyNotes = SparseColumn<String>()
    private var supplyLocations: [Location] = []

    private var problems: [ModelError] = []
    private var omittedProblems = 0
    /// Kinds some of whose elements could not be read: references to them are not reported as
    /// unknown, since the reading problem already was.
    private var incompleteKinds: Set<ElementKind> = []
    /// Warnings reported by the loader (e.g. unknown keys); they do not stop a build.
    public private(set) var warnings: [ModelWarning] = []

    public init() {}

    /// Reserves room for large models, to avoid regrowing the arrays while loading.
    public mutating func reserveCapacity(regions: Int = 0, components: Int = 0, firms: Int = 0, supplies: Int = 0) {
        regionIDs.reserveCapacity(regions)
        regionNames.reserveCapacity(regions)
        regionParents.reserveCapacity(regions)
        regionLocations.reserveCapacity(regions)
        componentIDs.reserveCapacity(components)
        componentNames.reserveCapacity(components)
        componentSegments.reserveCapacity(components)
        componentLocations.reserveCapacity(components)
        firmIDs.reserveCapacity(firms)
        firmNames.reserveCapacity(firms)
        firmRegions.reserveCapacity(firms)
        firmLocations.reserveCapacity(firms)
        supplyFirms.reserveCapacity(supplies)
        supplyComponents.reserveCapacity(supplies)
        supplyShares.reserveCapacity(supplies)
        supplyLocations.reserveCapacity(supplies)
    }

    // MARK: - Adding elements

    /// Sets the default scope of analyses (a region id, checked at build).
    public mutating func setHome(_ region: String, at location: SourceLocation? = nil) {
        homeID = region
        homeLocation = intern(location)
    }

    /// Adds a region. `parent` is a region id, or `nil` for a country.
    public mutating func addRegion(
        id: String, name: String, parent: String? = nil, source: String? = nil, note: String? = nil,
        at location: SourceLocation? = nil
    ) {
        let index = regionIDs.count
        regionIDs.append(id)
        regionNames.append(name)
        regionParents.append(parent)
        if let source { regionSources.append(source, at: index) }
        if let note { regionNotes.append(note, at: index) }
        regionLocations.append(intern(location))
    }

    /// Adds a segment. Segments are listed in display order unless `order` says otherwise.
    public mutating func addSegment(
        id: String, name: String, order: Int? = nil, source: String? = nil, note: String? = nil,
        at location: SourceLocation? = nil
    ) {
        let index = segmentIDs.count
        segmentIDs.append(id)
        segmentNames.append(name)
        segmentOrders.append(order)
        if let source { segmentSources.append(source, at: index) }
        if let note { segmentNotes.append(note, at: index) }
        segmentLocations.append(intern(location))
    }

    /// Adds a component in a segment (a segment id).
    public mutating func addComponent(
        id: String, name: String, segment: String, source: String? = nil, note: String? = nil,
        at location: SourceLocation? = nil
    ) {
        let index = componentIDs.count
        componentIDs.append(id)
        componentNames.append(name)
        componentSegments.append(segment)
        if let source { componentSources.append(source, at: index) }
        if let note { componentNotes.append(note, at: index) }
        componentLocations.append(intern(location))
    }

    /// Adds a `requires` edge: `component` requires `child`, with an optional cost weight.
    public mutating func addRequirement(
        component: String, child: String, weight: Double? = nil, source: String? = nil, note: String? = nil,
        at location: SourceLocation? = nil
    ) {
        let index = requirementParents.count
        requirementParents.append(component)
        requirementChildren.append(child)
        requirementWeights.append(weight ?? .nan)
        if weight?.isNaN == true {
            report(.invalidValue(location ?? SourceLocation(file: "model"), element: "requirement '\(component)' → '\(child)'",
                field: "weight", problem: "is not a number"))
        }
        if let source { requirementSources.append(source, at: index) }
        if let note { requirementNotes.append(note, at: index) }
        requirementLocations.append(intern(location))
    }

    /// Adds a firm in a region (a region id).
    public mutating func addFirm(
        id: String, name: String, region: String, source: String? = nil, note: String? = nil,
        at location: SourceLocation? = nil
    ) {
        let index = firmIDs.count
        firmIDs.append(id)
        firmNames.append(name)
        firmRegions.append(region)
        if let source { firmSources.append(source, at: index) }
        if let note { firmNotes.append(note, at: index) }
        firmLocations.append(intern(location))
    }

    /// Adds a supply link: `firm` supplies `component`, with an optional share and product name.
    public mutating func addSupply(
        firm: String, component: String, share: Double? = nil, product: String? = nil, source: String? = nil,
        note: String? = nil, at location: SourceLocation? = nil
    ) {
        let index = supplyFirms.count
        supplyFirms.append(firm)
        supplyComponents.append(component)
        supplyShares.append(share ?? .nan)
        if share?.isNaN == true {
            report(.invalidValue(location ?? SourceLocation(file: "model"), element: "supply of '\(component)' by firm '\(firm)'",
                field: "share", problem: "is not a number"))
        }
        if let product { supplyProducts.append(product, at: index) }
        if let source { supplySources.append(source, at: index) }
        if let note { supplyNotes.append(note, at: index) }
        supplyLocations.append(intern(location))
    }

    /// Records a problem found while reading; ``build()`` will throw it with the others.
    public mutating func report(_ problem: ModelError) {
        if problems.count < Self.problemLimit {
            problems.append(contentsOf: problem.problems.prefix(Self.problemLimit - problems.count))
        } else {
            omittedProblems += problem.problems.count
        }
    }

    /// Notes that some elements of `kind` could not be read (their problem already reported), so
    /// that references to them do not also come back as "unknown".
    public mutating func markIncomplete(_ kind: ElementKind) {
        incompleteKinds.insert(kind)
    }

    /// Records a warning.
    public mutating func warn(_ warning: ModelWarning) {
        warnings.append(warning)
    }

    /// Whether a problem has been recorded so far (reading can then skip costly work).
    public var hasProblems: Bool { !problems.isEmpty }

    /// How many problems have been recorded so far.
    public var problemCount: Int { problems.count + omittedProblems }

    private mutating func intern(_ location: SourceLocation?) -> Location {
        guard let location else { return .unknown }
        let line = Int32(clamping: location.line ?? 0)
        if let lastFile, lastFile.path == location.file {
            return Location(file: lastFile.index, line: line)
        }
        let index: Int32
        if let existing = files.firstIndex(of: location.file) {
            index = Int32(existing)
        } else {
            index = Int32(files.count)
            files.append(location.file)
        }
        lastFile = (location.file, index)
        return Location(file: index, line: line)
    }

    private func describe(_ location: Location) -> SourceLocation {
        guard location.file >= 0 else { return SourceLocation(file: "model") }
        return SourceLocation(file: files[Int(location.file)], line: location.line > 0 ? Int(location.line) : nil)
    }

    // MARK: - Building

    /// Checks everything and builds the model.
    ///
    /// - Returns: The model; ``warnings`` holds what was accepted with a warning.
    /// - Throws: ``ModelError``: the single problem, or ``ModelError/several(_:)`` listing all of them.
    public func build() throws(ModelError) -> ChainModel {
        var state = BuildState(builder: self)
        let model = state.run()
        if !state.problems.isEmpty {
            var problems = state.problems
            if state.omitted > 0 { problems.append(.moreProblems(count: state.omitted)) }
            throw problems.count == 1 ? problems[0] : .several(problems)
        }
        return model!
    }

    /// The build itself, with its own problem list (so `build()` can stay non-mutating).
    private struct BuildState {
        let builder: ModelBuilder
        var problems: [ModelError]
        var omitted: Int

        init(builder: ModelBuilder) {
            self.builder = builder
            problems = builder.problems
            omitted = builder.omittedProblems
        }

        mutating func report(_ problem: ModelError) {
            if case .unknownReference(let location, let element, let field, let kind, let id) = problem {
                if builder.incompleteKinds.contains(kind) { return }
                if id.isEmpty {
                    report(.missingField(location, element: element, field: field))
                    return
                }
            }
            if problems.count < ModelBuilder.problemLimit { problems.append(problem) } else { omitted += 1 }
        }

        func at(_ location: Location) -> SourceLocation { builder.describe(location) }

        /// Checks id syntax and uniqueness, and indexes the ids.
        mutating func indexIDs(_ ids: [String], kind: ElementKind, locations: [Location]) -> IDIndex {
            for (position, id) in ids.enumerated() where !Self.isValidID(id) {
                report(.invalidID(at(locations[position]), kind: kind, id: id))
            }
            var duplicates: [(duplicate: Int, first: Int)] = []
            let index = IDIndex(ids, duplicates: &duplicates)
            for (duplicate, first) in duplicates {
                report(.duplicateID(at(locations[duplicate]), kind: kind, id: ids[duplicate], first: at(locations[first])))
            }
            return index
        }

        /// Whether an id matches `[A-Za-z0-9][A-Za-z0-9._-]*`.
        static func isValidID(_ id: String) -> Bool {
            var id = id
            return id.withUTF8 { bytes in
                guard let first = bytes.first, isAlphanumeric(first) else { return false }
                for byte in bytes.dropFirst() where !(isAlphanumeric(byte) || byte == 0x2E || byte == 0x5F || byte == 0x2D) {
                    return false
                }
                return true
            }
        }

        @inline(__always)
        static func isAlphanumeric(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        }

        mutating func run() -> ChainModel? {
            let b = builder

            // Regions and their forest.
            let regionIndex = indexIDs(b.regionIDs, kind: .region, locations: b.regionLocations)
            var regionParent = [Int32](repeating: -1, count: b.regionIDs.count)
            for (position, parent) in b.regionParents.enumerated() {
                guard let parent else { continue }
                if let found = regionIndex.find(parent, in: b.regionIDs) {
                    regionParent[position] = Int32(found)
                } else {
                    report(.unknownReference(at(b.regionLocations[position]), element: "region '\(b.regionIDs[position])'",
                        field: "parent", kind: .region, id: parent))
                }
            }
            checkRegionCycles(regionParent)

            // Segments: as listed, or derived from the components.
            var segmentIDs = b.segmentIDs
            var segmentNames = b.segmentNames
            var segmentOrders = b.segmentOrders
            let isDeclared = !b.segmentIDs.isEmpty
            var segmentIndex = indexIDs(b.segmentIDs, kind: .segment, locations: b.segmentLocations)
            if !isDeclared {
                var seen: [String: Int] = [:]
                for (position, segment) in b.componentSegments.enumerated() where seen[segment] == nil {
                    seen[segment] = segmentIDs.count
                    if !Self.isValidID(segment) {
                        report(.invalidID(at(b.componentLocations[position]), kind: .segment, id: segment))
                    }
                    segmentIDs.append(segment)
                    segmentNames.append(segment)
                    segmentOrders.append(nil)
                }
                segmentIndex = IDIndex(uniqueIDs: segmentIDs)
            }

            // Components.
            let componentIndex = indexIDs(b.componentIDs, kind: .component, locations: b.componentLocations)
            let componentCount = b.componentIDs.count
            var componentSegment = [Int32](repeating: 0, count: componentCount)
            for (position, segment) in b.componentSegments.enumerated() {
                if let found = segmentIndex.find(segment, in: segmentIDs) {
                    componentSegment[position] = Int32(found)
                } else {
                    report(.unknownReference(at(b.componentLocations[position]), element: "component '\(b.componentIDs[position])'",
                        field: "segment", kind: .segment, id: segment))
                }
            }

            // Requirements, grouped by the requiring component.
            let edgeCount = b.requirementParents.count
            var edgeParent = [Int32](repeating: -1, count: edgeCount)
            var edgeChild = [Int32](repeating: -1, count: edgeCount)
            var requirementsResolved = true
            for edge in 0..<edgeCount {
                let parentID = b.requirementParents[edge]
                let childID = b.requirementChildren[edge]
                let location = at(b.requirementLocations[edge])
                if let parent = componentIndex.find(parentID, in: b.componentIDs) {
                    edgeParent[edge] = Int32(parent)
                } else {
                    requirementsResolved = false
                    report(.unknownReference(location, element: "a requirement", field: "component", kind: .component, id: parentID))
                }
                if let child = componentIndex.find(childID, in: b.componentIDs) {
                    edgeChild[edge] = Int32(child)
                } else {
                    requirementsResolved = false
                    report(.unknownReference(location, element: "component '\(parentID)'", field: "requires", kind: .component, id: childID))
                }
                let weight = b.requirementWeights[edge]
                if !weight.isNaN && !(weight > 0 && weight <= 1) {
                    report(.weightOutOfRange(location, component: parentID, child: childID, weight: weight))
                }
            }
            let edgeOrder = Self.groupStable(edgeParent, groups: componentCount)
            var requirementStart = [Int32](repeating: 0, count: componentCount + 1)
            for parent in edgeParent where parent >= 0 { requirementStart[Int(parent) + 1] += 1 }
            for position in 0..<componentCount { requirementStart[position + 1] += requirementStart[position] }
            let requirementChild = edgeOrder.map { edgeChild[Int($0)] }
            let requirementWeight = edgeOrder.map { b.requirementWeights[Int($0)] }
            let requirementLocation = edgeOrder.map { b.requirementLocations[Int($0)] }

            // Per component: no child twice, weights summing to at most 1.
            var lastParentOfChild = [Int32](repeating: -1, count: componentCount)
            for component in 0..<componentCount {
                var sum = 0.0
                for edge in Int(requirementStart[component])..<Int(requirementStart[component + 1]) {
                    let child = requirementChild[edge]
                    if child >= 0 {
                        if lastParentOfChild[Int(child)] == Int32(component) {
                            report(.duplicateRequirement(at(requirementLocation[edge]), component: b.componentIDs[component],
                                child: b.componentIDs[Int(child)]))
                        }
                        lastParentOfChild[Int(child)] = Int32(component)
                    }
                    let weight = requirementWeight[edge]
                    if weight > 0 && weight <= 1 { sum += weight }  // out-of-range weights are reported already
                }
                if sum > 1 + 1e-6 {
                    report(.weightsExceedOne(at(requirementLocation[Int(requirementStart[component])]),
                        component: b.componentIDs[component], sum: sum))
                }
            }

            // Who requires each component, and an order with every part before what requires it.
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
                    requirementStart: requirementStart, requirementChild: requirementChild,
                    parentStart: parentStart, parentList: parentList, locations: requirementLocation)
                roots = (0..<componentCount).filter { parentStart[$0] == parentStart[$0 + 1] }.map { Int32($0) }
            }

            // Firms.
            let firmIndex = indexIDs(b.firmIDs, kind: .firm, locations: b.firmLocations)
            let firmCount = b.firmIDs.count
            var firmRegion = [Int32](repeating: 0, count: firmCount)
            for (position, region) in b.firmRegions.enumerated() {
                if let found = regionIndex.find(region, in: b.regionIDs) {
                    firmRegion[position] = Int32(found)
                } else {
                    report(.unknownReference(at(b.firmLocations[position]), element: "firm '\(b.firmIDs[position])'",
                        field: "region", kind: .region, id: region))
                }
            }

            // Supply links, grouped by firm.
            let linkCount = b.supplyFirms.count
            var linkFirm = [Int32](repeating: -1, count: linkCount)
            var linkComponent = [Int32](repeating: -1, count: linkCount)
            for link in 0..<linkCount {
                let firmID = b.supplyFirms[link]
                let componentID = b.supplyComponents[link]
                if let firm = firmIndex.find(firmID, in: b.firmIDs) {
                    linkFirm[link] = Int32(firm)
                } else {
                    report(.unknownReference(at(b.supplyLocations[link]), element: "a supply link", field: "firm",
                        kind: .firm, id: firmID))
                }
                if let component = componentIndex.find(componentID, in: b.componentIDs) {
                    linkComponent[link] = Int32(component)
                } else {
                    report(.unknownReference(at(b.supplyLocations[link]), element: "firm '\(firmID)'", field: "supplies",
                        kind: .component, id: componentID))
                }
                let share = b.supplyShares[link]
                if !share.isNaN && !(share >= 0 && share <= 1) {
                    report(.shareOutOfRange(at(b.supplyLocations[link]), firm: firmID, component: componentID, share: share))
                }
            }
            let linkOrder = Self.groupStable(linkFirm, groups: firmCount)
            var firmLinkStart = [Int32](repeating: 0, count: firmCount + 1)
            for firm in linkFirm where firm >= 0 { firmLinkStart[Int(firm) + 1] += 1 }
            for position in 0..<firmCount { firmLinkStart[position + 1] += firmLinkStart[position] }
            let sortedFirm = linkOrder.map { linkFirm[Int($0)] }
            let sortedComponent = linkOrder.map { linkComponent[Int($0)] }
            let sortedShare = linkOrder.map { b.supplyShares[Int($0)] }
            var lastFirmOfComponent = [Int32](repeating: -1, count: componentCount)
            for link in 0..<sortedFirm.count {
                let component = sortedComponent[link]
                guard component >= 0 else { continue }
                if lastFirmOfComponent[Int(component)] == sortedFirm[link] {
                    report(.duplicateSupply(at(b.supplyLocations[Int(linkOrder[link])]), firm: b.firmIDs[Int(sortedFirm[link])],
                        component: b.componentIDs[Int(component)]))
                }
                lastFirmOfComponent[Int(component)] = sortedFirm[link]
            }

            // Home.
            var home: Int?
            if let homeID = b.homeID {
                home = regionIndex.find(homeID, in: b.regionIDs)
                if home == nil {
                    report(.unknownReference(at(b.homeLocation), element: "the model", field: "home", kind: .region, id: homeID))
                }
            }

            guard problems.isEmpty else { return nil }

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

            let segments = SegmentTable(
                ids: segmentIDs, names: segmentNames, orders: segmentOrders, sources: b.segmentSources,
                notes: b.segmentNotes, isDeclared: isDeclared, index: segmentIndex)
            return ChainModel(
                id: b.id, title: b.title, home: home,
                regions: RegionTable(ids: b.regionIDs, names: b.regionNames, parentIndex: regionParent,
                    sources: b.regionSources, notes: b.regionNotes, index: regionIndex),
                segments: segments,
                components: ComponentTable(
                    ids: b.componentIDs, names: b.componentNames, segmentIndex: componentSegment,
                    requirementStart: requirementStart, requirementChild: requirementChild,
                    requirementWeight: requirementWeight, parentStart: parentStart, parentList: parentList,
                    topologicalOrder: topologicalOrder, roots: roots, sources: b.componentSources,
                    notes: b.componentNotes, requirementSources: b.requirementSources.permuted(by: edgeOrder),
                    requirementNotes: b.requirementNotes.permuted(by: edgeOrder), index: componentIndex),
                firms: FirmTable(ids: b.firmIDs, names: b.firmNames, regionIndex: firmRegion, linkStart: firmLinkStart,
                    sources: b.firmSources, notes: b.firmNotes, index: firmIndex),
                supplies: SupplyTable(
                    firmIndex: sortedFirm, componentIndex: sortedComponent, shareValue: sortedShare,
                    componentLinkStart: componentLinkStart, componentLinks: componentLinks,
                    products: b.supplyProducts.permuted(by: linkOrder), sources: b.supplySources.permuted(by: linkOrder),
                    notes: b.supplyNotes.permuted(by: linkOrder)))
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
        mutating func checkRegionCycles(_ parent: [Int32]) {
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
                    let cycle = path[entry...].map { builder.regionIDs[$0] } + [builder.regionIDs[current]]
                    report(.regionCycle(at(builder.regionLocations[path[entry]]), cycle: cycle))
                }
                for region in path { state[region] = 2 }
            }
        }

        /// Kahn's algorithm, leaves first: the returned order puts every component after all it
        /// requires. If some components are left (a cycle), one cycle is reported.
        ///
        /// - Complexity: O(components + edges).
        mutating func orderLeavesFirst(
            requirementStart: [Int32], requirementChild: [Int32], parentStart: [Int32], parentList: [Int32],
            locations: [Location]
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
            let cycle = walk[step[current]...].map { builder.componentIDs[$0] } + [builder.componentIDs[current]]
            report(.requiresCycle(at(locations[walkEdges[walkEdges.count - 1]]), cycle: cycle))
            return order
        }
    }
}
