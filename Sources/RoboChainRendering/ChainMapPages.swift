import RoboChainAnalysis
import RoboChainModel

extension MapPage {
    /// The smallest text, in points on the page, that a map fitted to a page is drawn with:
    /// ``ChainMapPages`` splits a map rather than draw any page smaller.
    public static let minimumTextPoints = 9.0
    /// The smallest font size (points at full size) used on a page map: component names,
    /// reference nodes and the aggregated counts; titles, badges and the legend are larger.
    public static let smallestFontSize = 11.0
    /// The smallest scale a page is drawn at: the smallest font at ``minimumTextPoints``.
    public static var minimumScale: Double { minimumTextPoints / smallestFontSize }
}

/// What one page of a paged map draws.
struct PageSelection: Sendable {
    enum Content: Sendable {
        /// The overview: components aggregated by segment and level.
        case overview(MapAggregation)
        /// These components (model order), with dashed reference nodes for their neighbours elsewhere.
        case components([Int])
    }
    let content: Content
    /// The page's number (the overview is 1) and how many there are.
    let number: Int
    let count: Int
    /// The heading under the title: the segment (and part) the page draws.
    let heading: String
    /// For each component, the page that draws it (0: none).
    let pageOfComponent: [Int]

    func subtitle(language: Language) -> String {
        switch content {
        case .overview:
            language.pick("Page 1 of \(count): overview; the next pages draw each part of the chain",
                "第 1 页，共 \(count) 页：总览；后续各页分别画出产业链各部分")
        case .components:
            language.pick("Page \(number) of \(count): \(heading); dashed boxes are drawn on other pages",
                "第 \(number) 页，共 \(count) 页：\(heading)；虚线框画在其他页")
        }
    }

    /// The pages that draw `members`, ascending.
    func pages(of members: [Int]) -> [Int] {
        Array(Set(members.map { pageOfComponent[$0] }).filter { $0 > 0 }).sorted()
    }

    static func pageList(_ pages: [Int], language: Language) -> String {
        let list = pages.map(String.init).joined(separator: language.pick(", ", "、"))
        return language.pick((pages.count == 1 ? "page " : "pages ") + list, "见第 " + list + " 页")
    }
}

/// A chain map fitted to a page, split into several pages when it cannot be drawn legibly on one.
///
/// Every page is drawn at no less than ``MapPage/minimumScale`` of full size, so no text is
/// smaller than ``MapPage/minimumTextPoints`` points on the page: the whole map (or the one
/// product of ``ChainMapOptions/root``) if it fits; otherwise an overview (components
/// aggregated by segment and level, each group naming the pages that draw it) followed by
/// one page per segment in display order, a segment too large for one page being cut by level
/// into consecutive parts. On a part page, a component on another page that an edge reaches is
/// a dashed reference node naming its page. Whether a page fits is measured, not estimated:
/// each candidate is laid out by Graphviz and the scale read from its SVG.
///
/// If more than ``maximumPages`` pages would be needed, or the map has more than
/// ``maximumComponents`` components, the map is drawn as one page as ``MapPlan`` chooses
/// (aggregated), and ``notes`` say so.
public struct ChainMapPages: Sendable {
    /// One page: its map and the scale it is drawn at.
    public struct Page: Sendable {
        /// The map of the page.
        public let document: ChainMapDocument
        /// What the page draws: `nil` for a single-page map, else "overview" or the segment.
        public let heading: String?
        /// The scale Graphviz draws the page at (1: full size).
        public let scale: Double
    }

    /// The pages, the overview first.
    public let pages: [Page]
    /// Sentences for the user: how the map was split, or why a page is small.
    public let notes: [String]

    /// The most pages a map is split into.
    public static let maximumPages = 40
    /// Above this many components a page is split without being laid out first.
    static let measuredComponents = 60
    /// Above this many components a map is not split at all: at the 6 to 8 components a page
    /// holds (the Guangdong map: 46 components on 6 to 8 pages after the overview) it would
    /// need more than ``maximumPages``, and finding that out takes a layout per candidate
    /// (7.5 s instead of 0.8 s for a 1,000-component model).
    static let maximumComponents = 8 * maximumPages

    /// Fits a map to ``ChainMapOptions/page`` (which must be set).
    ///
    /// - Parameters:
    ///   - model, results, options, measures, language: As for ``ChainMapDocument``.
    ///   - timeLimit: Seconds each layout may take.
    /// - Throws: ``RenderingError`` when a layout fails or runs out of time.
    /// - Complexity: one Graphviz layout per candidate page: about 2p + s for p pages and s
    ///   segments, each O(layout) of the page's nodes.
    public init(model: ChainModel, results: [AnalysisResult] = [], options: ChainMapOptions, measures: SharedMeasures? = nil,
        language: Language = .en, timeLimit: Double = GraphvizRenderer.defaultTimeLimit
    ) throws(RenderingError) {
        precondition(options.page != nil, "ChainMapPages needs a page")
        let measures = measures ?? SharedMeasures(model: model, scope: options.scope)
        func scale(_ document: ChainMapDocument) throws(RenderingError) -> Double {
            let svg = try GraphvizRenderer.render(document.text, format: .svg, timeLimit: timeLimit)
            return ChainMapDocument.drawnScale(ofSVG: svg.bytes) ?? 1
        }
        let whole = ChainMapDocument(model: model, results: results, options: options, measures: measures, language: language)
        let included = MapPlan.included(in: model, root: options.root)
        let members = (0..<model.components.count).filter { included?[$0] ?? true }
        let minimum = MapPage.minimumScale
        let wholeIsDetailed: Bool
        if case .aggregated = whole.plan { wholeIsDetailed = false } else { wholeIsDetailed = true }
        if wholeIsDetailed && members.count <= Self.measuredComponents {
            let wholeScale = try scale(whole)
            if wholeScale >= minimum || members.count <= 1 {
                pages = [Page(document: whole, heading: nil, scale: wholeScale)]
                notes = Self.smallNotes(pages, options: options, language: language)
                return
            }
        }

        guard members.count <= Self.maximumComponents else {
            let wholeScale = try scale(whole)
            pages = [Page(document: whole, heading: nil, scale: wholeScale)]
            notes = [Self.tooManyPages(options: options, language: language)] + Self.smallNotes(pages, options: options, language: language)
            return
        }

        // Split: by segment, then by level, until each part fits.
        let levels = MapAggregation.levels(of: model)
        var segmentRank = [Int](repeating: 0, count: model.segments.count)
        for (rank, segment) in model.segments.displayOrder.enumerated() { segmentRank[segment] = rank }
        func document(_ part: [Int], number: Int, count: Int, heading: String, pageOf: [Int]) -> ChainMapDocument {
            ChainMapDocument(model: model, results: results, options: options, measures: measures, language: language,
                selection: PageSelection(content: .components(part), number: number, count: count, heading: heading, pageOfComponent: pageOf))
        }
        // While measuring, the other pages are taken as one per segment, with the widest page numbers.
        let placeholder = (0..<model.components.count).map { Self.maximumPages - ($0 % 2) * 10 }
        var parts: [[Int]] = []
        var tooMany = false
        func split(_ part: [Int]) throws(RenderingError) {
            guard !tooMany else { return }
            let segments = Set(part.map { model.components.segment(of: $0) })
            // A part of one segment is measured (with the widest page numbers its references
            // can show); the whole, of several segments, was measured above.
            var fits = part.count == 1
            if !fits && segments.count == 1 && part.count <= Self.measuredComponents {
                let candidate = document(part, number: Self.maximumPages, count: Self.maximumPages, heading: model.segments.names[segments.first!] + " (10/10)", pageOf: placeholder)
                let measured = try scale(candidate)
                fits = measured >= minimum
            }
            if fits {
                parts.append(part)
                if parts.count + 1 > Self.maximumPages { tooMany = true }
                return
            }
            if segments.count > 1 {
                for segment in segments.sorted(by: { segmentRank[$0] < segmentRank[$1] }) {
                    try split(part.filter { model.components.segment(of: $0) == segment })
                }
            } else {
                // Into k runs of levels, the fewest that fit (k = 2, 3, …), each run split
                // further if it alone does not fit.
                let ordered = part.sorted { levels[$0] != levels[$1] ? levels[$0] < levels[$1] : $0 < $1 }
                var runs: [[Int]] = []
                for k in 2...ordered.count {
                    runs = (0..<k).map { run in ordered[(run * ordered.count / k)..<((run + 1) * ordered.count / k)].sorted() }
                    var allFit = true
                    for run in runs where run.count > 1 && run.count <= Self.measuredComponents {
                        let candidate = document(run, number: Self.maximumPages, count: Self.maximumPages,
                            heading: model.segments.names[segments.first!] + " (10/10)", pageOf: placeholder)
                        if try scale(candidate) < minimum { allFit = false; break }
                    }
                    if allFit || k >= 4 || runs.contains(where: { $0.count > Self.measuredComponents }) { break }
                }
                for run in runs { try split(run) }
            }
        }
        try split(members)
        guard !tooMany else {
            let wholeScale = try scale(whole)
            pages = [Page(document: whole, heading: nil, scale: wholeScale)]
            notes = [Self.tooManyPages(options: options, language: language)] + Self.smallNotes(pages, options: options, language: language)
            return
        }

        // Headings: the segment, with "(i/k)" when a segment takes several pages.
        let segmentOf = parts.map { model.components.segment(of: $0[0]) }
        var headings: [String] = []
        for (index, segment) in segmentOf.enumerated() {
            let total = segmentOf.filter { $0 == segment }.count
            let position = segmentOf[...index].filter { $0 == segment }.count
            headings.append(model.segments.names[segment] + (total > 1 ? " (\(position)/\(total))" : ""))
        }
        var pageOf = [Int](repeating: 0, count: model.components.count)
        for (index, part) in parts.enumerated() {
            for component in part { pageOf[component] = index + 2 }
        }
        let count = parts.count + 1
        // The overview: as fine as fits, down to one node per segment.
        let segmentsUsed = Set(members.map { model.components.segment(of: $0) }).count
        // The overview: as fine as fits, down to one node per segment, in the direction asked
        // or, if only that fits, the other one; else the largest drawn.
        var overview: Page?
        search: for groups in [MapAggregation.maximumGroups, 2 * segmentsUsed, segmentsUsed] {
            for direction in [options.direction, options.direction == .TB ? .LR : .TB] {
                var overviewOptions = options
                overviewOptions.direction = direction
                let aggregation = MapAggregation(model: model, maxNodes: min(groups, options.maxNodes), included: included)
                let selection = PageSelection(content: .overview(aggregation), number: 1, count: count,
                    heading: language.pick("overview", "总览"), pageOfComponent: pageOf)
                let document = ChainMapDocument(model: model, results: results, options: overviewOptions, measures: measures,
                    language: language, selection: selection)
                let drawn = try scale(document)
                if overview == nil || drawn > overview!.scale { overview = Page(document: document, heading: selection.heading, scale: drawn) }
                if drawn >= minimum { break search }
            }
        }
        var pages = [overview!]
        for (index, part) in parts.enumerated() {
            let page = document(part, number: index + 2, count: count, heading: headings[index], pageOf: pageOf)
            pages.append(Page(document: page, heading: headings[index], scale: try scale(page)))
        }
        self.pages = pages
        notes = [language.pick(
            "the map does not fit the page \(options.page!.rawValue) at a legible size (\(Int(MapPage.minimumTextPoints)) pt text); it is split into \(count) pages: an overview and "
                + headings.joined(separator: ", "),
            "该图无法以清晰字号（\(Int(MapPage.minimumTextPoints)) 磅）放进 \(options.page!.rawValue) 页面；分为 \(count) 页：总览和"
                + headings.joined(separator: "、"))]
            + Self.smallNotes(pages, options: options, language: language)
    }

    /// The file of page `number` (from 1) of `count`: the output itself for the first,
    /// `NAME-k.EXT` beside it for the others (k padded to the digits of `count`).
    public static func pageFile(_ output: String, number: Int, count: Int) -> String {
        guard number > 1 else { return output }
        let digits = String(count).count
        let k = String(repeating: "0", count: max(0, digits - String(number).count)) + String(number)
        let slash = output.lastIndex(of: "/")
        if let dot = output.lastIndex(of: "."), slash.map({ $0 < dot }) ?? true, dot != (slash.map { output.index(after: $0) } ?? output.startIndex) {
            return String(output[..<dot]) + "-" + k + String(output[dot...])
        }
        return output + "-" + k
    }

    static func tooManyPages(options: ChainMapOptions, language: Language) -> String {
        language.pick(
            "the map would need more than \(maximumPages) pages to be legible on the page \(options.page!.rawValue); it is drawn as one page",
            "该图要清晰地放进 \(options.page!.rawValue) 页面需要超过 \(maximumPages) 页；改画为一页")
    }

    /// A note for each page still drawn below ``MapPage/minimumScale`` (one component larger than the page).
    static func smallNotes(_ pages: [Page], options: ChainMapOptions, language: Language) -> [String] {
        pages.enumerated().compactMap { index, page in
            guard page.scale < MapPage.minimumScale else { return nil }
            let percent = Int((page.scale * 100).rounded())
            let points = Int((page.scale * MapPage.smallestFontSize).rounded(.down))
            return pages.count == 1
                ? language.pick("the map is drawn at \(percent) % of full size to fit the page \(options.page!.rawValue) (text from \(points) pt)",
                    "该图按原大小的 \(percent)% 画出以放进 \(options.page!.rawValue) 页面（最小字号 \(points) 磅）")
                : language.pick("page \(index + 1) is drawn at \(percent) % of full size (text from \(points) pt)",
                    "第 \(index + 1) 页按原大小的 \(percent)% 画出（最小字号 \(points) 磅）")
        }
    }
}
