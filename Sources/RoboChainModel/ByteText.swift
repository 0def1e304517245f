/// Text that keeps every byte: command-line arguments and file names, which on Linux are bytes,
/// not necessarily UTF-8.
///
/// A Swift `String` holds only valid Unicode, and `CommandLine.arguments` or `String(cString:)`
/// replace a byte that is not UTF-8 with U+FFFD: a file named with byte 0xFF could then never be
/// opened. Here each such byte (always 0x80–0xFF) becomes one of 128 private-use scalars,
/// U+10FE80–U+10FEFF, and turns back into the byte at the system call (``cString(_:)``). A name
/// that is itself valid UTF-8 holding one of those scalars has the four bytes of that scalar
/// escaped in the same way, so decoding any bytes and encoding the result gives the same bytes.
/// Messages show the bytes as `\xFF` (``MessageText/quoted(_:limit:)``).
public enum ByteText {
    /// The scalars that stand for bytes 0x80–0xFF (the byte is the scalar less ``offset``).
    public static let escapes: ClosedRange<UInt32> = 0x10FE80...0x10FEFF
    static let offset: UInt32 = 0x10FE00

    /// The text of `bytes`: UTF-8 where it is valid, other bytes as escape scalars.
    ///
    /// - Complexity: O(bytes).
    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        let array = Array(bytes)
        if let text = String(validating: array, as: UTF8.self), !holdsEscapes(text) { return text }
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < array.count {
            if let (scalar, length) = scalar(in: array, at: index), !escapes.contains(scalar.value) {
                scalars.append(scalar)
                index += length
            } else {
                scalars.append(Unicode.Scalar(offset + UInt32(array[index]))!)
                index += 1
            }
        }
        return String(scalars)
    }

    /// The text of a NUL-terminated C string (a `realpath` or `readdir` result).
    public static func decode(cString: UnsafePointer<CChar>) -> String {
        decode(UnsafeBufferPointer(start: UnsafeRawPointer(cString).assumingMemoryBound(to: UInt8.self), count: strlen(cString)))
    }

    /// The bytes `text` stands for: escape scalars as their bytes, everything else as UTF-8.
    public static func bytes(_ text: String) -> [UInt8] {
        guard holdsEscapes(text) else { return Array(text.utf8) }
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if escapes.contains(scalar.value) {
                result.append(UInt8(scalar.value - offset))
            } else {
                result.append(contentsOf: UTF8.encode(scalar)!)
            }
        }
        return result
    }

    /// The bytes `text` stands for, NUL-terminated, for a system call (`open(ByteText.cString(path), …)`).
    /// A NUL inside the text ends the C string there, as it would for any `String`.
    public static func cString(_ text: String) -> [CChar] {
        bytes(text).map { CChar(bitPattern: $0) } + [0]
    }

    /// Whether `text` holds an escape scalar (UTF-8 F4 8F BA xx or F4 8F BB xx).
    public static func holdsEscapes(_ text: String) -> Bool {
        text.utf8.contains(0xF4) && text.unicodeScalars.contains { escapes.contains($0.value) }
    }

    /// The arguments this process was started with, every byte kept (unlike
    /// `CommandLine.arguments`).
    public static var commandLineArguments: [String] {
        (0..<Int(CommandLine.argc)).map { index in
            CommandLine.unsafeArgv[index].map { decode(cString: $0) } ?? ""
        }
    }

    /// The valid UTF-8 scalar at `index` and its length in bytes, or `nil` (RFC 3629: no
    /// overlong forms, no surrogates, nothing past U+10FFFF).
    private static func scalar(in bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        var lowest: UInt32
        switch lead {
        case 0x00...0x7F: return (Unicode.Scalar(lead), 1)
        case 0xC2...0xDF: (length, value, lowest) = (2, UInt32(lead & 0x1F), 0x80)
        case 0xE0...0xEF: (length, value, lowest) = (3, UInt32(lead & 0x0F), 0x800)
        case 0xF0...0xF4: (length, value, lowest) = (4, UInt32(lead & 0x07), 0x10000)
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for next in bytes[(index + 1)..<(index + length)] {
            guard next & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(next & 0x3F)
        }
        guard value >= lowest, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
