import RoboChainAnalysis
import RoboChainModel

/// The short summary `robochain validate` prints for a valid model.
public enum ModelSummary {
    /// The summary text: counts, segments with their component counts, roots, the attribute
    /// names of each kind of element (with how many elements have each), and warnings
    /// (loader warnings, components without a supplier, firms that supply nothing).
    ///
    /// - Parameters:
    ///   - loaded: The loaded model.
    ///   - path: The path it was loaded from.
    /// - Complexity: O(components + firms + links).
    public static func text(_ loaded: LoadedModel, path: String) -> String {
        let model = loaded.model
        var lines: [String] = []
        let title = [model.id, model.title].compactMap { $0 }.joined(separator: " — ")
        lines.append("\(MessageText.quoted(path, limit: 4096)): valid \(loaded.format.rawValue.uppercased()) model" + (title.isEmpty ? "" : " (\(title))"))
        if let home = model.home {
            lines.append("  home:         \(Wording.region(home, in: model))")
        }
        let countries = (0..<model.regions.count).lazy.filter { model.regions.parent(of: $0) == nil }.count
        lines.append("  regions:      \(model.regions.count) (\(Wording.count(countries, "country", "countries")))")
        var perSegment = [Int](repeating: 0, count: model.segments.count)
        for component in 0..<model.components.count { perSegment[model.components.segment(of: component)] += 1 }
        lines.append("  segments:     \(model.segments.count)" + (model.segments.isDeclared ? "" : " (from the components' segment values)"))
        let segmentLabels = model.segments.displayOrder.map { Wording.label(name: model.segments.names[$0], id: model.segments.ids[$0]) }
        let labelWidth = segmentLabels.map(DisplayWidth.of).max() ?? 0
        for (label, segment) in zip(segmentLabels, model.segments.displayOrder) {
            let padding = String(repeating: " ", count: labelWidth - DisplayWidth.of(label))
            lines.append("    \(label)\(padding)  \(Wording.count(perSegment[segment], "component"))")
        }
        let weighted = (0..<model.components.requirementCount).lazy.filter { model.components.weight(ofRequirement: $0) != nil }.count
        lines.append("  components:   \(model.components.count), \(Wording.count(model.components.requirementCount, "requires edge")) (\(weighted) with a weight)")
        let roots = model.components.roots.map { model.components.ids[Int($0)] }
        lines.append("  roots:        \(roots.count)" + (roots.isEmpty ? "" : ": " + Wording.list(roots.lazy.map { MessageText.quoted($0) }, first: 10)))
        lines.append("  firms:        \(model.firms.count)")
        // Counted, not listed: a list of ten million links' positions is 80 MB.
        let shares = (0..<model.supplies.count).lazy.filter { model.supplies.share(of: $0) != nil }.count
        lines.append("  supply links: \(model.supplies.count) (\(shares) with a share)")
        // Attributes (SPEC §1): the names each kind of element carries, and how many have each.
        let attributeTables: [(String, AttributeTable)] = [
            ("regions", model.regions.attributes), ("segments", model.segments.attributes),
            ("components", model.components.attributes), ("requires", model.components.requirementAttributes),
            ("firms", model.firms.attributes), ("supplies", model.supplies.attributes),
        ]
        let described = attributeTables.filter { !$0.1.isEmpty }.map { kind, table in
            "\(kind): " + Wording.list(table.names.lazy.map { "\(MessageText.quoted($0)) (\(table.column($0)?.count ?? 0))" }, first: 8)
        }
        if !described.isEmpty {
            lines.append("  attributes:   " + described.joined(separator: "; "))
        }

        // Ids and names quoted (MessageText.quoted): escaped and cut to 120 characters, so an
        // id of megabytes is not printed whole.
        var warnings = loaded.warnings.map(\.description)
        let unsupplied = (0..<model.components.count).filter { model.supplies.supplierCount(of: $0) == 0 }
            .lazy.map { MessageText.quoted(model.components.ids[$0]) }
        if !unsupplied.isEmpty {
            warnings.append("\(Wording.count(unsupplied.count, "component has", "components have")) no supplier: \(Wording.list(unsupplied, first: 10))")
        }
        let idle = (0..<model.firms.count).filter { model.firms.links(of: $0).isEmpty }.lazy.map { MessageText.quoted(model.firms.ids[$0]) }
        if !idle.isEmpty {
            warnings.append("\(Wording.count(idle.count, "firm supplies", "firms supply")) nothing: \(Wording.list(idle, first: 10))")
        }
        if !warnings.isEmpty {
            lines.append("warnings:")
            lines += warnings.prefix(50).map { "  " + $0 }
            if warnings.count > 50 { lines.append("  … and \(warnings.count - 50) more") }
        }
        return lines.map(PlainText.line).joined(separator: "\n") + "\n"
    }
}
