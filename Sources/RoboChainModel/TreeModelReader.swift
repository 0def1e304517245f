import RoboChainJSON
import Yams

/// A node of a parsed YAML or JSON document, as the model reader sees it.
protocol ModelTreeNode {
    /// The 1-based line the node (or, in JSON, its enclosing object) starts on.
    var line: Int? { get }
    /// The entries, if the node is a mapping (object).
    var entries: [(key: String, value: Self)]? { get }
    /// The items, if the node is a sequence (array).
    var items: [Self]? { get }
    /// The text, if the node is a scalar that can stand for text (YAML: any non-null scalar;
    /// JSON: a string).
    var text: String? { get }
    /// The number, if the node is a number (YAML: a plain scalar in decimal form; JSON: a number).
    var number: Double? { get }
    /// Whether the node is null (YAML: `~`, `null` or empty; JSON: `null`).
    var isNull: Bool { get }
    /// The truth value, if the node is one (YAML: plain `true`/`false`; JSON: a Boolean).
    var boolean: Bool? { get }
    /// What the node is, for messages ("a string", "a mapping").
    var kindDescription: String { get }
}

/// Reads the YAML or JSON form of a model (SPEC §1.1) into a ``ModelBuilder``.
///
/// Every required field is checked for presence and type, with the line of the element;
/// unknown keys become warnings. A `requires` or `supplies` entry may also be written as a bare
/// component id.
struct TreeModelReader<Node: ModelTreeNode> {
    let file: String
    var builder = ModelBuilder()

    init(file: String) {
        self.file = file
    }

    private func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.line)
    }

    mutating func read(_ root: Node) {
        guard root.entries != nil, var fields = record(root, "the model", kind: nil) else {
            builder.report(.syntax(location(root), problem: "the model must be a mapping with 'regions', 'components' and 'firms', found \(root.kindDescription)"))
            return
        }
        builder.id = string(&fields, "id", of: "the model")
        builder.title = string(&fields, "title", of: "the model")
        _ = string(&fields, "source", of: "the model")
        _ = string(&fields, "note", of: "the model")
        if let home = string(&fields, "home", of: "the model") {
            builder.setHome(home, at: location(fields.node("home") ?? root))
        }
        for (index, node) in list(&fields, "regions", of: "the model", required: true).enumerated() {
            readRegion(node, index)
        }
        for (index, node) in list(&fields, "segments", of: "the model", required: false).enumerated() {
            readSegment(node, index)
        }
        for (index, node) in list(&fields, "components", of: "the model", required: true).enumerated() {
            readComponent(node, index)
        }
        for (index, node) in list(&fields, "firms", of: "the model", required: true).enumerated() {
            readFirm(node, index)
        }
        warnUnknown(fields, in: "the model")
    }

    private mutating func readRegion(_ node: Node, _ index: Int) {
        guard var fields = record(node, "region #\(index + 1)", kind: .region),
            let id = requiredString(&fields, "id", of: "region #\(index + 1)", kind: .region)
        else { return }
        let element = "region '\(id)'"
        let name = requiredString(&fields, "name", of: element, kind: nil) ?? ""
        let parent = string(&fields, "parent", of: element)
        builder.addRegion(
            id: id, name: name, parent: parent, source: string(&fields, "source", of: element),
            note: string(&fields, "note", of: element), attributes: attributes(&fields, of: element), at: location(node))
        warnUnknown(fields, in: element)
    }

    private mutating func readSegment(_ node: Node, _ index: Int) {
        guard var fields = record(node, "segment #\(index + 1)", kind: .segment),
            let id = requiredString(&fields, "id", of: "segment #\(index + 1)", kind: .segment)
        else { return }
        let element = "segment '\(id)'"
        let name = requiredString(&fields, "name", of: element, kind: nil) ?? ""
        var order: Int?
        if let value = number(&fields, "order", of: element) {
            let checked = ModelResolver.segmentOrder(value, of: element, at: location(node))
            order = checked.order
            if let problem = checked.problem { builder.report(problem) }
        }
        builder.addSegment(
            id: id, name: name, order: order, source: string(&fields, "source", of: element),
            note: string(&fields, "note", of: element), attributes: attributes(&fields, of: element), at: location(node))
        warnUnknown(fields, in: element)
    }

    private mutating func readComponent(_ node: Node, _ index: Int) {
        guard var fields = record(node, "component #\(index + 1)", kind: .component),
            let id = requiredString(&fields, "id", of: "component #\(index + 1)", kind: .component)
        else { return }
        let element = "component '\(id)'"
        let name = requiredString(&fields, "name", of: element, kind: nil) ?? ""
        guard let segment = requiredString(&fields, "segment", of: element, kind: .component) else { return }
        builder.addComponent(
            id: id, name: name, segment: segment, source: string(&fields, "source", of: element),
            note: string(&fields, "note", of: element), attributes: attributes(&fields, of: element), at: location(node))
        for entry in list(&fields, "requires", of: element, required: false) {
            if let child = entry.text, entry.entries == nil {
                builder.addRequirement(component: id, child: child, at: location(entry))
                continue
            }
            let entryElement = "a requirement of \(element)"
            guard var entryFields = record(entry, entryElement, kind: nil),
                let child = requiredString(&entryFields, "component", of: entryElement, kind: nil)
            else { continue }
            let edge = "requirement '\(id)' → '\(child)'"
            builder.addRequirement(
                component: id, child: child, weight: number(&entryFields, "weight", of: edge),
                source: string(&entryFields, "source", of: edge), note: string(&entryFields, "note", of: edge),
                attributes: attributes(&entryFields, of: edge), at: location(entry))
            warnUnknown(entryFields, in: edge)
        }
        warnUnknown(fields, in: element)
    }

    private mutating func readFirm(_ node: Node, _ index: Int) {
        guard var fields = record(node, "firm #\(index + 1)", kind: .firm),
            let id = requiredString(&fields, "id", of: "firm #\(index + 1)", kind: .firm)
        else { return }
        let element = "firm '\(id)'"
        let name = requiredString(&fields, "name", of: element, kind: nil) ?? ""
        guard let region = requiredString(&fields, "region", of: element, kind: .firm) else { return }
        builder.addFirm(
            id: id, name: name, region: region, source: string(&fields, "source", of: element),
            note: string(&fields, "note", of: element), attributes: attributes(&fields, of: element), at: location(node))
        for entry in list(&fields, "supplies", of: element, required: false) {
            if let component = entry.text, entry.entries == nil {
                builder.addSupply(firm: id, component: component, at: location(entry))
                continue
            }
            let entryElement = "a supply link of \(element)"
            guard var entryFields = record(entry, entryElement, kind: nil),
                let component = requiredString(&entryFields, "component", of: entryElement, kind: nil)
            else { continue }
            let link = "supply of '\(component)' by firm '\(id)'"
            builder.addSupply(
                firm: id, component: component, share: number(&entryFields, "share", of: link),
                product: string(&entryFields, "product", of: link), source: string(&entryFields, "source", of: link),
                note: string(&entryFields, "note", of: link), attributes: attributes(&entryFields, of: link), at: location(entry))
            warnUnknown(entryFields, in: link)
        }
        warnUnknown(fields, in: element)
    }

    // MARK: - Fields

    /// The entries of one mapping, with the keys already read crossed off.
    private struct Fields {
        var entries: [(key: String, value: Node)]
        var used: [Bool]
        let node: Node

        init(entries: [(key: String, value: Node)], node: Node) {
            self.entries = entries
            self.used = [Bool](repeating: false, count: entries.count)
            self.node = node
        }

        /// The value of `key`, marking it read. Null counts as absent.
        mutating func take(_ key: String) -> Node? {
            guard let index = entries.firstIndex(where: { $0.key == key }) else { return nil }
            used[index] = true
            let value = entries[index].value
            return value.isNull ? nil : value
        }

        func node(_ key: String) -> Node? {
            entries.first { $0.key == key }?.value
        }
    }

    /// The fields of a record that must be a mapping; `kind` is marked incomplete if it is not.
    private mutating func record(_ node: Node, _ element: String, kind: ElementKind?) -> Fields? {
        guard let entries = node.entries else {
            builder.report(.syntax(location(node), problem: "\(element) must be a mapping, found \(node.kindDescription)"))
            if let kind { builder.markIncomplete(kind) }
            return nil
        }
        var seen = Set<String>()
        for entry in entries where !seen.insert(entry.key).inserted {
            builder.report(.syntax(location(node), problem: "\(element) has the key '\(entry.key)' more than once"))
        }
        return Fields(entries: entries, node: node)
    }

    private mutating func string(_ fields: inout Fields, _ key: String, of element: String) -> String? {
        guard let value = fields.take(key) else { return nil }
        guard let text = value.text else {
            builder.report(.invalidValue(location(value), element: element, field: key, problem: "must be text, found \(value.kindDescription)"))
            return nil
        }
        return text
    }

    /// A required text field; when it is missing or not text, `kind` is marked incomplete (pass
    /// it when the element is then dropped, so references to it are not reported as unknown).
    private mutating func requiredString(_ fields: inout Fields, _ key: String, of element: String, kind: ElementKind?) -> String? {
        guard fields.node(key).map({ !$0.isNull }) ?? false else {
            builder.report(.missingField(location(fields.node), element: element, field: key))
            if let kind { builder.markIncomplete(kind) }
            return nil
        }
        let text = string(&fields, key, of: element)
        if text == nil, let kind { builder.markIncomplete(kind) }
        // Blank text is no value, as an empty CSV cell is none (and a blank name labels nothing).
        if let text, text.allSatisfy(\.isWhitespace) {
            builder.report(.missingField(location(fields.node), element: element, field: key))
            if let kind { builder.markIncomplete(kind) }
            return nil
        }
        return text
    }

    private mutating func number(_ fields: inout Fields, _ key: String, of element: String) -> Double? {
        guard let value = fields.take(key) else { return nil }
        guard let number = value.number else {
            builder.report(.invalidValue(location(value), element: element, field: key, problem: "must be a number, found \(value.kindDescription)"))
            return nil
        }
        guard number.isFinite else {
            builder.report(.invalidValue(location(value), element: element, field: key, problem: "is too large a number"))
            return nil
        }
        return number
    }

    /// The `attributes` mapping of an element (SPEC §1): names that are ids, values that are
    /// text, numbers or Booleans (a null value is no value).
    private mutating func attributes(_ fields: inout Fields, of element: String) -> [(name: String, value: AttributeValue)] {
        guard let value = fields.take("attributes") else { return [] }
        guard let entries = value.entries else {
            builder.report(.invalidValue(location(value), element: element, field: "attributes",
                problem: "must be a mapping of names to values, found \(value.kindDescription)"))
            return []
        }
        var result: [(name: String, value: AttributeValue)] = []
        for (name, node) in entries {
            guard ValueChecks.isValidID(name) else {
                builder.report(.invalidValue(location(node), element: element, field: "attributes",
                    problem: "has the name '\(name)', which is not an id (letters, digits, '.', '_', '-')"))
                continue
            }
            if node.isNull { continue }
            if let flag = node.boolean {
                result.append((name, .boolean(flag)))
            } else if let number = node.number {
                guard number.isFinite else {
                    builder.report(.invalidValue(location(node), element: element, field: name, problem: "is too large a number"))
                    continue
                }
                result.append((name, .number(number)))
            } else if node.entries == nil, node.items == nil, let text = node.text {
                result.append((name, .text(text)))
            } else {
                builder.report(.invalidValue(location(node), element: element, field: name,
                    problem: "must be text, a number or true/false, found \(node.kindDescription)"))
            }
        }
        return result
    }

    private mutating func list(_ fields: inout Fields, _ key: String, of element: String, required: Bool) -> [Node] {
        guard let value = fields.take(key) else {
            if required && fields.node(key) == nil {
                builder.report(.missingField(location(fields.node), element: element, field: key))
            }
            return []
        }
        guard let items = value.items else {
            builder.report(.invalidValue(location(value), element: element, field: key, problem: "must be a list, found \(value.kindDescription)"))
            return []
        }
        return items
    }

    private mutating func warnUnknown(_ fields: Fields, in element: String) {
        for (index, entry) in fields.entries.enumerated() where !fields.used[index] {
            builder.warn(ModelWarning(location(entry.value), "unknown key '\(entry.key)' in \(element); ignored"))
        }
    }
}

// MARK: - JSON

/// A JSON value with the line of the nearest enclosing object.
struct LocatedJSON: ModelTreeNode {
    let value: JSONValue
    let enclosingLine: Int

    var line: Int? { enclosingLine > 0 ? enclosingLine : nil }

    var entries: [(key: String, value: LocatedJSON)]? {
        guard case .object(let object) = value else { return nil }
        return object.members.map { ($0.key, LocatedJSON(value: $0.value, enclosingLine: object.line)) }
    }

    var items: [LocatedJSON]? {
        guard case .array(let elements) = value else { return nil }
        return elements.map { element in
            LocatedJSON(value: element, enclosingLine: element.objectValue?.line ?? enclosingLine)
        }
    }

    var text: String? { value.stringValue }
    var number: Double? { value.numberValue }
    var isNull: Bool { value.isNull }
    var boolean: Bool? { value.boolValue }
    var kindDescription: String { value.typeDescription }
}

// MARK: - YAML

extension Yams.Node: ModelTreeNode {
    var line: Int? { mark?.line }

    var entries: [(key: String, value: Yams.Node)]? {
        guard case .mapping(let mapping) = self else { return nil }
        return mapping.map { ($0.key.scalar?.string ?? "\($0.key)", $0.value) }
    }

    var items: [Yams.Node]? {
        guard case .sequence(let sequence) = self else { return nil }
        return Array(sequence)
    }

    var text: String? {
        guard case .scalar(let scalar) = self, !isNull else { return nil }
        return scalar.string
    }

    var number: Double? {
        guard case .scalar(let scalar) = self, scalar.style == .plain else { return nil }
        return YAMLNumber.parse(scalar.string)
    }

    var isNull: Bool {
        guard case .scalar(let scalar) = self, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    var boolean: Bool? {
        guard case .scalar(let scalar) = self, scalar.style == .plain else { return nil }
        switch scalar.string {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    var kindDescription: String {
        switch self {
        case .scalar(let scalar):
            if isNull { return "null" }
            if number != nil { return "a number" }
            return scalar.style == .plain ? "the text '\(scalar.string)'" : "a quoted string"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

/// Numbers in plain YAML scalars: decimal integers and decimals, with an optional exponent.
enum YAMLNumber {
    static func parse(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    /// The value of a decimal number's bytes (a leading `+` allowed), or `nil` if they are not one.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard isDecimal(bytes) else { return nil }
        let unsigned = bytes.first == UInt8(ascii: "+") ? UnsafeBufferPointer(rebasing: bytes.dropFirst()) : bytes
        return JSONParser.decimalToDouble(unsigned)
    }

    /// `[-+]?(digits(.digits?)?|.digits)([eE][-+]?digits)?`
    static func isDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        func isDigit(_ at: Int) -> Bool { at < count && bytes[at] >= 0x30 && bytes[at] <= 0x39 }
        if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        var digits = 0
        while isDigit(index) { index += 1; digits += 1 }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while isDigit(index) { index += 1; digits += 1 }
        }
        guard digits > 0 else { return false }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            guard isDigit(index) else { return false }
            while isDigit(index) { index += 1 }
        }
        return index == count
    }
}
