import RoboChainAnalysis

/// Assigns `--option` arguments to the chosen analyses (SPEC §4).
///
/// `KEY=VALUE` sets KEY for every chosen analysis that declares it; `NAME.KEY=VALUE` for the
/// analysis NAME only, and wins over `KEY=VALUE` whatever their order; of two arguments that set
/// the same option equally specifically, the later wins. Values are typed by each declaration.
/// A key that no chosen analysis declares, or a value of the wrong type, is an error listing what
/// is valid. Names and keys may themselves contain `.`: `NAME.KEY` is read as the longest chosen
/// analysis name followed by an option it declares. An option declared without a default must be
/// set.
public enum OptionAssignment {
    /// The option values of each chosen analysis, in the order given.
    ///
    /// - Parameters:
    ///   - arguments: The `--option` arguments, as typed.
    ///   - analyses: The chosen analyses: name and option declarations.
    /// - Returns: One ``OptionValues`` per analysis, every declared option present.
    /// - Throws: ``PluginHostError/invalidOption(argument:problem:)``, or
    ///   ``PluginHostError/missingOption(analysis:option:type:)`` for a required option not set.
    /// - Complexity: O(*a* · (*n* + *d*)) for *a* arguments, *n* analyses and *d* declarations.
    public static func assign(
        _ arguments: [String], to analyses: [(name: String, options: [OptionDeclaration])]
    ) throws(PluginHostError) -> [OptionValues] {
        // General settings first, then the analysis-specific ones over them.
        var general = [[String: OptionValue]](repeating: [:], count: analyses.count)
        var specific = general
        let valid = analyses.flatMap { analysis in
            analysis.options.map { "\(analysis.name).\($0.name) (\($0.type.rawValue), \($0.defaultDescription))" }
        }
        let validList = valid.isEmpty ? "the chosen analyses declare no options" : "valid: " + valid.joined(separator: ", ")
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else {
                throw .invalidOption(argument: argument, problem: "expected KEY=VALUE or NAME.KEY=VALUE")
            }
            let key = String(argument[..<equals]).trimmingCharacters(in: " ")
            let text = String(argument[argument.index(after: equals)...])
            func parse(_ optionKey: String, for target: Int) throws(PluginHostError) -> OptionValue? {
                guard let declaration = analyses[target].options.first(where: { $0.name == optionKey }) else { return nil }
                guard let value = OptionValue.parse(text, as: declaration.type) else {
                    throw .invalidOption(argument: argument,
                        problem: "'\(text)' is not \(declaration.type.withArticle) (option '\(optionKey)' of '\(analyses[target].name)')")
                }
                return value
            }
            // NAME.KEY: the longest chosen name that is followed by '.' and an option it declares.
            let named = analyses.indices
                .filter { key.count > analyses[$0].name.count + 1 && key.hasPrefix(analyses[$0].name + ".") }
                .sorted { analyses[$0].name.count > analyses[$1].name.count }
            var assigned = false
            for target in named {
                let optionKey = String(key.dropFirst(analyses[target].name.count + 1))
                if let value = try parse(optionKey, for: target) {
                    specific[target][optionKey] = value
                    assigned = true
                    break
                }
            }
            if !assigned {
                for target in analyses.indices {
                    if let value = try parse(key, for: target) {
                        general[target][key] = value
                        assigned = true
                    }
                }
            }
            guard assigned else {
                if let target = named.first {
                    let optionKey = key.dropFirst(analyses[target].name.count + 1)
                    throw .invalidOption(argument: argument,
                        problem: "'\(analyses[target].name)' has no option '\(optionKey)'; \(validList)")
                }
                if let dot = key.firstIndex(of: "."), !analyses.contains(where: { $0.name == key[..<dot] }) {
                    throw .invalidOption(argument: argument,
                        problem: "no chosen analysis has an option '\(key)', and '\(key[..<dot])' is not a chosen analysis (chosen: \(analyses.map(\.name).joined(separator: ", "))); \(validList)")
                }
                throw .invalidOption(argument: argument, problem: "no chosen analysis has an option '\(key)'; \(validList)")
            }
        }
        var values: [OptionValues] = []
        for (index, analysis) in analyses.enumerated() {
            let overrides = general[index].merging(specific[index]) { _, specific in specific }
            if let missing = analysis.options.first(where: { $0.isRequired && overrides[$0.name] == nil }) {
                throw .missingOption(analysis: analysis.name, option: missing.name, type: missing.type)
            }
            do {
                values.append(try OptionValues(declarations: analysis.options, overrides: overrides, analysis: analysis.name))
            } catch {
                throw .rejectedOption(error)
            }
        }
        return values
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var text = Substring(self)
        while text.first == set { text.removeFirst() }
        while text.last == set { text.removeLast() }
        return String(text)
    }
}
