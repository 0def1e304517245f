internal import CYaml

/// Limits on what a YAML document may cost once its aliases are followed, checked before the
/// document is composed into a tree.
///
/// libyaml limits how deeply a document nests as written, but an alias (`*a`) stands for the
/// whole node its anchor (`&a`) names, so nesting and size multiply through aliases: 50,000
/// lines `aN: &aN [*aN-1]` nest 50,000 deep (the tree's release then overflows the stack), and
/// ten lines of ten aliases each stand for 10¹⁰ nodes ("billion laughs"; hashing such a node as a
/// mapping key never ends). This check walks libyaml's events once, keeping for every anchor
/// the size and height of its node as expanded, and rejects a document past either limit.
///
/// - Complexity: O(bytes), one libyaml parse without building nodes.
enum YAMLResourceCheck {
    /// The deepest nesting of lists and mappings accepted, aliases followed.
    static let maximumDepth = 256
    /// The most nodes that aliases may stand for in one document, counted expanded.
    static let maximumAliasedNodes = 1_000_000

    /// What is wrong, with the 1-based line where it was found.
    struct Problem: Sendable, Equatable {
        var line: Int
        var message: String
    }

    private struct Frame {
        var size = 1
        var height = 1
        var anchor: String?
    }

    /// Checks `text`; a syntax error ends the check without a problem (composing reports it).
    static func check(_ text: String) -> Problem? {
        var text = text
        return text.withUTF8 { check(bytes: $0) }
    }

    static func check(bytes: UnsafeBufferPointer<UInt8>) -> Problem? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        var anchors: [String: (size: Int, height: Int)] = [:]
        var stack: [Frame] = []
        var aliased = 0
        var event = yaml_event_t()

        /// Adds a finished node to its parent; returns a problem if a limit is passed.
        func close(size: Int, height: Int, anchor: String?, line: Int) -> Problem? {
            if let anchor { anchors[anchor] = (size, height) }
            if stack.count + height > maximumDepth {
                return Problem(line: line,
                    message: "lists and mappings nest deeper than \(maximumDepth) levels (aliases followed)")
            }
            if !stack.isEmpty {
                stack[stack.count - 1].size = min(stack[stack.count - 1].size + size, Int.max / 4)
                stack[stack.count - 1].height = max(stack[stack.count - 1].height, height + 1)
            }
            return nil
        }

        func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: $0) }
        }

        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line) + 1
            var problem: Problem?
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_SCALAR_EVENT:
                problem = close(size: 1, height: 1, anchor: string(event.data.scalar.anchor), line: line)
            case YAML_ALIAS_EVENT:
                // An undefined alias is left to the composer, which reports it.
                let target = string(event.data.alias.anchor).flatMap { anchors[$0] } ?? (1, 1)
                aliased = min(aliased + target.size, Int.max / 4)
                if aliased > maximumAliasedNodes {
                    problem = Problem(line: line,
                        message: "aliases stand for more than \(maximumAliasedNodes) nodes (an alias repeats its anchor's whole node)")
                } else {
                    problem = close(size: target.size, height: target.height, anchor: nil, line: line)
                }
            case YAML_SEQUENCE_START_EVENT:
                stack.append(Frame(anchor: string(event.data.sequence_start.anchor)))
            case YAML_MAPPING_START_EVENT:
                stack.append(Frame(anchor: string(event.data.mapping_start.anchor)))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { return nil }
                problem = close(size: frame.size, height: frame.height, anchor: frame.anchor, line: line)
            case YAML_DOCUMENT_START_EVENT:
                anchors.removeAll()
            default:
                break
            }
            if let problem { return problem }
        }
    }
}
