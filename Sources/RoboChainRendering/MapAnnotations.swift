import RoboChainAnalysis
import RoboChainModel

/// The annotations of the analyses that ran (SPEC §5), checked and merged per component.
///
/// Results are laid over each other in the order given with ``Annotation/merged(with:)``: a
/// later analysis' border wins, badges and tooltips add up. Fills are not merged: the first
/// result (in the order given) whose annotations give a fill owns the fill of every node, and
/// the other results' fills are left out — of the nodes and of their legends (an entry that
/// was only a fill swatch goes; one with a border or badge keeps them) — with a warning and a
/// line in that result's legend naming the owner, so that the legend never shows a fill scale
/// no node is drawn with. Annotations of components
/// the model does not have, and colours that are not `#rrggbb`, are left out with a warning —
/// an external plugin's output never reaches the DOT text unchecked.
struct MapAnnotations: Sendable {
    /// The merged annotation of each component, by component index.
    var byComponent: [Annotation?]
    /// Each result's legend, in the order given (`nil` entries: the analysis gave none).
    var legends: [(analysis: String, entries: [LegendEntry]?, annotates: Bool)]
    /// What was left out, one sentence each.
    var warnings: [String]
    /// The analysis whose fills are drawn (the first result giving one); `nil` for none.
    var fillOwner: String?
    /// The scenario the results ran on (SPEC §6), shown under the title; `nil` for none.
    var scenario: [String]?
    /// Without per-component text: for each component, bit i set when it carries the i-th of
    /// ``legendBadges`` (the first 64); empty otherwise.
    private var badgeBits: [UInt64] = []
    private let mergedText: Bool

    /// Checks and merges the results' annotations.
    ///
    /// - Parameter perComponentText: Whether to merge each component's annotations (its fill,
    ///   border, badge and tooltip text). An aggregated map draws groups, not components, and
    ///   needs only which legend badges each component carries: then ``byComponent`` is left
    ///   empty and ``hasBadge(_:component:)`` answers from one bit set per component, so that a
    ///   100,000-component model builds no 100,000 badge and tooltip strings.
    init(results: [AnalysisResult], model: ChainModel, perComponentText: Bool = true, language: Language = .en) {
        mergedText = perComponentText
        var byComponent = [Annotation?](repeating: nil, count: perComponentText ? model.components.count : 0)
        var legends: [(analysis: String, entries: [LegendEntry]?, annotates: Bool)] = []
        var warnings: [String] = []
        let owner = results.firstIndex { result in
            (result.annotations ?? [:]).values.contains { $0.fill.map(Annotation.isColour) ?? false }
        }
        let fillOwner = owner.map { results[$0].analysis }
        for (position, result) in results.enumerated() {
            // Results before the owner give no fill; the owner's are drawn; later ones' are not.
            let drawsFills = position <= owner ?? results.count
            var droppedFills = false
            let annotations = result.annotations ?? [:]
            var unknown: [String] = []
            var badColours: [String] = []
            for (id, annotation) in annotations {
                guard let component = model.components.index(of: id) else {
                    unknown.append(id)
                    continue
                }
                var checked = annotation
                checked.fill = Self.colour(annotation.fill, noting: &badColours) { "fill '\($0)' of '\(id)'" }
                checked.border = Self.colour(annotation.border, noting: &badColours) { "border '\($0)' of '\(id)'" }
                if !drawsFills && checked.fill != nil {
                    checked.fill = nil
                    droppedFills = true
                }
                if perComponentText {
                    byComponent[component] = byComponent[component].map { $0.merged(with: checked) } ?? checked
                }
            }
            var legend = result.legend
            if let entries = legend {
                legend = entries.compactMap { entry in
                    var checked = entry
                    checked.fill = Self.colour(entry.fill, noting: &badColours) { "legend fill '\($0)'" }
                    checked.border = Self.colour(entry.border, noting: &badColours) { "legend border '\($0)'" }
                    if !drawsFills && checked.fill != nil {
                        checked.fill = nil
                        droppedFills = true
                        // A swatch that was only a fill means nothing without it.
                        if checked.border == nil && checked.badge == nil { return nil }
                    }
                    return checked
                }
            }
            if droppedFills, let fillOwner {
                let note = language.pick(
                    "\(result.analysis)'s fills are not drawn: \(fillOwner)'s are (the first given); put \(result.analysis) first to see them",
                    "\(result.analysis) 的填充色未画出：图中画的是 \(fillOwner) 的填充色（先给出者优先）；把 \(result.analysis) 放在前面即可看到")
                warnings.append(note)
                legend = (legend ?? []) + [LegendEntry(label: note)]
            }
            if !unknown.isEmpty {
                unknown.sort()
                let shown = Wording.list(unknown.lazy.map { "'\($0)'" }, first: 5)
                warnings.append("analysis '\(result.analysis)' annotates \(unknown.count == 1 ? "a component" : "\(unknown.count) components") the model does not have (\(shown)); left off the map")
            }
            if !badColours.isEmpty {
                badColours.sort()
                let shown = Wording.list(badColours, first: 5)
                warnings.append("analysis '\(result.analysis)' gives colours that are not #rrggbb (\(shown)); left off the map")
            }
            legends.append((result.analysis, legend, !annotations.isEmpty))
        }
        self.byComponent = byComponent
        self.legends = legends
        self.warnings = warnings
        self.fillOwner = fillOwner
        scenario = results.lazy.compactMap(\.scenario).first { !$0.isEmpty }
        guard !perComponentText else { return }
        var positions: [Substring: [Int]] = [:]
        for (position, entry) in legendBadges.prefix(64).enumerated() { positions[Substring(entry.badge), default: []].append(position) }
        guard !positions.isEmpty else { return }
        var bits = [UInt64](repeating: 0, count: model.components.count)
        for result in results {
            for (id, annotation) in result.annotations ?? [:] {
                guard let badge = annotation.badge, let component = model.components.index(of: id) else { continue }
                for part in badge.split(separator: " · ") {
                    for position in positions[part] ?? [] { bits[component] |= 1 << UInt64(position) }
                }
            }
        }
        badgeBits = bits
    }

    /// Whether a component carries the badge of `legendBadges[position]`.
    func hasBadge(_ position: Int, component: Int) -> Bool {
        guard mergedText else {
            return position < 64 && !badgeBits.isEmpty && badgeBits[component] & (1 << UInt64(position)) != 0
        }
        guard let text = byComponent[component]?.badge else { return false }
        let badge = legendBadges[position].badge
        return text.split(separator: " · ").contains { $0 == badge }
    }

    /// `colour` when it is `#rrggbb` or nil; otherwise nil, with `describe(colour)` noted in `bad`.
    private static func colour(_ colour: String?, noting bad: inout [String], _ describe: (String) -> String) -> String? {
        guard let colour, !Annotation.isColour(colour) else { return colour }
        bad.append(describe(colour))
        return nil
    }

    /// The badges of the legends, in legend order, each with the border colour it comes with.
    var legendBadges: [(badge: String, border: String?)] {
        legends.flatMap { legend in
            (legend.entries ?? []).compactMap { entry in entry.badge.map { ($0, entry.border) } }
        }
    }
}
