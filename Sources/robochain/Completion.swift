import ArgumentParser
import RoboChainModel
import RoboChainPluginHost

#if canImport(Glibc)
import Glibc
#endif

/// The MODEL argument every command that reads a model shares: its help and its completion.
enum ModelArgument {
    static let help = ArgumentHelp(
        "The model: a .yaml, .yml or .json file, a directory of CSV files, an .xlsx workbook, or '-' for YAML or JSON on standard input.",
        valueName: "model")

    /// Model files and directories (CSV models), for the shells' tab completion.
    static let completion = CompletionKind.file(extensions: ["yaml", "yml", "json", "xlsx"])
}

/// Tab-completion candidates computed when the user presses Tab: the shells' completion
/// scripts (`robochain --generate-completion-script bash|zsh|fish`) call back into robochain.
enum CompletionCandidates {
    /// Every available analysis: the built-ins and the plugins found now.
    static func analysisNames() -> [String] {
        AnalysisCatalog.discover(environment: Environment.variables).analyses.map(\.name)
    }

    /// `KEY=` and `NAME.KEY=` for every option of every available analysis.
    static func optionKeys() -> [String] {
        let analyses = AnalysisCatalog.discover(environment: Environment.variables).analyses
        let keys = Set(analyses.flatMap { $0.options.map(\.name) })
        return keys.sorted().map { $0 + "=" } + analyses.flatMap { analysis in analysis.options.map { "\(analysis.name).\($0.name)=" } }
    }

    /// The region ids of the model named on the command line, when it is cheap to load (a file or
    /// CSV directory of at most ``cheapModelBytes``); none otherwise.
    ///
    /// - Parameters:
    ///   - words: The shell words of the command line, verbatim.
    ///   - index: The index of the word being completed.
    static func regionIDs(words: [String], index: Int) -> [String] {
        guard let path = modelPath(in: words, completing: index), isCheap(path),
            let loaded = try? ModelLoader.load(path: path)
        else { return [] }
        return loaded.model.regions.ids
    }

    /// Models larger than this are not loaded for completion (a second, no more, on a slow machine).
    static let cheapModelBytes = 16 << 20

    /// Options that take a value, whose value is not the model.
    static let optionsWithValue: Set<String> = [
        "--with", "--scope", "--option", "--format", "--output", "--timeout", "--firms", "--max-nodes",
        "--layout-timeout", "--color", "--without", "--relocate", "--against", "--against-scope",
    ]

    /// The first positional word after the command names: the model. `-` (standard input) is not
    /// one completion can read.
    static func modelPath(in words: [String], completing index: Int) -> String? {
        let commands: Set<String> = ["robochain", "analyze", "render", "validate", "compare"]
        var position = 1
        var leading = true
        while position < words.count {
            let word = words[position]
            defer { position += 1 }
            if leading, commands.contains(word) { continue }
            leading = false
            if optionsWithValue.contains(word) {
                position += 1
                continue
            }
            if word.hasPrefix("-") || position == index { continue }
            let path = unquoted(word)
            return path == "-" || path.isEmpty ? nil : path
        }
        return nil
    }

    /// A shell word as a path: surrounding quotes removed, backslash escapes undone, `~/` expanded.
    static func unquoted(_ word: String) -> String {
        var text = word
        if text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first {
            text = String(text.dropFirst().dropLast())
        } else {
            var result = ""
            var escaped = false
            for character in text {
                if escaped || character != "\\" {
                    result.append(character)
                    escaped = false
                } else {
                    escaped = true
                }
            }
            text = result
        }
        if text.hasPrefix("~/"), let home = Environment.variables["HOME"] { text = home + text.dropFirst() }
        return text
    }

    /// Whether the model is regular files (never a FIFO or device, which could block the shell)
    /// of at most ``cheapModelBytes`` in all.
    private static func isCheap(_ path: String) -> Bool {
        let files = FileAccess.isDirectory(path) ? ModelLoader.csvFileNames.map { FileAccess.join(path, $0) } : [path]
        var total = 0
        for file in files {
            var status = stat()
            guard stat(file, &status) == 0 else { continue }
            guard (status.st_mode & S_IFMT) == S_IFREG else { return false }
            total += Int(status.st_size)
        }
        return total <= cheapModelBytes
    }
}
