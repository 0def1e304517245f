import Foundation
import RoboChainTestSupport
import Testing

/// Tab completion: the scripts swift-argument-parser generates, run in bash as a user's Tab
/// would run them (zsh and fish cannot complete without a terminal; their scripts are checked
/// for the same completions).
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/bash"), "needs bash"))
struct CompletionTests {
    /// What bash offers for the command line `words` (the last word is the one being completed),
    /// run in `directory`, with the built robochain first on PATH.
    func bashCompletions(_ words: [String], directory: URL? = nil, environment: [String: String] = [:]) throws -> [String] {
        let script = try CommandRunner.robochain(["--generate-completion-script", "bash"])
        #expect(script.exitStatus == 0)
        let scriptFile = try TemporaryDirectory("completion")
        defer { scriptFile.remove() }
        let path = try scriptFile.write(script.standardOutput, to: "robochain.bash")
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let program = """
            source '\(path)'
            COMP_WORDS=(\(quoted)); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
            _robochain robochain "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        var variables = environment
        variables["PATH"] = CommandRunner.productsDirectory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try CommandRunner.run("/bin/bash", ["-c", program], environment: variables, directory: directory)
        #expect(result.exitStatus == 0, "\(result.standardError)")
        return result.standardOutput.split(separator: "\n").map(String.init).sorted()
    }

    @Test func commands() throws {
        #expect(try bashCompletions(["robochain", "ana"]) == ["analyze"])
        #expect(try bashCompletions(["robochain", "plugins", "l"]) == ["list"])
    }

    @Test func modelFilesAndDirectories() throws {
        let directory = try TemporaryDirectory("completion")
        defer { directory.remove() }
        for name in ["a.yaml", "b.yml", "c.json", "d.xlsx", "notes.txt", "map.svg", "csv-model/regions.csv"] {
            try directory.write("", to: name)
        }
        #expect(try bashCompletions(["robochain", "validate", ""], directory: directory.url)
            == ["a.yaml", "b.yml", "c.json", "csv-model", "d.xlsx"])
        #expect(try bashCompletions(["robochain", "analyze", ""], directory: directory.url).contains("csv-model"))
        #expect(try bashCompletions(["robochain", "render", "a.yaml", "--output", ""], directory: directory.url)
            == ["csv-model", "map.svg"])
        #expect(try bashCompletions(["robochain", "analyze", "Models/gu"]) == ["Models/guangdong-robots.yaml"])
    }

    @Test func analysisNamesBuiltInAndPlugins() throws {
        #expect(try bashCompletions(["robochain", "analyze", "m.yaml", "--with", ""]) == ["gap-detection", "localisation-share"])
        #expect(try bashCompletions(["robochain", "analyze", "m.yaml", "--with", ""], environment: ["ROBOCHAIN_PLUGIN_PATH": "Plugins"])
            == ["gap-detection", "localisation-share", "supplier-concentration"])
        #expect(try bashCompletions(["robochain", "render", "m.yaml", "--with", "loc"]) == ["localisation-share"])
    }

    @Test func optionKeys() throws {
        #expect(try bashCompletions(["robochain", "analyze", "m.yaml", "--option", "gap-detection.c"]) == ["gap-detection.candidates="])
        #expect(try bashCompletions(["robochain", "analyze", "m.yaml", "--option", "th"]) == ["threshold="])
    }

    @Test func regionIDsOfTheModelOnTheLine() throws {
        #expect(try bashCompletions(["robochain", "analyze", "Models/guangdong-robots.yaml", "--scope", "CN-GD-S"]) == ["CN-GD-SZ"])
        #expect(try bashCompletions(["robochain", "render", "--with", "gap-detection", "Models/guangdong-robots.yaml", "--scope", "J"])
            == ["JP"])
        #expect(try bashCompletions(["robochain", "analyze", "--scope", "CN-GD-S"]) == [], "no model on the line yet")
        #expect(try bashCompletions(["robochain", "analyze", "no-such.yaml", "--scope", ""]) == [])
        let directory = try TemporaryDirectory("completion")
        defer { directory.remove() }
        let fifo = directory.url.appendingPathComponent("model.yaml").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(try bashCompletions(["robochain", "analyze", fifo, "--scope", ""]) == [], "a FIFO is not opened: it would block")
        let csv = directory.url.appendingPathComponent("csv").path
        try directory.write("id,name,parent\nCN,China,\nCN-GD,Guangdong,CN\n", to: "csv/regions.csv")
        #expect(try bashCompletions(["robochain", "analyze", csv, "--scope", ""]) == [], "an invalid model offers nothing")
    }

    @Test func zshAndFishScriptsCompleteTheSame() throws {
        let zsh = try CommandRunner.robochain(["--generate-completion-script", "zsh"]).standardOutput
        #expect(zsh.contains("_files -g '\\''*.yaml *.yml *.json *.xlsx'\\''"))
        for argument in ["--with", "--scope", "--option"] {
            #expect(zsh.contains("---completion analyze -- \(argument)"))
        }
        let fish = try CommandRunner.robochain(["--generate-completion-script", "fish"]).standardOutput
        #expect(fish.contains("yaml") && fish.contains("xlsx"))
        for argument in ["--with", "--scope", "--option"] {
            #expect(fish.contains("---completion analyze -- \(argument)"))
        }
    }
}
