import RoboChainAnalysis

/// An analysis that can be run: built in, or an external plugin found on disk.
public struct AvailableAnalysis: Sendable {
    /// Where the analysis comes from.
    public enum Origin: Sendable {
        /// Compiled into `robochain`.
        case builtIn(any Analysis)
        /// An executable run through protocol 1.
        case external(ExternalPlugin)
    }

    public let origin: Origin
    public let name: String
    public let version: String
    public let summary: String
    public let options: [OptionDeclaration]

    /// A built-in analysis.
    public init(builtIn analysis: any Analysis) {
        origin = .builtIn(analysis)
        name = analysis.name
        version = analysis.version
        summary = analysis.summary
        options = analysis.options
    }

    /// An external plugin.
    public init(external plugin: ExternalPlugin) {
        origin = .external(plugin)
        name = plugin.manifest.name
        version = plugin.manifest.version
        summary = plugin.manifest.description
        options = plugin.manifest.options
    }

    /// `built-in`, or the plugin's directory.
    public var source: String {
        switch origin {
        case .builtIn: "built-in"
        case .external(let plugin): plugin.directory
        }
    }

    /// The protocol version it speaks.
    public var protocolVersion: Int {
        switch origin {
        case .builtIn: pluginProtocolVersion
        case .external(let plugin): plugin.manifest.protocolVersion
        }
    }
}

/// Every analysis available to a command: the built-ins, then external plugins (SPEC §5).
public struct AnalysisCatalog: Sendable {
    /// The analyses, built-ins first, then plugins in the order found.
    public private(set) var analyses: [AvailableAnalysis]
    /// Plugin directories not used, with the reason (bad manifest, clashing name, …).
    public private(set) var skipped: [SkippedPlugin]

    /// The built-in analyses only.
    public static var builtIn: AnalysisCatalog {
        AnalysisCatalog(analyses: BuiltinAnalyses.all.map { AvailableAnalysis(builtIn: $0) }, skipped: [])
    }

    /// The built-ins and the plugins found through the environment. A name is used once: a
    /// built-in wins, then the first plugin found; a later one is skipped with the reason.
    ///
    /// - Parameter environment: The process environment (`ROBOCHAIN_PLUGIN_PATH`, `HOME`).
    public static func discover(environment: [String: String]) -> AnalysisCatalog {
        var catalog = builtIn
        let (plugins, skipped) = PluginDiscovery.discover(environment: environment)
        catalog.skipped = skipped
        for plugin in plugins {
            if let existing = catalog.analysis(named: plugin.manifest.name) {
                let winner = existing.source == "built-in" ? "the built-in analysis" : "the plugin in '\(existing.source)'"
                catalog.skipped.append(SkippedPlugin(directory: plugin.directory,
                    reason: "its name '\(plugin.manifest.name)' is taken by \(winner)"))
                continue
            }
            catalog.analyses.append(AvailableAnalysis(external: plugin))
        }
        return catalog
    }

    /// A catalog of this analysis alone (`plugins info` lists it as `plugins list` would).
    public func only(_ analysis: AvailableAnalysis) -> AnalysisCatalog {
        AnalysisCatalog(analyses: [analysis], skipped: [])
    }

    /// The analysis with this name.
    public func analysis(named name: String) -> AvailableAnalysis? {
        analyses.first { $0.name == name }
    }

    /// The analyses named, in order.
    ///
    /// - Throws: ``PluginHostError/unknownAnalysis(name:available:)`` listing the valid names,
    ///   ``PluginHostError/skippedAnalysis(name:plugin:)`` when a skipped plugin's directory has
    ///   the name, or ``PluginHostError/repeatedAnalysis(name:)``.
    public func select(_ names: [String]) throws(PluginHostError) -> [AvailableAnalysis] {
        var chosen: [AvailableAnalysis] = []
        for name in names {
            guard let analysis = analysis(named: name) else {
                if let plugin = skipped.first(where: { $0.directory.split(separator: "/").last.map(String.init) == name }) {
                    throw .skippedAnalysis(name: name, plugin: plugin)
                }
                throw .unknownAnalysis(name: name, available: analyses.map(\.name))
            }
            guard !chosen.contains(where: { $0.name == name }) else { throw .repeatedAnalysis(name: name) }
            chosen.append(analysis)
        }
        return chosen
    }
}
