import RoboChainJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ChainModel {
    /// The files of the model in the CSV-directory form of SPEC §1.2, by file name:
    /// `model.csv`, `regions.csv`, `segments.csv` (when the model lists segments),
    /// `components.csv`, `requires.csv`, `firms.csv` and `supplies.csv`, UTF-8 without a
    /// byte-order mark, `,`-separated, LF line ends. Attributes are columns after the
    /// table's own, one per attribute name; text that would read back as a number or a
    /// Boolean is quoted, so that it stays text.
    ///
    /// Loading the directory with ``ModelLoader/loadCSV(directory:progress:)`` gives back an
    /// equal model. Cells are quoted only when they hold `,`, `"`, CR or LF; numbers are written
    /// in their shortest exact form.
    ///
    /// - Complexity: O(n) in the size of the model.
    public func csvFiles() -> [(name: String, bytes: [UInt8])] {
        var files: [(String, [UInt8])] = []
        var table = CSVWriter(["id", "title", "home"])
        table.row([id, title, home.map { regions.ids[$0] }])
        files.append(("model.csv", table.bytes))

        table = CSVWriter(["id", "name", "parent", "source", "note"], attributes: regions.attributes)
        for region in 0..<regions.count {
            table.row([regions.ids[region], regions.names[region], regions.parent(of: region).map { regions.ids[$0] },
                regions.sources[region], regions.notes[region]], element: region)
        }
        files.append(("regions.csv", table.bytes))

        if segments.isDeclared {
            table = CSVWriter(["id", "name", "order", "source", "note"], attributes: segments.attributes)
            for segment in 0..<segments.count {
                table.row([segments.ids[segment], segments.names[segment], segments.orders[segment].map { String($0) },
                    segments.sources[segment], segments.notes[segment]], element: segment)
            }
            files.append(("segments.csv", table.bytes))
        }

        table = CSVWriter(["id", "name", "segment", "source", "note"], attributes: components.attributes)
        var requires = CSVWriter(["parent", "child", "weight", "source", "note"], attributes: components.requirementAttributes)
        for component in 0..<components.count {
            table.row([components.ids[component], components.names[component], segments.ids[components.segment(of: component)],
                components.sources[component], components.notes[component]], element: component)
            for edge in components.requirements(of: component) {
                requires.row([components.ids[component], components.ids[components.child(ofRequirement: edge)],
                    components.weight(ofRequirement: edge).map(CSVWriter.number),
                    components.requirementSources[edge], components.requirementNotes[edge]], element: edge)
            }
        }
        files.append(("components.csv", table.bytes))
        files.append(("requires.csv", requires.bytes))

        table = CSVWriter(["id", "name", "region", "source", "note"], attributes: firms.attributes, capacity: firms.count * 48)
        var supplyRows = CSVWriter(["firm", "component", "share", "product", "source", "note"], attributes: supplies.attributes,
            capacity: supplies.count * 32)
        for firm in 0..<firms.count {
            table.row([firms.ids[firm], firms.names[firm], regions.ids[firms.region(of: firm)], firms.sources[firm],
                firms.notes[firm]], element: firm)
            for link in firms.links(of: firm) {
                supplyRows.row([firms.ids[firm], components.ids[supplies.component(of: link)],
                    supplies.share(of: link).map(CSVWriter.number), supplies.products[link], supplies.sources[link],
                    supplies.notes[link]], element: link)
            }
        }
        files.append(("firms.csv", table.bytes))
        files.append(("supplies.csv", supplyRows.bytes))
        return files
    }

    /// Writes ``csvFiles()`` into `directory`, which must exist.
    ///
    /// - Throws: ``ModelError/unreadable(path:reason:)`` naming the file that could not be written.
    public func writeCSV(directory: String) throws(ModelError) {
        try Self.write(csvFiles(), into: directory)
    }

    /// Writes files made by ``csvFiles()`` into `directory`, which must exist.
    ///
    /// - Throws: ``ModelError/unreadable(path:reason:)`` naming the file that could not be written.
    public static func write(_ files: [(name: String, bytes: [UInt8])], into directory: String) throws(ModelError) {
        for (name, bytes) in files {
            let path = FileAccess.join(directory, name)
            let descriptor = open(ByteText.cString(path), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw .unreadable(path: path, reason: "it cannot be created: \(String(cString: strerror(errno)))")
            }
            defer { close(descriptor) }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else {
                    throw .unreadable(path: path, reason: "it cannot be written: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
    }
}

/// CSV text (RFC 4180): the one quoting rule of every CSV the tool writes (the model's CSV
/// files, analysis and comparison tables). A field holding a comma, a double quote, a line feed
/// or a carriage return, or starting or ending with a space or tab (which a reader may trim), is
/// put in double quotes with its double quotes doubled; any other field is written as it is.
/// Rows end with a line feed. A model's table may carry its elements' attributes, written after
/// the cells of each row.
public struct CSVWriter: Sendable {
    /// The text written so far, UTF-8.
    public private(set) var bytes: [UInt8] = []
    private let attributes: AttributeTable

    /// A writer whose first row is `header` (then the attributes' names); `capacity` bytes are
    /// reserved.
    public init(_ header: [String], attributes: AttributeTable = AttributeTable(), capacity: Int = 4096) {
        self.attributes = attributes
        bytes.reserveCapacity(capacity)
        row(header + attributes.names)
    }

    /// Appends a row: the cells quoted as needed and joined with commas (`nil` as an empty
    /// field); then, if the table has attributes, those of `element`; then a line feed.
    /// O(total length of the cells).
    public mutating func row(_ cells: [String?], element: Int? = nil) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard let cell else { continue }
            write(cell, quoted: false)
        }
        if let element, !attributes.isEmpty {
            for name in attributes.names {
                bytes.append(UInt8(ascii: ","))
                switch attributes.value(name, of: element) {
                case nil: break
                case .number(let number)?: write(Self.number(number), quoted: false)
                case .boolean(let flag)?: write(flag ? "true" : "false", quoted: false)
                case .text(let text)?:
                    // Text that an unquoted cell would read as something else stays text.
                    var copy = text
                    let looksTyped = copy.withUTF8 { YAMLNumber.parse($0) != nil || ValueChecks.percentage($0) != nil }
                        || ValueChecks.boolean(text) != nil
                    write(text, quoted: looksTyped)
                }
            }
        }
        bytes.append(0x0A)
    }

    /// One field as CSV text, quoted when it needs to be (the rule of ``CSVWriter``). O(length).
    public static func field(_ text: String) -> String {
        var text = text
        return text.withUTF8 { utf8 in
            guard needsQuotes(utf8) else { return String(decoding: utf8, as: UTF8.self) }
            var quoted: [UInt8] = []
            quoted.reserveCapacity(utf8.count + 2)
            appendQuoted(utf8, to: &quoted)
            return String(decoding: quoted, as: UTF8.self)
        }
    }

    private mutating func write(_ cell: String, quoted forced: Bool) {
        var text = cell
        text.withUTF8 { utf8 in
            if forced || Self.needsQuotes(utf8) {
                Self.appendQuoted(utf8, to: &bytes)
            } else {
                bytes.append(contentsOf: utf8)
            }
        }
    }

    private static func needsQuotes(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || utf8.first == 0x20 || utf8.last == 0x20 || utf8.first == 0x09 || utf8.last == 0x09
    }

    private static func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        bytes.append(0x22)
        for byte in utf8 {
            if byte == 0x22 { bytes.append(0x22) }
            bytes.append(byte)
        }
        bytes.append(0x22)
    }

    /// A number in its shortest exact form (as JSON writes it).
    public static func number(_ value: Double) -> String {
        String(decoding: JSONWriter.encode(.number(value), style: .compact), as: UTF8.self)
    }
}
