import RoboChainAnalysis
import RoboChainModel
import RoboChainReports

/// The results of analyses as one self-contained HTML page — no network, no external script,
/// style or font — for people who will never run a command: the model's title, scope, scenario,
/// date and sources; the chain map as inline SVG, interactive (click a component for its
/// suppliers with region and product and every table row about it — findings, candidates —;
/// filter by segment; find a firm and see what it supplies); a chart of each small table of
/// shares (local share by product and segment); and every table that
/// ``AnalysisResult/presentedTables`` gives, sortable and paged. It prints to A4.
///
/// Generic over every analysis: the page knows tables, columns and their types, never an
/// analysis by name, so a plugin's tables show exactly as a built-in's do.
public struct HTMLReport {
    public let model: ChainModel
    public let scope: Int
    public let entries: [ReportEntry]
    /// The chain map: an SVG document as Graphviz wrote it (nodes `c.<component id>`), or nil for none.
    public var map: String?
    /// Sentences about the map (how it was simplified).
    public var mapNotes: [String] = []
    /// The date the report is of, as text.
    public var date: String
    public var language: Language
    /// Rows shown per page of a table (the rest a click away).
    public var pageSize = 100

    public init(model: ChainModel, scope: Int, entries: [ReportEntry], map: String?, date: String, language: Language = .en) {
        self.model = model
        self.scope = scope
        self.entries = entries
        self.map = map
        self.date = date
        self.language = language
    }

    /// A presented table, with where it comes from.
    struct Placed {
        var analysis: String
        var table: ResultTable
    }

    /// The page, as UTF-8 bytes.
    ///
    /// - Complexity: O(model size + cells of the presented tables).
    public func render() -> [UInt8] { Array(html().utf8) }

    /// The page.
    public func html() -> String {
        let words = ReportWords(language)
        let title = PlainText.line(model.title ?? model.id ?? "RoboChain")
        let scopeLabel = PlainText.line(Wording.region(scope, in: model))
        var placed: [Placed] = []
        var sections: [(entry: ReportEntry, result: AnalysisResult?, tables: Range<Int>)] = []
        for entry in entries {
            switch entry.outcome {
            case .success(let result):
                let start = placed.count
                for table in result.presentedTables(in: language) {
                    placed.append(Placed(analysis: entry.name, table: table.withFirmAttributes(of: model, language: language)))
                }
                sections.append((entry, result, start..<placed.count))
            case .failure:
                sections.append((entry, nil, placed.count..<placed.count))
            }
        }

        var page = "<!DOCTYPE html>\n<html lang=\"\(language == .zh ? "zh-CN" : "en")\"><head><meta charset=\"utf-8\">"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        page += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        page += "<title>\(HTMLText.escape(title)) — \(HTMLText.escape(scopeLabel))</title><style>\(Self.style)</style></head><body>"

        // Title block.
        page += "<header><h1>\(HTMLText.escape(title))</h1><dl class=\"meta\">"
        page += "<dt>\(words.scope)</dt><dd id=\"scope\">\(HTMLText.escape(scopeLabel))</dd>"
        page += "<dt>\(words.date)</dt><dd>\(HTMLText.escape(date))</dd>"
        if let id = model.id { page += "<dt>\(words.modelID)</dt><dd>\(HTMLText.escape(id))</dd>" }
        let scenarios = Set(sections.compactMap { $0.result?.scenario }.filter { !$0.isEmpty }.map { $0.joined(separator: ", ") })
        if !scenarios.isEmpty {
            page += "<dt>\(words.scenario)</dt><dd id=\"scenario\">\(HTMLText.escape(scenarios.sorted().joined(separator: "; ")))</dd>"
        }
        page += "</dl>"
        // Summary: one line per analysis.
        page += "<ul class=\"summary\">"
        for section in sections {
            let name = HTMLText.escape(section.entry.name)
            if let result = section.result {
                let line = result.headline ?? words.count(placed[section.tables].reduce(0) { $0 + $1.table.rows.count }, "row", "行")
                page += "<li><a href=\"#a\(sections.firstIndex { $0.entry.name == section.entry.name } ?? 0)\"><b>\(name)</b></a>: \(HTMLText.escape(Self.keepingPercentTogether(PlainText.line(line))))</li>"
            } else if case .failure(let failure) = section.entry.outcome {
                page += "<li class=\"failed\"><b>\(name)</b>: \(words.failed) — \(HTMLText.escape(PlainText.line(failure.description)))</li>"
            }
        }
        page += "</ul></header>"

        // The map.
        if let map {
            page += "<section id=\"map\"><h2>\(words.chainMap)</h2>"
            page += "<div class=\"controls\"><label>\(words.segmentFilter) <select id=\"segment\"><option value=\"\">\(words.allSegments)</option>"
            for segment in model.segments.displayOrder {
                page += "<option value=\"\(segment)\">\(HTMLText.escape(PlainText.line(model.segments.names[segment])))</option>"
            }
            page += "</select></label> <label>\(words.findFirm) <input id=\"firm\" type=\"search\" list=\"firms\" autocomplete=\"off\"></label>"
            page += "<datalist id=\"firms\">"
            for firm in 0..<min(model.firms.count, 5000) {
                page += "<option value=\"\(HTMLText.escape(PlainText.line(model.firms.names[firm])))\">"
            }
            page += "</datalist> <button id=\"fit\" type=\"button\">\(language.pick("Fit to width", "适合宽度"))</button></div><p class=\"hint\">\(words.mapHelp)</p>"
            for note in mapNotes { page += "<p class=\"note\">\(words.mapSimplified) \(HTMLText.escape(PlainText.line(note)))</p>" }
            page += "<div class=\"mapbox\"><div class=\"mapwrap\" id=\"mapwrap\">\(Self.inlineSVG(map))</div>"
            page += "<aside id=\"panel\" hidden></aside></div></section>"
        }

        // Charts of small share tables.
        let charts = placed.indices.filter { Self.isChartable(placed[$0].table) }
        if !charts.isEmpty {
            page += "<section id=\"charts\"><h2>\(words.charts)</h2>"
            for index in charts { page += chart(placed[index], words: words) }
            page += "</section>"
        }

        // The analyses.
        for (number, section) in sections.enumerated() {
            guard let result = section.result else { continue }
            var heading = section.entry.name
            if let options = section.entry.options.readable { heading += " (" + options + ")" }
            page += "<section class=\"analysis\" id=\"a\(number)\"><h2>\(HTMLText.escape(PlainText.line(heading)))</h2>"
            if let scenario = result.scenario, !scenario.isEmpty {
                page += "<p>\(words.scenario): \(HTMLText.escape(scenario.joined(separator: ", ")))</p>"
            }
            if let headline = result.headline { page += "<p class=\"headline\">\(HTMLText.escape(Self.keepingPercentTogether(PlainText.line(headline))))</p>" }
            for index in section.tables {
                let table = placed[index].table
                page += "<h3>\(HTMLText.escape(PlainText.line(table.title)))</h3>"
                if table.rows.isEmpty {
                    page += "<p>\(table.id == "findings" ? words.noFindings : words.noRows)</p>"
                    continue
                }
                page += "<div class=\"table\" id=\"t\(index)\" data-table=\"\(index)\"></div>"
                let notes = table.columns.compactMap { column in column.help.map { "<b>\(HTMLText.escape(PlainText.line(column.title)))</b>: \(HTMLText.escape(PlainText.line($0)))" } }
                if !notes.isEmpty { page += "<p class=\"note\">\(notes.joined(separator: ". "))</p>" }
            }
            if section.tables.isEmpty { page += "<p>\(words.nothingPresented)</p>" }
            let unpresented = result.unpresentedKeys
            if !unpresented.isEmpty {
                page += "<p class=\"note\">\(HTMLText.escape(words.alsoInResult + unpresented.joined(separator: ", ")))</p>"
            }
            page += "</section>"
        }

        page += sourcesSection(words)
        page += "<footer>\(words.generated) · \(HTMLText.escape(date))</footer>"
        page += "<script type=\"application/json\" id=\"data\">\(data(placed, words: words))</script>"
        page += "<script>\(Self.script)</script></body></html>\n"
        return page
    }

    /// The SVG element of a Graphviz SVG document (the XML declaration, doctype and comments before it dropped).
    static func inlineSVG(_ document: String) -> String {
        guard let start = document.range(of: "<svg") else { return "" }
        return String(document[start.lowerBound...])
    }

    // MARK: - Charts

    /// The numbers of rows a charted table may have.
    static let chartRows = 1...30

    /// A table is charted when it is small (1 to 30 rows, ``chartRows``) and every numeric
    /// column is a share.
    static func isChartable(_ table: ResultTable) -> Bool {
        let numeric = table.columns.filter(\.type.isNumeric)
        return chartRows.contains(table.rows.count) && !numeric.isEmpty && numeric.allSatisfy { $0.type == .share }
    }

    /// The bar colours, one per share column; a table has at most a few (value origin: eight
    /// origins and "other"), and past the palette the colours repeat.
    static let palette = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#319795", "#b7791f", "#c53030",
        "#2c7a7b", "#975a16", "#6b46c1", "#276749"]
    /// The colour of a column with the id `other` (all other origins together).
    static let otherColour = "#a0aec0"

    /// The colour of the `number`th share column, `column`.
    static func colour(_ number: Int, _ column: TableColumn) -> String {
        column.id == "other" ? otherColour : palette[number % palette.count]
    }

    /// A horizontal bar chart: a group per row, labelled by its other cells, a bar per share column.
    func chart(_ placed: Placed, words: ReportWords) -> String {
        let table = placed.table
        let shares = table.columns.indices.filter { table.columns[$0].type == .share }
        let labels = table.columns.indices.filter { !table.columns[$0].type.isNumeric }
        let barHeight = 14
        let gap = 10
        let labelWidth = 230
        let plotWidth = 380
        let groupHeight = shares.count * barHeight + gap
        let width = labelWidth + plotWidth + 60
        // The legend, wrapped onto as many lines as it needs (label widths in display columns:
        // a wide, CJK character counts 2).
        var legend = ""
        var legendLines = 0
        if shares.count > 1 {
            var x = labelWidth
            legendLines = 1
            for (number, column) in shares.enumerated() {
                let name = PlainText.line(table.columns[column].title)
                let itemWidth = 24 + DisplayWidth.of(name) * 7
                if x > labelWidth && x + itemWidth > width {
                    x = labelWidth
                    legendLines += 1
                }
                let y = 4 + (legendLines - 1) * 18
                legend += "<rect x=\"\(x)\" y=\"\(y)\" width=\"10\" height=\"10\" fill=\"\(Self.colour(number, table.columns[column]))\"/>"
                legend += "<text x=\"\(x + 14)\" y=\"\(y + 9)\" class=\"lg\">\(HTMLText.escape(name))</text>"
                x += itemWidth
            }
        }
        let legendHeight = legendLines == 0 ? 0 : 4 + legendLines * 18
        let height = legendHeight + table.rows.count * groupHeight + 24
        var svg = "<figure class=\"chart\"><figcaption>\(HTMLText.escape(PlainText.line(table.title))) <span class=\"src\">(\(HTMLText.escape(placed.analysis)))</span></figcaption>"
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\">"
        svg += legend
        for tick in stride(from: 0, through: 100, by: 25) {
            let x = labelWidth + plotWidth * tick / 100
            svg += "<line x1=\"\(x)\" y1=\"\(legendHeight)\" x2=\"\(x)\" y2=\"\(height - 18)\" class=\"grid\"/>"
            svg += "<text x=\"\(x)\" y=\"\(height - 4)\" class=\"tick\">\(tick)%</text>"
        }
        for (rowNumber, row) in table.rows.enumerated() {
            let top = legendHeight + rowNumber * groupHeight
            let text = labels.compactMap { index in row[index].map { TableText.display($0, type: table.columns[index].type, model: model) } }
            let caption = DisplayWidth.truncate(PlainText.line(text.joined(separator: " · ")), to: 34)
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(top + (shares.count * barHeight) / 2 + 4)\" class=\"lab\">\(HTMLText.escape(caption))</text>"
            for (number, column) in shares.enumerated() {
                let y = top + number * barHeight
                guard let value = row[column]?.numberValue, value.isFinite else {
                    svg += "<text x=\"\(labelWidth + 4)\" y=\"\(y + barHeight - 3)\" class=\"val\">–</text>"
                    continue
                }
                let clamped = min(max(value, 0), 1)
                let barWidth = Int((clamped * Double(plotWidth)).rounded())
                let name = PlainText.line(table.columns[column].title)
                svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 1)\" width=\"\(barWidth)\" height=\"\(barHeight - 2)\" fill=\"\(Self.colour(number, table.columns[column]))\"><title>\(HTMLText.escape(caption + " — " + name + ": " + Self.keepingPercentTogether(Wording.percent(value))))</title></rect>"
                svg += "<text x=\"\(labelWidth + barWidth + 4)\" y=\"\(y + barHeight - 3)\" class=\"val\">\(HTMLText.escape(Self.keepingPercentTogether(Wording.percent(value))))</text>"
            }
        }
        return svg + "</svg></figure>"
    }

    // MARK: - Sources

    /// The distinct sources the model's facts cite, most cited first (at most 60 listed).
    func sourcesSection(_ words: ReportWords) -> String {
        var counts: [String: Int] = [:]
        func add(_ column: SparseColumn<String>, _ count: Int) {
            guard column.count > 0 else { return }
            for index in 0..<count { if let source = column[index] { counts[source, default: 0] += 1 } }
        }
        add(model.regions.sources, model.regions.count)
        add(model.segments.sources, model.segments.count)
        add(model.components.sources, model.components.count)
        add(model.components.requirementSources, model.components.requirementCount)
        add(model.firms.sources, model.firms.count)
        add(model.supplies.sources, model.supplies.count)
        guard !counts.isEmpty else { return "" }
        let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var html = "<section id=\"sources\"><h2>\(words.sources)</h2><ol class=\"sources\">"
        for (source, count) in sorted.prefix(60) {
            html += "<li>\(HTMLText.escape(PlainText.line(source)))\(count > 1 ? " <span class=\"n\">×\(count)</span>" : "")</li>"
        }
        html += "</ol>"
        if sorted.count > 60 { html += "<p class=\"note\">+\(sorted.count - 60)</p>" }
        return html + "</section>"
    }

    // MARK: - Data for the script

    /// The JSON the page's script reads: words, segments, components with their suppliers,
    /// firms, the tables (cells as display text, numbers beside their text for sorting), and an
    /// index from each element key (`c:`, `f:`, `r:` + id) to the table rows keyed by it.
    func data(_ placed: [Placed], words: ReportWords) -> String {
        let model = self.model
        var json = "{\"words\":{"
        let wordList: [(String, String)] = [
            ("suppliers", words.suppliers), ("firm", words.firm), ("region", words.region), ("product", words.product),
            ("share", words.share), ("supplies", words.supplies), ("component", words.component), ("segment", words.segment),
            ("noSuppliers", words.noSuppliers), ("inAnalyses", words.inAnalyses), ("page", words.page), ("rows", words.rowsWord),
            ("previous", words.previous), ("next", words.next), ("sortHint", words.sortHint), ("close", language.pick("Close", "关闭")),
        ]
        json += wordList.map { JSONText.string($0.0) + ":" + JSONText.string($0.1) }.joined(separator: ",")
        json += "},\"pageSize\":\(pageSize),\"segments\":"
        json += JSONText.array((0..<model.segments.count).map { JSONText.string(PlainText.line(model.segments.names[$0])) })
        json += ",\"regions\":" + JSONText.array((0..<model.regions.count).map { JSONText.string(PlainText.line(model.regions.names[$0])) })
        // Firms: [id, name, region] and, when it has attributes, [[attribute index, text], …].
        let attributes = model.firms.attributes
        json += ",\"attributes\":" + JSONText.array(attributes.names.map { JSONText.string(PlainText.line($0)) })
        json += ",\"firms\":" + JSONText.array((0..<model.firms.count).map { firm in
            var entry = "[" + JSONText.string(model.firms.ids[firm]) + "," + JSONText.string(PlainText.line(model.firms.names[firm])) + ",\(model.firms.region(of: firm))"
            if !attributes.isEmpty {
                let pairs = attributes.names.enumerated().compactMap { index, name in
                    attributes.value(name, of: firm).map { "[\(index)," + JSONText.string(PlainText.line($0.description)) + "]" }
                }
                if !pairs.isEmpty { entry += "," + JSONText.array(pairs) }
            }
            return entry + "]"
        })
        // Components: [id, name, segment, [[firm, product, share], …]].
        json += ",\"components\":" + JSONText.array((0..<model.components.count).map { component in
            let links = model.supplies.links(supplying: component).map { link -> String in
                let link = Int(link)
                let product = model.supplies.products[link].map { JSONText.string(PlainText.line($0)) } ?? "null"
                return "[\(model.supplies.firm(of: link)),\(product),\(JSONText.number(model.supplies.share(of: link)))]"
            }
            return "[" + JSONText.string(model.components.ids[component]) + "," + JSONText.string(PlainText.line(model.components.names[component]))
                + ",\(model.components.segment(of: component))," + JSONText.array(links) + "]"
        })
        var keyed: [String: [String]] = [:]
        var tables: [String] = []
        for (tableIndex, item) in placed.enumerated() {
            let table = item.table
            let columns = table.columns.map { column in
                "{\"t\":" + JSONText.string(PlainText.line(column.title)) + ",\"n\":\(column.type.isNumeric),\"k\":" + JSONText.string(column.type.rawValue) + "}"
            }
            let isFindings = table.id == "findings"
            var rows: [String] = []
            rows.reserveCapacity(table.rows.count)
            for (rowIndex, row) in table.rows.enumerated() {
                var cells: [String] = []
                cells.reserveCapacity(row.count)
                for (column, cell) in zip(table.columns, row) {
                    guard let cell else {
                        cells.append("null")
                        continue
                    }
                    var text = PlainText.line(display(cell, column: column, words: words))
                    if isFindings && column.id == "severity" { text = words.severity(text) }
                    if column.type.isNumeric {
                        cells.append("[" + JSONText.string(text) + "," + JSONText.number(cell.numberValue) + "]")
                    } else {
                        cells.append(JSONText.string(text))
                    }
                    if let element = column.type.element, !column.type.isList {
                        let prefix = element == .component ? "c:" : element == .firm ? "f:" : "r:"
                        for id in cell.idValues { keyed[prefix + id, default: []].append("[\(tableIndex),\(rowIndex)]") }
                    }
                }
                rows.append(JSONText.array(cells))
            }
            tables.append("{\"title\":" + JSONText.string(PlainText.line(table.title)) + ",\"analysis\":" + JSONText.string(item.analysis)
                + ",\"cols\":" + JSONText.array(columns) + ",\"rows\":" + JSONText.array(rows) + "}")
        }
        json += ",\"tables\":" + JSONText.array(tables)
        json += ",\"keyed\":{" + keyed.sorted { $0.key < $1.key }.map { JSONText.string($0.key) + ":" + JSONText.array($0.value) }.joined(separator: ",") + "}"
        return json + "}"
    }

    func display(_ cell: CellValue, column: TableColumn, words: ReportWords) -> String {
        if case .boolean(let flag) = cell { return flag ? words.yes : words.no }
        return Self.keepingPercentTogether(TableText.display(cell, type: column.type, model: model, language: language))
    }

    /// `text` with a no-break space before every percent sign that follows a space ("7 %"), so
    /// that a browser never wraps a percentage between the number and the sign.
    static func keepingPercentTogether(_ text: String) -> String {
        text.replacing(" %", with: "\u{00A0}%")
    }
}
