import RoboChainModel

/// Graph values in XML (escaped by RoboChainModel's ``XMLText``).
extension XMLText {
    /// A value as text: numbers in Swift's shortest round-trip form (`nil` for NaN and
    /// infinities, which neither format can hold), booleans `true`/`false`.
    static func value(_ value: GraphValue) -> String? {
        switch value {
        case .text(let text): return escape(text)
        case .integer(let integer): return String(integer)
        case .number(let number): return number.isFinite ? String(number) : nil
        case .boolean(let flag): return flag ? "true" : "false"
        }
    }
}
