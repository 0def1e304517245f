import RoboChainJSON

/// How serious a finding is (SPEC §3): one of the five standard levels, most severe first, or
/// any other word a plugin uses, which sorts after them.
///
/// The SPEC names the levels of the built-in analyses; a plugin's findings may carry other
/// severities, and they are passed on as written.
public struct Severity: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let critical = Severity(rawValue: "critical")
    public static let high = Severity(rawValue: "high")
    public static let medium = Severity(rawValue: "medium")
    public static let low = Severity(rawValue: "low")
    public static let info = Severity(rawValue: "info")

    /// The standard levels, most severe first.
    public static let standard: [Severity] = [.critical, .high, .medium, .low, .info]

    /// 0 for critical … 4 for info; 5 for any other severity.
    public var rank: Int { Self.standard.firstIndex(of: self) ?? Self.standard.count }

    public var description: String { rawValue }

    /// By rank; severities outside the standard levels by their text.
    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs.rank != rhs.rank ? lhs.rank < rhs.rank : lhs.rawValue < rhs.rawValue
    }
}

/// One thing an analysis found about a component or a firm.
public struct Finding: Sendable, Equatable {
    /// What was found, e.g. `foreign-only`.
    public var kind: String
    public var severity: Severity
    /// One human sentence.
    public var message: String
    /// The component it is about (an id), if any.
    public var component: String?
    /// The firm it is about (an id), if any.
    public var firm: String?
    /// Further fields, written after the standard ones, in this order.
    public var details: JSONObject

    public init(
        kind: String, severity: Severity, message: String, component: String? = nil, firm: String? = nil,
        details: JSONObject = JSONObject()
    ) {
        self.kind = kind
        self.severity = severity
        self.message = message
        self.component = component
        self.firm = firm
        self.details = details
    }
}

/// How a component is drawn on the chain map (SPEC §5 `annotations`).
public struct Annotation: Sendable, Equatable {
    /// Fill colour, `#rrggbb`.
    public var fill: String?
    /// A short label shown on the node (e.g. `卡脖子`).
    public var badge: String?
    /// Text shown on hover (SVG).
    public var tooltip: String?
    /// Border colour, `#rrggbb` (an extension of protocol 1; optional).
    public var border: String?

    public init(fill: String? = nil, badge: String? = nil, tooltip: String? = nil, border: String? = nil) {
        self.fill = fill
        self.badge = badge
        self.tooltip = tooltip
        self.border = border
    }

    /// Whether `text` is a colour of the form `#rrggbb`.
    public static func isColour(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 7 && bytes[0] == UInt8(ascii: "#")
            && bytes.dropFirst().allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x46) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// This annotation with `other` laid over it: colours from `other` win, badges and tooltips add up.
    public func merged(with other: Annotation) -> Annotation {
        Annotation(
            fill: other.fill ?? fill,
            badge: [badge, other.badge].compactMap { $0 }.joined(separator: " · ").nonEmpty,
            tooltip: [tooltip, other.tooltip].compactMap { $0 }.joined(separator: "\n").nonEmpty,
            border: other.border ?? border)
    }
}

/// One line of the map's legend: a swatch (fill, border or badge) and what it means.
public struct LegendEntry: Sendable, Equatable {
    public var label: String
    public var fill: String?
    public var border: String?
    public var badge: String?

    public init(label: String, fill: String? = nil, border: String? = nil, badge: String? = nil) {
        self.label = label
        self.fill = fill
        self.border = border
        self.badge = badge
    }
}

/// What an analysis returns (SPEC §2, §3, §5).
public struct AnalysisResult: Sendable, Equatable {
    /// The analysis' name.
    public var analysis: String
    /// The scope it ran on (a region id).
    public var scope: String?
    /// Findings, if the analysis reports any (`nil`: no `findings` key).
    public var findings: [Finding]?
    /// Named numbers (`nil`: no `metrics` key).
    public var metrics: [String: Double]?
    /// How to draw components on the map, by component id (`nil`: no `annotations` key).
    public var annotations: [String: Annotation]?
    /// What the annotations' colours and badges mean, for the map's legend (`nil`: no `legend`
    /// key; an extension of protocol 1, optional).
    public var legend: [LegendEntry]?
    /// Every other top-level key, in order (e.g. `components`, `segments` of localisation share).
    public var extra: JSONObject
    /// The scenario the model was changed by before the analysis ran (SPEC §6): the operations
    /// as given, e.g. `["without region:JP"]`; nil when the model was analysed as loaded.
    public var scenario: [String]?
    /// Tables of the result (SPEC §5 `tables`), shown by every output format.
    public var tables: [ResultTable]
    /// The types of the findings' members beyond the standard ones (``Finding/details``), in
    /// the order to show them: a candidates list is `firms`, a weight a `number`. An extension
    /// of protocol 1 (`findingColumns`); members it does not list are shown by their JSON type.
    public var findingColumns: [TableColumn]
    /// One line saying what the result means, for the summary at the top of a report
    /// (e.g. "27 gaps: 11 no local supplier 补链, …"); an extension of protocol 1 (`headline`).
    public var headline: String?
    /// How to show each finding kind to people, by kind (e.g. `"no-local-supplier": "本地无供应（补链）"`),
    /// for a result asked for in another language; kinds without a title are shown as they are.
    /// An extension of protocol 1 (`kindTitles`); the findings keep their kinds.
    public var kindTitles: [String: String] = [:]

    public init(
        analysis: String, scope: String? = nil, findings: [Finding]? = nil, metrics: [String: Double]? = nil,
        annotations: [String: Annotation]? = nil, legend: [LegendEntry]? = nil, extra: JSONObject = JSONObject(),
        tables: [ResultTable] = [], findingColumns: [TableColumn] = [], headline: String? = nil
    ) {
        self.analysis = analysis
        self.scope = scope
        self.findings = findings
        self.metrics = metrics
        self.annotations = annotations
        self.legend = legend
        self.extra = extra
        self.tables = tables
        self.findingColumns = findingColumns
        self.headline = headline
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
