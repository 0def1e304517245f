import RoboChainModel
import RoboChainPluginHost

/// What `--verbose` reports on standard error: the version, what was loaded, where plugins were
/// looked for and which analyses run. Phase times come from ``PhaseTimer``.
struct VerboseLog {
    let enabled: Bool

    static let off = VerboseLog(enabled: false)

    /// Prints a line when enabled.
    func callAsFunction(_ text: @autoclosure () -> String) {
        if enabled { printError(text()) }
    }

    /// `robochain VERSION`, as `--version` prints it.
    func version() {
        self("robochain \(RoboChainVersion.current)")
    }

    /// The model loaded: from where, its form, its size, how long it took.
    func model(_ loaded: LoadedModel, path: String, seconds: Double) {
        guard enabled else { return }
        let model = loaded.model
        let source = path == "-" ? "standard input" : "'\(MessageText.quoted(path, limit: 4096))'"
        self("loaded \(source) (\(loaded.format.rawValue.uppercased())) in \(milliseconds(seconds)) ms: "
            + "\(model.regions.count) regions, \(model.segments.count) segments, \(model.components.count) components, "
            + "\(model.components.requirementCount) requires edges, \(model.firms.count) firms, \(model.supplies.count) supply links"
            + (loaded.warnings.isEmpty ? "" : ", \(loaded.warnings.count) warnings"))
    }

    /// The plugin directories searched and the analyses found.
    func catalog(_ catalog: AnalysisCatalog) {
        guard enabled else { return }
        let searched = PluginDiscovery.searchPath(environment: Environment.variables)
        let shown = searched.map { FileAccess.isDirectory($0) ? $0 : "\($0) (absent)" }
        self("plugin directories: " + (shown.isEmpty ? "none (ROBOCHAIN_PLUGIN_PATH unset, no HOME)" : shown.joined(separator: ", ")))
        let external = catalog.analyses.filter { if case .external = $0.origin { true } else { false } }
        self("plugins found: " + (external.isEmpty ? "none" : external.map { "\($0.name) \($0.version) (\($0.source))" }.joined(separator: ", "))
            + (catalog.skipped.isEmpty ? "" : "; \(catalog.skipped.count) skipped"))
    }

    /// The analyses about to run, with their versions and origins.
    func analyses(_ jobs: [AnalysisJob]) {
        self("analyses: " + (jobs.isEmpty ? "none" : jobs.map { "\($0.analysis.name) \($0.analysis.version) (\($0.analysis.source))" }.joined(separator: ", ")))
    }

    private func milliseconds(_ seconds: Double) -> Int { Int((seconds * 1000).rounded()) }
}
