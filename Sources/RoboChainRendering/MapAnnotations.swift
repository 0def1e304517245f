import RoboChainAnalysis
import RoboChainModel

/// The annotations of the analyses that ran (SPEC §5), checked and merged per component.
///
/// Results are laid over each other in the order given with ``Annotation/merged(with:)``: a
/// later analysis' fill and border win, badges and tooltips add up. Annotations of components
/// the model does not have, and colours that are not `#rrggbb`, are left out with a warning —
/// an external plugin's output never reaches the DOT text unchecked.
struct MapAnnotations: Sendable {
    /// The merged annotation of each component, by component index.
    var byComponent: [Annotation?]
    /// Each result's legend, in the order given (`nil` entries: the analysis gave none).
    var legends: [(analysis: String, entries: [LegendEntry]?, annotates: Bool)]
    /// What was left out, one sentence each.
    var warnings: [String]
    /// The scenario the results ran on (SPEC §6), shown under the title; `nil` for none.
    var scenario: [String]?

    init(results: [AnalysisResult], model: ChainModel) {
        var byComponent = [Annotation?](repeating: nil, count: model.components.count)
        var legends: [(analysis: String, entries: [LegendEntry]?, annotates: Bool)] = []
        var warnings: [String] = []
        for result in results {
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
                byComponent[component] = byComponent[component].map { $0.merged(with: checked) } ?? checked
            }
            var legend = result.legend
            if let entries = legend {
                legend = entries.map { entry in
                    var checked = entry
                    checked.fill = Self.colour(entry.fill, noting: &badColours) { "legend fill '\($0)'" }
                    checked.border = Self.colour(entry.border, noting: &badColours) { "legend border '\($0)'" }
                    return checked
                }
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
        scenario = results.lazy.compactMap(\.scenario).first { !$0.isEmpty }
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
