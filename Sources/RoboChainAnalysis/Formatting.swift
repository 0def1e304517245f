import RoboChainModel

/// Text for messages and tables: percentages and element names.
public enum Wording {
    /// A share in [0, 1] as a whole percentage, e.g. `41 %`; `–` for `nil`.
    public static func percent(_ share: Double?) -> String {
        guard let share, share.isFinite else { return "–" }
        let percent = share * 100
        if percent > 0 && percent < 1 { return "<1 %" }
        if percent < 100 && percent > 99 { return ">99 %" }
        return "\(Int(percent.rounded())) %"
    }

    /// `Name (id)`, or just the id when the name is the id.
    public static func label(name: String, id: String) -> String {
        name == id || name.isEmpty ? id : "\(name) (\(id))"
    }

    /// A component's label.
    public static func component(_ component: Int, in model: ChainModel) -> String {
        label(name: model.components.names[component], id: model.components.ids[component])
    }

    /// A region's label.
    public static func region(_ region: Int, in model: ChainModel) -> String {
        label(name: model.regions.names[region], id: model.regions.ids[region])
    }

    /// The first `limit` items joined with `, `, then ` and N more` for the rest: `a, b and 3 more`.
    ///
    /// Only the items shown are read, so a lazy map over a large collection costs `limit` calls.
    public static func list<Items: Collection<String>>(_ items: Items, first limit: Int) -> String {
        let rest = items.count - limit
        return items.prefix(limit).joined(separator: ", ") + (rest > 0 ? " and \(rest) more" : "")
    }

    /// `1 supplier`, `3 suppliers`.
    public static func count(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }
}
