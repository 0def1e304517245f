import Dispatch
import RoboChainAnalysis
import RoboChainModel
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
    /// Runs every job and returns their outcomes in the order given.
    ///
    /// Built-in analyses run in this process; each runs on its own thread, so several use
    /// several cores.
    ///
    /// - Parameters:
    ///   - jobs: The analyses and their options.
    ///   - model: The model.
    ///   - scope: The scope, a region index.
    /// - Returns: A result or a failure per job.
    public static func run(_ jobs: [AnalysisJob], model: ChainModel, scope: Int) -> [Result<AnalysisResult, AnalysisFailure>] {
        let outcomes = Mutex([Result<AnalysisResult, AnalysisFailure>?](repeating: nil, count: jobs.count))
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let outcome = runOne(jobs[index], model: model, scope: scope)
            outcomes.withLock { $0[index] = outcome }
        }
        return outcomes.withLock { $0.map { $0! } }
    }

    private static func runOne(_ job: AnalysisJob, model: ChainModel, scope: Int) -> Result<AnalysisResult, AnalysisFailure> {
        switch job.analysis.origin {
        case .builtIn(let analysis):
            do {
                var result = try analysis.run(AnalysisRequest(model: model, scope: scope, options: job.options))
                if result.scope == nil { result.scope = model.regions.ids[scope] }
                return .success(result)
            } catch {
                if case .invalidOption = error {
                    return .failure(AnalysisFailure(analysis: job.analysis.name, cause: error.description, isUsageError: true))
                }
                return .failure(AnalysisFailure(analysis: job.analysis.name, cause: error.description))
            }
        }
    }
}
