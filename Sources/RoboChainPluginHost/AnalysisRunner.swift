import CTermination
import Dispatch
import RoboChainAnalysis
import RoboChainJSON
import RoboChainModel
import RoboChainProcess
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One analysis to run, with its option values.
public struct AnalysisJob: Sendable {
    public var analysis: AvailableAnalysis
    public var options: OptionValues

    public init(analysis: AvailableAnalysis, options: OptionValues) {
        self.analysis = analysis
        self.options = options
    }
}

/// Runs the chosen analyses on a model, concurrently, each isolated from the others' failures.
public enum AnalysisRunner {
    /// Standard output a plugin may write before it is killed (SPEC §5: 256 MiB).
    public static let outputLimit = 256 << 20
    /// How a response is parsed: at most 2²⁴ values (under about 1.5 GiB of memory, where one
    /// long array of 256 MiB took 4.3 GiB), no key twice in one object.
    public static let responseLimits = JSONParser.Limits(maximumValues: 1 << 24, rejectsDuplicateKeys: true)

    /// Runs every job and returns their outcomes in the order given.
    ///
    /// Built-in analyses run in this process; external plugins run as processes, each given the
    /// request of SPEC §5 (the model is encoded once for all of them) and checked against
    /// every failure SPEC §5 lists. Jobs run on their own threads, so several use several cores.
    ///
    /// - Parameters:
    ///   - jobs: The analyses and their options.
    ///   - model: The model.
    ///   - scope: The scope, a region index.
    ///   - timeout: Seconds an external plugin may run before it is killed.
    ///   - wantsMap: Whether the results will be drawn (built-ins then make annotations).
    ///   - wantsTables: Whether the results will be shown to people (built-ins then make their
    ///     view tables, headline and finding columns).
    ///   - scenario: The scenario the model was changed by (SPEC §6), carried by every result.
    ///   - measures: The shared measures of this model and scope, when the caller also needs
    ///     them (`nil`: made here); the built-in analyses compute each one once between them.
    ///   - language: The language of the analyses' own words (sent to plugins as `"lang"`).
    ///   - finished: Called (from the analysis' thread) as each analysis ends.
    /// - Returns: A result or a failure per job.
    public static func run(
        _ jobs: [AnalysisJob], model: ChainModel, scope: Int, timeout: Double = 120, wantsMap: Bool = true,
        wantsTables: Bool = true, scenario: [String]? = nil, measures: SharedMeasures? = nil, language: Language = .en,
        finished: (@Sendable (_ analysis: String) -> Void)? = nil
    ) -> [Result<AnalysisResult, AnalysisError>] {
        let inputs = Set(jobs.compactMap { job -> PluginManifest.Input? in
            if case .external(let plugin) = job.analysis.origin { plugin.manifest.input } else { nil }
        })
        // The model is encoded once for every plugin that takes JSON, and written once as CSV
        // files for every plugin that takes those (removed when the plugins are done).
        let encodedModel = inputs.contains(.json) ? model.encodedJSON() : []
        let csvInput: Result<CSVModelDirectory, AnalysisError>? = inputs.contains(.csv) ? CSVModelDirectory.make(model) : nil
        defer { if case .success(let directory) = csvInput { directory.remove() } }
        let measures = measures ?? SharedMeasures(model: model, scope: scope)
        let outcomes = Mutex([Result<AnalysisResult, AnalysisError>?](repeating: nil, count: jobs.count))
        // The first job on this thread, the others on threads of the global queue, not as
        // iterations of `concurrentPerform`: a `concurrentPerform` inside another one gets the
        // cores divided by the outer one's threads (libdispatch's nested apply), so an analysis
        // that spreads its own work (gap detection's findings) would keep to one core even
        // after the others are done. As many jobs run at once as there are cores, as before:
        // a job waiting for its plugin sleeps, and the global queue would start another thread,
        // and another plugin, every second.
        let running = DispatchSemaphore(value: max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        let group = DispatchGroup()
        for index in jobs.indices.dropFirst() {
            DispatchQueue.global().async(group: group) {
                running.wait()
                run(index)
                running.signal()
            }
        }
        if !jobs.isEmpty {
            running.wait()
            run(0)
            running.signal()
        }
        group.wait()
        return outcomes.withLock { $0.map { $0! } }

        @Sendable func run(_ index: Int) {
            let job = jobs[index]
            let outcome: Result<AnalysisResult, AnalysisError>
            switch job.analysis.origin {
            case .builtIn(let analysis):
                outcome = runBuiltIn(analysis, options: job.options, model: model, scope: scope, wantsMap: wantsMap,
                    wantsTables: wantsTables, measures: measures, language: language)
            case .external(let plugin):
                let request = PluginRequest(
                    analysis: plugin.manifest.name, scope: scope, options: job.options, model: model, language: language)
                switch (plugin.manifest.input, csvInput) {
                case (.csv, .failure(let failure)?):
                    outcome = .failure(failure)
                case (.csv, .success(let directory)?):
                    outcome = runExternal(plugin, request: request.encode(.directory(directory.path)), model: model,
                        scope: model.regions.ids[scope], timeout: timeout)
                default:
                    outcome = runExternal(plugin, request: request.encode(.json(encodedModel)), model: model,
                        scope: model.regions.ids[scope], timeout: timeout)
                }
            }
            outcomes.withLock { $0[index] = outcome.map { result in
                var result = result
                result.scenario = scenario
                return result
            } }
            finished?(job.analysis.name)
        }
    }

    static func runBuiltIn(
        _ analysis: any Analysis, options: OptionValues, model: ChainModel, scope: Int, wantsMap: Bool, wantsTables: Bool,
        measures: SharedMeasures, language: Language = .en
    ) -> Result<AnalysisResult, AnalysisError> {
        do {
            try analysis.validate(options)
            var result = try analysis.run(
                AnalysisRequest(model: model, scope: scope, options: options, wantsMap: wantsMap, wantsTables: wantsTables,
                    measures: measures, language: language))
            if result.scope == nil { result.scope = model.regions.ids[scope] }
            return .success(result)
        } catch {
            switch error {
            case .invalidOption, .failed, .rejected: return .failure(error)
            default: return .failure(.failed(analysis: analysis.name, reason: error.description))
            }
        }
    }

    /// Runs an external plugin and reads its response, turning every way it can fail into a
    /// failure that names the cause and keeps the tail of its standard error.
    ///
    /// A response with SPEC §5's `error` becomes ``AnalysisError/rejected(analysis:kind:message:)``
    /// (a usage or model error, not a plugin failure); the ids in its tables are checked
    /// against `model`.
    public static func runExternal(
        _ plugin: ExternalPlugin, request: [UInt8], model: ChainModel, scope: String, timeout: Double
    ) -> Result<AnalysisResult, AnalysisError> {
        exchange(plugin, request: request, model: model, scope: scope, timeout: timeout).result
    }

    /// One request answered by an external plugin: what it wrote, and what that means.
    public struct Exchange: Sendable {
        /// The result, or the failure, as ``runExternal(_:request:model:scope:timeout:)`` gives it.
        public var result: Result<AnalysisResult, AnalysisError>
        /// Its standard output, parsed; nil when it is not JSON (or it failed before writing).
        public var response: JSONValue?
        /// Its standard output as written.
        public var standardOutput: [UInt8]
        /// The last lines of its standard error.
        public var standardErrorTail: [String]
        /// Seconds from start to exit.
        public var seconds: Double
    }

    /// Runs an external plugin on one request and keeps what it wrote besides its meaning (for
    /// `plugins check`).
    public static func exchange(
        _ plugin: ExternalPlugin, request: [UInt8], model: ChainModel, scope: String, timeout: Double
    ) -> Exchange {
        let name = plugin.manifest.name
        let started = ContinuousClock.now
        let outcome = ChildProcess.run(
            executable: plugin.executablePath, environment: PluginDiscovery.pluginEnvironment(ChildProcess.currentEnvironment),
            directory: plugin.directory, input: request, timeout: timeout, outputLimit: outputLimit)
        let elapsed = started.duration(to: .now).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        let tail = outcome.standardErrorLines(last: 20)
        var response: JSONValue?
        func finish(_ result: Result<AnalysisResult, AnalysisError>) -> Exchange {
            Exchange(result: result, response: response, standardOutput: outcome.standardOutput, standardErrorTail: tail,
                seconds: seconds)
        }
        func failure(_ cause: String) -> Exchange {
            var cause = cause
            if let taken = outcome.inputWrittenBeforeClose {
                cause += " (it closed its standard input after reading \(taken) of the request's \(request.count) bytes)"
            }
            return finish(.failure(.pluginFailed(analysis: name, cause: cause, standardErrorTail: tail)))
        }
        if outcome.timedOut {
            return failure("it did not finish within \(formatSeconds(timeout)) seconds (--timeout), so it was killed")
        }
        if outcome.exceededOutputLimit {
            return failure("it wrote more than \(outputLimit >> 20) MiB on standard output, so it was killed")
        }
        switch outcome.termination {
        case .notStarted(let reason):
            return failure("it could not be started: \(reason)")
        case .signalled(let signal):
            return failure("it was killed by signal \(signal) (\(ChildProcess.describe(signal: signal)))")
        case .exited(let status) where status != 0:
            return failure("it exited with status \(status)")
        case .exited:
            break
        }
        guard outcome.standardOutput.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            return failure("it exited without writing a response on standard output")
        }
        do {
            response = try JSONParser.parse(outcome.standardOutput, limits: Self.responseLimits)
        } catch {
            return failure("its standard output is not one JSON object: \(error); it began \(escapedStart(outcome.standardOutput))"
                + " (a plugin writes only its response there: debug lines and logs go to standard error)")
        }
        do {
            return finish(.success(try AnalysisResult.decodeResponse(response!, analysis: name, scope: scope, model: model)))
        } catch {
            if case .rejected = error { return finish(.failure(error)) }
            return failure("it sent a malformed response: \(error.description.replacingPrefix("malformed response: ", with: ""))")
        }
    }

    /// The first 200 bytes of `bytes`, quoted, with control characters, quotes, backslashes and
    /// bytes that are not UTF-8 escaped (`\n`, `\u{1b}`, `\x{ff}`), and `…` when there is more.
    public static func escapedStart(_ bytes: [UInt8], limit: Int = 200) -> String {
        let shown = Array(bytes.prefix(limit))
        var text = "\""
        var index = 0
        while index < shown.count {
            let byte = shown[index]
            // The length of the UTF-8 sequence starting here, when it is one and complete.
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 0
            if length > 1, index + length <= shown.count,
                let scalar = String(validating: shown[index..<index + length], as: UTF8.self)
            {
                text += scalar
                index += length
                continue
            }
            switch byte {
            case 0x0A: text += "\\n"
            case 0x0D: text += "\\r"
            case 0x09: text += "\\t"
            case 0x22: text += "\\\""
            case 0x5C: text += "\\\\"
            case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(byte))
            case 0..<0x20, 0x7F: text += "\\u{\(String(byte, radix: 16))}"
            default: text += "\\x{\(String(byte, radix: 16))}"
            }
            index += 1
        }
        return text + "\"" + (bytes.count > limit ? "…" : "")
    }

    static func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() && seconds < 1e9 ? String(Int(seconds)) : String(seconds)
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}

/// A temporary CSV directory holding a model, for plugins whose manifest says `"input": "csv"`
/// (SPEC §5): its files are registered for removal should robochain be stopped by a signal.
///
/// It is always a copy written by ``ChainModel/csvFiles(_:)`` in the layout
/// ``CSVLayout/pluginInput`` (optional columns empty in every row left out, the supply links
/// component by component), even when the model was loaded from a CSV directory and no
/// scenario changed it: a plugin then reads one form (UTF-8, `,`, LF, every row with every
/// column, `model.csv` present) whatever the user's files look like, and cannot change or
/// remove the user's files, which it could were it handed their directory.
struct CSVModelDirectory: Sendable {
    let path: String
    let files: [String]

    /// The file names a directory can hold (``ChainModel/writeCSV(directory:layout:)``).
    static let fileNames = ["model.csv", "regions.csv", "segments.csv", "components.csv", "requires.csv", "firms.csv", "supplies.csv"]

    /// Writes `model` as CSV files into a new directory under `TMPDIR` (or `/tmp`), named
    /// `robochain-model-PID-XXXXXX`. A robochain killed by SIGKILL cannot remove its directory;
    /// the next one removes such directories of processes that no longer run (see
    /// ``removeAbandoned(in:)``).
    static func make(_ model: ChainModel) -> Result<CSVModelDirectory, AnalysisError> {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        removeAbandoned(in: base)
        var template = Array((base + "/robochain-model-\(getpid())-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else {
            return .failure(.failed(analysis: "robochain",
                reason: "cannot make a temporary directory in \(base) for a plugin's CSV input: \(String(cString: strerror(errno)))"))
        }
        let path = String(cString: created)
        // Every file the directory can hold is registered for removal before any is written,
        // and the directory itself (removed after its files).
        let paths = fileNames.map { path + "/" + $0 }
        for file in paths + [path] { _ = robochain_termination_add_file(file) }
        let directory = CSVModelDirectory(path: path, files: paths)
        do {
            try model.writeCSV(directory: path, layout: .pluginInput)
        } catch {
            directory.remove()
            return .failure(.failed(analysis: "robochain", reason: "cannot write a plugin's CSV input: \(error)"))
        }
        return .success(directory)
    }

    /// Removes the files and the directory.
    func remove() {
        for file in files {
            unlink(file)
            robochain_termination_remove_file(file)
        }
        rmdir(path)
        robochain_termination_remove_file(path)
    }

    /// Removes what robochains killed by SIGKILL left in `base`: directories named
    /// `robochain-model-PID-XXXXXX`, owned by this user, whose process no longer runs; only the
    /// CSV files such a directory holds are removed, and then the directory if that empties it.
    static func removeAbandoned(in base: String) {
        guard let directory = opendir(base) else { return }
        defer { closedir(directory) }
        let user = geteuid()
        while let entry = readdir(directory) {
            let name = FileAccess.name(of: entry)
            let parts = name.split(separator: "-")
            guard name.hasPrefix("robochain-model-"), parts.count == 4, let pid = pid_t(parts[2]), pid > 0, pid != getpid() else { continue }
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }  // still running (or not ours to ask)
            let path = base + "/" + name
            var status = stat()
            guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR, status.st_uid == user else { continue }
            for file in fileNames { unlink(path + "/" + file) }
            rmdir(path)
        }
    }
}
