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
    private var regionLocations = LocationColumn()
    private var regionAttributes = AttributeTable()

    private var segmentIDs: [String] = []
    private var segmentNames: [String] = []
    private var segmentOrders: [Int?] = []
    private var segmentSources = SparseColumn<String>()
    private var segmentNotes = SparseColumn<String>()
    private var segmentLocations = LocationColumn()
    private var segmentAttributes = AttributeTable()

    private var componentIDs: [String] = []
    private var componentNames: [String] = []
    private var componentSegments: [String] = []
    private var componentSources = SparseColumn<String>()
    private var componentNotes = SparseColumn<String>()
    private var componentLocations = LocationColumn()
    private var componentAttributes = AttributeTable()

    private var requirementParents: [String] = []
    private var requirementChildren: [String] = []
    private var requirementWeights: [Double] = []
    private var requirementSources = SparseColumn<String>()
    private var requirementNotes = SparseColumn<String>()
    private var requirementLocations = LocationColumn()
    private var requirementAttributes = AttributeTable()

    private var firmIDs: [String] = []
    private var firmNames: [String] = []
    private var firmRegions: [String] = []
    private var firmSources = SparseColumn<String>()
    private var firmNotes = SparseColumn<String>()
    private var firmLocations = LocationColumn()
    private var firmAttributes = AttributeTable()

    private var supplyFirms: [String] = []
    private var supplyComponents: [String] = []
    private var supplyShares: [Double] = []
    private var supplyProducts = SparseColumn<String>()
    private var supplySources = SparseColumn<String>()
    private var supplyNotes = SparseColumn<String>()
    private var supplyLocations = LocationColumn()
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

    /// Resolves every id to an index through ``ModelResolver``, the rules every reader shares:
    /// id syntax and uniqueness, references, and the range of each weight and share.
    ///
    /// - Complexity: O(elements + edges + links) expected (hash lookups).
    private func resolve(_ log: inout ProblemLog) -> ResolvedModel {
        var model = ResolvedModel()
        model.id = id
        model.title = title

        // Regions.
        let regions = IDTable(kind: .region, ids: regionIDs, locations: regionLocations, log: &log)
        model.regionIDs = regionIDs
        model.regionNames = regionNames
        model.regionSources = regionSources
        model.regionNotes = regionNotes
        model.regionLocations = regionLocations
        model.regionAttributes = regionAttributes
        model.regionIndex = regions.index
        model.regionParent = [Int32](repeating: -1, count: regionIDs.count)
        for (position, parent) in regionParents.enumerated() {
            guard let parent else { continue }
            var bytes = parent
            model.regionParent[position] = bytes.withUTF8 {
                ModelResolver.regionParent($0, shown: parent, of: regionIDs[position], regions: regions,
                    at: regionLocations[position], log: &log)
            }
        }

        // Segments: as listed, or derived from the components.
        model.segmentIDs = segmentIDs
        model.segmentNames = segmentNames
        model.segmentOrders = segmentOrders
        model.segmentSources = segmentSources
        model.segmentNotes = segmentNotes
        model.segmentAttributes = segmentAttributes
        model.segmentsDeclared = !segmentIDs.isEmpty
        let segments = model.segmentsDeclared
            ? IDTable(kind: .segment, ids: segmentIDs, locations: segmentLocations, log: &log) : nil
        var derived = ModelResolver.DerivedSegments()

        // Components.
        let components = IDTable(kind: .component, ids: componentIDs, locations: componentLocations, log: &log)
        model.componentIDs = componentIDs
        model.componentNames = componentNames
        model.componentSources = componentSources
        model.componentNotes = componentNotes
        model.componentAttributes = componentAttributes
        model.componentIndex = components.index
        model.componentSegment = [Int32](repeating: -1, count: componentIDs.count)
        for (position, segment) in componentSegments.enumerated() {
            var bytes = segment
            model.componentSegment[position] = bytes.withUTF8 { field in
                if let segments {
                    return ModelResolver.componentSegment(field, shown: segment, of: componentIDs[position], segments: segments,
                        at: componentLocations[position], log: &log)
                }
                return derived.segment(field, shown: segment, into: &model, at: componentLocations[position], log: &log)
            }
        }
        model.segmentIndex = segments?.index ?? IDIndex(uniqueIDs: model.segmentIDs)

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
            var parentID = requirementParents[edge]
            var childID = requirementChildren[edge]
            let location = requirementLocations[edge]
            func parentShown() -> String { requirementParents[edge] }
            func childShown() -> String { requirementChildren[edge] }
            let (parent, child) = parentID.withUTF8 { parentField in
                childID.withUTF8 { childField in
                    ModelResolver.requirement(parent: parentField, child: childField, parentShown: parentShown,
                        childShown: childShown, components: components, at: location, log: &log)
                }
            }
            model.edges.parent[edge] = parent
            model.edges.child[edge] = child
            model.edges.weight[edge] = ModelResolver.weight(requirementWeights[edge], component: parentShown, child: childShown,
                at: location, log: &log)
        }

        // Firms.
        let firms = IDTable(kind: .firm, ids: firmIDs, locations: firmLocations, log: &log)
        model.firmIDs = firmIDs
        model.firmNames = firmNames
        model.firmSources = firmSources
        model.firmNotes = firmNotes
        model.firmAttributes = firmAttributes
        model.firmIndex = firms.index
        model.firmRegion = [Int32](repeating: -1, count: firmIDs.count)
        for (position, region) in firmRegions.enumerated() {
            var region = region
            model.firmRegion[position] = region.withUTF8 {
                ModelResolver.firmRegion($0, shown: firmRegions[position], of: firmIDs[position], regions: regions,
                    at: firmLocations[position], log: &log)
            }
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
            var firmID = supplyFirms[link]
            var componentID = supplyComponents[link]
            let location = supplyLocations[link]
            func firmShown() -> String { supplyFirms[link] }
            func componentShown() -> String { supplyComponents[link] }
            model.links.firm[link] = firmID.withUTF8 { field in
                if let firm = firms.find(field) { return firm }
                ModelResolver.unknownSupplyFirm(firmShown(), at: location, log: &log)
                return -1
            }
            model.links.component[link] = componentID.withUTF8 {
                ModelResolver.supplyComponent($0, firmShown: firmShown, componentShown: componentShown, components: components,
                    at: location, log: &log)
            }
            ModelResolver.share(supplyShares[link], firm: firmShown, component: componentShown, at: location, log: &log)
        }

        // Home.
        if let homeID {
            var bytes = homeID
            model.home = bytes.withUTF8 {
                ModelResolver.home($0, shown: homeID, regions: regions, at: homeLocation, log: &log)
            }
        }
        return model
    }
}
