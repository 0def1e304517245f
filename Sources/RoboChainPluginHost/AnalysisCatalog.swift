import RoboChainAnalysis

/// An analysis that can be run: built in, or an external plugin found on disk.
public struct AvailableAnalysis: Sendable {
    /// Where the analysis comes from.
    public enum Origin: Sendable {
        /// Compiled into `robochain`.
        case builtIn(any Analysis)
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

    /// `built-in`, or the plugin's directory.
    public var source: String {
        switch origin {
        case .builtIn: "built-in"
        }
    }
}

/// Every analysis available to a command: the built-ins, then external plugins.
public struct AnalysisCatalog: Sendable {
    /// The analyses, built-ins first.
    public private(set) var analyses: [AvailableAnalysis]

    /// The built-in analyses only.
    public static var builtIn: AnalysisCatalog {
        AnalysisCatalog(analyses: BuiltinAnalyses.all.map { AvailableAnalysis(builtIn: $0) })
    }

    /// The analysis with this name.
    public func analysis(named name: String) -> AvailableAnalysis? {
        analyses.first { $0.name == name }
    }

    /// The analyses named, in order.
    ///
    /// - Throws: ``PluginHostError/unknownAnalysis(name:available:)`` listing the valid names, or
    ///   ``PluginHostError/repeatedAnalysis(name:)``.
    public func select(_ names: [String]) throws(PluginHostError) -> [AvailableAnalysis] {
        var chosen: [AvailableAnalysis] = []
        for name in names {
            guard let analysis = analysis(named: name) else {
                throw .unknownAnalysis(name: name, available: analyses.map(\.name))
            }
            guard !chosen.contains(where: { $0.name == name }) else { throw .repeatedAnalysis(name: name) }
            chosen.append(analysis)
        }
        return chosen
    }
}
