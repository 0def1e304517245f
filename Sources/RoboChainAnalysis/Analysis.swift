import RoboChainModel
import Synchronization

/// An analysis of a chain model: the unit `robochain analyze --with NAME` runs.
///
/// Conform a type to write one. The built-in analyses (`gap-detection`, `localisation-share`)
/// are written against this protocol alone; ``PluginMain`` in the SDK turns any conforming type
/// into a protocol-1 executable that `robochain` can run as an external plugin.
///
/// ```swift
/// struct SupplierCount: Analysis {
///     let name = "supplier-count"
///     let version = "1.0.0"
///     let summary = "How many firms supply each component"
///     let options: [OptionDeclaration] = []
///
///     func run(_ request: AnalysisRequest) throws(AnalysisError) -> AnalysisResult {
///         let model = request.model
///         var table = ResultTable(id: "suppliers", title: "Suppliers per component", columns: [
///             TableColumn("component", "Component", .component),
///             TableColumn("suppliers", "Suppliers", .integer),
///         ])
///         for component in 0..<model.components.count {
///             table.rows.append([.id(model.components.ids[component]),
///                 .integer(model.supplies.supplierCount(of: component))])
///         }
///         var result = AnalysisResult(analysis: name, scope: request.scopeID, tables: [table])
///         result.metrics = ["components": Double(model.components.count)]
///         return result
///     }
/// }
/// ```
public protocol Analysis: Sendable {
    /// The name used with `--with`: lowercase words joined by hyphens.
    var name: String { get }
    /// The version, for `robochain plugins list` (semantic versioning suggested).
    var version: String { get }
    /// One sentence saying what the analysis computes.
    var summary: String { get }
    /// The options the analysis accepts, with their types and defaults.
    var options: [OptionDeclaration] { get }

    /// Runs the analysis.
    ///
    /// - Parameter request: The model, the scope and the option values (every declared option
    ///   is present, with its default where the user set none, and ``validate(_:)`` has passed:
    ///   `robochain`, `AnalysisRunner` and `PluginMain` all check it first).
    /// - Returns: The result: findings, metrics, annotations for the map, and any other keys.
    /// - Throws: ``AnalysisError`` when the analysis cannot run (e.g. an option value it rejects).
    func run(_ request: AnalysisRequest) throws(AnalysisError) -> AnalysisResult

    /// Checks option values beyond their type (e.g. a count that must not be negative).
    ///
    /// `robochain` calls it before it loads the model, so a bad value is a usage error (exit 64);
    /// `AnalysisRunner` and `PluginMain` call it again before ``run(_:)``. The default accepts
    /// every value of the declared types.
    ///
    /// - Throws: ``AnalysisError/invalidOption(analysis:option:problem:)``.
    func validate(_ options: OptionValues) throws(AnalysisError)
}

extension Analysis {
    public func validate(_ options: OptionValues) throws(AnalysisError) {}
}

/// What an analysis runs on.
public struct AnalysisRequest: Sendable {
    /// The whole model, with every element's attributes (SPEC §1): ``AttributeTable`` per
    /// kind, e.g. `model.firms.attributes`, so an analysis can rank firms by `revenue` or keep
    /// only `listed` ones:
    ///
    /// ```swift
    /// let revenue = request.model.firms.attributes.column("revenue")
    /// let ranked = (0..<request.model.firms.count).sorted {
    ///     (revenue?[$0]?.number ?? 0) > (revenue?[$1]?.number ?? 0)
    /// }
    /// ```
    ///
    /// External plugins receive the same attributes as `attributes` objects in the model's
    /// JSON, or as extra columns of the CSV files.
    public let model: ChainModel
    /// The scope: a region index into `model.regions`.
    public let scope: Int
    /// The option values, typed by the analysis' declarations.
    public let options: OptionValues
    /// Whether the result will be drawn on a map: when `false` (e.g. `robochain analyze`), an
    /// analysis may leave out `annotations` and `legend`, which can be costly for large models.
    public let wantsMap: Bool
    /// Whether the result will be shown to people (table, Markdown, CSV, workbook, report): when
    /// `false` (JSON output), an analysis may leave out its view tables (``ResultTable/isView``),
    /// its headline and finding columns, which only present data its other keys hold.
    public let wantsTables: Bool
    /// Measures that every analysis of the same command may need, computed once for all of them.
    public let measures: SharedMeasures
    /// The language of the words the analysis writes: table and column titles, help, headline,
    /// finding sentences, legend (names stay as the model writes them).
    public let language: Language

    /// A request. Analyses run together on one model and scope should be given the same
    /// `measures`, so they compute the shared measures once.
    public init(
        model: ChainModel, scope: Int, options: OptionValues, wantsMap: Bool = true, wantsTables: Bool = true,
        measures: SharedMeasures? = nil, language: Language = .en
    ) {
        self.language = language
        self.model = model
        self.scope = scope
        self.options = options
        self.wantsMap = wantsMap
        self.wantsTables = wantsTables
        precondition(measures.map { $0.scope == scope && $0.model.components.count == model.components.count } ?? true,
            "the shared measures are of another model or scope")
        self.measures = measures ?? SharedMeasures(model: model, scope: scope)
    }

    /// The scope's region id.
    public var scopeID: String { model.regions.ids[scope] }

}

/// The SPEC §2 measures several analyses of one command use — where the suppliers are, the
/// cost structure — computed on first use, once, whichever analysis (on whichever thread) asks
/// first; the others wait for it rather than compute it again.
public final class SharedMeasures: Sendable {
    public let model: ChainModel
    public let scope: Int
    private let supply = Mutex<LocalSupply?>(nil)
    private let cost = Mutex<CostStructure?>(nil)
    private let weights = Mutex<SupplyWeights?>(nil)
    private let supplied = Mutex<SuppliedValue?>(nil)

    public init(model: ChainModel, scope: Int) {
        self.model = model
        self.scope = scope
    }

    /// ``LocalSupply`` for the scope.
    public var localSupply: LocalSupply {
        supply.withLock { cached in
            if let cached { return cached }
            let computed = LocalSupply(model: model, scope: scope)
            cached = computed
            return computed
        }
    }

    /// ``CostStructure`` of the model.
    public var costStructure: CostStructure {
        cost.withLock { cached in
            if let cached { return cached }
            let computed = CostStructure(model: model)
            cached = computed
            return computed
        }
    }

    /// ``SupplyWeights`` of the model.
    public var supplyWeights: SupplyWeights {
        weights.withLock { cached in
            if let cached { return cached }
            let computed = SupplyWeights(model: model)
            cached = computed
            return computed
        }
    }

    /// ``SuppliedValue`` of the model (from ``costStructure``).
    public var suppliedValue: SuppliedValue {
        let cost = costStructure
        return supplied.withLock { cached in
            if let cached { return cached }
            let computed = SuppliedValue(model: model, cost: cost)
            cached = computed
            return computed
        }
    }
}
