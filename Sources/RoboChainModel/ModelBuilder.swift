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
    public static let problemLimit = ProblemLog.limit

    /// The model's id.
    public var id: String?
    /// The model's title.
    public var title: String?

    private var homeID: String?
    private var homeLocation = ElementLocation.unknown
    private var log = ProblemLog()
    private var lastFile: (path: String, index: Int32)?

    private var regionIDs: [String] = []
    private var regionNames: [String] = []
    private var regionParents: [String?] = []
    private var regionSources = SparseColumn<String>()
    private var regionNotes = SparseColumn<String>()
    private var regionLocations: [ElementLocation] = []
    private var regionAttributes = AttributeTable()

    private var segmentIDs: [String] = []
    private var segmentNames: [String] = []
    private var segmentOrders: [Int?] = []
    private var segmentSources = SparseColumn<String>()
    private var segmentNotes = SparseColumn<String>()
    private var segmentLocations: [ElementLocation] = []
    private var segmentAttributes = AttributeTable()

    private var componentIDs: [String] = []
    private var componentNames: [String] = []
    private var componentSegments: [String] = []
    private var componentSources = SparseColumn<String>()
    private var componentNotes = SparseColumn<String>()
    private var componentLocations: [ElementLocation] = []
    private var componentAttributes = AttributeTable()

    private var requirementParents: [String] = []
    private var requirementChildren: [String] = []
    private var requirementWeights: [Double] = []
    private var requirementSources = SparseColumn<String>()
    private var requirementNotes = SparseColumn<String>()
    private var requirementLocations: [ElementLocation] = []
    private var requirementAttributes = AttributeTable()

    private var firmIDs: [String] = []
    private var firmNames: [String] = []
    private var firmRegions: [String] = []
    private var firmSources = SparseColumn<String>()
    private var firmNotes = SparseColumn<String>()
    private var firmLocations: [ElementLocation] = []
    private var firmAttributes = AttributeTable()

    private var supplyFirms: [String] = []
    private var supplyComponents: [String] = []
    private var supplyShares: [Double] = []
    private var supplyProducts = SparseColumn<String>()
    private var supplySources = SparseColumn<String>()
    private var supplyNotes = SparseColumn<String>()
    private var supplyLocations: [ElementLocation] = []
    private var supplyAttributes = AttributeTable()

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
        attributes: [(name: String, value: AttributeValue)] = [],
        at location: SourceLocation? = nil
    ) {
        let index = regionIDs.count
        regionIDs.append(id)
        regionNames.append(name)
        regionParents.append(parent)
        if let source { regionSources.append(source, at: index) }
        if let note { regionNotes.append(note, at: index) }
        reportRepeated(Self.store(attributes, of: index, in: &regionAttributes), at: location)
        regionLocations.append(intern(location))
    }

    /// Adds a segment. Segments are listed in display order unless `order` says otherwise.
    public mutating func addSegment(
        id: String, name: String, order: Int? = nil, source: String? = nil, note: String? = nil,
        attributes: [(name: String, value: AttributeValue)] = [],
        at location: SourceLocation? = nil
    ) {
        let index = segmentIDs.count
        segmentIDs.append(id)
        segmentNames.append(name)
        segmentOrders.append(order)
        if let source { segmentSources.append(source, at: index) }
        if let note { segmentNotes.append(note, at: index) }
        reportRepeated(Self.store(attributes, of: index, in: &segmentAttributes), at: location)
        segmentLocations.append(intern(location))
    }

    /// Adds a component in a segment (a segment id).
    public mutating func addComponent(
        id: String, name: String, segment: String, source: String? = nil, note: String? = nil,
        attributes: [(name: String, value: AttributeValue)] = [],
        at location: SourceLocation? = nil
    ) {
        let index = componentIDs.count
        componentIDs.append(id)
        componentNames.append(name)
        componentSegments.append(segment)
        if let source { componentSources.append(source, at: index) }
        if let note { componentNotes.append(note, at: index) }
        reportRepeated(Self.store(attributes, of: index, in: &componentAttributes), at: location)
        componentLocations.append(intern(location))
    }

    /// Adds a `requires` edge: `component` requires `child`, with an optional cost weight.
    public mutating func addRequirement(
        component: String, child: String, weight: Double? = nil, source: String? = nil, note: String? = nil,
        attributes: [(name: String, value: AttributeValue)] = [],
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
        reportRepeated(Self.store(attributes, of: index, in: &requirementAttributes), at: location)
        requirementLocations.append(intern(location))
    }

    /// Adds a firm in a region (a region id).
    public mutating func addFirm(
        id: String, name: String, region: String, source: String? = nil, note: String? = nil,
        attributes: [(name: String, value: AttributeValue)] = [],
        at location: SourceLocation? = nil
    ) {
        let index = firmIDs.count
        firmIDs.append(id)
        firmNames.append(name)
        firmRegions.append(region)
        if let source { firmSources.append(source, at: index) }
        if let note { firmNotes.append(note, at: index) }
        reportRepeated(Self.store(attributes, of: index, in: &firmAttributes), at: location)
        firmLocations.append(intern(location))
    }

    /// Adds a supply link: `firm` supplies `component`, with an optional share and product name.
    public mutating func addSupply(
        firm: String, component: String, share: Double? = nil, product: String? = nil, source: String? = nil,
        note: String? = nil, attributes: [(name: String, value: AttributeValue)] = [],
        at location: SourceLocation? = nil
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
        reportRepeated(Self.store(attributes, of: index, in: &supplyAttributes), at: location)
        supplyLocations.append(intern(location))
    }

    /// Stores the attributes of one element; returns the names given twice.
    private static func store(
        _ attributes: [(name: String, value: AttributeValue)], of index: Int, in table: inout AttributeTable
    ) -> [String] {
        guard !attributes.isEmpty else { return [] }
        return attributes.filter { !table.set($0.name, $0.value, of: index) }.map(\.name)
    }

    private mutating func reportRepeated(_ names: [String], at location: SourceLocation?) {
        for name in names {
            report(.syntax(location ?? SourceLocation(file: "model"), problem: "the attribute '\(name)' is given twice"))
        }
    }

    /// Records a problem found while reading; ``build()`` will throw it with the others.
    public mutating func report(_ problem: ModelError) {
        if let file = problem.location?.file { _ = log.file(file) }
        log.report(problem)
    }

    /// Notes that some elements of `kind` could not be read (their problem already reported), so
    /// that references to them do not also come back as "unknown".
    public mutating func markIncomplete(_ kind: ElementKind) {
        log.markIncomplete(kind)
    }

    /// Records a warning.
    public mutating func warn(_ warning: ModelWarning) {
        warnings.append(warning)
    }

    private mutating func intern(_ location: SourceLocation?) -> ElementLocation {
        guard let location else { return .unknown }
        let line = Int32(clamping: location.line ?? 0)
        if let lastFile, lastFile.path == location.file {
            return ElementLocation(file: lastFile.index, line: line)
        }
        let index = log.file(location.file)
        lastFile = (location.file, index)
        return ElementLocation(file: index, line: line)
    }

    // MARK: - Building

    /// Checks everything and builds the model.
    ///
    /// - Returns: The model; ``warnings`` holds what was accepted with a warning.
    /// - Throws: ``ModelError``: the single problem, or ``ModelError/several(_:)`` listing all of
    ///   them in the order of their files and lines.
    public func build() throws(ModelError) -> ChainModel {
        var log = self.log
        let resolved = resolve(&log)
        return try ModelAssembly.assemble(resolved, log: log)
    }

    /// Resolves every id to an index, checking id syntax, uniqueness, references, and the
    /// range of each weight and share.
    ///
    /// - Complexity: O(elements + edges + links) expected (hash lookups).
    private func resolve(_ log: inout ProblemLog) -> ResolvedModel {
        var model = ResolvedModel()
        model.id = id
        model.title = title

        // Regions.
        model.regionIDs = regionIDs
        model.regionNames = regionNames
        model.regionSources = regionSources
        model.regionNotes = regionNotes
        model.regionLocations = regionLocations
        model.regionAttributes = regionAttributes
        model.regionIndex = Self.indexIDs(regionIDs, kind: .region, locations: regionLocations, log: &log)
        model.regionParent = [Int32](repeating: -1, count: regionIDs.count)
        for (position, parent) in regionParents.enumerated() {
            guard let parent else { continue }
            model.regionParent[position] = Self.reference(parent, .region, model.regionIndex, regionIDs,
                at: regionLocations[position], of: "region '\(regionIDs[position])'", field: "parent", log: &log)
        }

        // Segments: as listed, or derived from the components.
        model.segmentIDs = segmentIDs
        model.segmentNames = segmentNames
        model.segmentOrders = segmentOrders
        model.segmentSources = segmentSources
        model.segmentNotes = segmentNotes
        model.segmentAttributes = segmentAttributes
        model.segmentsDeclared = !segmentIDs.isEmpty
        if model.segmentsDeclared {
            model.segmentIndex = Self.indexIDs(segmentIDs, kind: .segment, locations: segmentLocations, log: &log)
        } else {
            // Compared by bytes, as ids are (a Swift string compares by canonical equivalence).
            var seen = Set<[UInt8]>()
            for (position, segment) in componentSegments.enumerated() where seen.insert(Array(segment.utf8)).inserted {
                if !ValueChecks.isValidID(segment) {
                    log.report(.invalidID(log.describe(componentLocations[position]), kind: .segment, id: segment))
                }
                model.segmentIDs.append(segment)
                model.segmentNames.append(segment)
                model.segmentOrders.append(nil)
            }
            model.segmentIndex = IDIndex(uniqueIDs: model.segmentIDs)
        }

        // Components.
        model.componentIDs = componentIDs
        model.componentNames = componentNames
        model.componentSources = componentSources
        model.componentNotes = componentNotes
        model.componentAttributes = componentAttributes
        model.componentIndex = Self.indexIDs(componentIDs, kind: .component, locations: componentLocations, log: &log)
        model.componentSegment = [Int32](repeating: -1, count: componentIDs.count)
        for (position, segment) in componentSegments.enumerated() {
            model.componentSegment[position] = Self.reference(segment, .segment, model.segmentIndex, model.segmentIDs,
                at: componentLocations[position], of: "component '\(componentIDs[position])'", field: "segment", log: &log)
        }

        // Requirements.
        let edgeCount = requirementParents.count
        model.edges.parent = [Int32](repeating: -1, count: edgeCount)
        model.edges.child = [Int32](repeating: -1, count: edgeCount)
        model.edges.weight = requirementWeights
        model.edges.sources = requirementSources
        model.edges.notes = requirementNotes
        model.edges.attributes = requirementAttributes
        model.edges.locations = requirementLocations
        for edge in 0..<edgeCount {
            let parentID = requirementParents[edge]
            let childID = requirementChildren[edge]
            let location = requirementLocations[edge]
            model.edges.parent[edge] = Self.reference(parentID, .component, model.componentIndex, componentIDs,
                at: location, of: "a requirement", field: "parent", log: &log)
            model.edges.child[edge] = Self.reference(childID, .component, model.componentIndex, componentIDs,
                at: location, of: "component '\(parentID)'", field: "requires", log: &log)
            let weight = requirementWeights[edge]
            if !weight.isNaN && !ValueChecks.isValidWeight(weight) {
                log.report(.weightOutOfRange(log.describe(location), component: parentID, child: childID, weight: weight))
                model.edges.weight[edge] = .nan
            }
        }

        // Firms.
        model.firmIDs = firmIDs
        model.firmNames = firmNames
        model.firmSources = firmSources
        model.firmNotes = firmNotes
        model.firmAttributes = firmAttributes
        model.firmIndex = Self.indexIDs(firmIDs, kind: .firm, locations: firmLocations, log: &log)
        model.firmRegion = [Int32](repeating: -1, count: firmIDs.count)
        for (position, region) in firmRegions.enumerated() {
            model.firmRegion[position] = Self.reference(region, .region, model.regionIndex, regionIDs,
                at: firmLocations[position], of: "firm '\(firmIDs[position])'", field: "region", log: &log)
        }

        // Supply links.
        let linkCount = supplyFirms.count
        model.links.firm = [Int32](repeating: -1, count: linkCount)
        model.links.component = [Int32](repeating: -1, count: linkCount)
        model.links.share = supplyShares
        model.links.products = supplyProducts
        model.links.sources = supplySources
        model.links.notes = supplyNotes
        model.links.attributes = supplyAttributes
        model.links.locations = supplyLocations
        for link in 0..<linkCount {
            let firmID = supplyFirms[link]
            let componentID = supplyComponents[link]
            let location = supplyLocations[link]
            model.links.firm[link] = Self.reference(firmID, .firm, model.firmIndex, firmIDs,
                at: location, of: "a supply link", field: "firm", log: &log)
            model.links.component[link] = Self.reference(componentID, .component, model.componentIndex, componentIDs,
                at: location, of: "firm '\(firmID)'", field: "supplies", log: &log)
            let share = supplyShares[link]
            if !share.isNaN && !ValueChecks.isValidShare(share) {
                log.report(.shareOutOfRange(log.describe(location), firm: firmID, component: componentID, share: share))
            }
        }

        // Home.
        if let homeID {
            model.home = model.regionIndex.find(homeID, in: regionIDs)
            if model.home == nil {
                log.report(.unknownReference(log.describe(homeLocation), element: "the model", field: "home", kind: .region, id: homeID))
            }
        }
        return model
    }

    /// The position of `id` among `ids`, or -1 after reporting an unknown reference: `field` of
    /// `element` (at `location`) names an unknown `kind`.
    private static func reference(
        _ id: String, _ kind: ElementKind, _ index: IDIndex, _ ids: [String], at location: ElementLocation,
        of element: @autoclosure () -> String, field: String, log: inout ProblemLog
    ) -> Int32 {
        if let found = index.find(id, in: ids) { return Int32(found) }
        log.report(.unknownReference(log.describe(location), element: element(), field: field, kind: kind, id: id))
        return -1
    }

    /// Checks id syntax and uniqueness, and indexes the ids.
    private static func indexIDs(
        _ ids: [String], kind: ElementKind, locations: [ElementLocation], log: inout ProblemLog
    ) -> IDIndex {
        for (position, id) in ids.enumerated() where !ValueChecks.isValidID(id) {
            log.report(.invalidID(log.describe(locations[position]), kind: kind, id: id))
        }
        var duplicates: [(duplicate: Int, first: Int)] = []
        let index = IDIndex(ids, duplicates: &duplicates)
        for (duplicate, first) in duplicates {
            log.report(.duplicateID(log.describe(locations[duplicate]), kind: kind, id: ids[duplicate],
                first: log.describe(locations[first])))
        }
        var normalisation = NormalisationCheck()
        for (position, id) in ids.enumerated() where !IDRule.isASCII(id) {
            if let earlier = normalisation.add(id, at: Int32(position), ids: ids) {
                log.report(.normalisationDuplicate(log.describe(locations[position]), kind: kind, id: id, other: ids[Int(earlier)],
                    first: log.describe(locations[Int(earlier)])))
            }
        }
        return index
    }
}
