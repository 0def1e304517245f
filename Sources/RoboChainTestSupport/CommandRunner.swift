import Foundation

/// What a finished command printed and how it ended.
public struct CommandResult: Sendable {
    public var standardOutput: String
    public var standardError: String
    public var exitStatus: Int32
    /// Whether the command was killed for running past its time limit.
    public var timedOut: Bool

    public var outputBytes: [UInt8] { Array(standardOutput.utf8) }
}

/// Runs built executables and other commands from tests, like swift-argument-parser's
/// `AssertExecuteCommand`: standard output and error captured, exit status returned.
public enum CommandRunner {
    /// The directory of the built products (`.build/debug`), found from the running test binary.
    public static var productsDirectory: URL {
        if let override = ProcessInfo.processInfo.environment["ROBOCHAIN_PRODUCTS"] {
            return URL(fileURLWithPath: override)
        }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        // The test runner may live inside a .xctest bundle directory.
        while directory.pathExtension == "xctest" || directory.lastPathComponent == "Contents" {
            directory = directory.deletingLastPathComponent()
        }
        return directory
    }

    /// The path of a built executable product, e.g. `robochain`.
    public static func product(_ name: String) -> String {
        productsDirectory.appendingPathComponent(name).path
    }

    /// The package's root directory (where `Package.swift` is).
    public static var packageDirectory: URL {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) { return directory }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// The `shared` directory beside the checkout, if it is there (CI has it; a user's clone may not).
    public static var sharedDirectory: URL? {
        let shared = packageDirectory.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: shared.appendingPathComponent("SPEC.md").path) ? shared : nil
    }

    /// Runs an executable with arguments and returns what it printed.
    ///
    /// - Parameters:
    ///   - executable: A path, or a name looked up in `PATH`.
    ///   - arguments: The arguments.
    ///   - environment: Variables to set or override.
    ///   - directory: The working directory (default: the package directory).
    ///   - input: Bytes for standard input (it is closed after them).
    ///   - timeout: Seconds before the command is killed.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
        input: [UInt8] = [], timeout: Double = 300
    ) throws -> CommandResult {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        var variables = ProcessInfo.processInfo.environment
        variables["NO_COLOR"] = "1"
        for (key, value) in environment { variables[key] = value }
        process.environment = variables
        process.currentDirectoryURL = directory ?? packageDirectory
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        let inputPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        process.standardInput = inputPipe
        try process.run()
        let output = Collector()
        let errors = Collector()
        let group = DispatchGroup()
        for (pipe, collector) in [(outputPipe, output), (errorPipe, errors)] {
            group.enter()
            DispatchQueue.global().async {
                collector.set(pipe.fileHandleForReading.readDataToEndOfFile())
                group.leave()
            }
        }
        try? inputPipe.fileHandleForWriting.write(contentsOf: Data(input))
        try? inputPipe.fileHandleForWriting.close()
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            process.waitUntilExit()
            finished.signal()
        }
        var timedOut = false
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
        }
        group.wait()
        return CommandResult(
            standardOutput: String(decoding: output.data, as: UTF8.self),
            standardError: String(decoding: errors.data, as: UTF8.self),
            exitStatus: process.terminationStatus, timedOut: timedOut)
    }

    /// Runs the built `robochain` with arguments.
    public static func robochain(
        _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil, timeout: Double = 300
    ) throws -> CommandResult {
        try run(product("robochain"), arguments, environment: environment, directory: directory, timeout: timeout)
    }
}

private final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = Data()

    func set(_ data: Data) {
        lock.lock()
        stored = data
        lock.unlock()
    }

    var data: Data {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
