import Foundation
import RoboChainProcess

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
    /// It runs through ``ChildProcess`` — close-on-exec pipes in its own process group — so a
    /// command started by another test at the same moment cannot inherit this one's pipes and
    /// keep them open.
    ///
    /// - Parameters:
    ///   - executable: A path, or a name looked up in `PATH`.
    ///   - arguments: The arguments.
    ///   - environment: Variables to set or override (`NO_COLOR=1` and `LC_ALL=C.UTF-8` are set unless given).
    ///   - directory: The working directory (default: the package directory).
    ///   - input: Bytes for standard input (it is closed after them).
    ///   - timeout: Seconds before the command is killed.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
        input: [UInt8] = [], timeout: Double = 300
    ) throws -> CommandResult {
        var variables = ProcessInfo.processInfo.environment
        variables["NO_COLOR"] = "1"
        variables["LC_ALL"] = "C.UTF-8"  // English output (--lang follows the locale) unless a test sets another
        for (key, value) in environment { variables[key] = value }
        let outcome = ChildProcess.run(
            executable: resolve(executable, path: variables["PATH"] ?? "/usr/bin:/bin"), arguments: arguments,
            environment: variables, directory: (directory ?? packageDirectory).path, input: input, timeout: timeout,
            outputLimit: 1 << 31, errorTailBytes: 1 << 30)
        let status: Int32
        switch outcome.termination {
        case .exited(let code): status = code
        case .signalled(let signal): status = 128 + signal
        case .notStarted(let reason): throw CommandRunnerError(executable: executable, reason: reason)
        }
        return CommandResult(
            standardOutput: String(decoding: outcome.standardOutput, as: UTF8.self),
            standardError: String(decoding: outcome.standardErrorTail, as: UTF8.self),
            exitStatus: status, timedOut: outcome.timedOut)
    }

    /// The path of `name`: as given if it has a slash, else the first match in `path`.
    static func resolve(_ name: String, path: String) -> String {
        guard !name.contains("/") else { return name }
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return name
    }

    /// Runs the built `robochain` with arguments.
    public static func robochain(
        _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil, timeout: Double = 300
    ) throws -> CommandResult {
        try run(product("robochain"), arguments, environment: environment, directory: directory, timeout: timeout)
    }
}

/// A command that could not be started.
public struct CommandRunnerError: Error, CustomStringConvertible {
    public var executable: String
    public var reason: String

    public var description: String { "cannot run \(executable): \(reason)" }
}
