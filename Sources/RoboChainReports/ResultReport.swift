import RoboChainAnalysis
import RoboChainJSON
import RoboChainModel

/// The output formats of `robochain analyze` (SPEC §4).
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Aligned columns for a person at a terminal.
    case table
    /// The result objects of SPEC §2–3: one object, or an array for several analyses.
    case json
    /// One row per finding or component, with a column per field.
    case csv
    /// Headings and pipe tables, for pasting into a report.
    case markdown
}

/// One analysis of a command: its name, the options it ran with, and what came of it.
public struct ReportEntry: Sendable {
    public var name: String
    public var options: OptionValues
    public var outcome: Result<AnalysisResult, AnalysisError>

    public init(name: String, options: OptionValues, outcome: Result<AnalysisResult, AnalysisError>) {
        self.name = name
        self.options = options
        self.outcome = outcome
    }
}

/// Formats the results of `robochain analyze`.
///
/// The table and Markdown forms know the two built-in analyses (by name) and show them as a
/// person reads them: a summary line on top, gaps most severe first with component and firm
/// names, localisation shares as percentages. Any other analysis shows its findings and metrics.
/// A failed analysis is named in the summary line and otherwise left out (the command reports
/// its cause on standard error).
public struct ResultReport {
    public let model: ChainModel
    public let scope: Int
    public let entries: [ReportEntry]
    /// The width to fit tables to (a terminal's), cutting long names with "…"; nil for none.
    public var width: Int?

    public init(model: ChainModel, scope: Int, entries: [ReportEntry]) {
        self.model = model
        self.scope = scope
        self.entries = entries
    }

    /// The report as bytes of UTF-8 text.
    ///
    /// - Parameters:
    ///   - format: The output format.
    ///   - colour: Whether to use ANSI colours (table format only).
    public func render(_ format: OutputFormat, colour: Bool = false) -> [UInt8] {
        switch format {
        case .json:
            var writer = JSONWriter(style: .pretty)
            json(&writer)
            return writer.bytes
        case .csv: return Array(csv().utf8)
        case .table: return Array(text(markdown: false, colour: colour).utf8)
        case .markdown: return Array(text(markdown: true, colour: false).utf8)
        }
    }

    /// Writes the report to an output stream; JSON goes out in chunks as it is encoded, so a
    /// large result is never held whole.
    public func write(_ format: OutputFormat, colour: Bool = false, to stream: OutputFile.Stream) {
        guard format == .json else {
            stream.write(render(format, colour: colour))
            return
        }
        var writer = JSONWriter(style: .pretty) { stream.write($0) }
        json(&writer)
    }

    private var successes: [(entry: ReportEntry, result: AnalysisResult)] {
        entries.compactMap { entry in
            if case .success(let result) = entry.outcome { return (entry, result) }
            return nil
        }
    }

    // MARK: - JSON

    /// One analysis: its result object; several: an array of the results in the order given.
    /// A failed analysis has no result and is left out (its cause goes to standard error).
    func json(_ writer: inout JSONWriter) {
        if entries.count == 1, case .success(let result) = entries[0].outcome {
            result.write(to: &writer)
        } else {
            writer.beginArray()
            for (_, result) in successes { result.write(to: &writer) }
            writer.endArray()
        }
        writer.finish()
    }

    // MARK: - CSV

    static let csvColumns = [
        "analysis", "scope", "component", "firm", "name", "segment", "kind", "severity", "localSuppliers", "suppliers",
        "direct", "rolledUp", "valueWeight", "dependents", "candidates", "value", "message",
    ]

    /// One row per finding, per component (localisation share) and per metric, with the union
    /// of the columns; a cell is empty where a field does not apply.
    func csv() -> String {
        var lines = [Self.csvColumns.joined(separator: ",")]
        func row(_ values: [String: String]) {
            lines.append(Self.csvColumns.map { column in
                let text = values[column] ?? ""
                return CSVText.escape(Self.csvTextColumns.contains(column) ? PlainText.spreadsheetSafe(PlainText.lines(text)) : text)
            }.joined(separator: ","))
        }
        for (entry, result) in successes {
            let scope = result.scope ?? model.regions.ids[self.scope]
            if entry.name == "localisation-share", let components = result.extra["components"]?.objectValue {
                for member in components.members {
                    let values = member.value.objectValue
                    var cells = ["analysis": entry.name, "scope": scope, "component": member.key]
                    if let index = model.components.index(of: member.key) {
                        cells["name"] = model.components.names[index]
                        cells["segment"] = model.segments.ids[model.components.segment(of: index)]
                    }
                    for key in ["localSuppliers", "suppliers", "direct", "rolledUp"] {
                        cells[key] = values?[key].map(Self.csvNumber) ?? ""
                    }
                    row(cells)
                }
            }
            for finding in result.findings ?? [] {
                var cells = ["analysis": entry.name, "scope": scope, "kind": finding.kind, "severity": finding.severity.rawValue,
                    "message": finding.message]
                if let component = finding.component {
                    cells["component"] = component
                    if let index = model.components.index(of: component) {
                        cells["name"] = model.components.names[index]
                        cells["segment"] = model.segments.ids[model.components.segment(of: index)]
                    }
                }
                if let firm = finding.firm {
                    cells["firm"] = firm
                    if cells["name"] == nil, let index = model.firms.index(of: firm) { cells["name"] = model.firms.names[index] }
                }
                for member in finding.details.members where Self.csvColumns.contains(member.key) {
                    if case .array(let items) = member.value {
                        cells[member.key] = items.compactMap(\.stringValue).joined(separator: ";")
                    } else {
                        cells[member.key] = Self.csvNumber(member.value)
                    }
                }
                row(cells)
            }
            for (name, value) in (result.metrics ?? [:]).sorted(by: { $0.key < $1.key }) {
                row(["analysis": entry.name, "scope": scope, "kind": "metric", "name": name, "value": Self.csvNumber(.number(value))])
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The columns holding free text (names, messages), which could start like a formula.
    static let csvTextColumns: Set<String> = ["name", "message", "kind"]

    static func csvNumber(_ value: JSONValue) -> String {
        switch value {
        case .number(let number): JSONWriter.encode(.number(number), style: .compact).asString
        case .string(let text): text
        case .bool(let flag): String(flag)
        default: ""
        }
    }

    // MARK: - Table and Markdown

    func text(markdown: Bool, colour: Bool) -> String {
        var output = ""
        let scopeLabel = PlainText.line(Wording.region(scope, in: model))
        let summary = PlainText.line(summaryLine(scopeLabel: scopeLabel))
        if markdown {
            let title = PlainText.line(model.title ?? model.id ?? "Chain analysis")
            output += "# \(MarkdownText.escape(title)) — \(MarkdownText.escape(scopeLabel))\n\n\(MarkdownText.escape(summary))\n"
        } else {
            output += TextStyle.bold.apply(summary, colour: colour) + "\n"
        }
        for (entry, result) in successes {
            output += "\n"
            switch entry.name {
            case "gap-detection": output += gapSection(entry, result, markdown: markdown, colour: colour)
            case "localisation-share": output += localisationSection(result, markdown: markdown, colour: colour)
            default: output += genericSection(entry, result, markdown: markdown, colour: colour)
            }
        }
        return output
    }

    private func heading(_ text: String, markdown: Bool, colour: Bool) -> String {
        let text = PlainText.line(text)
        return markdown ? "## \(MarkdownText.escape(text))\n\n" : TextStyle.bold.apply(text, colour: colour) + "\n"
    }

    /// "Guangdong 广东 (CN-GD): 14 gaps (3 foreign-only, …); localisation: Humanoid robot 41 %, …"
    func summaryLine(scopeLabel: String) -> String {
        var parts: [String] = []
        for (entry, result) in successes {
            switch entry.name {
            case "gap-detection":
                // Gaps, by kind; components without any supplier are a data gap, counted apart.
                let findings = result.findings ?? []
                let gaps = findings.filter { $0.kind != "unsupplied" }.count
                var counts: [String] = []
                for (kind, label) in [("foreign-only", "foreign-only 卡脖子"), ("no-local-supplier", "no local supplier 补链"),
                    ("single-local-source", "single local source"), ("low-local-share", "low local share")]
                {
                    let count = findings.filter { $0.kind == kind }.count
                    if count > 0 { counts.append("\(count) \(label)") }
                }
                parts.append("\(Wording.count(gaps, "gap"))" + (counts.isEmpty ? "" : " (\(counts.joined(separator: ", ")))"))
                let unsupplied = findings.count - gaps
                if unsupplied > 0 {
                    parts.append("\(Wording.count(unsupplied, "component")) without any supplier")
                }
            case "localisation-share":
                let roots = result.extra["roots"]?.objectValue?.members ?? []
                let shown = roots.lazy.map { member in
                    "\(componentName(member.key)) \(Wording.percent(member.value.numberValue))"
                }
                parts.append("localisation " + Wording.list(shown, first: 3))
            default:
                if let findings = result.findings {
                    parts.append("\(entry.name): \(Wording.count(findings.count, "finding"))")
                } else if let metrics = result.metrics {
                    parts.append("\(entry.name): \(Wording.count(metrics.count, "metric"))")
                } else {
                    parts.append("\(entry.name): done")
                }
            }
        }
        let failed = entries.filter { if case .failure = $0.outcome { true } else { false } }.map(\.name)
        if !failed.isEmpty { parts.append("failed: \(failed.joined(separator: ", ")) (see standard error)") }
        return "\(scopeLabel): " + parts.joined(separator: "; ")
    }

    private func componentName(_ id: String) -> String {
        model.components.index(of: id).map { model.components.names[$0] } ?? id
    }

    private func firmName(_ id: String) -> String {
        model.firms.index(of: id).map { model.firms.names[$0] } ?? id
    }

    private static func style(for severity: Severity) -> TextStyle {
        switch severity {
        case .critical: .boldRed
        case .high: .red
        case .medium: .yellow
        case .low: .cyan
        default: .dim
        }
    }

    private static func style(forShare share: Double?) -> TextStyle? {
        guard let share else { return .dim }
        return share < 0.3 ? .red : share < 0.6 ? .yellow : .green
    }

    private func gapSection(_ entry: ReportEntry, _ result: AnalysisResult, markdown: Bool, colour: Bool) -> String {
        let threshold = entry.options.number("threshold").map { Wording.percent($0) } ?? "–"
        let output = heading("Gaps in \(Wording.region(scope, in: model)) (gap-detection, low-share threshold \(threshold))",
            markdown: markdown, colour: colour)
        let findings = result.findings ?? []
        guard !findings.isEmpty else { return output + "No gaps found.\n" }
        var table = TextTable([
            ("SEVERITY", .label), ("KIND", .label), ("COMPONENT", .left), ("LOCAL/ALL", .right), ("VALUE", .right),
            ("DEPENDENTS", .right), ("CANDIDATES 招商", .left),
        ])
        for finding in findings {
            let details = finding.details
            let local = Self.whole(details["localSuppliers"])
            let all = Self.whole(details["suppliers"])
            let value = details["valueWeight"]?.numberValue.map { Self.decimal($0) } ?? "–"
            let dependents = Self.whole(details["dependents"])
            let candidates = (details["candidates"]?.arrayValue ?? []).compactMap(\.stringValue).map(firmName)
            table.add([
                Cell(finding.severity.rawValue, Self.style(for: finding.severity)), Cell(finding.kind),
                Cell(finding.component.map(componentName) ?? finding.firm ?? ""), Cell("\(local)/\(all)"), Cell(value),
                Cell(dependents), Cell(candidates.joined(separator: ", ")),
            ])
        }
        let rendered = markdown ? table.markdown() : table.render(colour: colour, width: width)
        return output + rendered + note("LOCAL/ALL: suppliers in scope / all suppliers."
            + " VALUE: the component's share of the cost of the whole product it weighs most in."
            + " DEPENDENTS: the components that need it, directly or through others."
            + " CANDIDATES: suppliers outside the scope, those in the country first.", markdown: markdown)
    }

    /// An explanatory note under a table: a paragraph of its own in Markdown; in a terminal,
    /// wrapped at word boundaries to the terminal's width when it is known.
    private func note(_ text: String, markdown: Bool) -> String {
        if markdown { return "\n" + text + "\n" }
        guard let width, width > 20 else { return text + "\n" }
        return DisplayWidth.wrap(text, to: width).joined(separator: "\n") + "\n"
    }

    private func localisationSection(_ result: AnalysisResult, markdown: Bool, colour: Bool) -> String {
        var output = heading("Localisation share in \(Wording.region(scope, in: model)) (localisation-share)",
            markdown: markdown, colour: colour)
        let segmentOrder = model.segments.displayOrder
        let roots = result.extra["roots"]?.objectValue?.members ?? []
        let segments = result.extra["segments"]?.objectValue
        if !roots.isEmpty {
            var table = TextTable([("WHOLE PRODUCT", .left), ("OVERALL", .right)]
                + segmentOrder.map { (model.segments.names[$0].uppercased(), TextTable.Alignment.right) })
            for member in roots {
                let share = member.value.numberValue
                var cells = [Cell(componentName(member.key)), Cell(Wording.percent(share), Self.style(forShare: share))]
                for segment in segmentOrder {
                    let value = segments?[member.key]?.objectValue?[model.segments.ids[segment]]?.numberValue
                    cells.append(Cell(Wording.percent(value), Self.style(forShare: value)))
                }
                table.add(cells)
            }
            output += markdown ? table.markdown() : table.render(colour: colour, width: width)
            output += note("– : no share: no component of the segment in the product has a supplier and value of its own"
                + " (an assembly whose parts' weights are not given passes all its value to them).", markdown: markdown)
        }
        if let coverage = result.extra["coverage"]?.objectValue {
            let parts = coverage.members.map { member in
                let name = model.segments.index(of: member.key).map { model.segments.names[$0] } ?? member.key
                return "\(name) \(Wording.percent(member.value.numberValue))"
            }
            output += "\n" + note("Components with a supplier in scope: " + PlainText.line(parts.joined(separator: ", ")), markdown: false)
        }
        guard let components = result.extra["components"]?.objectValue, !components.members.isEmpty else { return output }
        output += "\n"
        var table = TextTable([
            ("COMPONENT", .left), ("SEGMENT", .label), ("LOCAL/ALL", .right), ("DIRECT", .right), ("ROLLED UP", .right),
        ])
        let segmentRank = Dictionary(uniqueKeysWithValues: segmentOrder.enumerated().map { ($1, $0) })
        let rows = components.members.map { member -> (id: String, index: Int?, values: JSONObject?) in
            (member.key, model.components.index(of: member.key), member.value.objectValue)
        }.sorted { left, right in
            let leftSegment = left.index.map { segmentRank[model.components.segment(of: $0)] ?? 0 } ?? Int.max
            let rightSegment = right.index.map { segmentRank[model.components.segment(of: $0)] ?? 0 } ?? Int.max
            if leftSegment != rightSegment { return leftSegment < rightSegment }
            let leftShare = left.values?["direct"]?.numberValue ?? .infinity
            let rightShare = right.values?["direct"]?.numberValue ?? .infinity
            if leftShare != rightShare { return leftShare < rightShare }
            return left.id < right.id
        }
        for row in rows {
            let direct = row.values?["direct"]?.numberValue
            let rolled = row.index.map { model.components.isLeaf($0) } == true ? nil : row.values?["rolledUp"]?.numberValue
            let local = Self.whole(row.values?["localSuppliers"])
            let all = Self.whole(row.values?["suppliers"])
            table.add([
                Cell(componentName(row.id)),
                Cell(row.index.map { model.segments.names[model.components.segment(of: $0)] } ?? ""),
                Cell("\(local)/\(all)"), Cell(Wording.percent(direct), Self.style(forShare: direct)),
                Cell(rolled == nil ? "" : Wording.percent(rolled), Self.style(forShare: rolled)),
            ])
        }
        output += markdown ? table.markdown() : table.render(colour: colour, width: width)
        return output + note("DIRECT: the share of the component's supply held by firms in scope."
            + " ROLLED UP (assemblies only): the local share of its whole value, its parts' shares included.", markdown: markdown)
    }

    private func genericSection(_ entry: ReportEntry, _ result: AnalysisResult, markdown: Bool, colour: Bool) -> String {
        var output = heading(entry.name, markdown: markdown, colour: colour)
        if let findings = result.findings {
            if findings.isEmpty {
                output += "No findings.\n"
            } else {
                var table = TextTable([("SEVERITY", .label), ("KIND", .label), ("SUBJECT", .left), ("MESSAGE", .left)])
                for finding in findings.sorted(by: { $0.severity < $1.severity }) {
                    let subject = finding.component.map(componentName) ?? finding.firm.map(firmName) ?? ""
                    table.add([Cell(finding.severity.rawValue, Self.style(for: finding.severity)), Cell(finding.kind),
                        Cell(subject), Cell(finding.message)])
                }
                output += markdown ? table.markdown() : table.render(colour: colour, width: width)
            }
        }
        if let metrics = result.metrics, !metrics.isEmpty {
            if result.findings != nil { output += "\n" }
            var table = TextTable([("METRIC", .left), ("VALUE", .right)])
            for (name, value) in metrics.sorted(by: { $0.key < $1.key }) { table.add([Cell(name), Cell(Self.decimal(value))]) }
            output += markdown ? table.markdown() : table.render(colour: colour, width: width)
        }
        if result.findings == nil && (result.metrics ?? [:]).isEmpty {
            output += "No findings or metrics; see --format json for the full result.\n"
        }
        return output
    }

    /// A count from a result (a whole number in range), or `–`: results may come from plugins.
    static func whole(_ value: JSONValue?) -> String {
        guard let number = value?.numberValue, number.isFinite, number == number.rounded(), abs(number) < 1e15 else { return "–" }
        return String(Int(number))
    }

    /// A number with up to three decimals, trailing zeros dropped.
    /// A number to three decimals; very large and very small ones as Swift writes them (1e+308).
    static func decimal(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        guard abs(value) < 1e15 && (value == 0 || abs(value) >= 1e-3) else { return String(value) }
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int(rounded)) }
        return String(rounded)
    }
}

/// Quoting for CSV output (RFC 4180).
enum CSVText {
    static func escape(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension [UInt8] {
    var asString: String { String(decoding: self, as: UTF8.self) }
}
