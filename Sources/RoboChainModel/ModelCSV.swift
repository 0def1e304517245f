import CPrefetch
import Dispatch
import RoboChainJSON
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How ``ChainModel/csvFiles(_:)`` lays out the CSV form of a model: which optional columns it
/// writes, and in what order it lists the supply links. Every layout loads as a model with the
/// same elements and facts.
public struct CSVLayout: Sendable, Equatable {
    /// Leave out of `firms.csv` and `supplies.csv` each of the optional columns `product`,
    /// `source` and `note` that is empty in every row (SPEC §1.2 requires only `id,name,region`
    /// and `firm,component,share`).
    public var compact: Bool
    /// List `supplies.csv` component by component (in component order, each component's links
    /// in firm order) instead of firm by firm. A firm's links then come in component order,
    /// not in the order given: loaded back, each firm supplies the same links, perhaps in
    /// another order.
    public var linksByComponent: Bool

    /// A layout: ``compact`` or not, supply links ``linksByComponent`` or firm by firm.
    public init(compact: Bool, linksByComponent: Bool) {
        self.compact = compact
        self.linksByComponent = linksByComponent
    }

    /// Every column, each firm's links together in the order given: the form `convert` writes,
    /// for people to read and fill in. Loading it gives back an equal model.
    public static let complete = CSVLayout(compact: false, linksByComponent: false)
    /// A plugin's CSV input (SPEC §5 `"input": "csv"`): no empty optional columns, and each
    /// component's supply links in one run of rows, so that a plugin counts a component's
    /// suppliers without hashing every link (what most analyses of supply need first).
    public static let pluginInput = CSVLayout(compact: true, linksByComponent: true)
}

extension ChainModel {
    /// The files of the model in the CSV-directory form of SPEC §1.2, by file name:
    /// `model.csv`, `regions.csv`, `segments.csv` (when the model lists segments),
    /// `components.csv`, `requires.csv`, `firms.csv` and `supplies.csv`, UTF-8 without a
    /// byte-order mark, `,`-separated, LF line ends. Attributes are columns after the
    /// table's own, one per attribute name; text that would read back as a number or a
    /// Boolean is quoted, so that it stays text.
    ///
    /// Loading the directory with ``ModelLoader/loadCSV(directory:progress:)`` gives back an
    /// equal model for ``CSVLayout/complete`` and a compact layout; with
    /// ``CSVLayout/linksByComponent``, the same model but for the order of each firm's links.
    /// Cells are quoted only when they hold `,`, `"`, CR or LF; numbers are written in their
    /// shortest exact form. The firms, the supply links and the rest are written on up to
    /// three threads.
    ///
    /// - Parameter layout: The optional columns written and the order of the supply links.
    /// - Complexity: O(n) in the size of the model.
    public func csvFiles(_ layout: CSVLayout = .complete) -> [(name: String, bytes: [UInt8])] {
        let parts = Mutex([[(name: String, bytes: [UInt8])]](repeating: [], count: 3))
        DispatchQueue.concurrentPerform(iterations: 3) { part in
            let files = csvFiles(part: part, layout)
            parts.withLock { $0[part] = files }
        }
        return parts.withLock { $0.flatMap { $0 } }
    }

    /// Part `part` (0, 1 or 2) of ``csvFiles(_:)``: the small files, `firms.csv`, or `supplies.csv`.
    private func csvFiles(part: Int, _ layout: CSVLayout) -> [(name: String, bytes: [UInt8])] {
        switch part {
        case 0: smallCSVFiles()
        case 1: [("firms.csv", firmsCSV(compact: layout.compact))]
        default: [("supplies.csv", suppliesCSV(layout))]
        }
    }

    /// `model.csv`, `regions.csv`, `segments.csv`, `components.csv` and `requires.csv`.
    private func smallCSVFiles() -> [(name: String, bytes: [UInt8])] {
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

        table = CSVWriter(["id", "name", "segment", "source", "note"], attributes: components.attributes,
            capacity: components.count * 48)
        var requires = CSVWriter(["parent", "child", "weight", "source", "note"], attributes: components.requirementAttributes,
            capacity: components.requirementCount * 24)
        for component in 0..<components.count {
            table.cell(components.ids[component])
            table.cell(components.names[component])
            table.cell(segments.ids[components.segment(of: component)])
            table.cell(components.sources[component])
            table.cell(components.notes[component])
            table.endRow(element: component)
            for edge in components.requirements(of: component) {
                requires.cell(components.ids[component])
                requires.cell(components.ids[components.child(ofRequirement: edge)])
                requires.cell(number: components.weight(ofRequirement: edge))
                requires.cell(components.requirementSources[edge])
                requires.cell(components.requirementNotes[edge])
                requires.endRow(element: edge)
            }
        }
        files.append(("components.csv", table.bytes))
        files.append(("requires.csv", requires.bytes))
        return files
    }

    /// The optional text columns written: all of them, or (`compact`) those with a value in some row.
    private static func optionalColumns(
        _ columns: [(name: String, column: SparseColumn<String>)], compact: Bool
    ) -> [(name: String, column: SparseColumn<String>)] {
        compact ? columns.filter { $0.column.count > 0 } : columns
    }

    /// `firms.csv`.
    private func firmsCSV(compact: Bool) -> [UInt8] {
        let optional = Self.optionalColumns([("source", firms.sources), ("note", firms.notes)], compact: compact)
        var table = CSVWriter(["id", "name", "region"] + optional.map(\.name), attributes: firms.attributes,
            capacity: firms.count * 48)
        for firm in 0..<firms.count {
            table.cell(firms.ids[firm])
            table.cell(firms.names[firm])
            table.cell(regions.ids[firms.region(of: firm)])
            for column in optional { table.cell(column.column[firm]) }
            table.endRow(element: firm)
        }
        return table.bytes
    }

    /// `supplies.csv`: the links firm by firm, each firm's in the order given, or (by component)
    /// component by component, each component's in link order.
    ///
    /// By component, the rows are first written firm by firm, each one's end noted, and then
    /// copied in component order (`componentLinks`): a row's cells come from columns in link
    /// order, so writing them in component order would fetch each row's firm, share and firm
    /// id from far apart; copying fetches one run of bytes, asked for a few rows ahead.
    private func suppliesCSV(_ layout: CSVLayout) -> [UInt8] {
        let optional = Self.optionalColumns(
            [("product", supplies.products), ("source", supplies.sources), ("note", supplies.notes)], compact: layout.compact)
        var table = CSVWriter(["firm", "component", "share"] + optional.map(\.name), attributes: supplies.attributes,
            capacity: supplies.count * 32)
        let header = table.bytes.count
        var rowEnds: [Int] = []
        if layout.linksByComponent { rowEnds.reserveCapacity(supplies.count) }
        for firm in 0..<firms.count {
            for link in firms.links(of: firm) {
                table.cell(firms.ids[firm])
                table.cell(components.ids[supplies.component(of: link)])
                table.cell(number: supplies.share(of: link))
                for column in optional { table.cell(column.column[link]) }
                table.endRow(element: link)
                if layout.linksByComponent { rowEnds.append(table.bytes.count) }
            }
        }
        guard layout.linksByComponent else { return table.bytes }
        return Self.rows(of: table.bytes, header: header, ends: rowEnds, in: supplies.componentLinks)
    }

    /// The bytes of `text` (a header of `header` bytes, then rows, row `i` ending at `ends[i]`)
    /// with the rows in the order `order` lists them: every row once, so the result has as
    /// many bytes as `text`. Row `i` is link `i`, as `suppliesCSV` writes the links firm by
    /// firm and ``FirmTable/links(of:)`` numbers them in that order from 0. O(bytes), with a
    /// second copy of the text held while it runs.
    private static func rows(of text: [UInt8], header: Int, ends: [Int], in order: [Int32]) -> [UInt8] {
        let ahead = 8
        return [UInt8](unsafeUninitializedCapacity: text.count) { output, written in
            text.withUnsafeBufferPointer { text in
                ends.withUnsafeBufferPointer { ends in
                    let base = output.baseAddress!
                    var at = header
                    base.initialize(from: text.baseAddress!, count: header)
                    for position in order.indices {
                        if position + 2 * ahead < order.count {
                            robochain_prefetch(ends.baseAddress! + Int(order[position + 2 * ahead]))
                        }
                        if position + ahead < order.count {
                            let later = Int(order[position + ahead])
                            robochain_prefetch(text.baseAddress! + (later == 0 ? header : ends[later - 1]))
                        }
                        let row = Int(order[position])
                        let start = row == 0 ? header : ends[row - 1]
                        (base + at).initialize(from: text.baseAddress! + start, count: ends[row] - start)
                        at += ends[row] - start
                    }
                    precondition(at == text.count, "every row is copied once")
                    written = at
                }
            }
        }
    }

    /// Writes ``csvFiles(_:)`` into `directory`, which must exist: each of the three
    /// parts (firms, supply links, the rest) is made and written by its own thread, so the
    /// kernel's copies of the bytes run side by side too.
    ///
    /// - Returns: The paths written, in the order of ``csvFiles(_:)``.
    /// - Throws: ``ModelError/unreadable(path:reason:)`` naming the file that could not be written.
    @discardableResult
    public func writeCSV(directory: String, layout: CSVLayout = .complete) throws(ModelError) -> [String] {
        let outcomes = Mutex([Result<[String], ModelError>](repeating: .success([]), count: 3))
        DispatchQueue.concurrentPerform(iterations: 3) { part in
            let files = csvFiles(part: part, layout)
            let outcome = Result { () throws(ModelError) -> [String] in
                try Self.write(files, into: directory)
                return files.map { FileAccess.join(directory, $0.name) }
            }
            outcomes.withLock { $0[part] = outcome }
        }
        return try outcomes.withLock { results throws(ModelError) in
            var paths: [String] = []
            for result in results { paths += try result.get() }
            return paths
        }
    }

    /// Writes files made by ``csvFiles(_:)`` into `directory`, which must exist.
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
    /// Whether the row being written has a cell yet.
    private var rowStarted = false

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
        for cell in cells { self.cell(cell) }
        endRow(element: element)
    }

    /// Appends a cell to the row being written, quoted as needed (`nil`: an empty field).
    /// O(length of the text).
    public mutating func cell(_ text: String?) {
        separate()
        if let text { write(text, quoted: false) }
    }

    /// Appends a number cell in its shortest exact form (``number(_:)``; `nil`: an empty field).
    /// O(1).
    public mutating func cell(number: Double?) {
        separate()
        if let number { JSONWriter.appendNumber(number, to: &bytes) }
    }

    /// Ends the row being written: if the table has attributes, those of `element`, then a line
    /// feed. O(number of attributes).
    public mutating func endRow(element: Int? = nil) {
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
        rowStarted = false
    }

    /// A comma before every cell of a row but its first.
    private mutating func separate() {
        if rowStarted { bytes.append(UInt8(ascii: ",")) }
        rowStarted = true
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
        var bytes: [UInt8] = []
        JSONWriter.appendNumber(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
