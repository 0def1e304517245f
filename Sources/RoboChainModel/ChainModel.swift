import Synchronization

/// A validated industry-chain model: regions, segments, components, firms and supply links.
///
/// Every element is addressed by an integer index — regions, segments, components and firms by
/// their position in the file they were loaded from, requirements and supply links by their
/// place in the grouping below; ids are kept for output and looked up through hash indexes. Adjacency is stored
/// in flat arrays both ways (what a component requires, what requires it, who supplies it,
/// what a firm supplies), and a topological order of the components is computed once, at load.
/// A model is only made by ``ModelLoader`` or ``ModelBuilder``, which check every rule of the
/// specification (SPEC §1.3), so a model in hand is always consistent.
///
/// Supply links are grouped by firm (in firm order, then in the order given), and requirements
/// by the requiring component, so the YAML and CSV forms of one model load to the same tables
/// (the model's `id`, `title` and `home`, which the CSV form does not carry, aside).
public struct ChainModel: Sendable, Equatable {
    /// The model's id, if the file gives one (the CSV form has none).
    public let id: String?
    /// The model's title, if the file gives one.
    public let title: String?
    /// The default scope of analyses: a region index, if the file names a `home`.
    public let home: Int?
    public let regions: RegionTable
    public let segments: SegmentTable
    public let components: ComponentTable
    public let firms: FirmTable
    public let supplies: SupplyTable

    init(
        id: String?, title: String?, home: Int?, regions: RegionTable, segments: SegmentTable,
        components: ComponentTable, firms: FirmTable, supplies: SupplyTable
    ) {
        self.id = id
        self.title = title
        self.home = home
        self.regions = regions
        self.segments = segments
        self.components = components
        self.firms = firms
        self.supplies = supplies
    }
}

/// The regions: a forest of countries, provinces and cities.
public struct RegionTable: Sendable, Equatable {
    /// Region ids, by index.
    public let ids: [String]
    /// Region names, by index.
    public let names: [String]
    @usableFromInline let parentIndex: [Int32]
    public let sources: SparseColumn<String>
    public let notes: SparseColumn<String>
    /// The regions' attributes (SPEC §1).
    public let attributes: AttributeTable
    let index: IDIndex

    /// The number of regions.
    public var count: Int { ids.count }

    /// The index of the region with this id.
    ///
    /// - Complexity: O(length of the id), expected.
    public func index(of id: String) -> Int? { index.find(id, in: ids) }

    /// The parent of a region, or `nil` for a root (a country).
    @inlinable
    public func parent(of region: Int) -> Int? {
        let parent = parentIndex[region]
        return parent < 0 ? nil : Int(parent)
    }

    /// Whether `region` is within `scope`: the scope itself or one of its ancestors (SPEC §1).
    ///
    /// - Complexity: O(depth of the region).
    public func isWithin(_ region: Int, scope: Int) -> Bool {
        var current = region
        while true {
            if current == scope { return true }
            let parent = parentIndex[current]
            if parent < 0 { return false }
            current = Int(parent)
        }
    }

    /// The national scope of a region: its root ancestor (SPEC §1).
    ///
    /// - Complexity: O(depth of the region).
    public func nationalScope(of region: Int) -> Int {
        var current = region
        while parentIndex[current] >= 0 { current = Int(parentIndex[current]) }
        return current
    }

    /// For every region, whether it is within `scope`.
    ///
    /// - Complexity: O(regions × depth).
    public func withinFlags(scope: Int) -> [Bool] {
        (0..<count).map { isWithin($0, scope: scope) }
    }

    /// The chain of ancestors of a region, from the region itself up to its root.
    public func path(of region: Int) -> [Int] {
        var path = [region]
        while let parent = parent(of: path[path.count - 1]) { path.append(parent) }
        return path
    }

    public static func == (lhs: RegionTable, rhs: RegionTable) -> Bool {
        lhs.ids == rhs.ids && lhs.names == rhs.names && lhs.parentIndex == rhs.parentIndex
            && lhs.sources == rhs.sources && lhs.notes == rhs.notes && lhs.attributes == rhs.attributes
    }
}

/// The segments of the chain (for robots: brain, senses, limbs, body). Segments are data.
public struct SegmentTable: Sendable, Equatable {
    /// Segment ids, by index.
    public let ids: [String]
    /// Segment names, by index.
    public let names: [String]
    /// The `order` given for each segment, if any.
    public let orders: [Int?]
    public let sources: SparseColumn<String>
    public let notes: SparseColumn<String>
    /// The segments' attributes (SPEC §1).
    public let attributes: AttributeTable
    /// Whether the model listed its segments (`false`: derived from the components' `segment` values).
    public let isDeclared: Bool
    let index: IDIndex

    /// The number of segments.
    public var count: Int { ids.count }

    /// The index of the segment with this id.
    public func index(of id: String) -> Int? { index.find(id, in: ids) }

    /// Segment indices in display order: by `order` (segments without one last), then as listed.
    public var displayOrder: [Int] {
        (0..<count).sorted { left, right in
            switch (orders[left], orders[right]) {
            case let (.some(a), .some(b)) where a != b: a < b
            case (.some, .none): true
            case (.none, .some): false
            default: left < right
            }
        }
    }

    public static func == (lhs: SegmentTable, rhs: SegmentTable) -> Bool {
        lhs.ids == rhs.ids && lhs.names == rhs.names && lhs.orders == rhs.orders
            && lhs.sources == rhs.sources && lhs.notes == rhs.notes && lhs.isDeclared == rhs.isDeclared
            && lhs.attributes == rhs.attributes
    }
}

/// The components (chain nodes) and the weighted `requires` edges between them.
///
/// Requirement edges are numbered: the edges of component `c` are ``requirements(of:)``, a
/// range of edge numbers, each with a ``child(ofRequirement:)`` and an optional
/// ``weight(ofRequirement:)``.
public struct ComponentTable: Sendable, Equatable {
    /// Component ids, by index.
    public let ids: [String]
    /// Component names, by index.
    public let names: [String]
    @usableFromInline let segmentIndex: [Int32]
    @usableFromInline let requirementStart: [Int32]
    @usableFromInline let requirementChild: [Int32]
    /// The given weight of each edge, or NaN where none was given.
    @usableFromInline let requirementWeight: [Double]
    @usableFromInline let parentStart: [Int32]
    @usableFromInline let parentList: [Int32]
    /// Every component after all the components it requires (leaves first).
    public let topologicalOrder: [Int32]
    /// The components nobody requires (whole products), in index order.
    public let roots: [Int32]
    public let sources: SparseColumn<String>
    public let notes: SparseColumn<String>
    /// Sources and notes of requirement edges, by edge number.
    public let requirementSources: SparseColumn<String>
    public let requirementNotes: SparseColumn<String>
    /// The components' attributes (SPEC §1).
    public let attributes: AttributeTable
    /// The attributes of requirement edges, by edge number.
    public let requirementAttributes: AttributeTable
    let index: IDIndex

    /// The number of components.
    public var count: Int { ids.count }

    /// The number of `requires` edges.
    public var requirementCount: Int { requirementChild.count }

    /// The index of the component with this id.
    public func index(of id: String) -> Int? { index.find(id, in: ids) }

    /// The segment index of a component.
    @inlinable
    public func segment(of component: Int) -> Int { Int(segmentIndex[component]) }

    /// The edge numbers of what `component` requires, in the order given.
    @inlinable
    public func requirements(of component: Int) -> Range<Int> {
        Int(requirementStart[component])..<Int(requirementStart[component + 1])
    }

    /// The required (child) component of an edge.
    @inlinable
    public func child(ofRequirement edge: Int) -> Int { Int(requirementChild[edge]) }

    /// The weight given on an edge, or `nil` when none was given.
    @inlinable
    public func weight(ofRequirement edge: Int) -> Double? {
        let weight = requirementWeight[edge]
        return weight.isNaN ? nil : weight
    }

    /// The components that require `component` directly, each once, in index order.
    @inlinable
    public func parents(of component: Int) -> ArraySlice<Int32> {
        parentList[Int(parentStart[component])..<Int(parentStart[component + 1])]
    }

    /// Whether `component` requires nothing.
    @inlinable
    public func isLeaf(_ component: Int) -> Bool {
        requirementStart[component] == requirementStart[component + 1]
    }

    public static func == (lhs: ComponentTable, rhs: ComponentTable) -> Bool {
        lhs.ids == rhs.ids && lhs.names == rhs.names && lhs.segmentIndex == rhs.segmentIndex
            && lhs.requirementStart == rhs.requirementStart && lhs.requirementChild == rhs.requirementChild
            && lhs.requirementWeight.elementsEqual(rhs.requirementWeight, by: Self.sameWeight)
            && lhs.sources == rhs.sources && lhs.notes == rhs.notes
            && lhs.requirementSources == rhs.requirementSources && lhs.requirementNotes == rhs.requirementNotes
            && lhs.attributes == rhs.attributes && lhs.requirementAttributes == rhs.requirementAttributes
    }

    static func sameWeight(_ left: Double, _ right: Double) -> Bool {
        left == right || (left.isNaN && right.isNaN)
    }
}

/// The firms and the region each is in.
public struct FirmTable: Sendable, Equatable {
    /// Firm ids, by index.
    public let ids: [String]
    /// Firm names, by index.
    public let names: [String]
    @usableFromInline let regionIndex: [Int32]
    @usableFromInline let linkStart: [Int32]
    public let sources: SparseColumn<String>
    public let notes: SparseColumn<String>
    /// The firms' attributes (SPEC §1): `revenue`, `listed`, … as the model gives them.
    public let attributes: AttributeTable
    let index: OnDemandIndex
    /// For a table made from another by removing firms (a scenario, SPEC §6): the ids `index`
    /// was built from and the new position of each (-1: removed), so that removing firms does
    /// not rehash the million ids left; `nil` when `index` indexes ``ids``.
    let indexRemap: (ids: [String], positions: [Int32])?

    /// The number of firms.
    public var count: Int { ids.count }

    /// The index of the firm with this id.
    ///
    /// - Complexity: O(length of the id), expected; the first look-up in a model of more than
    ///   ``keptIndexLimit`` firms first makes the index, O(firms).
    public func index(of id: String) -> Int? {
        guard let remap = indexRemap else { return index.find(id, in: ids) }
        guard let old = index.find(id, in: remap.ids) else { return nil }
        let position = remap.positions[old]
        return position < 0 ? nil : Int(position)
    }

    /// The region index of a firm.
    @inlinable
    public func region(of firm: Int) -> Int { Int(regionIndex[firm]) }

    /// The supply-link numbers of a firm, in the order given.
    @inlinable
    public func links(of firm: Int) -> Range<Int> {
        Int(linkStart[firm])..<Int(linkStart[firm + 1])
    }

    public static func == (lhs: FirmTable, rhs: FirmTable) -> Bool {
        lhs.ids == rhs.ids && lhs.names == rhs.names && lhs.regionIndex == rhs.regionIndex
            && lhs.linkStart == rhs.linkStart && lhs.sources == rhs.sources && lhs.notes == rhs.notes
            && lhs.attributes == rhs.attributes
    }
}

extension FirmTable {
    /// A table whose index indexes its own ids: `index`, the one made while loading, is kept
    /// for up to ``keptIndexLimit`` firms; above, it is dropped and made again on the first
    /// look-up by id (``index(of:)``), if any.
    init(
        ids: [String], names: [String], regionIndex: [Int32], linkStart: [Int32], sources: SparseColumn<String>,
        notes: SparseColumn<String>, attributes: AttributeTable, index: IDIndex
    ) {
        self.init(
            ids: ids, names: names, regionIndex: regionIndex, linkStart: linkStart, sources: sources, notes: notes,
            attributes: attributes, index: OnDemandIndex(ids.count <= Self.keptIndexLimit ? index : nil), indexRemap: nil)
    }

    /// The most firms whose id index is kept after loading: 2 million (46 MiB of index). A
    /// larger model, whose index takes more memory than most runs need (229 MiB at 10 million
    /// firms; only a look-up by id uses it: a scenario naming firms, a table or map naming a
    /// finding's firms), makes it again when it is first needed.
    static let keptIndexLimit = 2_000_000
}

/// The supply links: which firm supplies which component, with an optional share and product.
public struct SupplyTable: Sendable, Equatable {
    @usableFromInline let firmIndex: [Int32]
    @usableFromInline let componentIndex: [Int32]
    /// The given share of each link, or NaN where none was given (``share(of:)`` gives an
    /// optional; this is for tight loops).
    public let shareValue: [Double]
    @usableFromInline let componentLinkStart: [Int32]
    @usableFromInline let componentLinks: [Int32]
    public let products: SparseColumn<String>
    public let sources: SparseColumn<String>
    public let notes: SparseColumn<String>
    /// The supply links' attributes (SPEC §1), by link number.
    public let attributes: AttributeTable

    /// The number of supply links.
    public var count: Int { firmIndex.count }

    /// The supplying firm of a link.
    @inlinable
    public func firm(of link: Int) -> Int { Int(firmIndex[link]) }

    /// The supplied component of a link.
    @inlinable
    public func component(of link: Int) -> Int { Int(componentIndex[link]) }

    /// The share given on a link, or `nil` when none was given.
    @inlinable
    public func share(of link: Int) -> Double? {
        let share = shareValue[link]
        return share.isNaN ? nil : share
    }

    /// The links that supply `component`, in link order (firm order, then as given).
    @inlinable
    public func links(supplying component: Int) -> ArraySlice<Int32> {
        componentLinks[Int(componentLinkStart[component])..<Int(componentLinkStart[component + 1])]
    }

    /// The number of links that supply `component`.
    @inlinable
    public func supplierCount(of component: Int) -> Int {
        Int(componentLinkStart[component + 1] - componentLinkStart[component])
    }

    public static func == (lhs: SupplyTable, rhs: SupplyTable) -> Bool {
        lhs.firmIndex == rhs.firmIndex && lhs.componentIndex == rhs.componentIndex
            && lhs.shareValue.elementsEqual(rhs.shareValue, by: ComponentTable.sameWeight)
            && lhs.products == rhs.products && lhs.sources == rhs.sources && lhs.notes == rhs.notes
            && lhs.attributes == rhs.attributes
    }
}

/// An ``IDIndex`` made on first use, then kept: see ``FirmTable/keptIndexLimit``. Shared by a
/// table and those made from it by a scenario, which look ids up in the same `ids`.
final class OnDemandIndex: Sendable {
    /// The index given when made, read without a lock.
    private let given: IDIndex?
    /// The index made on first use, when none was given.
    private let index = Mutex<IDIndex?>(nil)

    init(_ index: IDIndex?) { given = index }

    /// The position of `id` in `ids`, the unique ids this index indexes (made from them first,
    /// if it has not been).
    ///
    /// - Complexity: O(length of the id) expected; O(ids) for the first look-up of an index
    ///   not yet made.
    func find(_ id: String, in ids: [String]) -> Int? {
        if let given { return given.find(id, in: ids) }
        return index.withLock { index in
            if index == nil { index = IDIndex(uniqueIDs: ids) }
            return index!.find(id, in: ids)
        }
    }
}
