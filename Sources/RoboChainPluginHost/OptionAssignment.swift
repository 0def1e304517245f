import RoboChainAnalysis

/// Assigns `--option` arguments to the chosen analyses (SPEC §4).
///
/// `KEY=VALUE` sets KEY for every chosen analysis that declares it; `NAME.KEY=VALUE` for the
/// analysis NAME only. Values are typed by each declaration. A key that no chosen analysis
/// declares, or a value of the wrong type, is an error listing what is valid.
public enum OptionAssignment {
    /// The option values of each chosen analysis, in the order given.
    ///
    /// - Parameters:
    ///   - arguments: The `--option` arguments, as typed.
    ///   - analyses: The chosen analyses: name and option declarations.
    /// - Returns: One ``OptionValues`` per analysis, every declared option present.
    /// - Throws: ``PluginHostError/invalidOption(argument:problem:)``.
    public static func assign(
        _ arguments: [String], to analyses: [(name: String, options: [OptionDeclaration])]
    ) throws(PluginHostError) -> [OptionValues] {
        var overrides = [[String: OptionValue]](repeating: [:], count: analyses.count)
        let valid = analyses.flatMap { analysis in
            analysis.options.map { "\(analysis.name).\($0.name) (\($0.type.rawValue), default \($0.defaultValue))" }
        }
        let validList = valid.isEmpty ? "the chosen analyses declare no options" : "valid: " + valid.joined(separator: ", ")
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else {
                throw .invalidOption(argument: argument, problem: "expected KEY=VALUE or NAME.KEY=VALUE")
            }
            var key = String(argument[..<equals]).trimmingCharacters(in: " ")
            let text = String(argument[argument.index(after: equals)...])
            var targets = Array(analyses.indices)
            if let dot = key.firstIndex(of: "."),
                let target = analyses.firstIndex(where: { $0.name == key[..<dot] })
            {
                targets = [target]
                key = String(key[key.index(after: dot)...])
            } else if let dot = key.firstIndex(of: "."), !analyses.contains(where: { $0.options.contains { $0.name == key } }) {
                throw .invalidOption(argument: argument,
                    problem: "'\(key[..<dot])' is not a chosen analysis (chosen: \(analyses.map(\.name).joined(separator: ", ")))")
            }
            var declared = false
            for target in targets {
                guard let declaration = analyses[target].options.first(where: { $0.name == key }) else { continue }
                declared = true
                guard let value = OptionValue.parse(text, as: declaration.type) else {
                    throw .invalidOption(argument: argument,
                        problem: "'\(text)' is not \(declaration.type.withArticle) (option '\(key)' of '\(analyses[target].name)')")
                }
                overrides[target][key] = value
            }
            guard declared else {
                throw .invalidOption(argument: argument, problem: "no chosen analysis has an option '\(key)'; \(validList)")
            }
        }
        var values: [OptionValues] = []
        for (index, analysis) in analyses.enumerated() {
            do {
                values.append(try OptionValues(declarations: analysis.options, overrides: overrides[index], analysis: analysis.name))
            } catch {
                throw .invalidOption(argument: analysis.name, problem: error.description)
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
