import RoboChainJSON

extension ChainModel {
    /// The model as a YAML file of SPEC §1.1: the structure of ``writeJSON(to:)`` in block
    /// style, one element per list item, keys plain when they are lowercase ASCII words, every string double-quoted (JSON escapes, which YAML's
    /// double-quoted scalars share), so no text is ever read back as a number or a Boolean.
    ///
    /// Loading the output with ``ModelLoader/loadYAML(_:file:)-(String,String)`` gives back an
    /// equal model.
    ///
    /// - Complexity: O(n) in the size of the model.
    public func encodedYAML() -> [UInt8] {
        let tree: JSONValue
        do {
            tree = try JSONParser.parse(encodedJSON())
        } catch {
            preconditionFailure("the model's own JSON does not parse: \(error)")
        }
        var output: [UInt8] = []
        output.reserveCapacity(4096)
        if case .object(let object) = tree {
            YAMLEmitter.members(object.members, indent: 0, firstPrefix: nil, into: &output)
        }
        return output
    }
}

/// Block-style YAML from a JSON tree, scalars written as JSON writes them.
enum YAMLEmitter {
    /// Writes `members` as a mapping at `indent`; the first key follows `firstPrefix` ("- ")
    /// on its line when given.
    static func members(_ members: [JSONObject.Member], indent: Int, firstPrefix: String?, into output: inout [UInt8]) {
        for (index, member) in members.enumerated() {
            if index == 0, let firstPrefix {
                output.append(contentsOf: Array(String(repeating: " ", count: indent - firstPrefix.count).utf8))
                output.append(contentsOf: Array(firstPrefix.utf8))
            } else {
                output.append(contentsOf: [UInt8](repeating: 0x20, count: indent))
            }
            key(member.key, into: &output)
            output.append(UInt8(ascii: ":"))
            value(member.value, indent: indent, into: &output)
        }
    }

    /// A key: plain when it is a lowercase ASCII word (`id`, `requires`, `revenue`), else quoted.
    static func key(_ key: String, into output: inout [UInt8]) {
        let isPlain = key.utf8.first.map { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") } ?? false
            && key.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
            && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"].contains(key)
        if isPlain {
            output.append(contentsOf: Array(key.utf8))
        } else {
            output.append(contentsOf: JSONWriter.encode(.string(key), style: .compact))
        }
    }

    /// Writes what follows a key's colon.
    static func value(_ value: JSONValue, indent: Int, into output: inout [UInt8]) {
        switch value {
        case .array(let elements) where !elements.isEmpty:
            output.append(0x0A)
            for element in elements {
                if case .object(let object) = element, !object.members.isEmpty {
                    members(object.members, indent: indent + 4, firstPrefix: "- ", into: &output)
                } else {
                    output.append(contentsOf: [UInt8](repeating: 0x20, count: indent + 2))
                    output.append(contentsOf: Array("- ".utf8))
                    output.append(contentsOf: JSONWriter.encode(element, style: .compact))
                    output.append(0x0A)
                }
            }
        case .object(let object) where !object.members.isEmpty:
            output.append(0x0A)
            members(object.members, indent: indent + 2, firstPrefix: nil, into: &output)
        default:
            output.append(0x20)
            output.append(contentsOf: JSONWriter.encode(value, style: .compact))
            output.append(0x0A)
        }
    }
}
