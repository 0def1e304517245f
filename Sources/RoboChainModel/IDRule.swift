import RoboChainJSON

/// The id rule of SPEC §1: letters of any script, digits, `.`, `_` and `-`, starting with a
/// letter or digit (`ubtech`, `CN-GD-SZ`, `优必选`). Ids are compared exactly, byte for byte.
enum IDRule {
    /// Whether an id is valid. ASCII ids are checked byte by byte; others scalar by scalar,
    /// by Unicode general category: letters (L*) and decimal digits (Nd) anywhere, combining
    /// marks (M*, which some scripts need to spell a letter) after the first character.
    ///
    /// - Complexity: O(length).
    @inline(__always)
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { form(bytes) != .invalid }

    /// What an id is: valid and ASCII, valid beyond ASCII (only such ids can differ by
    /// normalisation alone), or invalid. One pass over an ASCII id.
    enum Form { case ascii, unicode, invalid }

    @inline(__always)
    static func form(_ bytes: UnsafeBufferPointer<UInt8>) -> Form {
        guard let first = bytes.first else { return .invalid }
        if first >= 0x80 { return isValidUnicode(bytes) ? .unicode : .invalid }
        guard isAlphanumeric(first) else { return .invalid }
        for byte in bytes.dropFirst() where !(isAlphanumeric(byte) || byte == 0x2E || byte == 0x5F || byte == 0x2D) {
            if byte >= 0x80 { return isValidUnicode(bytes) ? .unicode : .invalid }
            return .invalid
        }
        return .ascii
    }

    /// Whether an id is valid and ASCII: the rule for analysis and option names.
    static func isValidASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, isAlphanumeric(first) else { return false }
        return !bytes.dropFirst().contains { !(isAlphanumeric($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D) }
    }

    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func isValidUnicode(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let text = UTF8Text.string(bytes) else { return false }
        var isFirst = true
        for scalar in text.unicodeScalars {
            let allowed: Bool
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
                allowed = true
            case .nonspacingMark, .spacingMark, .enclosingMark:
                allowed = !isFirst
            default:
                allowed = !isFirst && (scalar == "." || scalar == "_" || scalar == "-")
            }
            guard allowed else { return false }
            isFirst = false
        }
        return !isFirst
    }

    /// Whether an id has bytes beyond ASCII (only those can differ by normalisation alone).
    @inline(__always)
    static func isASCII(_ id: String) -> Bool { id.utf8.allSatisfy { $0 < 0x80 } }

    /// The scalars of a text as `U+00E9 U+0065`, to show a difference that looks like none.
    static func scalars(_ text: String) -> String {
        text.unicodeScalars.prefix(24).map { "U+" + String(String($0.value, radix: 16, uppercase: true).paddedLeft(to: 4)) }
            .joined(separator: " ")
    }
}

/// Finds ids that differ only by Unicode normalisation (`é` written as one scalar and as `e`
/// with a combining accent): exact comparison keeps them apart, a reader would not. Only
/// non-ASCII ids are kept (Swift strings hash and compare by canonical equivalence).
struct NormalisationCheck: Sendable {
    private var seen: [String: Int32] = [:]

    /// Records a non-ASCII id at `position`; returns the position of an earlier id canonically
    /// equal to it but with other bytes, if there is one.
    mutating func add(_ id: String, at position: Int32, ids: [String]) -> Int32? {
        if let earlier = seen[id] {
            return ids[Int(earlier)].utf8.elementsEqual(id.utf8) ? nil : earlier
        }
        seen[id] = position
        return nil
    }
}

extension String {
    fileprivate func paddedLeft(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
