/// The robochain versions a plugin works with: its manifest's `robochain`, such as
/// `">=0.3 <1.0"` — comparisons separated by spaces, all of which must hold.
///
/// A comparison is an operator (`>=`, `>`, `<=`, `<`, `=` or `==`; none means `=`) and a
/// version of one to three dot-separated numbers; a missing part counts as 0, so `<1.0` is
/// `<1.0.0`.
public struct VersionRange: Sendable, Equatable, CustomStringConvertible {
    /// One comparison.
    public struct Bound: Sendable, Equatable {
        public enum Operator: String, Sendable, CaseIterable {
            case atLeast = ">=", above = ">", atMost = "<=", below = "<", equal = "="
        }

        public var comparison: Operator
        public var version: [Int]
    }

    public var bounds: [Bound]
    /// The text as written.
    public var description: String

    /// Reads a range; nil when `text` is not one.
    public init?(_ text: String) {
        var bounds: [Bound] = []
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            var rest = Substring(word)
            var comparison = Bound.Operator.equal
            for candidate in [">=", "<=", "==", ">", "<", "="] where rest.hasPrefix(candidate) {
                comparison = candidate == "==" ? .equal : Bound.Operator(rawValue: candidate)!
                rest = rest.dropFirst(candidate.count)
                break
            }
            guard let version = Self.parse(rest) else { return nil }
            bounds.append(Bound(comparison: comparison, version: version))
        }
        guard !bounds.isEmpty else { return nil }
        self.bounds = bounds
        description = text
    }

    /// `1.2.3` → `[1, 2, 3]`; one to three numbers; nil otherwise.
    public static func parse(_ text: Substring) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 9, part.allSatisfy(\.isASCII), let number = Int(part), number >= 0 else { return nil }
            numbers.append(number)
        }
        return numbers + Array(repeating: 0, count: 3 - numbers.count)
    }

    /// Whether `version` (e.g. `0.1.0`; a pre-release or build suffix after `-` or `+` is
    /// ignored) satisfies every comparison.
    public func contains(_ version: String) -> Bool {
        let core = version.split(whereSeparator: { $0 == "-" || $0 == "+" }).first ?? ""
        guard let numbers = Self.parse(core) else { return false }
        return bounds.allSatisfy { bound in
            switch bound.comparison {
            case .atLeast: numbers.lexicographicallyPrecedes(bound.version) == false
            case .above: bound.version.lexicographicallyPrecedes(numbers)
            case .atMost: bound.version.lexicographicallyPrecedes(numbers) == false
            case .below: numbers.lexicographicallyPrecedes(bound.version)
            case .equal: numbers == bound.version
            }
        }
    }
}
