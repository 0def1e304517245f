import RoboChainAnalysis
import RoboChainJSON
import RoboChainModel

/// Localisation share (SPEC §2): how much of each part, segment and whole robot is supplied
/// from within a region.
///
/// For scope S: the direct share D(c) of each component's supply links from firms within S; the
/// rolled-up share R(c), mixing an assembly's own value added with its parts' shares by cost
/// weight; for each root (whole product) the share of each segment, weighting each component by
/// its value weight in that root and its own value added; and each segment's coverage, the
/// fraction of its components with a supplier within S.
///
/// Result keys: `components` ({id: {localSuppliers, suppliers, direct, rolledUp}}), `segments`
/// ({rootId: {segmentId: share}}), `coverage` ({segmentId: fraction}) and `roots` ({rootId: R}).
/// Null where the SPEC says null; segments are listed in display order, components and roots in
/// model order. A segment with no components has `null` coverage.
///
/// - Complexity: O(regions × depth + components + edges + links) plus the per-root value
///   weights of ``ChainMeasures/forEachRootValueWeights(model:cost:_:)``.
public struct LocalisationShare: Analysis {
    public let name = "localisation-share"
    public let version = "1.0.0"
    public let summary =
        "Computes how much of each component, segment and whole product is supplied from within the scope (direct and rolled-up local shares, segment shares, coverage)."
    public let options: [OptionDeclaration] = []

    public init() {}

    public func run(_ request: AnalysisRequest) throws(AnalysisError) -> AnalysisResult {
        let language = request.language
        let words = language.pick
        let model = request.model
        let components = model.components
        let supply = request.measures.localSupply
        let cost = request.measures.costStructure
        let rolled = ChainMeasures.rolledUpShares(model: model, supply: supply, cost: cost)
        let segmentOrder = model.segments.displayOrder

        var componentsObject = JSONObject()
        componentsObject.members.reserveCapacity(components.count)
        var annotations: [String: Annotation] = [:]
        if request.wantsMap { annotations.reserveCapacity(components.count) }
        let scopeName = model.regions.names[request.scope]
        for component in 0..<components.count {
            let direct = supply.direct(component)
            let rolledUp = rolled[component].isNaN ? nil : rolled[component]
            let suppliers = model.supplies.supplierCount(of: component)
            let local = Int(supply.localSuppliers[component])
            componentsObject.append(components.ids[component], .object(JSONObject([
                .init("localSuppliers", .number(Double(local))),
                .init("suppliers", .number(Double(suppliers))),
                .init("direct", .number(direct)),
                .init("rolledUp", .number(rolledUp)),
            ])))
            guard request.wantsMap else { continue }
            var tooltip = language == .zh
                ? "\(scopeName)本地化率：\(Wording.percent(direct))（\(suppliers) 家供应企业中 \(local) 家在本地）"
                : "Local share in \(scopeName): \(Wording.percent(direct)) (\(local) of \(Wording.count(suppliers, "supplier")))"
            if !components.isLeaf(component) { tooltip += words("; rolled up ", "；含零部件 ") + Wording.percent(rolledUp) }
            annotations[components.ids[component]] = Annotation(
                fill: Self.colour(for: direct), badge: Wording.percent(direct), tooltip: tooltip)
        }

        var segmentsObject = JSONObject()
        let ownShare = cost.ownShare
        var numerator = [Double](repeating: 0, count: model.segments.count)
        var denominator = [Double](repeating: 0, count: model.segments.count)
        var segmentShares: [Int: JSONObject] = [:]
        ChainMeasures.forEachRootValueWeights(model: model, cost: cost) { root, reached, value in
            for segment in 0..<numerator.count {
                numerator[segment] = 0
                denominator[segment] = 0
            }
            for position in reached {
                let component = Int(position)
                let direct = supply.directShare[component]
                guard !direct.isNaN else { continue }
                let weighted = value[component] * ownShare[component]
                let segment = components.segment(of: component)
                numerator[segment] += weighted * direct
                denominator[segment] += weighted
            }
            var shares = JSONObject()
            for segment in segmentOrder {
                shares.append(model.segments.ids[segment],
                    .number(denominator[segment] > 0 ? numerator[segment] / denominator[segment] : nil))
            }
            segmentShares[root] = shares
        }
        for root in components.roots {
            segmentsObject.append(components.ids[Int(root)], .object(segmentShares[Int(root)] ?? JSONObject()))
        }

        var segmentTotal = [Int](repeating: 0, count: model.segments.count)
        var segmentLocal = [Int](repeating: 0, count: model.segments.count)
        for component in 0..<components.count {
            let segment = components.segment(of: component)
            segmentTotal[segment] += 1
            if supply.localSuppliers[component] > 0 { segmentLocal[segment] += 1 }
        }
        var coverage = JSONObject()
        for segment in segmentOrder {
            coverage.append(model.segments.ids[segment],
                .number(segmentTotal[segment] > 0 ? Double(segmentLocal[segment]) / Double(segmentTotal[segment]) : nil))
        }

        var roots = JSONObject()
        for root in components.roots {
            let share = rolled[Int(root)]
            roots.append(components.ids[Int(root)], .number(share.isNaN ? nil : share))
        }

        let legend = [0.0, 0.25, 0.5, 0.75, 1.0].map { LegendEntry(label: words("local share ", "本地化率 ") + Wording.percent($0), fill: Self.colour(for: $0)) }
            + [LegendEntry(label: words("no supplier in the model", "模型中无供应企业"), fill: Self.colour(for: nil))]
        var result = AnalysisResult(
            analysis: name, scope: request.scopeID, annotations: request.wantsMap ? annotations : nil,
            legend: request.wantsMap ? legend : nil,
            extra: JSONObject([
                .init("components", .object(componentsObject)),
                .init("segments", .object(segmentsObject)),
                .init("coverage", .object(coverage)),
                .init("roots", .object(roots)),
            ]))
        if request.wantsTables {
            let coverageShares = segmentOrder.map { segmentTotal[$0] > 0 ? Double(segmentLocal[$0]) / Double(segmentTotal[$0]) : nil }
            result.tables = [
                productTable(model, rolled: rolled, segmentShares: segmentShares, language: language),
                coverageTable(model, shares: coverageShares, language: language),
                componentTable(model, supply: supply, rolled: rolled, language: language),
            ]
            let products = components.roots.lazy.map { root in
                "\(components.names[Int(root)]) \(Wording.percent(rolled[Int(root)].isNaN ? nil : rolled[Int(root)]))"
            }
            result.headline = language == .zh
                ? "本地化率：" + products.prefix(3).joined(separator: "，") + (products.count > 3 ? " 等 \(products.count) 种整机" : "")
                : "local share of " + Wording.list(products, first: 3)
        }
        return result
    }

    /// The whole products (roots): the rolled-up local share of each, and of each segment in it.
    func productTable(_ model: ChainModel, rolled: [Double], segmentShares: [Int: JSONObject], language: Language = .en) -> ResultTable {
        let segmentOrder = model.segments.displayOrder
        let words = language.pick
        var table = ResultTable(id: "products", title: words("Local share by whole product and segment", "整机及各环节类别的本地化率"), columns: [
            TableColumn("product", words("Whole product", "整机"), .component),
            TableColumn("overall", words("Overall", "总体"), .share,
                help: words("the local share of the product's whole value, its parts' shares included; each segment's column, the local"
                    + " share of that segment's value in the product (– where no component of the segment in the product has a"
                    + " supplier and value of its own: an assembly whose parts' weights are not given passes all its value to them)",
                    "整机全部价值中的本地份额（含零部件）；各类别列为该类别价值在整机中的本地份额（– 表示该类别在整机中没有自有价值且有供应的环节）")),
        ] + segmentOrder.map { segment in
            TableColumn(model.segments.ids[segment], model.segments.names[segment], .share)
        }, isView: true)
        for root in model.components.roots.map(Int.init) {
            let shares = segmentShares[root]
            table.rows.append([.id(model.components.ids[root]), rolled[root].isNaN ? nil : .number(rolled[root])]
                + segmentOrder.map { segment in
                    shares?[model.segments.ids[segment]]?.numberValue.map { .number($0) }
                })
        }
        return table
    }

    /// Each segment's coverage: the fraction of its components with a supplier in the scope.
    func coverageTable(_ model: ChainModel, shares: [Double?], language: Language = .en) -> ResultTable {
        let words = language.pick
        var table = ResultTable(id: "coverage", title: words("Components with a supplier in the scope, by segment", "各类别中有本地供应的环节比例"), columns: [
            TableColumn("segment", words("Segment", "类别"), .text),
            TableColumn("coverage", words("Coverage", "覆盖率"), .share,
                help: words("the fraction of the segment's components with a supplier in the scope", "该类别中范围内有供应企业的环节所占比例")),
        ], isView: true)
        for (segment, share) in zip(model.segments.displayOrder, shares) {
            table.rows.append([.text(model.segments.names[segment]), share.map { .number($0) }])
        }
        return table
    }

    /// Every component, by segment, lowest direct local share first.
    func componentTable(_ model: ChainModel, supply: LocalSupply, rolled: [Double], language: Language = .en) -> ResultTable {
        let words = language.pick
        let components = model.components
        var rank = [Int](repeating: 0, count: model.segments.count)
        for (position, segment) in model.segments.displayOrder.enumerated() { rank[segment] = position }
        let order = (0..<components.count).sorted { left, right in
            let leftSegment = rank[components.segment(of: left)]
            let rightSegment = rank[components.segment(of: right)]
            if leftSegment != rightSegment { return leftSegment < rightSegment }
            let leftShare = supply.directShare[left].isNaN ? Double.infinity : supply.directShare[left]
            let rightShare = supply.directShare[right].isNaN ? Double.infinity : supply.directShare[right]
            if leftShare != rightShare { return leftShare < rightShare }
            return components.ids[left] < components.ids[right]
        }
        var table = ResultTable(id: "components", title: words("Local share by component", "各环节本地化率"), columns: [
            TableColumn("component", words("Component", "环节"), .component),
            TableColumn("segment", words("Segment", "类别"), .text),
            TableColumn("localSuppliers", words("Local", "本地"), .integer, help: words("suppliers in the scope", "范围内的供应企业数")),
            TableColumn("suppliers", words("All", "全部"), .integer, help: words("all suppliers in the model", "模型中全部供应企业数")),
            TableColumn("direct", words("Direct", "直接"), .share,
                help: words("the share of the component's supply held by firms in the scope", "范围内企业在该环节供应中的份额")),
            TableColumn("rolledUp", words("Rolled up", "含零部件"), .share,
                help: words("assemblies only: the local share of the whole value, the parts' shares included", "仅限组装环节：含零部件在内的全部价值的本地份额")),
        ], isView: true)
        table.rows.reserveCapacity(components.count)
        for component in order {
            let direct = supply.directShare[component]
            let rolledUp = components.isLeaf(component) || rolled[component].isNaN ? nil : rolled[component]
            table.rows.append([
                .id(components.ids[component]), .text(model.segments.names[components.segment(of: component)]),
                .integer(Int(supply.localSuppliers[component])), .integer(model.supplies.supplierCount(of: component)),
                direct.isNaN ? nil : .number(direct), rolledUp.map { .number($0) },
            ])
        }
        return table
    }

    /// The colour scale of local shares: dark red (0 %) through amber to pale green (100 %),
    /// getting lighter as the share grows, so it also reads in grey print; light grey for none.
    static func colour(for share: Double?) -> String {
        guard let share, share.isFinite else { return "#e0e0e0" }
        let stops: [(Double, (Double, Double, Double))] = [
            (0.0, (178, 24, 43)), (0.25, (230, 97, 1)), (0.5, (253, 184, 99)), (0.75, (217, 239, 139)), (1.0, (229, 245, 224)),
        ]
        let clamped = min(max(share, 0), 1)
        var index = 0
        while index < stops.count - 2 && clamped > stops[index + 1].0 { index += 1 }
        let (lowPosition, low) = stops[index]
        let (highPosition, high) = stops[index + 1]
        let fraction = (clamped - lowPosition) / (highPosition - lowPosition)
        func channel(_ a: Double, _ b: Double) -> String {
            let value = Int((a + (b - a) * fraction).rounded())
            let hex = String(value, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }
        return "#" + channel(low.0, high.0) + channel(low.1, high.1) + channel(low.2, high.2)
    }
}
