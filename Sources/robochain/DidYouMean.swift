/// "Did you mean …?" for a mistyped name: the closest of the known names, if one is close.
enum DidYouMean {
    /// The known name closest to `name` by edit distance (insertions, deletions, substitutions
    /// and swaps of neighbours, case ignored), if it is at most a third of the name's length
    /// (at least 1, at most 3) away; or the single known name that starts with `name`. Ties go
    /// to the first in `candidates`.
    ///
    /// Complexity: O(n · m · k) for k candidates of length m and a name of length n.
    static func suggestion(for name: String, among candidates: [String]) -> String? {
        let lowered = Array(name.lowercased())
        let limit = min(3, max(1, lowered.count / 3))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != name {
            let distance = editDistance(lowered, Array(candidate.lowercased()))
            if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        if let best { return best.candidate }
        let extensions = candidates.filter { !name.isEmpty && $0.lowercased().hasPrefix(name.lowercased()) }
        return extensions.count == 1 ? extensions[0] : nil
    }

    /// " Did you mean 'x'?" to append to a message, or the empty string.
    static func phrase(for name: String, among candidates: [String]) -> String {
        suggestion(for: name, among: candidates).map { " Did you mean '\($0)'?" } ?? ""
    }

    /// The optimal-string-alignment distance (Damerau–Levenshtein with adjacent swaps counted
    /// once, no substring edited twice), by dynamic programming over three rows.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
