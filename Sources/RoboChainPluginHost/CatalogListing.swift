import RoboChainAnalysis
import RoboChainJSON

extension AnalysisCatalog {
    /// `robochain plugins list` as text: each analysis with its version, protocol, source,
    /// description and options (type, default or `required`, help), then the skipped plugins with the reason.
    public var listing: String {
        var lines: [String] = []
        for analysis in analyses {
            lines.append("\(analysis.name) \(analysis.version)  (\(analysis.source), protocol \(analysis.protocolVersion))")
            lines.append("  \(analysis.summary)")
            if analysis.options.isEmpty {
                lines.append("  options: none")
            } else {
                lines.append("  options:")
                let nameWidth = analysis.options.map(\.name.count).max() ?? 0
                let typeWidth = analysis.options.map(\.type.rawValue.count).max() ?? 0
                let defaultWidth = analysis.options.map(\.defaultDescription.count).max() ?? 0
                for option in analysis.options {
                    let name = option.name.padding(toLength: nameWidth)
                    let type = option.type.rawValue.padding(toLength: typeWidth)
                    let defaultValue = option.defaultDescription.padding(toLength: defaultWidth)
                    lines.append("    \(name)  \(type)  \(defaultValue)  \(option.help)")
                }
            }
            lines.append("")
        }
        if !skipped.isEmpty {
            lines.append("skipped:")
            lines += skipped.map { "  \($0.directory): \($0.reason)" }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// `robochain plugins list --format json`: `{"analyses": [...], "skipped": [...]}`.
    public var listingJSON: JSONValue {
        let entries: [JSONValue] = analyses.map { analysis in
            .object(JSONObject([
                .init("name", .string(analysis.name)), .init("version", .string(analysis.version)),
                .init("protocol", .number(Double(analysis.protocolVersion))), .init("source", .string(analysis.source)),
                .init("description", .string(analysis.summary)), .init("options", OptionDeclaration.json(analysis.options)),
            ]))
        }
        let skippedEntries: [JSONValue] = skipped.map { ["directory": .string($0.directory), "reason": .string($0.reason)] }
        return ["analyses": .array(entries), "skipped": .array(skippedEntries)]
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
