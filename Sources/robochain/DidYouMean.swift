import RoboChainModel

/// "Did you mean …?" for a mistyped name: the closest of the known names, if one is close
/// (the rule of ``IDSuggestion``, which scenario ids use too).
enum DidYouMean {
    /// The known name closest to `name` (``IDSuggestion/closest(to:among:)``).
    static func suggestion(for name: String, among candidates: [String]) -> String? {
        IDSuggestion.closest(to: name, among: candidates)
    }

    /// " Did you mean 'x'?" to append to a message, or the empty string.
    static func phrase(for name: String, among candidates: [String]) -> String {
        suggestion(for: name, among: candidates).map { " Did you mean '\($0)'?" } ?? ""
    }

    /// The optimal-string-alignment distance (``IDSuggestion/editDistance(_:_:)``).
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        IDSuggestion.editDistance(a, b)
    }
}
