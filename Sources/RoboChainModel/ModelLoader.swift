import RoboChainJSON
import Yams

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A model as loaded, with the warnings its files gave.
public struct LoadedModel: Sendable {
    public var model: ChainModel
    /// Things accepted but probably mistakes, such as unknown keys.
    public var warnings: [ModelWarning]
    /// The form the model was read from.
    public var format: ModelFormat
}

/// The forms a model can take on disk (SPEC §1.1–1.2).
public enum ModelFormat: String, Sendable {
    case yaml, json, csv, xlsx
}

/// Loads models from YAML, JSON, a CSV directory or an `.xlsx` workbook, checking every rule of
/// SPEC §1.3.
public enum ModelLoader {
    /// The files a CSV model directory may hold (SPEC §1.2).
    public static var csvFileNames: [String] { CSVModelReader.tables.map(\.name) }

    /// Loads the model at `path`: a `.yaml`, `.yml` or `.json` file, a directory of CSV files,
    /// or an `.xlsx` workbook with sheets named as the CSV files are.
    ///
    /// - Parameters:
    ///   - path: The file or directory.
    ///   - progress: Where to report the bytes parsed, for a progress display.
    /// - Returns: The model and its warnings.
    /// - Throws: ``ModelError`` with every problem found (file, line and id in each message).
    public static func load(path: String, progress: LoadProgress? = nil) throws(ModelError) -> LoadedModel {
        if FileAccess.isDirectory(path) {
            return try loadCSV(directory: path, progress: progress)
        }
        let lowered = path.lowercased()
        if lowered.hasSuffix(".xlsx") {
            return try loadWorkbook(path: path, progress: progress)
        }
        let format: ModelFormat
        if lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") {
            format = .yaml
        } else if lowered.hasSuffix(".json") {
            format = .json
        } else if !FileAccess.exists(path) {
            throw .unreadable(path: path, reason: "No such file or directory")
        } else {
            throw .unsupportedFormat(path: path)
        }
        try refuseBinaryStart(path)
        let bytes: [UInt8]
        do {
            bytes = try FileAccess.readFile(path)
        } catch {
            if case .missingFile = error { throw .unreadable(path: path, reason: "No such file or directory") }
            throw error
        }
        progress?.addTotal(bytes.count)
        defer { progress?.addProcessed(bytes.count) }
        return format == .yaml ? try loadYAML(bytes, file: path) : try loadJSON(bytes, file: path)
    }

    /// A YAML or JSON model is UTF-8 text, which has no NUL byte: one in the file's first 64 KiB
    /// (a binary or sparse file, or UTF-16 text) is refused before the rest is read, so a file of
    /// two gigabytes of zeros costs no more than its first block. (Any other problem, such as a
    /// file that cannot be opened, is left to the full read to report.)
    ///
    /// - Throws: ``ModelError/syntax(_:problem:)`` at the line of the first NUL byte.
    static func refuseBinaryStart(_ path: String) throws(ModelError) {
        let descriptor = open(ByteText.cString(path), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
            Int(status.st_size) <= FileAccess.maximumModelFileSize  // too large: the read says so
        else { return }
        let start = [UInt8](unsafeUninitializedCapacity: 1 << 16) { buffer, count in
            count = max(0, pread(descriptor, buffer.baseAddress!, buffer.count, 0))
        }
        try refuseBinaryStart(start, name: path)
    }

    /// The check of ``refuseBinaryStart(_:)`` on the first bytes of a model read from `name`
    /// (a file, or standard input as it is read).
    public static func refuseBinaryStart(_ start: [UInt8], name path: String) throws(ModelError) {
        guard let nul = start.prefix(1 << 16).firstIndex(of: 0) else { return }
        let line = start[..<nul].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        // UTF-16: a byte-order mark, or ASCII text with a zero before or after each character.
        let utf16 = start.starts(with: [0xFF, 0xFE]) || start.starts(with: [0xFE, 0xFF])
            || (start.count >= 4 && (start[0] != 0) != (start[1] != 0) && (start[2] != 0) != (start[3] != 0))
        throw .syntax(SourceLocation(file: path, line: line),
            problem: utf16 ? "the file is UTF-16 text; save it as UTF-8"
                : "a NUL byte (byte \(nul + 1)): the file is not text (a binary file, or one of zeros)")
    }

    /// Loads a model from YAML text.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 YAML text.
    ///   - file: The name to use in messages.
    /// - Throws: ``ModelError``.
    public static func loadYAML(_ bytes: [UInt8], file: String) throws(ModelError) -> LoadedModel {
        // A byte-order mark, as Windows editors write one, is not part of the text.
        let hasByteOrderMark = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        guard let text = UTF8Text.string(hasByteOrderMark ? Array(bytes.dropFirst(3)) : bytes) else {
            throw .syntax(SourceLocation(file: file, line: firstInvalidUTF8Line(bytes)), problem: "the file is not valid UTF-8")
        }
        if let problem = YAMLResourceCheck.check(text) {
            throw .syntax(SourceLocation(file: file, line: problem.line), problem: "YAML: \(problem.message)")
        }
        let root: Yams.Node
        do {
            guard let node = try Yams.compose(yaml: text, .basic) else {
                throw ModelError.syntax(SourceLocation(file: file, line: 1), problem: "the file is empty")
            }
            root = node
        } catch let error as ModelError {
            throw error
        } catch let error as YamlError {
            throw describe(error, file: file, text: text)
        } catch {
            throw .syntax(SourceLocation(file: file), problem: "\(error)")
        }
        var reader = TreeModelReader<Yams.Node>(file: file)
        reader.read(root)
        return LoadedModel(model: try reader.builder.build(), warnings: reader.builder.warnings, format: .yaml)
    }

    /// Loads a model from YAML text given as a string.
    public static func loadYAML(_ text: String, file: String = "model.yaml") throws(ModelError) -> LoadedModel {
        try loadYAML(Array(text.utf8), file: file)
    }

    /// Loads a model from JSON text (the structure of SPEC §1.1).
    ///
    /// - Throws: ``ModelError``.
    public static func loadJSON(_ bytes: [UInt8], file: String) throws(ModelError) -> LoadedModel {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw .syntax(SourceLocation(file: file, line: error.line), problem: "invalid JSON: \(error)")
        }
        return try loadJSON(value, file: file)
    }

    /// Builds a model from an already parsed JSON value (as a plugin receives it).
    ///
    /// - Throws: ``ModelError``.
    public static func loadJSON(_ value: JSONValue, file: String) throws(ModelError) -> LoadedModel {
        var reader = TreeModelReader<LocatedJSON>(file: file)
        reader.read(LocatedJSON(value: value, enclosingLine: value.objectValue?.line ?? 0))
        return LoadedModel(model: try reader.builder.build(), warnings: reader.builder.warnings, format: .json)
    }

    /// Loads a model from a directory of CSV files (SPEC §1.2).
    ///
    /// - Throws: ``ModelError``.
    public static func loadCSV(directory: String, progress: LoadProgress? = nil) throws(ModelError) -> LoadedModel {
        let (resolved, log) = CSVModelReader(directory: directory, progress: progress).read()
        return LoadedModel(model: try ModelAssembly.assemble(resolved, log: log), warnings: [], format: .csv)
    }

    /// Loads a model from an `.xlsx` workbook (SPEC §1.2): its sheets `regions`, `components`,
    /// `firms`, `supplies` (and optionally `model`, `segments`, `requires`) are read as the CSV
    /// files of a directory are, by the same reader and checks; messages name the cell or row
    /// as Excel does (`book.xlsx: firms!C12`, `book.xlsx: firms!12:12`).
    ///
    /// - Throws: ``ModelError``.
    public static func loadWorkbook(path: String, progress: LoadProgress? = nil) throws(ModelError) -> LoadedModel {
        let names = Set(CSVModelReader.tables.map(CSVModelReader.sheetName))
        let sheets = try WorkbookReader.sheets(path: path, names: names)
        let (resolved, log) = CSVModelReader(workbook: path, sheets: sheets, progress: progress).read()
        return LoadedModel(model: try ModelAssembly.assemble(resolved, log: log), warnings: [], format: .xlsx)
    }

    private static func describe(_ error: YamlError, file: String, text: String) -> ModelError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            var hint = ""
            let line = mark.line < 1 ? nil : text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(mark.line - 1).first
            if let line, line.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
                hint = " — this line is indented with a tab; YAML indents with spaces"
            } else if problem.contains("did not find expected ',' or '}'") {
                hint = " — a {…} is not closed on its line, or a value in it holds ':' or ',' and needs quotes"
            } else if problem.contains("did not find expected ',' or ']'") {
                hint = " — a […] is not closed on its line, or a value in it holds ',' and needs quotes"
            }
            return .syntax(SourceLocation(file: file, line: mark.line), problem: "YAML: \(prefix)\(problem) (column \(mark.column))\(hint)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let line = context.mark.line
            return .syntax(SourceLocation(file: file, line: line),
                problem: "YAML: a mapping has the key\(duplicates.count == 1 ? "" : "s") \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) more than once")
        case .reader(let problem, _, _, _):
            return .syntax(SourceLocation(file: file), problem: "YAML: \(problem)")
        default:
            return .syntax(SourceLocation(file: file), problem: "YAML: \(error)")
        }
    }

    private static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int {
        var line = 1
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            if bytes[start..<index].withUnsafeBufferPointer({ UTF8Text.isValid($0) }) == false { return line }
            line += 1
            start = index + 1
        }
        return line
    }
}
