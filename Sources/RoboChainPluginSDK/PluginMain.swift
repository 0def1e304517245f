// The SDK's public surface is what a plugin needs: the analysis API, the model it reads and
// the JSON values findings carry — not the loaders' and writers' file utilities.
@_exported import RoboChainAnalysis
@_exported import enum RoboChainJSON.JSONValue
@_exported import struct RoboChainJSON.JSONObject
@_exported import struct RoboChainModel.ChainModel
@_exported import struct RoboChainModel.RegionTable
@_exported import struct RoboChainModel.SegmentTable
@_exported import struct RoboChainModel.ComponentTable
@_exported import struct RoboChainModel.FirmTable
@_exported import struct RoboChainModel.SupplyTable
@_exported import struct RoboChainModel.SparseColumn
@_exported import enum RoboChainModel.ModelError
@_exported import struct RoboChainModel.SourceLocation
@_exported import enum RoboChainModel.ElementKind
import RoboChainJSON
import RoboChainModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns an ``Analysis`` into a protocol-1 plugin executable (SPEC §5) in one line.
///
/// ```swift
/// // Sources/my-analysis/main.swift
/// import RoboChainPluginSDK
/// PluginMain.run(MyAnalysis())
/// ```
///
/// Run with no arguments (as `robochain` runs it), the executable reads the request from
/// standard input, loads the model into the same ``ChainModel`` type the built-ins use, runs the
/// analysis and writes the response — findings, metrics, annotations, legend and any other
/// keys — to standard output, then exits 0. An option value the analysis' checks reject is
/// answered with SPEC §5's `error` response (`usage`), so that `robochain` exits 64 with the same
/// message as for a built-in; a request it cannot read exits 2, an analysis that throws exits 1,
/// and either way the reason goes to standard error, where `robochain` shows it.
/// Run with `--manifest` it prints the `plugin.json` for itself; with `--help`, how to use it.
public enum PluginMain {
    /// The executable as `plugin.json` names it — relative to the plugin's directory — when run
    /// from that directory: the path it was invoked by (`.build/release/my-check`), made
    /// relative to the working directory when absolute; nil when that is not possible.
    static func manifestPath(_ invoked: String?) -> String? {
        guard var path = invoked, path.contains("/") else { return nil }
        if path.hasPrefix("/") {
            guard let directory = getcwd(nil, 0) else { return nil }
            let prefix = String(cString: directory) + "/"
            free(directory)
            guard path.hasPrefix(prefix) else { return nil }
            path.removeFirst(prefix.count)
        }
        while path.hasPrefix("./") { path.removeFirst(2) }
        return path
    }

    /// Runs `analysis` as a plugin and exits.
    ///
    /// - Parameters:
    ///   - analysis: The analysis.
    ///   - arguments: The command-line arguments (default: the process's).
    public static func run(_ analysis: some Analysis, arguments: [String] = CommandLine.arguments) -> Never {
        let executable = arguments.first.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? analysis.name
        if arguments.contains("--manifest") {
            let manifest = PluginManifest(analysis: analysis, executable: manifestPath(arguments.first) ?? executable)
            write(JSONWriter.encode(manifest.json), to: STDOUT_FILENO)
            exit(0)
        }
        if arguments.count > 1 {
            let usage = """
                \(executable): the '\(analysis.name)' analysis as a robochain plugin (protocol \(pluginProtocolVersion)).
                  Run with no arguments, it reads a request (JSON) on standard input and writes the response on standard output.
                  \(executable) --manifest   prints its plugin.json

                """
            write(Array(usage.utf8), to: arguments.contains("--help") ? STDOUT_FILENO : STDERR_FILENO)
            exit(arguments.contains("--help") ? 0 : 2)
        }
        let request: PluginRequest
        let bytes = readStandardInput()
        do {
            request = try PluginRequest.decode(bytes, declarations: analysis.options)
        } catch .invalidOption(_, let option, let problem) {
            // The request names the analysis as robochain runs it (its directory's name may differ).
            let runAs = (try? JSONParser.parse(bytes))?.objectValue?["analysis"]?.stringValue ?? analysis.name
            // The message names the analysis as the built-in's does.
            reject(runAs, as: .usage,
                message: AnalysisError.invalidOption(analysis: analysis.name, option: option, problem: problem).description)
        } catch {
            fail("\(analysis.name): cannot read the request: \(error)", status: 2)
        }
        do {
            try analysis.validate(request.options)
            var result = try analysis.run(AnalysisRequest(
                model: request.model, scope: request.scope, options: request.options, language: request.language ?? .en))
            result.analysis = request.analysis
            if result.scope == nil { result.scope = request.model.regions.ids[request.scope] }
            var writer = JSONWriter(style: .compact)
            result.write(to: &writer, asResponse: true, includePresentation: true)
            writer.finish()
            write(writer.bytes + [0x0A], to: STDOUT_FILENO)
            exit(0)
        } catch .invalidOption(_, let option, let problem) {
            reject(request.analysis, as: .usage,
                message: AnalysisError.invalidOption(analysis: analysis.name, option: option, problem: problem).description)
        } catch .rejected(_, let kind, let message) {
            reject(request.analysis, as: kind, message: message)
        } catch {
            fail("\(analysis.name): \(error)", status: 1)
        }
    }

    /// Answers SPEC §5's `error` response — the request was read, but the analysis cannot run
    /// on it: `usage` for an option value it rejects, `model` for a model it cannot work on —
    /// and exits 0, so that robochain reports it as it reports a built-in's (exit 64 or 65).
    private static func reject(_ name: String, as kind: AnalysisError.RejectionKind, message: String) -> Never {
        var writer = JSONWriter(style: .compact)
        AnalysisResult.writeRejection(analysis: name, kind: kind, message: message, to: &writer)
        writer.finish()
        write(writer.bytes + [0x0A], to: STDOUT_FILENO)
        exit(0)
    }

    private static func fail(_ message: String, status: Int32) -> Never {
        write(Array((message + "\n").utf8), to: STDERR_FILENO)
        exit(status)
    }

    private static func readStandardInput() -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(STDIN_FILENO, &buffer, buffer.count)
            if count > 0 {
                bytes.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                return bytes
            }
        }
    }

    private static func write(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }
}

/// `write(2)`, under a name `PluginMain.write` does not shadow.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

extension ChainModel {
    /// A model from YAML text (SPEC §1.1), checked as every model is: for a plugin's tests.
    ///
    /// - Throws: ``ModelError`` listing every problem, with its line.
    public init(yaml: String) throws(ModelError) {
        self = try ModelLoader.loadYAML(yaml, file: "model.yaml").model
    }
}
