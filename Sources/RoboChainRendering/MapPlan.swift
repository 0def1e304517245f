import RoboChainAnalysis
import RoboChainModel

/// How much of a model the chain map draws, given the node limit.
///
/// `dot` layout time grows much faster than the number of nodes (measured: 13 s at 5,000
/// nodes, over 120 s at 10,000), so a map above ``ChainMapOptions/maxNodes`` is simplified:
/// first firm nodes give way to names inside the component nodes, then, if the components alone
/// pass the limit, components are aggregated by segment and level.
public enum MapPlan: Sendable, Equatable {
    /// Every component, with firms as asked.
    case detailed(firms: FirmDisplay)
    /// Every component; firm nodes (`--firms all`) would pass the limit, so firms are named
    /// inside the component nodes (`top`) instead.
    case withoutFirmNodes(firmNodes: Int)
    /// One node per segment and band of levels.
    case aggregated(MapAggregation)

    /// Chooses the plan for a model.
    ///
    /// - Parameters:
    ///   - model: The model.
    ///   - options: The firm display and the node limit.
    /// - Returns: `detailed` when every node fits, `withoutFirmNodes` when only the components
    ///   fit, else `aggregated` — also when the widest rank of the detailed map would hold more
    ///   components than can be read (150 off a page; on a page, as many as fit across it at
    ///   0.4 of full size). On a page firms are never drawn as nodes (`all` is drawn as `top`,
    ///   with the names in tooltips). With ``ChainMapOptions/root`` only its components count.
    /// - Complexity: O(components + edges + links): the levels are one pass over the
    ///   topological order.
    public static func choose(for model: ChainModel, options: ChainMapOptions) -> MapPlan {
        let included = Self.included(in: model, root: options.root)
        let components = included.map { $0.reduce(0) { $0 + ($1 ? 1 : 0) } } ?? model.components.count
        guard components > options.maxNodes
            || widestRank(model, included: included, options: options) > rankCapacity(options, scale: minimumScale)
        else {
            guard options.firms == .all, options.page == nil else { return .detailed(firms: options.firms == .all ? .top : options.firms) }
            let firmNodes = suppliers(in: model, included: included)
            return components + firmNodes <= options.maxNodes ? .detailed(firms: .all) : .withoutFirmNodes(firmNodes: firmNodes)
        }
        return .aggregated(MapAggregation(model: model, maxNodes: options.maxNodes, included: included))
    }

    /// The components drawn for `root`: it and everything it requires, directly or not; `nil`
    /// (every component) without a root. O(components + edges).
    static func included(in model: ChainModel, root: Int?) -> [Bool]? {
        guard let root else { return nil }
        var included = [Bool](repeating: false, count: model.components.count)
        var stack = [root]
        included[root] = true
        while let component = stack.popLast() {
            for edge in model.components.requirements(of: component) {
                let child = model.components.child(ofRequirement: edge)
                if !included[child] {
                    included[child] = true
                    stack.append(child)
                }
            }
        }
        return included
    }

    /// The most components one rank of a detailed map would hold, estimated from their levels
    /// (see ``MapAggregation``): on a page, the parts that require nothing are staggered over
    /// up to ``MapBuilder/maximumStagger`` ranks, so they count that much less.
    static func widestRank(_ model: ChainModel, included: [Bool]?, options: ChainMapOptions) -> Int {
        let levels = MapAggregation.levels(of: model)
        var counts: [Int: Int] = [:]
        for component in 0..<model.components.count where included?[component] ?? true {
            counts[levels[component], default: 0] += 1
        }
        var widest = counts.filter { $0.key > 0 }.values.max() ?? 0
        let leaves = counts[0] ?? 0
        widest = max(widest, options.page == nil ? leaves : (leaves + MapBuilder.maximumStagger - 1) / MapBuilder.maximumStagger)
        return widest
    }

    /// The smallest scale a map is drawn at before it is aggregated instead (on a page).
    static let minimumScale = 0.4

    /// The most components one rank may hold: on a page, as many nodes as fit across it at
    /// `scale` (top to bottom: about 1.7 inches a node at full size; left to right: about 0.65
    /// inches); without a page, 150, so that a PNG stays within cairo's 32,767-pixel surface at
    /// 96 dpi without being shrunk.
    static func rankCapacity(_ options: ChainMapOptions, scale: Double) -> Int {
        guard let page = options.page else { return 150 }
        let size = page.inches
        return options.direction == .TB ? max(1, Int(size.width / (1.7 * scale))) : max(1, Int(size.height / (0.65 * scale)))
    }

    /// The number of firms that supply at least one component.
    static func suppliers(in model: ChainModel, included: [Bool]? = nil) -> Int {
        (0..<model.firms.count).reduce(0) { count, firm in
            count + (model.firms.links(of: firm).contains { included?[model.supplies.component(of: $0)] ?? true } ? 1 : 0)
        }
    }

    /// A sentence saying how the map was simplified, or `nil` for a detailed map.
    public func note(for model: ChainModel, options: ChainMapOptions, language: Language = .en) -> String? {
        switch self {
        case .detailed:
            return nil
        case .withoutFirmNodes(let firmNodes):
            if language == .zh {
                return "每家企业画一个节点时图有 \(model.components.count + firmNodes) 个节点，超过 --max-nodes \(options.maxNodes)；企业名称改写在环节节点内（--firms top）"
            }
            return "the map would have \(model.components.count + firmNodes) nodes with a node per firm, more than "
                + "--max-nodes \(options.maxNodes); firms are named inside the component nodes instead (--firms top)"
        case .aggregated(let aggregation):
            if language == .zh {
                let drawn = aggregation.groups.reduce(0) { $0 + $1.members.count }
                let shape = aggregation.bandSize == 1 ? "环节类别和层级" : "环节类别和每 \(aggregation.bandSize) 层"
                let reason = drawn > options.maxNodes ? "超过 --max-nodes \(options.maxNodes)"
                    : (options.page == nil ? "并排的太多，一张图无法看清" : "并排的太多，无法清晰地放进 \(options.page!.rawValue) 页面")
                var note = (options.root == nil ? "模型有" : "图中有") + " \(drawn) 个环节，\(reason)；改画聚合图，按\(shape)各画一个节点（\(aggregation.groups.count) 个节点）"
                if aggregation.links.count < aggregation.allLinkCount {
                    note += "，只画组间 \(aggregation.allLinkCount) 条连线中最重的 \(aggregation.links.count) 条"
                }
                return note
            }
            let shape = aggregation.bandSize == 1 ? "segment and level" : "segment and band of \(aggregation.bandSize) levels"
            let drawn = aggregation.groups.reduce(0) { $0 + $1.members.count }
            let reason = drawn > options.maxNodes ? "more than --max-nodes \(options.maxNodes)"
                : (options.page == nil ? "too many side by side for one legible map" : "too many side by side to fit the page \(options.page!.rawValue) legibly")
            var note = (options.root == nil ? "the model has" : "the map has") + " \(drawn) components, \(reason); "
                + "drawing an aggregated map with one node per \(shape) (\(aggregation.groups.count) nodes)"
            if aggregation.links.count < aggregation.allLinkCount {
                note += ", and the \(aggregation.links.count) heaviest of \(aggregation.allLinkCount) links between them"
            }
            return note
        }
    }
}

/// Components grouped for the aggregated map: by segment and by level in the chain.
///
/// The level of a component is 0 when it requires nothing, else one more than the highest level
/// of what it requires, so every `requires` edge goes from a lower level to a higher one and the
/// aggregated map keeps the upstream-to-downstream direction. Levels are cut into bands of
/// ``bandSize`` so that there are at most ``maximumGroups`` groups (and at most `maxNodes`)
/// whenever there are at most that many segments. Between groups, the `requires` edges are
/// merged into links, and only the ``linksPerGroup`` heaviest links into each group are drawn:
/// a random 12,000-component chain has thousands of group pairs, and `dot` needs minutes for
/// those long edges while the overview gains nothing from them.
public struct MapAggregation: Sendable, Equatable {
    /// The most groups an aggregated map has (fewer if `maxNodes` is smaller).
    public static let maximumGroups = 48
    /// The most links drawn into one group.
    public static let linksPerGroup = 4

    /// A group of components: one segment, one band of levels.
    public struct Group: Sendable, Equatable {
        /// The segment index.
        public let segment: Int
        /// The lowest and highest level of its components (within one band).
        public let levels: ClosedRange<Int>
        /// The components, in model order.
        public let members: [Int]
    }

    /// The `requires` edges from one group to another, merged.
    public struct Link: Sendable, Equatable {
        /// The group of the required parts (upstream).
        public let from: Int
        /// The group of the assemblies that require them (downstream).
        public let to: Int
        /// How many `requires` edges it stands for.
        public let count: Int
    }

    /// For each component, its level.
    public let levels: [Int]
    /// How many levels one band covers.
    public let bandSize: Int
    /// The groups, by segment display order, then level.
    public let groups: [Group]
    /// For each component, the index of its group (-1 for a component not drawn).
    public let groupOfComponent: [Int]
    /// The links drawn: the heaviest ``linksPerGroup`` into each group (ties: the lower source
    /// group first), sorted by their groups' indices.
    public let links: [Link]
    /// The number of links between different groups before the lightest were left out.
    public let allLinkCount: Int

    /// Groups a model's components.
    ///
    /// - Parameters:
    ///   - model: The model.
    ///   - maxNodes: The most groups wanted (capped at ``maximumGroups``).
    /// - Complexity: O(components + edges + links log links): levels in one pass over the
    ///   topological order (the longest path from a leaf, the standard DAG longest-path
    ///   computation), then one pass over the edges.
    ///   - included: The components to group (`nil`: all); the others belong to no group
    ///     (their ``groupOfComponent`` is -1).
    public init(model: ChainModel, maxNodes: Int, included: [Bool]? = nil) {
        let components = model.components
        let levels = Self.levels(of: model)
        func isIncluded(_ component: Int) -> Bool { included?[component] ?? true }
        let levelCount = ((0..<components.count).lazy.filter(isIncluded).map { levels[$0] }.max() ?? 0) + 1
        var usedSegments = Set<Int>()
        for component in 0..<components.count where isIncluded(component) { usedSegments.insert(components.segment(of: component)) }
        let groupLimit = max(1, min(maxNodes, Self.maximumGroups))
        let bands = max(1, min(levelCount, groupLimit / max(1, usedSegments.count)))
        let bandSize = (levelCount + bands - 1) / bands

        var segmentRank = [Int](repeating: 0, count: model.segments.count)
        for (rank, segment) in model.segments.displayOrder.enumerated() { segmentRank[segment] = rank }
        var membersByKey: [Int: [Int]] = [:]
        let bandCount = (levelCount + bandSize - 1) / bandSize
        for component in 0..<components.count where isIncluded(component) {
            let key = segmentRank[components.segment(of: component)] * bandCount + levels[component] / bandSize
            membersByKey[key, default: []].append(component)
        }
        var groups: [Group] = []
        var groupOfComponent = [Int](repeating: -1, count: components.count)
        let displayOrder = model.segments.displayOrder
        for key in membersByKey.keys.sorted() {
            let members = membersByKey[key]!
            let memberLevels = members.map { levels[$0] }
            for member in members { groupOfComponent[member] = groups.count }
            groups.append(Group(segment: displayOrder[key / bandCount], levels: memberLevels.min()!...memberLevels.max()!, members: members))
        }
        var counts: [Int: Int] = [:]
        for component in 0..<components.count where isIncluded(component) {
            for edge in components.requirements(of: component) {
                let from = groupOfComponent[components.child(ofRequirement: edge)]
                let to = groupOfComponent[component]
                if from != to { counts[from * groups.count + to, default: 0] += 1 }
            }
        }
        var incoming = [[Link]](repeating: [], count: groups.count)
        for (key, count) in counts {
            incoming[key % groups.count].append(Link(from: key / groups.count, to: key % groups.count, count: count))
        }
        var kept: [Link] = []
        for links in incoming {
            let heaviest = links.sorted { $0.count != $1.count ? $0.count > $1.count : $0.from < $1.from }
            kept += heaviest.prefix(Self.linksPerGroup)
        }
        links = kept.sorted { $0.from != $1.from ? $0.from < $1.from : $0.to < $1.to }
        allLinkCount = counts.count
        self.levels = levels
        self.bandSize = bandSize
        self.groups = groups
        self.groupOfComponent = groupOfComponent
    }

    /// The level of each component: 0 when it requires nothing, else one more than the highest
    /// level of what it requires. O(components + edges), one pass over the topological order.
    static func levels(of model: ChainModel) -> [Int] {
        let components = model.components
        var levels = [Int](repeating: 0, count: components.count)
        for position in components.topologicalOrder {
            let component = Int(position)
            var level = 0
            for edge in components.requirements(of: component) {
                level = max(level, levels[components.child(ofRequirement: edge)] + 1)
            }
            levels[component] = level
        }
        return levels
    }
}
