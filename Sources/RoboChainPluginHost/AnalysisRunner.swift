import Dispatch
import RoboChainAnalysis
import RoboChainJSON
import RoboChainModel
import RoboChainProcess
import Synchronization

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
    ///   - measures: The shared measures of this model and scope, when the caller also needs
    ///     them (`nil`: made here); the built-in analyses compute each one once between them.
    ///   - finished: Called (from the analysis' thread) as each analysis ends.
    /// - Returns: A result or a failure per job.
    public static func run(
        _ jobs: [AnalysisJob], model: ChainModel, scope: Int, timeout: Double = 120, wantsMap: Bool = true,
        measures: SharedMeasures? = nil, finished: (@Sendable (_ analysis: String) -> Void)? = nil
    ) -> [Result<AnalysisResult, AnalysisError>] {
        let needsModelJSON = jobs.contains { if case .external = $0.analysis.origin { true } else { false } }
        let encodedModel = needsModelJSON ? model.encodedJSON() : []
        let measures = measures ?? SharedMeasures(model: model, scope: scope)
        let outcomes = Mutex([Result<AnalysisResult, AnalysisError>?](repeating: nil, count: jobs.count))
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let job = jobs[index]
            let outcome: Result<AnalysisResult, AnalysisError>
            switch job.analysis.origin {
            case .builtIn(let analysis):
                outcome = runBuiltIn(analysis, options: job.options, model: model, scope: scope, wantsMap: wantsMap, measures: measures)
            case .external(let plugin):
                let request = PluginRequest(analysis: plugin.manifest.name, scope: scope, options: job.options, model: model)
                outcome = runExternal(plugin, request: request.encode(encodedModel: encodedModel), scope: model.regions.ids[scope],
                    timeout: timeout)
            }
            outcomes.withLock { $0[index] = outcome }
            finished?(job.analysis.name)
        }
        return outcomes.withLock { $0.map { $0! } }
    }

    static func runBuiltIn(
        _ analysis: any Analysis, options: OptionValues, model: ChainModel, scope: Int, wantsMap: Bool, measures: SharedMeasures
    ) -> Result<AnalysisResult, AnalysisError> {
        do {
            try analysis.validate(options)
            var result = try analysis.run(
                AnalysisRequest(model: model, scope: scope, options: options, wantsMap: wantsMap, measures: measures))
            if result.scope == nil { result.scope = model.regions.ids[scope] }
            return .success(result)
        } catch {
            switch error {
            case .invalidOption, .failed: return .failure(error)
            default: return .failure(.failed(analysis: analysis.name, reason: error.description))
            }
        }
    }

    /// Runs an external plugin and reads its response, turning every way it can fail into a
    /// failure that names the cause and keeps the tail of its standard error.
    public static func runExternal(
        _ plugin: ExternalPlugin, request: [UInt8], scope: String, timeout: Double
    ) -> Result<AnalysisResult, AnalysisError> {
        let name = plugin.manifest.name
        let outcome = ChildProcess.run(
            executable: plugin.executablePath, environment: PluginDiscovery.pluginEnvironment(ChildProcess.currentEnvironment),
            directory: plugin.directory, input: request, timeout: timeout, outputLimit: outputLimit)
        let tail = outcome.standardErrorLines(last: 20)
        func failure(_ cause: String) -> Result<AnalysisResult, AnalysisError> {
            var cause = cause
            if let taken = outcome.inputWrittenBeforeClose {
                cause += " (it closed its standard input after reading \(taken) of the request's \(request.count) bytes)"
            }
            return .failure(.pluginFailed(analysis: name, cause: cause, standardErrorTail: tail))
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
        let json: JSONValue
        do {
            json = try JSONParser.parse(outcome.standardOutput, limits: Self.responseLimits)
        } catch {
            return failure("its standard output is not one JSON object: \(error)")
        }
        do {
            return .success(try AnalysisResult.decodeResponse(json, analysis: name, scope: scope))
        } catch {
            return failure("it sent a malformed response: \(error.description.replacingPrefix("malformed response: ", with: ""))")
        }
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
