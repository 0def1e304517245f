import Foundation
import RoboChainAnalysis
import RoboChainJSON
import RoboChainTestSupport
import Testing

/// End-to-end: the built `robochain`, its standard output, standard error and exit status.
@Suite struct ValidateCommandTests {
    @Test func validatesTheGuangdongModel() throws {
        let result = try CommandRunner.robochain(["validate", "Models/guangdong-robots.yaml"])
        #expect(result.exitStatus == 0)
        #expect(result.standardError == "")
        #expect(Golden.mismatch(result.standardOutput, name: "validate-guangdong.txt") == nil)
    }

    @Test func reportsEveryProblemWithExit65() throws {
        let directory = try TemporaryDirectory("cli")
        defer { directory.remove() }
        let path = try directory.write("""
            regions:
              - {id: CN, name: China}
              - {id: CN, name: China again}
            components:
              - {id: robot, name: Robot, segment: body, requires: [{component: hand, weight: 1.5}]}
            firms:
              - {id: acme, name: Acme, region: CN-XX}
            """, to: "bad.yaml")
        let result = try CommandRunner.robochain(["validate", path])
        #expect(result.exitStatus == 65)
        #expect(result.standardOutput == "")
        #expect(result.standardError == """
            error: invalid model '\(path)' (4 problems):
              \(path):3: duplicate region id 'CN' (first defined at \(path):2)
              \(path):5: 'requires' of component 'robot' names unknown component 'hand'
              \(path):5: weight 1.5 of 'robot' requiring 'hand' is outside (0, 1]
              \(path):7: 'region' of firm 'acme' names unknown region 'CN-XX'

            """)
    }

    @Test func missingModelIsExit66() throws {
        let result = try CommandRunner.robochain(["validate", "no/such/model.yaml"])
        #expect(result.exitStatus == 66)
        #expect(result.standardOutput == "")
        #expect(result.standardError == "error: cannot read model 'no/such/model.yaml': No such file or directory\n")
    }

    @Test func warnsAboutComponentsWithoutSuppliers() throws {
        let directory = try TemporaryDirectory("cli")
        defer { directory.remove() }
        let path = try directory.write("""
            regions: [{id: CN, name: China}]
            components: [{id: robot, name: Robot, segment: body, requires: [hand]}, {id: hand, name: Hand, segment: limbs}]
            firms: [{id: acme, name: Acme, region: CN, supplies: [robot]}, {id: idle, name: Idle, region: CN}]
            """, to: "m.yaml")
        let result = try CommandRunner.robochain(["validate", path])
        #expect(result.exitStatus == 0)
        #expect(result.standardOutput.hasSuffix("""
            warnings:
              1 component has no supplier: hand
              1 firm supplies nothing: idle

            """))
    }
}

@Suite struct AnalyzeCommandTests {
    static let both = ["analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection", "--with", "localisation-share"]

    @Test func tableForAPerson() throws {
        let result = try CommandRunner.robochain(Self.both)
        #expect(result.exitStatus == 0)
        #expect(result.standardError == "")
        #expect(!result.standardOutput.contains("\u{1B}["), "no colour when standard output is not a terminal")
        #expect(Golden.mismatch(result.standardOutput, name: "analyze-guangdong-table.txt") == nil)
    }

    @Test func markdownForAReport() throws {
        let result = try CommandRunner.robochain(Self.both + ["--format", "markdown"])
        #expect(result.exitStatus == 0)
        #expect(Golden.mismatch(result.standardOutput, name: "analyze-guangdong.md") == nil)
    }

    /// CSV: every table of every analysis in one sheet, a row per table row, ids with their
    /// names beside them, shares as percentages.
    @Test func csvOneRowPerTableRow() throws {
        let result = try CommandRunner.robochain(Self.both + ["--format", "csv"])
        #expect(result.exitStatus == 0)
        #expect(Golden.mismatch(result.standardOutput, name: "analyze-guangdong.csv") == nil)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.first == "analysis,scope,table,severity,kind,component,componentName,localSuppliers,suppliers,valueWeight,dependents,candidates,candidatesName,message,product,productName,overall,brain,senses,limbs,body,segment,coverage,direct,rolledUp")
        #expect(lines.contains("localisation-share,CN-GD,coverage,,,,,,,,,,,,,,,,,,,Brain 大脑,90.9091%,,"))
    }

    @Test func jsonIsTheResultObjectOrAnArray() throws {
        let one = try CommandRunner.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection", "--format", "json"])
        #expect(one.exitStatus == 0)
        let object = try #require(try JSONParser.parse(one.standardOutput).objectValue)
        #expect(object.keys == ["analysis", "scope", "findings"])
        #expect(object["analysis"] == "gap-detection" && object["scope"] == "CN-GD")
        let finding = try #require(object["findings"]?.arrayValue?.first?.objectValue)
        #expect(Set(finding.keys) == ["component", "kind", "severity", "message", "localSuppliers", "suppliers", "dependents",
            "valueWeight", "candidates"])

        let two = try CommandRunner.robochain(Self.both + ["--format", "json"])
        let array = try #require(try JSONParser.parse(two.standardOutput).arrayValue)
        #expect(array.count == 2)
        #expect(array[1].objectValue?.keys == ["analysis", "scope", "components", "segments", "coverage", "roots"])
    }

    @Test func outputFileIsWrittenAndItsExtensionPicksTheFormat() throws {
        let directory = try TemporaryDirectory("cli")
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("gaps.json").path
        let result = try CommandRunner.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection", "--output", path])
        #expect(result.exitStatus == 0)
        #expect(result.standardOutput == "")
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(try JSONParser.parse(Array(written)).objectValue?["analysis"] == "gap-detection")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(leftovers == ["gaps.json"], "no temporary file is left behind")
    }

    @Test func theModelIsNeverTheOutput() throws {
        let directory = try TemporaryDirectory("cli")
        defer { directory.remove() }
        let model = try String(contentsOfFile: "Models/guangdong-robots.yaml", encoding: .utf8)
        let path = try directory.write(model, to: "model.yaml")
        let link = directory.url.appendingPathComponent("same.yaml").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "model.yaml")
        for arguments in [["analyze", path, "--with", "gap-detection", "--output", link],
            ["render", path, "--format", "svg", "--output", path]]
        {
            let result = try CommandRunner.robochain(arguments)
            #expect(result.exitStatus == 64)
            #expect(result.standardError.contains("is a file of the model '\(path)'; writing there would replace the model"))
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == model)
        let csv = directory.url.appendingPathComponent("csv").path
        try directory.write("id,name,parent\nCN,China,\n", to: "csv/regions.csv")
        try directory.write("id,name,segment\nhand,Hand,limbs\n", to: "csv/components.csv")
        try directory.write("id,name,region\nacme,Acme,CN\n", to: "csv/firms.csv")
        try directory.write("firm,component\nacme,hand\n", to: "csv/supplies.csv")
        let intoCSV = try CommandRunner.robochain(["analyze", csv, "--scope", "CN", "--with", "gap-detection", "--output", csv + "/firms.csv"])
        #expect(intoCSV.exitStatus == 64)
        #expect(try String(contentsOfFile: csv + "/firms.csv", encoding: .utf8) == "id,name,region\nacme,Acme,CN\n")
        // Beside the model files, a report is fine.
        let beside = try CommandRunner.robochain(["analyze", csv, "--scope", "CN", "--with", "gap-detection", "--output", csv + "/gaps.csv"])
        #expect(beside.exitStatus == 0, "\(beside.standardError)")
    }

    @Test func outputDashIsStandardOutputAndAnUnknownExtensionNeedsAFormat() throws {
        let dash = try CommandRunner.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection", "--output", "-"])
        #expect(dash.exitStatus == 0)
        #expect(dash.standardOutput.hasPrefix("Guangdong 广东 (CN-GD): gap-detection: 25 gaps"))
        let unknown = try CommandRunner.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection", "--output", "gaps.docx"])
        #expect(unknown.exitStatus == 64)
        #expect(unknown.standardError.hasPrefix("Error: cannot tell the format from the extension '.docx' of --output 'gaps.docx'; give --format table, json, csv, markdown or xlsx"))
        #expect(!FileManager.default.fileExists(atPath: "gaps.docx"))
    }

    @Test func markdownShowsNamesAsTyped() throws {
        let directory = try TemporaryDirectory("cli")
        defer { directory.remove() }
        let path = try directory.write("""
            id: m
            title: "R&D <chain>"
            home: CN
            regions: [{id: CN, name: China}]
            components: [{id: arm, name: "Arm *fast* <b>x</b> &amp; [1]_2 | R&D", segment: limbs}]
            firms: [{id: f, name: F, region: JP-X, supplies: [arm]}]
            """.replacingOccurrences(of: "JP-X", with: "CN"), to: "m.yaml")
        let result = try CommandRunner.robochain(["analyze", path, "--with", "localisation-share", "--format", "markdown"])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("# R&D &lt;chain&gt; — China (CN)\n"))
        #expect(result.standardOutput.contains(#"| Arm \*fast\* &lt;b&gt;x&lt;/b&gt; &amp;amp; \[1\]\_2 \| R&D |"#), "\(result.standardOutput)")
    }

    @Test func outputThroughASymbolicLinkKeepsTheLink() throws {
        let directory = try TemporaryDirectory("cli")
        defer { directory.remove() }
        try directory.write("old", to: "real.json")
        let link = directory.url.appendingPathComponent("link.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.json")
        let result = try CommandRunner.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection", "--output", link])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.json", "the link is still a link")
        let written = try String(contentsOfFile: directory.url.appendingPathComponent("real.json").path, encoding: .utf8)
        #expect(written.hasPrefix("{\n  \"analysis\": \"gap-detection\""))
        // A dangling link: its target is created through it.
        let dangling = directory.url.appendingPathComponent("dangling.json").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "new.json")
        let again = try CommandRunner.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection", "--output", dangling])
        #expect(again.exitStatus == 0)
        #expect(FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("new.json").path))
    }

    @Test func outputIntoAFIFOIsWrittenNotReplaced() throws {
        let directory = try TemporaryDirectory("cli")
        defer { directory.remove() }
        let fifo = directory.url.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let received = Received()
        let reader = Thread {
            // open(2) for reading waits for the writer; then read to the end.
            let descriptor = open(fifo, O_RDONLY)
            guard descriptor >= 0 else { return received.set(Data()) }
            var bytes = Data()
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(descriptor, &buffer, buffer.count)
                if count <= 0 { break }
                bytes.append(contentsOf: buffer[0..<count])
            }
            close(descriptor)
            received.set(bytes)
        }
        reader.start()
        let result = try CommandRunner.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection",
            "--format", "json", "--output", fifo], timeout: 60)
        #expect(result.exitStatus == 0, "\(result.standardError)")
        for _ in 0..<100 where received.data == nil { usleep(50_000) }
        #expect(try JSONParser.parse(Array(received.data ?? Data())).objectValue?["analysis"] == "gap-detection")
        var status = stat()
        #expect(lstat(fifo, &status) == 0 && (status.st_mode & S_IFMT) == S_IFIFO, "still a FIFO")
    }

    @Test func unwritableOutputIsExit1() throws {
        let result = try CommandRunner.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection",
            "--output", "/nonexistent-directory/gaps.json"])
        #expect(result.exitStatus == 1)
        #expect(result.standardError.hasPrefix("error: cannot write '/nonexistent-directory/gaps.json': "))
    }

    @Test func optionsAreTypedAndScoped() throws {
        let result = try CommandRunner.robochain(["analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection",
            "--option", "threshold=0.9", "--option", "gap-detection.candidates=1", "--format", "json"])
        #expect(result.exitStatus == 0)
        let findings = try #require(try JSONParser.parse(result.standardOutput).objectValue?["findings"]?.arrayValue)
        #expect(findings.allSatisfy { ($0.objectValue?["candidates"]?.arrayValue?.count ?? 0) <= 1 })
        let lowShare = findings.filter { $0.objectValue?["kind"] == "low-local-share" }
        #expect(lowShare.count > 1, "a higher threshold flags more low shares")
    }

    @Test(arguments: [
        (["--with", "gap-detection", "--scope", "XX"], "Error: unknown scope 'XX'; the model's regions are: CN, CN-GD,"),
        (["--with", "gap-finder"], "Error: unknown analysis 'gap-finder'; available: gap-detection, localisation-share"),
        (["--with", "gap-detection", "--option", "thresold=0.5"],
            "Error: --option 'thresold=0.5': no chosen analysis has an option 'thresold'; valid: gap-detection.threshold (number, default 0.3), gap-detection.candidates (integer, default 5)"),
        (["--with", "gap-detection", "--option", "candidates=many"],
            "Error: --option 'candidates=many': 'many' is not an integer (option 'candidates' of 'gap-detection')"),
        (["--with", "localisation-share", "--option", "threshold=0.5"],
            "Error: --option 'threshold=0.5': no chosen analysis has an option 'threshold'; the chosen analyses declare no options"),
        (["--with", "gap-detection", "--option", "candidates=-2"],
            "Error: option 'candidates' of 'gap-detection' must be 0 or more, not -2"),
        (["--with", "gap-detection", "--option", "threshold=30"],
            "Error: option 'threshold' of 'gap-detection' must be a share from 0 to 1 (0.3 is 30 %), not 30"),
        (["--with", "gap-detection", "--scope", "cn-gd"], "Error: unknown scope 'cn-gd'; did you mean 'CN-GD'? (region ids are case-sensitive)"),
        (["-w", "gap-detection"], "Error: Unknown option '-w'"),
        (["--with", "gap-detection", "--timeout", "-5"], "Error: --timeout must be a positive number of seconds"),
        (["--with", "gap-detection", "--format", "xml"], "Error: The value 'xml' is invalid for '--format <format>'"),
    ])
    func usageErrorsAreExit64WithTheChoices(arguments: [String], message: String) throws {
        let result = try CommandRunner.robochain(["analyze", "Models/guangdong-robots.yaml"] + arguments)
        #expect(result.exitStatus == 64)
        #expect(result.standardOutput == "")
        #expect(result.standardError.hasPrefix(message), "\(result.standardError)")
        #expect(result.standardError.contains("See 'robochain analyze --help' for more information."))
    }

    @Test func optionValuesAreCheckedBeforeTheModelIsRead() throws {
        // The model does not exist: a bad option is reported first (64), not the model (66).
        let result = try CommandRunner.robochain(["analyze", "no/such/model", "--with", "gap-detection", "--option", "candidates=-1"])
        #expect(result.exitStatus == 64)
        #expect(result.standardError.hasPrefix("Error: option 'candidates' of 'gap-detection' must be 0 or more, not -1"))
    }

    @Test func hostileNamesCannotBreakTablesOrTerminalsOrSpreadsheets() throws {
        let directory = try TemporaryDirectory("cli")
        defer { directory.remove() }
        let path = try directory.write(#"""
            home: CN
            regions: [{id: CN, name: "China\n\u001B[31mRED"}]
            components: [{id: p, segment: s, name: "=HYPERLINK(\"http://x\")\tpart\u0000\u202E"}]
            firms: [{id: f, name: "Firm\r\nTwo", region: CN, supplies: [p]}]
            """#, to: "hostile.yaml")
        for format in ["table", "markdown"] {
            let result = try CommandRunner.robochain(["analyze", path, "--with", "gap-detection", "--with", "localisation-share",
                "--format", format])
            #expect(result.exitStatus == 0)
            #expect(!result.standardOutput.contains("\u{1B}"), "no escape sequence reaches the terminal (\(format))")
            #expect(!result.standardOutput.contains("\u{0}") && !result.standardOutput.contains("\u{202E}"))
            #expect(!result.standardOutput.contains("\r"))
        }
        let csv = try CommandRunner.robochain(["analyze", path, "--with", "localisation-share", "--format", "csv"])
        #expect(csv.standardOutput.contains(#","'=HYPERLINK(""http://x"") part\#u{FFFD}\#u{FFFD}","#), "a formula is neutralised, controls shown")
        let summary = try CommandRunner.robochain(["validate", path])
        #expect(!summary.standardOutput.contains("\u{1B}"))
        #expect(summary.standardOutput.contains("home:         China \u{FFFD}[31mRED (CN)"))
    }

    @Test func noSubcommandIsAUsageError() throws {
        let result = try CommandRunner.robochain([])
        #expect(result.exitStatus == 64)
        #expect(result.standardOutput == "")
        #expect(result.standardError.contains("USAGE: robochain <subcommand>"))
    }

    @Test func csvModelWithoutHomeNeedsAScope() throws {
        let directory = try TemporaryDirectory("cli")
        defer { directory.remove() }
        try directory.write("id,name,parent\nCN,China,\n", to: "regions.csv")
        try directory.write("id,name,segment\nhand,Hand,limbs\n", to: "components.csv")
        try directory.write("id,name,region\nacme,Acme,CN\n", to: "firms.csv")
        try directory.write("firm,component\nacme,hand\n", to: "supplies.csv")
        let without = try CommandRunner.robochain(["analyze", directory.path, "--with", "gap-detection"])
        #expect(without.exitStatus == 64)
        #expect(without.standardError.hasPrefix("Error: the model names no home region; give one with --scope REGION"))
        let with = try CommandRunner.robochain(["analyze", directory.path, "--with", "gap-detection", "--scope", "CN", "--format", "json"])
        #expect(with.exitStatus == 0)
    }

    @Test func invalidModelIsExit65() throws {
        let directory = try TemporaryDirectory("cli")
        defer { directory.remove() }
        let path = try directory.write("regions: [\n", to: "broken.yaml")
        let result = try CommandRunner.robochain(["analyze", path, "--with", "gap-detection"])
        #expect(result.exitStatus == 65)
        #expect(result.standardError.hasPrefix("error: invalid model '\(path)' (1 problem):\n  \(path):2: YAML:"))
    }
}

/// Progress goes to standard error only at a terminal, and never with --quiet.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a terminal"))
struct ProgressTests {
    /// Runs robochain under script(1), which gives it a terminal; returns what the terminal showed.
    func atTerminal(_ arguments: [String]) throws -> String {
        let command = ([CommandRunner.product("robochain")] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let result = try CommandRunner.run("/usr/bin/script", ["-qec", command, "/dev/null"],
            environment: ["ROBOCHAIN_PROGRESS_DELAY": "0"])
        #expect(result.exitStatus == 0, "\(result.standardOutput)")
        return result.standardOutput
    }

    @Test func tablesFitTheTerminal() throws {
        let command = ([CommandRunner.product("robochain"), "analyze", "Models/guangdong-robots.yaml", "--with", "gap-detection"])
            .map { "'\($0)'" }.joined(separator: " ")
        let result = try CommandRunner.run("/usr/bin/script", ["-qec", "stty cols 90; " + command, "/dev/null"],
            environment: ["NO_COLOR": "1"])
        let lines = result.standardOutput.split(whereSeparator: \.isNewline)
        let header = try #require(lines.firstIndex { $0.hasPrefix("SEVERITY") })
        for line in lines[header...] {
            #expect(DisplayWidth.of(line) <= 90, "\(line)")
        }
        #expect(lines[header] == "SEVERITY  KIND                 COMPONENT       LOCAL  ALL  VALUE  DEPENDENTS  CANDIDATES…")
        #expect(lines[header + 1] == "high      no-local-supplier    Linear actuat…      0    2   24 %           1  Sanhua Inte…")
        // The message column does not fit and is left out, with a note saying so.
        #expect(result.standardOutput.contains("Not shown, for the terminal's width: MESSAGE"))
    }

    @Test func quietShowsNoProgress() throws {
        let shown = try atTerminal(["validate", "Models/guangdong-robots.yaml", "--quiet"])
        #expect(!shown.contains("loading"))
        #expect(shown.contains("valid YAML model"))
    }

    @Test(.enabled(if: CommandRunner.sharedDirectory != nil, "../shared is not beside the checkout"))
    func showsBytesAndRateForALargeLoad() throws {
        let directory = try TemporaryDirectory("progress")
        defer { directory.remove() }
        let generator = CommandRunner.sharedDirectory!.appendingPathComponent("bench/gen_chain.py").path
        _ = try CommandRunner.run("python3", [generator, "--firms", "200000", "--out", directory.path])
        let shown = try atTerminal(["validate", directory.path])
        #expect(shown.contains("loading \(directory.path): "))
        #expect(shown.contains(" MB/s"))
        #expect(shown.contains("\u{1B}[2K"), "the line is erased at the end")
        let quiet = try atTerminal(["validate", directory.path, "--quiet"])
        #expect(!quiet.contains("loading"))
        #expect(quiet.contains("valid CSV model"))
    }
}

/// Bytes a reader thread received.
final class Received: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Data?

    func set(_ data: Data) {
        lock.lock()
        stored = data
        lock.unlock()
    }

    var data: Data? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

@Suite struct HelpTests {
    @Test(arguments: [
        "robochain", "validate", "analyze", "compare", "report", "convert", "plugins", "plugins list", "plugins new",
        "plugins check", "plugins request", "plugins install", "plugins remove", "plugins info",
    ])
    func helpIsCompleteWithExamples(command: String) throws {
        let arguments = command == "robochain" ? ["--help"] : command.split(separator: " ").map(String.init) + ["--help"]
        let result = try CommandRunner.robochain(arguments)
        #expect(result.exitStatus == 0)
        #expect(result.standardOutput.contains("Examples:"))
        let name = "help-\(command.replacingOccurrences(of: " ", with: "-")).txt"
        #expect(Golden.mismatch(result.standardOutput, name: name) == nil)
    }
}
