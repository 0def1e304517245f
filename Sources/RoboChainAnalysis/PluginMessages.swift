import RoboChainJSON
import RoboChainModel

/// The plugin protocol version this library speaks (SPEC §5).
public let pluginProtocolVersion = 1

// MARK: - Results and responses

extension AnalysisResult {
    /// Writes the result as a JSON object.
    ///
    /// Keys in order: `protocol` (when `asResponse`), `analysis`, `scope`, `scenario`,
    /// `findings`, `metrics`, the extra keys, `tables`, then — when `includePresentation` —
    /// `headline`, `findingColumns`, `kindTitles`, `annotations` and `legend`. Tables that are views of the
    /// other keys (``ResultTable/isView``) are written only with `includePresentation`.
    ///
    /// - Parameters:
    ///   - writer: Where to write.
    ///   - asResponse: Whether to write the `protocol` key, as a plugin's response has.
    ///   - includePresentation: Whether to write what only presents the result — view tables,
    ///     headline, finding columns, annotations and legend (a response has them; `analyze`'s
    ///     JSON shows the result's data without them).
    public func write(to writer: inout JSONWriter, asResponse: Bool = false, includePresentation: Bool = false) {
        writer.beginObject()
        if asResponse {
            writer.key("protocol")
            writer.integer(pluginProtocolVersion)
        }
        writer.key("analysis")
        writer.string(analysis)
        if let scope {
            writer.key("scope")
            writer.string(scope)
        }
        if let scenario {
            writer.key("scenario")
            writer.value(.array(scenario.map { .string($0) }))
        }
        if let findings {
            writer.key("findings")
            writer.beginArray()
            writer.writeElements(count: findings.count) { index, writer in findings[index].write(to: &writer) }
            writer.endArray()
        }
        if let metrics {
            writer.key("metrics")
            writer.beginObject()
            for (name, value) in metrics.sorted(by: { $0.key < $1.key }) {
                writer.key(name)
                writer.number(value)
            }
            writer.endObject()
        }
        for member in extra.members {
            writer.key(member.key)
            if case .object(let object) = member.value, object.members.count > 4096 {
                // A large object (e.g. localisation share's components): its members in parallel.
                writer.beginObject()
                writer.writeElements(count: object.members.count) { index, writer in
                    writer.key(object.members[index].key)
                    writer.value(object.members[index].value)
                }
                writer.endObject()
            } else {
                writer.value(member.value)
            }
        }
        let shownTables = includePresentation ? tables : tables.filter { !$0.isView }
        if !shownTables.isEmpty {
            writer.key("tables")
            writer.beginArray()
            for table in shownTables { table.write(to: &writer) }
            writer.endArray()
        }
        guard includePresentation else {
            writer.endObject()
            return
        }
        if let headline {
            writer.key("headline")
            writer.string(headline)
        }
        if !findingColumns.isEmpty {
            writer.key("findingColumns")
            writer.beginArray()
            for column in findingColumns { column.write(to: &writer) }
            writer.endArray()
        }
        if !kindTitles.isEmpty {
            writer.key("kindTitles")
            writer.beginObject()
            for (kind, title) in kindTitles.sorted(by: { $0.key < $1.key }) {
                writer.key(kind)
                writer.string(title)
            }
            writer.endObject()
        }
        if let annotations {
            writer.key("annotations")
            writer.beginObject()
            for (component, annotation) in annotations.sorted(by: { $0.key < $1.key }) {
                writer.key(component)
                annotation.write(to: &writer)
            }
            writer.endObject()
        }
        if let legend {
            writer.key("legend")
            writer.beginArray()
            for entry in legend { entry.write(to: &writer) }
            writer.endArray()
        }
        writer.endObject()
    }

    /// Reads a plugin's response (SPEC §5) and checks it.
    ///
    /// The keys SPEC §5 defines must have their form: `protocol` 1, `analysis` the name run,
    /// `findings` a list of objects with string `kind`, `severity` and `message` and a string
    /// `component` or `firm`, `metrics` finite numbers, `annotations` objects of colours and
    /// texts, `tables` typed tables whose cells fit their columns, `error` a usage or model
    /// error. robochain's additions `headline`, `findingColumns`, `kindTitles` and `legend` are read when they
    /// have their form and passed through otherwise. Every other key is passed through as given
    /// — `scope` included (the request's scope when the response has none).
    ///
    /// - Parameters:
    ///   - json: The parsed standard output of the plugin.
    ///   - analysis: The name the plugin was run as; the response must carry it.
    ///   - scope: The scope it was run on (a region id), the result's scope unless the response
    ///     states one.
    ///   - model: The model it ran on: the ids in its tables must name elements of it.
    /// - Throws: ``AnalysisError/malformedMessage(message:path:problem:)`` naming the bad key;
    ///   ``AnalysisError/rejected(analysis:kind:message:)`` for an `error` response.
    public static func decodeResponse(
        _ json: JSONValue, analysis: String, scope: String? = nil, model: ChainModel? = nil
    ) throws(AnalysisError) -> AnalysisResult {
        let message = "response"
        guard case .object(let object) = json else {
            throw .malformedMessage(message: message, path: "", problem: "must be one JSON object, found \(json.typeDescription)")
        }
        guard let version = object["protocol"] else {
            throw .malformedMessage(message: message, path: "protocol", problem: "is missing (expected \(pluginProtocolVersion))")
        }
        guard version == .number(Double(pluginProtocolVersion)) else {
            throw .malformedMessage(message: message, path: "protocol",
                problem: "is \(MessageText.quoted(JSONWriter.encode(version, style: .compact).asText)), but this robochain speaks protocol \(pluginProtocolVersion)")
        }
        guard let name = object["analysis"]?.stringValue else {
            throw .malformedMessage(message: message, path: "analysis", problem: "must be the analysis name as a string")
        }
        guard name == analysis else {
            throw .malformedMessage(message: message, path: "analysis", problem: "is '\(MessageText.quoted(name))', expected '\(analysis)'")
        }
        if let error = object["error"] {
            throw try rejection(error, analysis: name)
        }
        var result = AnalysisResult(analysis: name, scope: scope)
        for member in object.members {
            switch member.key {
            case "protocol", "analysis":
                continue
            case "scope":
                if let text = member.value.stringValue {
                    result.scope = text
                } else {
                    result.scope = nil
                    result.extra.append(member.key, member.value)
                }
            case "scenario":
                if let operations = member.value.arrayValue?.compactMap(\.stringValue),
                    operations.count == member.value.arrayValue?.count
                {
                    result.scenario = operations
                } else {
                    result.extra.append(member.key, member.value)
                }
            case "findings":
                guard case .array(let elements) = member.value else {
                    throw .malformedMessage(message: message, path: "findings", problem: "must be a list")
                }
                var findings: [Finding] = []
                findings.reserveCapacity(elements.count)
                for (index, element) in elements.enumerated() {
                    findings.append(try Finding.decode(element, path: "findings[\(index)]"))
                }
                result.findings = findings
            case "metrics":
                guard case .object(let metricsObject) = member.value else {
                    throw .malformedMessage(message: message, path: "metrics", problem: "must be an object of numbers")
                }
                var metrics: [String: Double] = [:]
                for metric in metricsObject.members {
                    guard let value = metric.value.numberValue, value.isFinite else {
                        throw .malformedMessage(message: message, path: "metrics.\(MessageText.quoted(metric.key))",
                            problem: "must be a finite number, found \(JSONWriter.encode(metric.value, style: .compact).asText)")
                    }
                    metrics[metric.key] = value
                }
                result.metrics = metrics
            case "tables":
                guard case .array(let elements) = member.value else {
                    throw .malformedMessage(message: message, path: "tables", problem: "must be a list of tables")
                }
                var ids: Set<String> = []
                for (index, element) in elements.enumerated() {
                    let table = try ResultTable.decode(element, path: "tables[\(index)]")
                    guard ids.insert(table.id).inserted else {
                        throw .malformedMessage(message: message, path: "tables[\(index)]", problem: "repeats the table id '\(MessageText.quoted(table.id))'")
                    }
                    if let model { try table.check(against: model, path: "tables[\(index)]") }
                    result.tables.append(table)
                }
            case "headline":
                if let text = member.value.stringValue {
                    result.headline = text
                } else {
                    result.extra.append(member.key, member.value)
                }
            case "findingColumns":
                if let columns = try? TableColumn.decodeList(member.value, path: "findingColumns") {
                    result.findingColumns = columns
                } else {
                    result.extra.append(member.key, member.value)
                }
            case "kindTitles":
                // robochain's addition; an object of strings, or the plugin's own key.
                if case .object(let titles) = member.value, titles.members.allSatisfy({ $0.value.stringValue != nil }) {
                    for title in titles.members { result.kindTitles[title.key] = title.value.stringValue }
                } else {
                    result.extra.append(member.key, member.value)
                }
            case "legend":
                // robochain's addition to the protocol; a plugin that means something else by
                // the key keeps it as its own.
                if let legend = LegendEntry.decodeList(member.value) {
                    result.legend = legend
                } else {
                    result.extra.append(member.key, member.value)
                }
            case "annotations":
                guard case .object(let annotationsObject) = member.value else {
                    throw .malformedMessage(message: message, path: "annotations", problem: "must be an object keyed by component id")
                }
                var annotations: [String: Annotation] = [:]
                for entry in annotationsObject.members {
                    annotations[entry.key] = try Annotation.decode(entry.value, path: "annotations.\(entry.key)")
                }
                result.annotations = annotations
            default:
                result.extra.append(member.key, member.value)
            }
        }
        return result
    }

    /// The error a response's `error` member reports (SPEC §5).
    static func rejection(_ json: JSONValue, analysis: String) throws(AnalysisError) -> AnalysisError {
        guard case .object(let error) = json else {
            throw .malformedMessage(message: "response", path: "error", problem: "must be an object with 'kind' and 'message'")
        }
        let kindText = try error.messageString("kind", required: true, message: "response", path: "error")!
        guard let kind = AnalysisError.RejectionKind(rawValue: kindText) else {
            throw .malformedMessage(message: "response", path: "error.kind",
                problem: "is '\(PlainTextCap.quote(kindText))'; it must be 'usage' or 'model'")
        }
        let text = try error.messageString("message", required: true, message: "response", path: "error")!
        // The plugin's own words, kept to a readable length: 8 MB of them are not printed.
        return .rejected(analysis: analysis, kind: kind, message: MessageText.shortened(text))
    }

    /// Writes the response of an analysis that could not run on what it was given (SPEC §5
    /// `error`), as ``PluginMain`` does for an option its check rejects.
    public static func writeRejection(
        analysis: String, kind: AnalysisError.RejectionKind, message: String, to writer: inout JSONWriter
    ) {
        writer.beginObject()
        writer.key("protocol")
        writer.integer(pluginProtocolVersion)
        writer.key("analysis")
        writer.string(analysis)
        writer.key("error")
        writer.stringMembers([("kind", kind.rawValue), ("message", message)])
        writer.endObject()
    }
}

extension TableColumn {
    func write(to writer: inout JSONWriter) {
        writer.stringMembers([("id", id), ("title", title), ("type", type.rawValue), ("help", help)])
    }

    /// Reads a list of columns: objects with string `id` and `type` (one of SPEC §5's column
    /// types), optional `title` (the id when absent) and `help`.
    static func decodeList(_ json: JSONValue, path: String) throws(AnalysisError) -> [TableColumn] {
        guard case .array(let elements) = json else {
            throw .malformedMessage(message: "response", path: path, problem: "must be a list of columns")
        }
        var columns: [TableColumn] = []
        for (index, element) in elements.enumerated() {
            let place = "\(path)[\(index)]"
            guard case .object(let object) = element else {
                throw .malformedMessage(message: "response", path: place, problem: "must be an object with 'id', 'title' and 'type'")
            }
            let id = try object.messageString("id", required: true, message: "response", path: place)!
            let typeText = try object.messageString("type", required: true, message: "response", path: place)!
            guard let type = ColumnType(rawValue: typeText) else {
                throw .malformedMessage(message: "response", path: "\(place).type",
                    problem: "is '\(PlainTextCap.quote(typeText))', not a column type (\(ColumnType.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let title = try object.messageString("title", message: "response", path: place) ?? id
            let help = try object.messageString("help", message: "response", path: place)
            columns.append(TableColumn(id, title, type, help: help))
        }
        return columns
    }
}

extension ResultTable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id")
        writer.string(id)
        writer.key("title")
        writer.string(title)
        if isView {
            writer.key("view")
            writer.value(.bool(true))
        }
        writer.key("columns")
        writer.beginArray()
        for column in columns { column.write(to: &writer) }
        writer.endArray()
        writer.key("rows")
        writer.beginArray()
        writer.writeElements(count: rows.count) { index, writer in
            writer.beginObject()
            for (column, cell) in zip(columns, rows[index]) {
                guard let cell else { continue }
                writer.key(column.id)
                switch cell {
                case .text(let text), .id(let text): writer.string(text)
                case .number(let number): writer.number(number)
                case .integer(let integer): writer.integer(integer)
                case .boolean(let flag): writer.value(.bool(flag))
                case .ids(let ids): writer.value(.array(ids.map { .string($0) }))
                }
            }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }

    /// Reads one table of a response; cells are checked against their column's type.
    static func decode(_ json: JSONValue, path: String) throws(AnalysisError) -> ResultTable {
        guard case .object(let object) = json else {
            throw .malformedMessage(message: "response", path: path, problem: "must be a table object with 'id', 'columns' and 'rows'")
        }
        let id = try object.messageString("id", required: true, message: "response", path: path)!
        let title = try object.messageString("title", message: "response", path: path) ?? id
        let isView = object["view"]?.boolValue ?? false
        let shownID = MessageText.quoted(id)  // a plugin's text: escaped and cut in messages
        guard let columnsJSON = object["columns"] else {
            throw .malformedMessage(message: "response", path: "\(path).columns", problem: "is missing")
        }
        let columns = try TableColumn.decodeList(columnsJSON, path: "\(path) '\(shownID)' columns")
        var seen: Set<String> = []
        for column in columns where !seen.insert(column.id).inserted {
            throw .malformedMessage(message: "response", path: "\(path) '\(shownID)'", problem: "has two columns with id '\(MessageText.quoted(column.id))'")
        }
        guard case .array(let rowsJSON) = object["rows"] ?? .array([]) else {
            throw .malformedMessage(message: "response", path: "\(path) '\(shownID)' rows", problem: "must be a list of row objects")
        }
        var rows: [[CellValue?]] = []
        rows.reserveCapacity(rowsJSON.count)
        for (rowIndex, rowJSON) in rowsJSON.enumerated() {
            guard case .object(let rowObject) = rowJSON else {
                throw .malformedMessage(message: "response", path: "\(path) '\(shownID)' row \(rowIndex)",
                    problem: "must be an object keyed by column id")
            }
            for member in rowObject.members where !seen.contains(member.key) {
                throw .malformedMessage(message: "response", path: "\(path) '\(shownID)' row \(rowIndex)",
                    problem: "has a cell '\(PlainTextCap.quote(member.key))' for no column")
            }
            var row: [CellValue?] = []
            row.reserveCapacity(columns.count)
            for column in columns {
                guard let value = rowObject[column.id], !value.isNull else {
                    row.append(nil)
                    continue
                }
                guard let cell = CellValue(json: value, type: column.type) else {
                    throw .malformedMessage(message: "response", path: "\(path) '\(shownID)' row \(rowIndex) column '\(MessageText.quoted(column.id))'",
                        problem: "must be \(column.type.cellDescription), found \(value.typeDescription)")
                }
                row.append(cell)
            }
            rows.append(row)
        }
        return ResultTable(id: id, title: title, columns: columns, rows: rows, isView: isView)
    }
}

extension CellValue {
    /// A cell of a column of `type` read from JSON, or nil when the JSON is not of that type
    /// (an integer must be whole and a share finite).
    init?(json: JSONValue, type: ColumnType) {
        switch (type, json) {
        case (.text, .string(let text)): self = .text(text)
        case (.number, .number(let number)) where number.isFinite: self = .number(number)
        case (.share, .number(let number)) where number.isFinite: self = .number(number)
        case (.integer, .number(let number)) where number == number.rounded() && abs(number) < 9e15: self = .integer(Int(number))
        case (.boolean, .bool(let flag)): self = .boolean(flag)
        case (.component, .string(let id)), (.firm, .string(let id)), (.region, .string(let id)): self = .id(id)
        case (.components, .array(let items)), (.firms, .array(let items)):
            let ids = items.compactMap(\.stringValue)
            guard ids.count == items.count else { return nil }
            self = .ids(ids)
        default: return nil
        }
    }
}

extension Finding {
    /// Writes the finding: `component`, `firm`, `kind`, `severity`, `message`, then the details.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        if let component {
            writer.key("component")
            writer.string(component)
        }
        if let firm {
            writer.key("firm")
            writer.string(firm)
        }
        writer.key("kind")
        writer.string(kind)
        writer.key("severity")
        writer.string(severity.rawValue)
        writer.key("message")
        writer.string(message)
        for member in details.members {
            writer.key(member.key)
            writer.value(member.value)
        }
        writer.endObject()
    }

    static func decode(_ json: JSONValue, path: String) throws(AnalysisError) -> Finding {
        guard case .object(let object) = json else {
            throw .malformedMessage(message: "response", path: path, problem: "must be an object, found \(json.typeDescription)")
        }
        func text(_ key: String, required: Bool) throws(AnalysisError) -> String? {
            try object.messageString(key, required: required, message: "response", path: path)
        }
        let kind = try text("kind", required: true)!
        let severity = Severity(rawValue: try text("severity", required: true)!)
        let message = try text("message", required: true)!
        let component = try text("component", required: false)
        let firm = try text("firm", required: false)
        guard component != nil || firm != nil else {
            throw .malformedMessage(message: "response", path: path, problem: "names neither a 'component' nor a 'firm'")
        }
        var details = JSONObject()
        for member in object.members where !["kind", "severity", "message", "component", "firm"].contains(member.key) {
            details.append(member.key, member.value)
        }
        return Finding(kind: kind, severity: severity, message: message, component: component, firm: firm, details: details)
    }
}

extension Annotation {
    func write(to writer: inout JSONWriter) {
        writer.stringMembers([("fill", fill), ("badge", badge), ("tooltip", tooltip), ("border", border)])
    }

    /// Reads one annotation; other keys are left for later protocol versions.
    static func decode(_ json: JSONValue, path: String) throws(AnalysisError) -> Annotation {
        guard case .object(let object) = json else {
            throw .malformedMessage(message: "response", path: path, problem: "must be an object, found \(json.typeDescription)")
        }
        return Annotation(
            fill: try object.messageColour("fill", path: path),
            badge: try object.messageString("badge", message: "response", path: path),
            tooltip: try object.messageString("tooltip", message: "response", path: path),
            border: try object.messageColour("border", path: path))
    }
}

extension LegendEntry {
    func write(to writer: inout JSONWriter) {
        writer.stringMembers([("label", label), ("fill", fill), ("border", border), ("badge", badge)])
    }

    /// Reads a `legend`: a list of objects, each with a string `label` and optionally colours
    /// `fill` and `border` and a string `badge` (other keys are left for later protocol versions).
    ///
    /// - Returns: The entries, or nil when the value does not have that form.
    static func decodeList(_ json: JSONValue) -> [LegendEntry]? {
        guard case .array(let elements) = json else { return nil }
        var entries: [LegendEntry] = []
        for element in elements {
            guard case .object(let object) = element else { return nil }
            do {
                entries.append(LegendEntry(
                    label: try object.messageString("label", required: true, message: "response", path: "legend")!,
                    fill: try object.messageColour("fill", path: "legend"),
                    border: try object.messageColour("border", path: "legend"),
                    badge: try object.messageString("badge", message: "response", path: "legend")))
            } catch {
                return nil
            }
        }
        return entries
    }
}

extension JSONObject {
    /// The JSON object a plugin message's bytes hold.
    ///
    /// - Throws: ``AnalysisError/malformedMessage(message:path:problem:)`` for text that is not
    ///   JSON or not an object.
    fileprivate static func parseMessage(_ bytes: [UInt8], message: String) throws(AnalysisError) -> JSONObject {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw .malformedMessage(message: message, path: "", problem: "is not JSON: \(error)")
        }
        guard case .object(let object) = json else {
            throw .malformedMessage(message: message, path: "", problem: "must be a JSON object")
        }
        return object
    }

    /// The string member `key` of a plugin message, or nil when it is absent or null.
    ///
    /// - Parameters:
    ///   - required: Whether an absent or null member is an error.
    ///   - message: The message, for the error (`response`, `plugin.json`).
    ///   - path: The path of this object in the message (empty at the top).
    /// - Throws: ``AnalysisError/malformedMessage(message:path:problem:)`` naming `path.key`.
    func messageString(
        _ key: String, required: Bool = false, message: String, path: String
    ) throws(AnalysisError) -> String? {
        let keyPath = path.isEmpty ? key : "\(path).\(key)"
        guard let value = self[key], !value.isNull else {
            if required { throw .malformedMessage(message: message, path: keyPath, problem: "is missing") }
            return nil
        }
        guard let string = value.stringValue else {
            throw .malformedMessage(message: message, path: keyPath, problem: "must be a string, found \(value.typeDescription)")
        }
        return string
    }

    /// A colour member of a response (`#rrggbb`), or nil when it is absent or null.
    fileprivate func messageColour(_ key: String, path: String) throws(AnalysisError) -> String? {
        guard let text = try messageString(key, message: "response", path: path) else { return nil }
        guard Annotation.isColour(text) else {
            throw .malformedMessage(message: "response", path: "\(path).\(key)", problem: "must be a colour #rrggbb, found '\(MessageText.quoted(text))'")
        }
        return text
    }
}

extension JSONWriter {
    /// Writes an object of the members whose value is not nil, in the order given.
    mutating func stringMembers(_ members: [(key: String, value: String?)]) {
        beginObject()
        for (key, value) in members {
            guard let value else { continue }
            self.key(key)
            string(value)
        }
        endObject()
    }
}

// MARK: - Requests

/// How a request carries the model (SPEC §5): inline as JSON, or as a CSV directory.
public enum ModelInput: Sendable {
    /// The model encoded as JSON (``ChainModel/encodedJSON()``).
    case json([UInt8])
    /// The absolute path of a CSV directory (with `model.csv`) holding the model.
    case directory(String)
}

/// The message `robochain` writes to a plugin's standard input (SPEC §5).
public struct PluginRequest: Sendable {
    /// The analysis to run.
    public var analysis: String
    /// The scope, a region index into `model.regions`.
    public var scope: Int
    /// Every declared option, with its default where the user set none.
    public var options: OptionValues
    public var model: ChainModel
    /// The language of the words the plugin writes (the optional request key `"lang"`, an
    /// additive protocol-1 key: `en` or `zh`); nil when the request has none or names another.
    public var language: Language?

    public init(analysis: String, scope: Int, options: OptionValues, model: ChainModel, language: Language? = nil) {
        self.language = language
        self.analysis = analysis
        self.scope = scope
        self.options = options
        self.model = model
    }

    /// Writes the request without the model, then the model: from already-encoded JSON, or as
    /// the path of a CSV directory holding it (SPEC §5 `"input": "csv"`).
    ///
    /// Encoding a large model once and sharing it between plugins saves the work per plugin.
    /// - Parameter input: The model as written by ``ChainModel/writeJSON(to:)``, or the directory.
    public func encode(_ input: ModelInput) -> [UInt8] {
        let encodedModel: [UInt8]
        switch input {
        case .json(let bytes): encodedModel = bytes
        case .directory: encodedModel = []
        }
        var writer = JSONWriter(style: .compact, reservingCapacity: encodedModel.count + 256)
        writer.beginObject()
        writer.key("protocol")
        writer.integer(pluginProtocolVersion)
        writer.key("analysis")
        writer.string(analysis)
        writer.key("scope")
        writer.string(model.regions.ids[scope])
        writer.key("options")
        writer.value(.object(options.json))
        if let language {
            writer.key("lang")
            writer.string(language.rawValue)
        }
        switch input {
        case .json:
            writer.key("model")
            writer.rawValue(encodedModel)
        case .directory(let path):
            writer.key("modelDirectory")
            writer.string(path)
        }
        writer.endObject()
        writer.finish()
        return writer.bytes
    }

    /// Reads a request, as a plugin does.
    ///
    /// - Parameters:
    ///   - bytes: The JSON text read from standard input.
    ///   - declarations: The options the plugin declares, to type the values.
    /// - Throws: ``AnalysisError/malformedMessage(message:path:problem:)``, also for a model that
    ///   does not load (with the model's own message).
    public static func decode(_ bytes: [UInt8], declarations: [OptionDeclaration]) throws(AnalysisError) -> PluginRequest {
        let message = "request"
        let object = try JSONObject.parseMessage(bytes, message: message)
        guard object["protocol"] == .number(Double(pluginProtocolVersion)) else {
            throw .malformedMessage(message: message, path: "protocol", problem: "must be \(pluginProtocolVersion)")
        }
        guard let analysis = object["analysis"]?.stringValue else {
            throw .malformedMessage(message: message, path: "analysis", problem: "must be a string")
        }
        guard let scopeID = object["scope"]?.stringValue else {
            throw .malformedMessage(message: message, path: "scope", problem: "must be a region id")
        }
        let model: ChainModel
        if let directory = object["modelDirectory"] {
            guard let path = directory.stringValue else {
                throw .malformedMessage(message: message, path: "modelDirectory", problem: "must be the path of a CSV directory")
            }
            do {
                model = try ModelLoader.load(path: path).model
            } catch {
                throw .malformedMessage(message: message, path: "modelDirectory", problem: "does not hold a valid model: \(error)")
            }
        } else {
            guard let modelJSON = object["model"], modelJSON.objectValue != nil else {
                throw .malformedMessage(message: message, path: "model", problem: "must be the model as an object")
            }
            do {
                model = try ModelLoader.loadJSON(modelJSON, file: "request.model").model
            } catch {
                throw .malformedMessage(message: message, path: "model", problem: "is not a valid model: \(error)")
            }
        }
        guard let scope = model.regions.index(of: scopeID) else {
            throw .malformedMessage(message: message, path: "scope", problem: "names unknown region '\(scopeID)'")
        }
        var overrides: [String: OptionValue] = [:]
        if let optionsJSON = object["options"] {
            guard case .object(let optionsObject) = optionsJSON else {
                throw .malformedMessage(message: message, path: "options", problem: "must be an object")
            }
            for member in optionsObject.members {
                guard let declaration = declarations.first(where: { $0.name == member.key }) else { continue }
                guard let value = OptionValue.fromJSON(member.value, as: declaration.type) else {
                    throw .malformedMessage(message: message, path: "options.\(member.key)",
                        problem: "must be \(declaration.type.withArticle), found \(member.value.typeDescription)")
                }
                overrides[member.key] = value
            }
        }
        let options = try OptionValues(declarations: declarations, overrides: overrides, analysis: analysis)
        let language = object["lang"]?.stringValue.flatMap(Language.init(rawValue:))
        return PluginRequest(analysis: analysis, scope: scope, options: options, model: model, language: language)
    }
}

// MARK: - Manifests

/// A plugin's `plugin.json` (SPEC §5).
public struct PluginManifest: Sendable, Equatable {
    public var name: String
    public var version: String
    public var protocolVersion: Int
    /// The executable, relative to the plugin's directory.
    public var executable: String
    public var description: String
    public var options: [OptionDeclaration]
    /// How the plugin wants the model (SPEC §5 `input`): `json` in the request, or `csv`, a
    /// directory of CSV files whose path the request gives as `modelDirectory`.
    public var input: Input
    /// The robochain versions the plugin works with (`"robochain": ">=0.3 <1.0"`); nil: any.
    public var robochain: VersionRange?

    /// The forms a plugin can take the model in.
    public enum Input: String, Sendable, CaseIterable {
        case json, csv
    }

    public init(
        name: String, version: String, protocolVersion: Int = pluginProtocolVersion, executable: String,
        description: String, options: [OptionDeclaration], input: Input = .json, robochain: VersionRange? = nil
    ) {
        self.input = input
        self.robochain = robochain
        self.name = name
        self.version = version
        self.protocolVersion = protocolVersion
        self.executable = executable
        self.description = description
        self.options = options
    }

    /// The manifest of an analysis, run by `executable`.
    public init(analysis: some Analysis, executable: String) {
        self.init(name: analysis.name, version: analysis.version, executable: executable,
            description: analysis.summary, options: analysis.options)
    }

    /// Whether `name` is a valid analysis name: like a model id, `[A-Za-z0-9][A-Za-z0-9._-]*`.
    public static func isValidName(_ name: String) -> Bool { ChainModel.isValidASCIIName(name) }

    /// The manifest as JSON.
    public var json: JSONValue {
        .object(JSONObject([
            .init("name", .string(name)), .init("version", .string(version)),
            .init("protocol", .number(Double(protocolVersion))), .init("executable", .string(executable)),
            .init("description", .string(description)), .init("options", OptionDeclaration.json(options)),
        ] + (input == .json ? [] : [.init("input", .string(input.rawValue))])
            + (robochain.map { [.init("robochain", .string($0.description))] } ?? [])))
    }

    /// Reads and checks a manifest.
    ///
    /// - Throws: ``AnalysisError/malformedMessage(message:path:problem:)`` naming the bad key.
    public static func decode(_ bytes: [UInt8]) throws(AnalysisError) -> PluginManifest {
        let message = "plugin.json"
        let object = try JSONObject.parseMessage(bytes, message: message)
        func text(_ key: String, required: Bool = true) throws(AnalysisError) -> String {
            try object.messageString(key, required: required, message: message, path: "") ?? ""
        }
        let name = try text("name")
        guard isValidName(name) else {
            throw .malformedMessage(message: message, path: "name",
                problem: "is '\(name)'; a name is letters, digits, '.', '_' and '-', starting with a letter or digit")
        }
        // A version is text ("1.0.0"); a bare number (1, 2.5) is taken as its text.
        let version: String
        if case .number = object["version"], let number = object["version"] {
            version = JSONWriter.encode(number, style: .compact).asText
        } else {
            version = try text("version")
        }
        guard let protocolNumber = object["protocol"]?.numberValue, protocolNumber == protocolNumber.rounded(),
            abs(protocolNumber) < 1e9
        else {
            throw .malformedMessage(message: message, path: "protocol", problem: "must be a whole number")
        }
        guard Int(protocolNumber) == pluginProtocolVersion else {
            throw .malformedMessage(message: message, path: "protocol",
                problem: "is \(Int(protocolNumber)); this robochain supports protocol \(pluginProtocolVersion) only")
        }
        let executable = try text("executable")
        guard !executable.isEmpty, !executable.hasPrefix("/") else {
            throw .malformedMessage(message: message, path: "executable", problem: "must be a path relative to the plugin's directory")
        }
        let description = try text("description", required: false)
        var options: [OptionDeclaration] = []
        if let optionsJSON = object["options"] {
            guard case .object(let optionsObject) = optionsJSON else {
                throw .malformedMessage(message: message, path: "options", problem: "must be an object keyed by option name")
            }
            for member in optionsObject.members {
                let path = "options.\(member.key)"
                guard OptionDeclaration.isValidName(member.key) else {
                    throw .malformedMessage(message: message, path: path,
                        problem: "is not a valid option name: letters, digits, '.', '_' and '-', starting with a letter or digit")
                }
                guard !options.contains(where: { $0.name == member.key }) else {
                    throw .malformedMessage(message: message, path: path, problem: "is declared twice")
                }
                guard case .object(let option) = member.value else {
                    throw .malformedMessage(message: message, path: path, problem: "must be an object with 'type', 'default' and 'help'")
                }
                guard let typeText = option["type"]?.stringValue, let type = OptionType(rawValue: typeText) else {
                    throw .malformedMessage(message: message, path: "\(path).type",
                        problem: "must be one of \(OptionType.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                // No default (absent or null): the option is required.
                var defaultValue: OptionValue?
                if let defaultJSON = option["default"], defaultJSON != .null {
                    guard let value = OptionValue.fromJSON(defaultJSON, as: type) else {
                        throw .malformedMessage(message: message, path: "\(path).default",
                            problem: "must be \(type.withArticle), found \(defaultJSON.typeDescription)")
                    }
                    defaultValue = value
                }
                let help = try option.messageString("help", message: message, path: path) ?? ""
                options.append(OptionDeclaration(name: member.key, type: type, defaultValue: defaultValue, help: help))
            }
        }
        var input = Input.json
        if let inputJSON = object["input"], !inputJSON.isNull {
            guard let text = inputJSON.stringValue, let value = Input(rawValue: text) else {
                throw .malformedMessage(message: message, path: "input",
                    problem: "must be \(Input.allCases.map { "'\($0.rawValue)'" }.joined(separator: " or "))")
            }
            input = value
        }
        var robochain: VersionRange?
        if let text = try object.messageString("robochain", message: message, path: "") {
            guard let range = VersionRange(text) else {
                throw .malformedMessage(message: message, path: "robochain",
                    problem: "is '\(text)'; write the robochain versions the plugin works with as comparisons, e.g. \">=0.1 <1.0\"")
            }
            robochain = range
        }
        return PluginManifest(name: name, version: version, protocolVersion: Int(protocolNumber), executable: executable,
            description: description, options: options, input: input, robochain: robochain)
    }
}

extension [UInt8] {
    var asText: String { String(decoding: self, as: UTF8.self) }
}
