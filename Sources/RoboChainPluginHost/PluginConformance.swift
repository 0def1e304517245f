import RoboChainAnalysis
import RoboChainJSON
import RoboChainModel

/// One check of `robochain plugins check`: passed, or why not.
public struct ConformanceCheck: Sendable, Equatable {
    /// What was checked (`manifest`, `runs on tiny`, `option threshold`, …).
    public var name: String
    public var passed: Bool
    /// What was found: for a failure, what to fix.
    public var detail: String

    public init(_ name: String, passed: Bool, _ detail: String) {
        self.name = name
        self.passed = passed
        self.detail = detail
    }
}

/// What `robochain plugins check` found about one analysis.
public struct ConformanceReport: Sendable {
    /// The analysis name (or the directory, when its manifest could not be read).
    public var subject: String
    /// Where it is: `built-in` or its directory.
    public var source: String
    public var checks: [ConformanceCheck]

    /// Whether every check passed.
    public var passed: Bool { checks.allSatisfy(\.passed) }

    /// The report for people: one line per check (`ok` or `FAIL`, the check, the finding),
    /// then the count.
    public var text: String {
        var lines = ["plugins check: \(subject) (\(source))"]
        for check in checks {
            let detail = check.detail.split(separator: "\n", omittingEmptySubsequences: false)
            lines.append("  \(check.passed ? "ok  " : "FAIL") \(check.name): \(detail.first ?? "")")
            for more in detail.dropFirst() { lines.append("         \(more)") }
        }
        let failed = checks.filter { !$0.passed }.count
        lines.append(failed == 0
            ? "all \(checks.count) checks passed"
            : "\(failed) of \(checks.count) checks failed")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as JSON: `analysis`, `source`, `passed`, `checks: [{name, passed, detail}]`.
    public var json: JSONValue {
        .object([
            "analysis": .string(subject), "source": .string(source), "passed": .bool(passed),
            "checks": .array(checks.map { .object(["name": .string($0.name), "passed": .bool($0.passed), "detail": .string($0.detail)]) }),
        ])
    }
}

/// The conformance check of a plugin against protocol 1 (SPEC §5): `robochain plugins check`.
///
/// For an external plugin: its manifest against the manifest schema and robochain's reading of
/// it (executable present and executable, protocol, version range); then, on every fixture,
/// the request robochain builds (checked against the request schema) and the plugin's answer —
/// within the time limit, one JSON object valid against the response schema and as robochain
/// reads it, with every finding's and annotation's id an element of the model; the same answer
/// twice (deterministic); for each declared option, an answer at a changed value that differs
/// from the answer at its default (an option that changes nothing is ignored); a wrongly typed
/// value stopped by robochain before the plugin runs; and an out-of-range value answered
/// either normally or with SPEC §5's `error` (exit 0), never a crash. A built-in analysis is
/// checked the same way, its result written as the response it would send.
public enum PluginConformance {
    /// The limits of a check.
    public struct Limits: Sendable {
        /// Seconds one answer may take before the check fails ("a reasonable time").
        public var seconds: Double
        /// Option values to use for required options (and instead of defaults), as `KEY=VALUE`.
        public var options: [String]

        public init(seconds: Double = 10, options: [String] = []) {
            self.seconds = seconds
            self.options = options
        }
    }

    /// Checks the plugin in `directory`.
    public static func check(directory: String, fixtures: [ConformanceFixture], limits: Limits = Limits()) -> ConformanceReport {
        let manifestCheck = checkManifest(directory: directory)
        guard case .usable(let plugin) = PluginDiscovery.load(directory) else {
            return ConformanceReport(subject: directory, source: FileAccess.absolutePath(directory), checks: [manifestCheck])
        }
        guard manifestCheck.passed else {
            return ConformanceReport(subject: plugin.manifest.name, source: plugin.directory, checks: [manifestCheck])
        }
        let subject = Subject(name: plugin.manifest.name, options: plugin.manifest.options, external: plugin)
        return ConformanceReport(subject: plugin.manifest.name, source: plugin.directory,
            checks: [manifestCheck] + checkBehaviour(subject, fixtures: fixtures, limits: limits))
    }

    /// Checks a built-in analysis.
    public static func check(builtIn analysis: any Analysis, fixtures: [ConformanceFixture], limits: Limits = Limits()) -> ConformanceReport {
        let subject = Subject(name: analysis.name, options: analysis.options, builtIn: analysis)
        return ConformanceReport(subject: analysis.name, source: "built-in",
            checks: checkBehaviour(subject, fixtures: fixtures, limits: limits))
    }

    // MARK: - The manifest

    static func checkManifest(directory: String) -> ConformanceCheck {
        let name = "manifest"
        let path = FileAccess.join(directory, "plugin.json")
        let bytes: [UInt8]
        do {
            bytes = try FileAccess.readFile(path)
        } catch {
            return ConformanceCheck(name, passed: false, "cannot read \(path): \(error)")
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            return ConformanceCheck(name, passed: false, "plugin.json is not JSON: \(error)")
        }
        var problems = onePerPath(ProtocolSchemas.schema("manifest")!.validate(json)).map {
            "plugin.json\($0.path.isEmpty ? "" : " " + $0.path): \($0.problem)"
        }
        switch PluginDiscovery.load(directory) {
        case .skipped(let skipped):
            problems.append(skipped.reason)
        case .usable(let plugin):
            if problems.isEmpty {
                let input = plugin.manifest.input == .csv ? ", model as CSV files" : ""
                let range = plugin.manifest.robochain.map { ", robochain \($0)" } ?? ""
                return ConformanceCheck(name, passed: true,
                    "plugin.json is valid; '\(plugin.manifest.name)' \(plugin.manifest.version), protocol \(plugin.manifest.protocolVersion)\(input)\(range); runs \(plugin.manifest.executable)")
            }
        }
        var seen: Set<String> = []
        return ConformanceCheck(name, passed: false, problems.filter { seen.insert($0).inserted }.joined(separator: "\n"))
    }

    // MARK: - Behaviour

    /// What is checked: a built-in or an external plugin.
    struct Subject: Sendable {
        var name: String
        var options: [OptionDeclaration]
        var builtIn: (any Analysis)?
        var external: ExternalPlugin?
    }

    /// One answer: the response as JSON (nil when there is none), what robochain made of it.
    struct Answer {
        var response: JSONValue?
        var result: Result<AnalysisResult, AnalysisError>
        var seconds: Double

        /// The answer reduced to what must be equal twice: the response, or the failure.
        var comparable: JSONValue {
            if let response { return response }
            if case .failure(let error) = result { return .string(error.description) }
            return .null
        }
    }

    static func answer(
        _ subject: Subject, fixture: ConformanceFixture, options: OptionValues, timeout: Double
    ) -> (request: [UInt8]?, answer: Answer) {
        if let analysis = subject.builtIn {
            let started = ContinuousClock.now
            let result = AnalysisRunner.runBuiltIn(analysis, options: options, model: fixture.model, scope: fixture.scope,
                wantsMap: true, wantsTables: true, measures: SharedMeasures(model: fixture.model, scope: fixture.scope))
            let seconds = elapsed(since: started)
            var response: JSONValue?
            switch result {
            case .success(let value):
                var writer = JSONWriter(style: .compact)
                value.write(to: &writer, asResponse: true, includePresentation: true)
                writer.finish()
                response = try? JSONParser.parse(writer.bytes)
            case .failure(.invalidOption(_, let option, let problem)):
                response = .object([
                    "protocol": .number(Double(pluginProtocolVersion)), "analysis": .string(analysis.name),
                    "error": .object(["kind": "usage", "message": .string("option '\(option)' \(problem)")]),
                ])
            case .failure:
                break
            }
            return (nil, Answer(response: response, result: result, seconds: seconds))
        }
        let plugin = subject.external!
        let request = PluginRequest(analysis: subject.name, scope: fixture.scope, options: options, model: fixture.model)
        var csv: CSVModelDirectory?
        let bytes: [UInt8]
        if plugin.manifest.input == .csv {
            switch CSVModelDirectory.make(fixture.model) {
            case .success(let directory):
                csv = directory
                bytes = request.encode(.directory(directory.path))
            case .failure(let failure):
                return (nil, Answer(response: nil, result: .failure(failure), seconds: 0))
            }
        } else {
            bytes = request.encode(.json(fixture.model.encodedJSON()))
        }
        defer { csv?.remove() }
        let exchange = AnalysisRunner.exchange(plugin, request: bytes, model: fixture.model,
            scope: fixture.model.regions.ids[fixture.scope], timeout: timeout)
        return (bytes, Answer(response: exchange.response, result: exchange.result, seconds: exchange.seconds))
    }

    static func elapsed(since start: ContinuousClock.Instant) -> Double {
        let parts = start.duration(to: .now).components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    static func checkBehaviour(_ subject: Subject, fixtures: [ConformanceFixture], limits: Limits) -> [ConformanceCheck] {
        var checks: [ConformanceCheck] = []
        // A plugin much slower than the limit is killed some time after it, so a slow one does not
        // hold the check up; the answer then fails for its time.
        let timeout = limits.seconds * 3 + 2
        let requestSchema = ProtocolSchemas.schema("request")!
        let responseSchema = ProtocolSchemas.schema("response")!

        // Option values: defaults, with --option values over them (required options need one).
        var base: [String: OptionValue] = [:]
        do {
            base = try OptionAssignment.assign(limits.options, to: [(subject.name, subject.options)]).first?.entries
                .reduce(into: [:]) { $0[$1.name] = $1.value } ?? [:]
        } catch {
            if case .missingOption(_, let option, _) = error {
                return [ConformanceCheck("options", passed: false,
                    "the option '\(option)' has no default: give a value to check with, --option \(option)=VALUE")]
            }
            return [ConformanceCheck("options", passed: false, error.description)]
        }
        func values(_ overrides: [String: OptionValue]) -> Result<OptionValues, AnalysisError> {
            do {
                return .success(try OptionValues(declarations: subject.options, overrides: base.merging(overrides) { $1 },
                    analysis: subject.name))
            } catch {
                return .failure(error)
            }
        }
        guard case .success(let defaults) = values([:]) else {
            return [ConformanceCheck("options", passed: false, "the options' values are not valid")]
        }

        // Every fixture, at the option values given.
        var firstAnswers: [String: Answer] = [:]
        var firstFailing: String?
        var firstProblems = ""
        for fixture in fixtures {
            let (request, answer) = answer(subject, fixture: fixture, options: defaults, timeout: timeout)
            var problems: [String] = []
            if let request, let json = try? JSONParser.parse(request) {
                problems += requestSchema.validate(json).map { "robochain's request breaks the request schema at \($0)" }
            }
            problems += responseProblems(answer, fixture: fixture, schema: responseSchema, limits: limits)
            if case .failure(.rejected(_, let kind, let message)) = answer.result {
                problems.append("it answered with a \(kind.rawValue) error, '\(message)', on a model it must be able to analyse")
            }
            var detail = problems.isEmpty ? summary(answer, fixture: fixture) : problems.joined(separator: "\n")
            // The same failure on every fixture is said once.
            if !problems.isEmpty, firstFailing != nil, firstProblems == generic(detail, fixture) {
                detail = "as on \(firstFailing ?? "the fixture above")"
            } else if !problems.isEmpty {
                firstFailing = fixture.name
                firstProblems = generic(detail, fixture)
            }
            checks.append(ConformanceCheck("runs on \(fixture.name)", passed: problems.isEmpty, detail))
            firstAnswers[fixture.name] = answer
        }

        // Deterministic: the same request answered the same way again.
        var differences: [String] = []
        for fixture in fixtures.prefix(2) {
            guard let first = firstAnswers[fixture.name], first.response != nil else { continue }
            let second = answer(subject, fixture: fixture, options: defaults, timeout: timeout).answer
            if let difference = firstDifference(first.comparable, second.comparable, path: "") {
                differences.append("on \(fixture.name), the two answers differ at \(difference)")
            }
        }
        checks.append(ConformanceCheck("deterministic", passed: differences.isEmpty,
            differences.isEmpty
                ? "the same request gave the same answer twice"
                : (differences + ["an analysis must answer a request the same way every time: no clock, no random numbers, no dictionary order that changes between runs"]).joined(separator: "\n")))

        // Each option: used (a changed value changes the answer), typed by robochain, and
        // a value out of range answered with SPEC §5's error rather than a crash.
        for declaration in subject.options {
            checks.append(checkOptionUsed(declaration, subject: subject, fixtures: fixtures, defaults: defaults,
                firstAnswers: firstAnswers, values: values, timeout: timeout, schema: responseSchema))
            checks.append(checkOptionTyped(declaration, subject: subject))
        }
        if let check = checkUsageErrors(subject, fixture: fixtures.first, values: values, timeout: timeout, schema: responseSchema) {
            checks.append(check)
        }
        return checks
    }

    /// What is wrong with an answer on a fixture at the default options.
    static func responseProblems(
        _ answer: Answer, fixture: ConformanceFixture, schema: JSONSchema, limits: Limits
    ) -> [String] {
        var problems: [String] = []
        if answer.seconds > limits.seconds {
            problems.append("it took \(format(answer.seconds)) s on '\(fixture.name)' (\(fixture.model.components.count) components); the limit is \(format(limits.seconds)) s (--time-limit)")
        }
        if case .failure(let failure) = answer.result, case .pluginFailed(_, let cause, let tail) = failure {
            problems.append(cause)
            if !tail.isEmpty { problems.append("its standard error ended with:\n" + tail.map { "| " + MessageText.shortened($0, limit: AnalysisError.maximumLogLine) }.joined(separator: "\n")) }
        } else if case .failure(let failure) = answer.result, case .failed = failure {
            problems.append(failure.description)
        }
        guard let response = answer.response else { return problems }
        let violations = onePerPath(schema.validate(response))
        problems += violations.prefix(10).map { "the response breaks the response schema at \($0)" }
        if violations.count > 10 { problems.append("… and \(violations.count - 10) more schema violations") }
        problems += unknownIDs(response, model: fixture.model, fixture: fixture.name)
        return problems
    }

    /// The findings' and annotations' ids that are not in the model.
    static func unknownIDs(_ response: JSONValue, model: ChainModel, fixture: String) -> [String] {
        guard case .object(let object) = response else { return [] }
        var problems: [String] = []
        for (index, finding) in (object["findings"]?.arrayValue ?? []).enumerated() {
            if let id = finding.objectValue?["component"]?.stringValue, model.components.index(of: id) == nil {
                problems.append("findings[\(index)].component '\(id)' is not a component of the model '\(fixture)' (ids are the model's, compared exactly)")
            }
            if let id = finding.objectValue?["firm"]?.stringValue, model.firms.index(of: id) == nil {
                problems.append("findings[\(index)].firm '\(id)' is not a firm of the model '\(fixture)' (ids are the model's, compared exactly)")
            }
        }
        for member in object["annotations"]?.objectValue?.members ?? [] where model.components.index(of: member.key) == nil {
            problems.append("annotations has '\(member.key)', which is not a component of the model '\(fixture)'")
        }
        return Array(problems.prefix(10)) + (problems.count > 10 ? ["… and \(problems.count - 10) more unknown ids"] : [])
    }

    static func summary(_ answer: Answer, fixture: ConformanceFixture) -> String {
        var parts = ["answered in \(format(answer.seconds)) s"]
        if case .success(let result) = answer.result {
            var counts: [String] = []
            if let findings = result.findings { counts.append("\(findings.count) finding\(findings.count == 1 ? "" : "s")") }
            if let metrics = result.metrics { counts.append("\(metrics.count) metric\(metrics.count == 1 ? "" : "s")") }
            if !result.tables.isEmpty { counts.append("\(result.tables.count) table\(result.tables.count == 1 ? "" : "s")") }
            if let annotations = result.annotations { counts.append("\(annotations.count) annotation\(annotations.count == 1 ? "" : "s")") }
            if !counts.isEmpty { parts.append(counts.joined(separator: ", ")) }
        }
        parts.append("valid against the response schema; its ids are in the model")
        return parts.joined(separator: "; ")
    }

    // MARK: - Options

    /// Values to try instead of `current`, most telling first.
    static func candidates(for declaration: OptionDeclaration, current: OptionValue, fixtures: [ConformanceFixture]) -> [OptionValue] {
        var values: [OptionValue]
        switch current {
        case .number(let number):
            values = [number * 2, number / 2, 0, 1, 0.5, 0.05, 0.95, number + 1, 100].map { .number($0) }
        case .integer(let integer):
            values = [integer + 1, integer * 2, 0, 1, 2, integer - 1, 100].filter { $0 >= 0 }.map { .integer($0) }
        case .boolean(let flag):
            values = [.boolean(!flag)]
        case .string(let text):
            var texts = [""]
            for fixture in fixtures.prefix(1) {
                texts += fixture.model.regions.ids.prefix(4)
                texts += fixture.model.components.ids.prefix(2)
            }
            texts.append(text + "x")
            values = texts.map { .string($0) }
        }
        var seen: [OptionValue] = [current]
        return values.filter { value in
            guard !seen.contains(value) else { return false }
            seen.append(value)
            return true
        }
    }

    static func checkOptionUsed(
        _ declaration: OptionDeclaration, subject: Subject, fixtures: [ConformanceFixture], defaults: OptionValues,
        firstAnswers: [String: Answer], values: (([String: OptionValue]) -> Result<OptionValues, AnalysisError>),
        timeout: Double, schema: JSONSchema
    ) -> ConformanceCheck {
        let name = "option \(declaration.name)"
        guard let current = defaults[declaration.name] else { return ConformanceCheck(name, passed: false, "has no value") }
        var tried: [String] = []
        for fixture in fixtures.prefix(3) {
            guard let baseline = firstAnswers[fixture.name], baseline.response != nil else { continue }
            var triedValues: [String] = []
            for candidate in candidates(for: declaration, current: current, fixtures: fixtures).prefix(6) {
                guard case .success(let options) = values([declaration.name: candidate]) else {
                    // robochain's own check of a built-in's option rejected it: the option is read.
                    return ConformanceCheck(name, passed: true, "\(declaration.name)=\(candidate) is rejected as out of range, so it is read")
                }
                let changed = answer(subject, fixture: fixture, options: options, timeout: timeout).answer
                if let response = changed.response, let violation = onePerPath(schema.validate(response)).first {
                    return ConformanceCheck(name, passed: false,
                        "at \(declaration.name)=\(candidate) on \(fixture.name), the response breaks the response schema at \(violation)")
                }
                if firstDifference(baseline.comparable, changed.comparable, path: "") != nil {
                    return ConformanceCheck(name, passed: true,
                        "at \(current) and at \(candidate), the answers on \(fixture.name) differ, so it is read")
                }
                triedValues.append("\(candidate)")
            }
            tried.append("\(triedValues.joined(separator: ", ")) on \(fixture.name)")
        }
        guard !tried.isEmpty else {
            return ConformanceCheck(name, passed: false, "not checked: there was no valid answer at the default values to compare with (see above)")
        }
        return ConformanceCheck(name, passed: false,
            "the answer at \(current) is the same as at \(tried.joined(separator: "; ")): the option is declared but seems ignored. Read it from the request (options.\(declaration.name)), or remove it from plugin.json")
    }

    static func checkOptionTyped(_ declaration: OptionDeclaration, subject: Subject) -> ConformanceCheck {
        let name = "option \(declaration.name) type"
        let wrong: String
        switch declaration.type {
        case .number: wrong = "not-a-number"
        case .integer: wrong = "1.5"
        case .boolean: wrong = "maybe"
        case .string: return ConformanceCheck(name, passed: true, "a string takes any text, so no value is of the wrong type")
        }
        do {
            _ = try OptionAssignment.assign(["\(subject.name).\(declaration.name)=\(wrong)"], to: [(subject.name, subject.options)])
            return ConformanceCheck(name, passed: false, "robochain let \(declaration.name)=\(wrong) through to the plugin")
        } catch {
            return ConformanceCheck(name, passed: true, "\(declaration.name)=\(wrong) is stopped by robochain before the plugin runs: \(error)")
        }
    }

    /// Out-of-range values: the answer must be a normal response or SPEC §5's `usage` error,
    /// with exit status 0. nil when the analysis declares no option to try.
    static func checkUsageErrors(
        _ subject: Subject, fixture: ConformanceFixture?, values: (([String: OptionValue]) -> Result<OptionValues, AnalysisError>),
        timeout: Double, schema: JSONSchema
    ) -> ConformanceCheck? {
        guard let fixture else { return nil }
        var tries: [(String, OptionValue)] = []
        for declaration in subject.options {
            switch declaration.type {
            case .number: tries += [(declaration.name, .number(-1)), (declaration.name, .number(1e9))]
            case .integer: tries += [(declaration.name, .integer(-1)), (declaration.name, .integer(1_000_000_000))]
            case .string: tries.append((declaration.name, .string("no-such-id-\u{4E2D}")))
            case .boolean: continue
            }
        }
        guard !tries.isEmpty else { return nil }
        var problems: [String] = []
        var rejected: [String] = []
        var answered: [String] = []
        for (option, value) in tries {
            guard case .success(let options) = values([option: value]) else {
                rejected.append("\(option)=\(value) (by robochain)")
                continue
            }
            let answer = answer(subject, fixture: fixture, options: options, timeout: timeout).answer
            switch answer.result {
            case .success:
                answered.append("\(option)=\(value)")
                if let response = answer.response, let violation = schema.validate(response).first {
                    problems.append("at \(option)=\(value), the response breaks the response schema at \(violation)")
                }
            case .failure(.rejected(_, .usage, _)), .failure(.invalidOption):
                rejected.append("\(option)=\(value)")
            case .failure(.rejected(_, .model, let message)):
                problems.append("at \(option)=\(value) it answered with a model error ('\(message)'); an option value it rejects is a 'usage' error")
            case .failure(let failure):
                let crashed = failure.cause.hasPrefix("it exited with status") || failure.cause.hasPrefix("it was killed by signal")
                problems.append("at \(option)=\(value): \(failure.cause)" + (crashed
                    ? "; to reject an option value, answer {\"protocol\": 1, \"analysis\": \"\(subject.name)\", \"error\": {\"kind\": \"usage\", \"message\": \"…\"}} and exit 0 (SPEC §5)"
                    : ""))
            }
        }
        if problems.isEmpty {
            return ConformanceCheck("usage errors", passed: true,
                (rejected.isEmpty ? [] : ["rejected as usage errors: \(rejected.joined(separator: ", "))"])
                    .followed(by: answered.isEmpty ? [] : ["answered normally: \(answered.joined(separator: ", "))"]).joined(separator: "; "))
        }
        return ConformanceCheck("usage errors", passed: false, problems.joined(separator: "\n"))
    }

    // MARK: - Helpers

    /// A failure's text without what is particular to the fixture (its name, its size, the
    /// plugin's output), to say a repeated failure once.
    static func generic(_ detail: String, _ fixture: ConformanceFixture) -> String {
        let firstLine = detail.split(separator: "\n").first.map(String.init) ?? detail
        let text = firstLine.replacing("'\(fixture.name)'", with: "").replacing("\(fixture.model.components.count) components", with: "")
        return String(text.prefix { $0 != "\"" && !$0.isNumber })
    }

    /// The first violation at each path (the alternatives of a `oneOf` repeat what is wrong).
    static func onePerPath(_ violations: [JSONSchema.Violation]) -> [JSONSchema.Violation] {
        var seen: Set<String> = []
        return violations.filter { seen.insert($0.path).inserted }
    }

    /// Where two JSON values first differ (a JSON Pointer and both values), or nil when equal
    /// (object members compared by name, in any order).
    static func firstDifference(_ a: JSONValue, _ b: JSONValue, path: String) -> String? {
        switch (a, b) {
        case (.object(let left), .object(let right)):
            for member in left.members {
                guard let other = right[member.key] else { return "\(path)/\(member.key): present the first time only" }
                if let difference = firstDifference(member.value, other, path: "\(path)/\(member.key)") { return difference }
            }
            for member in right.members where left[member.key] == nil { return "\(path)/\(member.key): present the second time only" }
            return nil
        case (.array(let left), .array(let right)):
            for (index, (x, y)) in zip(left, right).enumerated() {
                if let difference = firstDifference(x, y, path: "\(path)/\(index)") { return difference }
            }
            return left.count == right.count ? nil : "\(path): \(left.count) then \(right.count) elements"
        default:
            return a == b ? nil : "\(path.isEmpty ? "(top level)" : path): \(JSONSchema.text(a)) then \(JSONSchema.text(b))"
        }
    }

    /// Seconds for people: to the millisecond below 1 s, to the hundredth above.
    static func format(_ seconds: Double) -> String {
        let scale = seconds < 1 ? 1000.0 : 100.0
        let rounded = (seconds * scale).rounded() / scale
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

extension Array {
    func followed(by other: [Element]) -> [Element] { self + other }
}
