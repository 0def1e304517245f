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
                if let fill = checked.fill, !Annotation.isColour(fill) {
                    badColours.append("fill '\(fill)' of '\(id)'")
                    checked.fill = nil
                }
                if let border = checked.border, !Annotation.isColour(border) {
                    badColours.append("border '\(border)' of '\(id)'")
                    checked.border = nil
                }
                byComponent[component] = byComponent[component].map { $0.merged(with: checked) } ?? checked
            }
            var legend = result.legend
            if let entries = legend {
                legend = entries.map { entry in
                    var checked = entry
                    if let fill = entry.fill, !Annotation.isColour(fill) {
                        badColours.append("legend fill '\(fill)'")
                        checked.fill = nil
                    }
                    if let border = entry.border, !Annotation.isColour(border) {
                        badColours.append("legend border '\(border)'")
                        checked.border = nil
                    }
                    return checked
                }
            }
            if !unknown.isEmpty {
                unknown.sort()
                let shown = unknown.prefix(5).map { "'\($0)'" }.joined(separator: ", ") + (unknown.count > 5 ? " and \(unknown.count - 5) more" : "")
                warnings.append("analysis '\(result.analysis)' annotates \(unknown.count == 1 ? "a component" : "\(unknown.count) components") the model does not have (\(shown)); left off the map")
            }
            if !badColours.isEmpty {
                badColours.sort()
                let shown = badColours.prefix(5).joined(separator: ", ") + (badColours.count > 5 ? " and \(badColours.count - 5) more" : "")
                warnings.append("analysis '\(result.analysis)' gives colours that are not #rrggbb (\(shown)); left off the map")
            }
            legends.append((result.analysis, legend, !annotations.isEmpty))
        }
        self.byComponent = byComponent
        self.legends = legends
        self.warnings = warnings
    }

    /// The badges of the legends, in legend order, each with the border colour it comes with.
    var legendBadges: [(badge: String, border: String?)] {
        legends.flatMap { legend in
            (legend.entries ?? []).compactMap { entry in entry.badge.map { ($0, entry.border) } }
        }
    }
}
