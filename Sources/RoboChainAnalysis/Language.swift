/// The language of the words robochain itself writes: table titles and headers, finding
/// sentences, legends, notes and report text. Names stay as the model writes them.
///
/// Built-in analyses translate their own words; external plugins receive it as the optional
/// request key `"lang"` (an additive protocol-1 key) and may ignore it.
public enum Language: String, Sendable, CaseIterable {
    /// English.
    case en
    /// Simplified Chinese.
    case zh

    /// The language of a POSIX locale: the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is
    /// set and not empty; Chinese when it starts with `zh`, English otherwise.
    ///
    /// - Parameter environment: The process environment.
    public static func fromLocale(_ environment: [String: String]) -> Language {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[key], !value.isEmpty {
                return value.lowercased().hasPrefix("zh") ? .zh : .en
            }
        }
        return .en
    }

    /// The text of `english` or `chinese`, whichever is this language's.
    public func pick(_ english: String, _ chinese: String) -> String {
        self == .zh ? chinese : english
    }
}
