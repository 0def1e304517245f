import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The number of processors online.
enum ProcessInfoCores {
    static let count = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

/// Encoded chunks, filled by concurrent workers, taken in order.
private final class ChunkResults: Sendable {
    private let storage: Mutex<[[UInt8]]>

    init(count: Int) {
        storage = Mutex([[UInt8]](repeating: [], count: count))
    }

    func set(_ index: Int, _ bytes: [UInt8]) {
        storage.withLock { $0[index] = bytes }
    }

    func take() -> [[UInt8]] {
        storage.withLock { $0 }
    }
}

/// A writer's sink handed to the one iteration of a wave that writes the wave before (see
/// ``JSONWriter/writeElements(count:_:)``): never called from two threads at once.
private struct SinkHandle: @unchecked Sendable {
    let sink: (UnsafeRawBufferPointer) -> Void
}

/// Writes JSON text into a byte buffer, one token at a time.
///
/// Use it to stream large documents: give it a ``sink`` and it hands its bytes over whenever
/// more than ``flushThreshold`` have piled up at the end of an object or array (and at
/// ``finish()``; ``writeElements(count:_:)`` hands its chunks over as they are encoded, in
/// pieces of any size), or move ``bytes`` out yourself with ``takeBytes()``. Containers are tracked so commas, colons and (with
/// ``Style/pretty``) newlines and indentation are placed correctly. Strings are written as UTF-8
/// with only `"`, `\` and control characters escaped. Non-finite numbers have no JSON form and are
/// written as `null`; integral numbers below 2^53 in magnitude are written without a fraction.
///
/// ```swift
/// var writer = JSONWriter(style: .pretty)
/// writer.beginObject()
/// writer.key("scope"); writer.string("CN-GD")
/// writer.endObject()
/// ```
public struct JSONWriter {
    /// How the text is laid out.
    public enum Style: Sendable {
        /// No whitespace at all.
        case compact
        /// One member or element per line, indented by two spaces per level.
        case pretty
    }

    /// The text written so far (and not yet taken).
    public private(set) var bytes: [UInt8] = []
    public let style: Style

    /// For each open container: whether it has an element yet.
    private var hasElement: [Bool] = []
    /// Set after a key, so the next value follows it directly.
    private var afterKey = false

    /// Where written text goes once ``flushThreshold`` bytes have piled up; `nil` keeps it all.
    public var sink: ((UnsafeRawBufferPointer) -> Void)?
    /// The bytes held before they are handed to ``sink``.
    public var flushThreshold = 1 << 20

    public init(style: Style = .pretty, reservingCapacity capacity: Int = 0) {
        self.style = style
        bytes.reserveCapacity(capacity)
    }

    /// A writer that streams its text to `sink` in chunks of about `flushThreshold` bytes.
    public init(style: Style = .pretty, flushThreshold: Int = 1 << 20, sink: @escaping (UnsafeRawBufferPointer) -> Void) {
        self.init(style: style, reservingCapacity: flushThreshold + (flushThreshold >> 2))
        self.sink = sink
        self.flushThreshold = flushThreshold
    }

    /// A writer for text that continues inside an open container `depth` levels deep, after an
    /// element when `afterElement` (so its first element gets a comma): its bytes can be
    /// appended to the writer of that container with ``appendElements(_:)``.
    public init(style: Style, continuingAtDepth depth: Int, afterElement: Bool) {
        self.init(style: style)
        hasElement = [Bool](repeating: true, count: max(depth, 1))
        hasElement[hasElement.count - 1] = afterElement
    }

    /// How many containers are open.
    public var depth: Int { hasElement.count }

    /// Whether the innermost open container has an element yet.
    public var innermostHasElement: Bool { hasElement.last ?? false }

    /// Appends elements (or members) encoded by a writer made with
    /// ``init(style:continuingAtDepth:afterElement:)`` at this writer's depth.
    public mutating func appendElements(_ encoded: [UInt8]) {
        guard !encoded.isEmpty else { return }
        bytes.append(contentsOf: encoded)
        hasElement[hasElement.count - 1] = true
        if bytes.count >= flushThreshold, sink != nil { flush() }
    }

    /// Writes `count` elements of the open array (or members of the open object), encoding them
    /// in chunks on all cores when there are many; the text is the same as writing them one by
    /// one. Chunks are encoded in waves, so only a few are held at a time; with a ``sink``, each
    /// wave is handed to it while the next one is encoded.
    ///
    /// - Parameters:
    ///   - count: How many elements.
    ///   - encode: Writes element `index` (for an object: its key, then its value).
    public mutating func writeElements(count: Int, _ encode: @Sendable (_ index: Int, _ writer: inout JSONWriter) -> Void) {
        let chunkSize = 2048
        guard count > 2 * chunkSize else {
            for index in 0..<count { encode(index, &self) }
            return
        }
        let chunks = (count + chunkSize - 1) / chunkSize
        let wave = max(2, ProcessInfoCores.count * 2)
        let style = self.style
        let depth = self.depth
        let afterElement = innermostHasElement
        // What comes before the elements goes out first; from then on the sink is called only
        // from the one iteration of each wave that writes the wave before, while this thread
        // waits in concurrentPerform.
        flush()
        let sink = sink.map(SinkHandle.init)
        var pending: [[UInt8]] = []
        var first = 0
        while first < chunks {
            let last = min(first + wave, chunks)
            let size = last - first
            let encoded = ChunkResults(count: size)
            let waveStart = first
            let previous = sink == nil ? [] : pending
            DispatchQueue.concurrentPerform(iterations: size + (previous.isEmpty ? 0 : 1)) { offset in
                guard offset < size else {
                    for bytes in previous { bytes.withUnsafeBytes { sink!.sink($0) } }
                    return
                }
                let chunk = waveStart + offset
                var writer = JSONWriter(style: style, continuingAtDepth: depth, afterElement: chunk > 0 || afterElement)
                for index in (chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize) { encode(index, &writer) }
                encoded.set(offset, writer.bytes)
            }
            if sink == nil {
                for bytes in encoded.take() { appendElements(bytes) }
            } else {
                pending = encoded.take()
                if pending.contains(where: { !$0.isEmpty }) { hasElement[hasElement.count - 1] = true }
            }
            first = last
        }
        // The last wave is buffered as any text is, and flushed when the buffer is full.
        for bytes in pending { appendElements(bytes) }
    }

    /// Hands the bytes written so far to the sink, if there is one.
    public mutating func flush() {
        guard let sink, !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { sink($0) }
        bytes.removeAll(keepingCapacity: true)
    }

    /// Returns the text written so far and empties the buffer (its capacity is kept).
    public mutating func takeBytes() -> [UInt8] {
        let taken = bytes
        bytes.removeAll(keepingCapacity: true)
        return taken
    }

    /// Appends already-encoded JSON text as one value. The caller guarantees it is valid JSON.
    public mutating func rawValue(_ encoded: some Sequence<UInt8>) {
        beforeValue()
        bytes.append(contentsOf: encoded)
    }

    public mutating func beginObject() {
        beforeValue()
        bytes.append(UInt8(ascii: "{"))
        hasElement.append(false)
    }

    public mutating func endObject() {
        closeContainer(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        beforeValue()
        bytes.append(UInt8(ascii: "["))
        hasElement.append(false)
    }

    public mutating func endArray() {
        closeContainer(UInt8(ascii: "]"))
    }

    /// Writes an object key; the next call writes its value.
    public mutating func key(_ key: String) {
        separate()
        appendString(key)
        bytes.append(UInt8(ascii: ":"))
        if case .pretty = style { bytes.append(UInt8(ascii: " ")) }
        afterKey = true
    }

    public mutating func string(_ value: String) {
        beforeValue()
        appendString(value)
    }

    public mutating func number(_ value: Double) {
        beforeValue()
        appendNumber(value)
    }

    public mutating func integer(_ value: Int) {
        beforeValue()
        appendInteger(value)
    }

    public mutating func bool(_ value: Bool) {
        beforeValue()
        appendASCII(value ? "true" : "false")
    }

    public mutating func null() {
        beforeValue()
        appendASCII("null")
    }

    /// Writes a number, or `null` when it is absent.
    public mutating func number(_ value: Double?) {
        if let value { number(value) } else { null() }
    }

    /// Writes a string, or `null` when it is absent.
    public mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    /// Writes a whole value.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let number): self.number(number)
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element) }
            endArray()
        case .object(let object):
            beginObject()
            for member in object.members {
                key(member.key)
                self.value(member.value)
            }
            endObject()
        }
    }

    /// Ends the document with a newline (pretty style only) and flushes to the sink.
    public mutating func finish() {
        if case .pretty = style { bytes.append(0x0A) }
        flush()
    }

    /// Encodes one value as a complete document.
    public static func encode(_ value: JSONValue, style: Style = .pretty) -> [UInt8] {
        var writer = JSONWriter(style: style)
        writer.value(value)
        writer.finish()
        return writer.bytes
    }

    // MARK: - Layout

    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
        } else {
            separate()
        }
    }

    private mutating func separate() {
        guard let last = hasElement.indices.last else { return }
        if hasElement[last] { bytes.append(UInt8(ascii: ",")) }
        hasElement[last] = true
        newline()
    }

    private mutating func newline() {
        guard case .pretty = style else { return }
        bytes.append(0x0A)
        for _ in 0..<hasElement.count { bytes.append(0x20); bytes.append(0x20) }
    }

    private mutating func closeContainer(_ byte: UInt8) {
        let hadElements = hasElement.removeLast()
        if hadElements { newline() }
        bytes.append(byte)
        if bytes.count >= flushThreshold, sink != nil { flush() }
    }

    // MARK: - Tokens

    private mutating func appendASCII(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func appendInteger(_ value: Int) {
        Self.appendInteger(value, to: &bytes)
    }

    private mutating func appendNumber(_ value: Double) {
        Self.appendNumber(value, to: &bytes)
    }

    /// Appends `value` in decimal digits. O(number of digits).
    static func appendInteger(_ value: Int, to bytes: inout [UInt8]) {
        if value == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { scratch in
            var index = scratch.count
            while magnitude > 0 {
                index -= 1
                scratch[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            if value < 0 {
                index -= 1
                scratch[index] = UInt8(ascii: "-")
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[index...]))
        }
    }

    /// Appends `value` as the writer writes a number (the rule in ``JSONWriter``'s overview:
    /// `null` when not finite, no fraction when integral and below 2^53 in magnitude, else the
    /// shortest text that reads back as the same `Double`), to `bytes` of any format that
    /// writes numbers the same way (the model's CSV files). O(1).
    public static func appendNumber(_ value: Double, to bytes: inout [UInt8]) {
        guard value.isFinite else {
            bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
            return
        }
        if value == value.rounded(.towardZero) && value.magnitude < 9_007_199_254_740_992 {
            // -0 is written as 0.
            appendInteger(value == 0 ? 0 : Int(value), to: &bytes)
            return
        }
        // Swift prints the shortest text that reads back as the same Double; its forms
        // ("0.25", "1e-07", "1.5e+20") are all valid JSON numbers.
        var text = value.description
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    private mutating func appendString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
