#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import RoboChainAnalysis
import RoboChainModel

/// An external plugin found on disk: its directory, its manifest, its executable.
public struct ExternalPlugin: Sendable, Equatable {
    /// The plugin's directory (the executable runs there).
    public var directory: String
    public var manifest: PluginManifest
    /// The executable's full path.
    public var executablePath: String
}

/// A plugin directory that was not used, and why.
public struct SkippedPlugin: Sendable, Equatable, CustomStringConvertible {
    public var directory: String
    public var reason: String

    public var description: String { "plugin '\(MessageText.quoted(directory, limit: 4096))' skipped: \(reason)" }
}

/// Finds external plugins (SPEC §5).
///
/// Looks in each directory of `ROBOCHAIN_PLUGIN_PATH` (separated by `:`), then in
/// `~/.robochain/plugins`. A plugin is a sub-directory holding `plugin.json` (a listed directory
/// that itself holds `plugin.json` counts too); sub-directories are taken in name order. A bad
/// manifest, a missing or non-executable executable, or an unsupported protocol skips the
/// plugin with the reason.
public enum PluginDiscovery {
    /// The largest `plugin.json` read: 1 MiB (a manifest is a few hundred bytes).
    public static let maximumManifestSize = 1 << 20

    /// The variables a plugin is given, from robochain's environment; no others (not API keys,
    /// tokens or passwords robochain happens to have): `PATH`, `HOME`, `USER`, `LOGNAME`,
    /// `LANG`, `LANGUAGE`, `LC_*`, `TZ`, `TMPDIR` and every `ROBOCHAIN_*` variable (a plugin's own
    /// settings can be passed as `ROBOCHAIN_…`). A plugin still runs with the user's rights: this
    /// keeps secrets out of its reach by accident, it does not sandbox it (docs/security.md).
    public static let passedVariables: Set<String> = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR"]

    /// The environment a plugin runs with: ``passedVariables`` of `environment`, `LC_*` and
    /// `ROBOCHAIN_*`.
    public static func pluginEnvironment(_ environment: [String: String]) -> [String: String] {
        environment.filter { name, _ in
            passedVariables.contains(name) || name.hasPrefix("LC_") || name.hasPrefix("ROBOCHAIN_")
        }
    }

    /// The directories searched, in order.
    ///
    /// - Parameter environment: The process environment (`ROBOCHAIN_PLUGIN_PATH`, `HOME`).
    public static func searchPath(environment: [String: String]) -> [String] {
        namedDirectories(environment: environment) + (homeDirectory(environment: environment).map { [$0] } ?? [])
    }

    /// The directories `ROBOCHAIN_PLUGIN_PATH` names.
    static func namedDirectories(environment: [String: String]) -> [String] {
        (environment["ROBOCHAIN_PLUGIN_PATH"] ?? "").split(separator: ":").map(String.init)
    }

    /// `~/.robochain/plugins`, when `HOME` is set.
    static func homeDirectory(environment: [String: String]) -> String? {
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return FileAccess.join(home, ".robochain/plugins")
    }

    /// What a plugin directory turned out to be: a usable plugin, or skipped with the reason
    /// (a finding about the user's files, reported as a warning, not an error).
    public enum Outcome: Sendable {
        case usable(ExternalPlugin)
        case skipped(SkippedPlugin)
    }

    /// Every plugin directory found, with its manifest read and checked, in search order.
    ///
    /// - Returns: The usable plugins and the skipped directories (with reasons).
    public static func discover(environment: [String: String]) -> (plugins: [ExternalPlugin], skipped: [SkippedPlugin]) {
        var plugins: [ExternalPlugin] = []
        var skipped: [SkippedPlugin] = []
        let named = namedDirectories(environment: environment)
        let home = homeDirectory(environment: environment).map { [$0] } ?? []
        for (position, directory) in (named + home).enumerated() {
            guard FileAccess.isDirectory(directory) else {
                // A missing ~/.robochain/plugins is the usual case, not a mistake.
                if position < named.count {
                    skipped.append(SkippedPlugin(directory: directory, reason: "ROBOCHAIN_PLUGIN_PATH names it, but it is not a directory"))
                }
                continue
            }
            let candidates = FileAccess.exists(FileAccess.join(directory, "plugin.json"))
                ? [directory] : subdirectories(of: directory)
            for candidate in candidates where FileAccess.exists(FileAccess.join(candidate, "plugin.json")) {
                switch load(candidate) {
                case .usable(let plugin): plugins.append(plugin)
                case .skipped(let problem): skipped.append(problem)
                }
            }
        }
        return (plugins, skipped)
    }

    /// Reads and checks one plugin directory.
    ///
    /// - Returns: The plugin, or why it cannot be used.
    public static func load(_ directory: String) -> Outcome {
        // The executable runs in the plugin's directory: its path must not be relative to ours.
        let directory = FileAccess.absolutePath(directory)
        let manifestPath = FileAccess.join(directory, "plugin.json")
        let bytes: [UInt8]
        do {
            bytes = try FileAccess.readFile(manifestPath, limit: maximumManifestSize)
        } catch {
            return .skipped(SkippedPlugin(directory: directory, reason: "cannot read plugin.json: \(error)"))
        }
        let manifest: PluginManifest
        do {
            manifest = try PluginManifest.decode(bytes)
        } catch {
            return .skipped(SkippedPlugin(directory: directory, reason: error.description))
        }
        if let range = manifest.robochain, !range.contains(RoboChainVersion.current) {
            return .skipped(SkippedPlugin(directory: directory,
                reason: "it works with robochain \(range) (its manifest's 'robochain'), and this is robochain \(RoboChainVersion.current)"))
        }
        guard !manifest.executable.utf8.contains(0) else {
            return .skipped(SkippedPlugin(directory: directory, reason: "its executable's name holds a NUL character"))
        }
        let executable = FileAccess.join(directory, manifest.executable)
        guard FileAccess.exists(executable) else {
            let hint = manifest.executable.hasPrefix(".build/") ? "; build the plugin first (swift build -c release, in its directory)" : ""
            return .skipped(SkippedPlugin(directory: directory, reason: "its executable '\(manifest.executable)' does not exist\(hint)"))
        }
        guard !FileAccess.isDirectory(executable) else {
            return .skipped(SkippedPlugin(directory: directory,
                reason: "its executable '\(manifest.executable)' is a directory; 'executable' names the program to run"))
        }
        guard access(ByteText.cString(executable), X_OK) == 0 else {
            return .skipped(SkippedPlugin(directory: directory,
                reason: "its executable '\(manifest.executable)' is not executable (chmod +x it, with a #! line for a script)"))
        }
        // What runs must be the plugin's own: '..' or a symbolic link must not lead out of its
        // directory (links within it, such as run → .build/release/tool, are fine).
        let resolvedDirectory = FileAccess.absolutePath(directory)
        let resolvedExecutable = FileAccess.absolutePath(executable)
        guard resolvedExecutable.hasPrefix(resolvedDirectory.hasSuffix("/") ? resolvedDirectory : resolvedDirectory + "/") else {
            return .skipped(SkippedPlugin(directory: directory,
                reason: "its executable '\(manifest.executable)' is outside the plugin's directory (it leads to '\(resolvedExecutable)'); a plugin runs only a program inside its directory"))
        }
        return .usable(ExternalPlugin(directory: directory, manifest: manifest, executablePath: executable))
    }

    private static func subdirectories(of directory: String) -> [String] {
        guard let stream = opendir(ByteText.cString(directory)) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = FileAccess.name(of: entry)
            if name == "." || name == ".." { continue }
            let path = FileAccess.join(directory, name)
            if FileAccess.isDirectory(path) { names.append(path) }
        }
        return names.sorted()
    }
}
