#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import RoboChainAnalysis
import RoboChainModel

/// `robochain plugins install` and `remove`: plugins in the user's plugin directory,
/// `~/.robochain/plugins` (SPEC §5), one sub-directory per plugin, named as the plugin.
public enum PluginInstallation {
    /// How a plugin is installed.
    public enum Mode: String, Sendable {
        /// A copy of its directory, without `.build` and `.git` except the executable (a Swift
        /// plugin's `.build/release/NAME`): the installed plugin does not change when its
        /// sources do.
        case copy
        /// A symbolic link to its directory: the installed plugin is the working copy, rebuilt
        /// in place.
        case link
    }

    /// The user's plugin directory, `~/.robochain/plugins`.
    ///
    /// - Throws: ``PluginHostError/installation(_:)`` when `HOME` is not set.
    public static func userDirectory(environment: [String: String]) throws(PluginHostError) -> String {
        guard let directory = PluginDiscovery.homeDirectory(environment: environment) else {
            throw .installation("HOME is not set, so there is no ~/.robochain/plugins to install into")
        }
        return directory
    }

    /// Installs the plugin in `source` into `directory`, after checking it as discovery does.
    ///
    /// - Parameters:
    ///   - source: The plugin's directory (holding `plugin.json`).
    ///   - directory: The user's plugin directory (created when missing).
    ///   - mode: Copy or link.
    ///   - replace: Whether an installed plugin of the same name is replaced.
    /// - Returns: The installed plugin, as discovery now finds it.
    /// - Throws: ``PluginHostError/installation(_:)`` naming the problem: a manifest or
    ///   executable discovery would skip, a name a built-in has, an existing installation
    ///   (without `replace`), a file that cannot be copied.
    public static func install(
        _ source: String, into directory: String, mode: Mode, replace: Bool
    ) throws(PluginHostError) -> ExternalPlugin {
        let plugin: ExternalPlugin
        switch PluginDiscovery.load(source) {
        case .skipped(let skipped):
            throw .installation("'\(source)' cannot be installed: \(skipped.reason)")
        case .usable(let usable):
            plugin = usable
        }
        let name = plugin.manifest.name
        if BuiltinAnalyses.all.contains(where: { $0.name == name }) {
            throw .installation("'\(name)' is the name of a built-in analysis, so the plugin would never run; rename it in plugin.json")
        }
        let target = FileAccess.join(directory, name)
        if FileAccess.absolutePath(target) == plugin.directory {
            throw .installation("'\(source)' is the installed plugin itself")
        }
        if exists(target) {
            guard replace else {
                throw .installation("'\(target)' exists already; remove it with 'robochain plugins remove \(name)', or give --force to replace it")
            }
            try removeTree(target)
        }
        try makeDirectories(directory)
        switch mode {
        case .link:
            guard symlink(plugin.directory, target) == 0 else {
                throw .installation("cannot link '\(target)' to '\(plugin.directory)': \(systemError())")
            }
        case .copy:
            do {
                try copyTree(plugin.directory, to: target, keeping: plugin.manifest.executable)
            } catch {
                try? removeTree(target)
                throw error
            }
        }
        switch PluginDiscovery.load(target) {
        case .usable(let installed): return installed
        case .skipped(let skipped):
            try? removeTree(target)
            throw .installation("the installed copy is not usable, so it was removed: \(skipped.reason)")
        }
    }

    /// Removes the plugin `name` from `directory`: the link, or the copied directory.
    ///
    /// - Returns: What was removed.
    /// - Throws: ``PluginHostError/installation(_:)`` when no plugin of that name is there.
    public static func remove(_ name: String, from directory: String) throws(PluginHostError) -> String {
        let target = FileAccess.join(directory, name)
        if exists(target) {
            try removeTree(target)
            return target
        }
        // A plugin installed by hand under another directory name.
        let (plugins, skipped) = PluginDiscovery.discover(environment: ["ROBOCHAIN_PLUGIN_PATH": directory])
        if let plugin = plugins.first(where: { $0.manifest.name == name }) {
            try removeTree(plugin.directory)
            return plugin.directory
        }
        if let broken = skipped.first(where: { $0.directory.hasSuffix("/" + name) }) {
            try removeTree(broken.directory)
            return broken.directory
        }
        throw .installation("no plugin '\(name)' is installed in \(directory)")
    }

    // MARK: - Files

    static func systemError() -> String { String(cString: strerror(errno)) }

    /// Whether anything (a link included, even a dangling one) is at `path`.
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(ByteText.cString(path), &status) == 0
    }

    static func makeDirectories(_ path: String) throws(PluginHostError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(ByteText.cString(prefix), 0o755) != 0 && errno != EEXIST {
                throw .installation("cannot create '\(MessageText.quoted(prefix, limit: 4096))': \(systemError())")
            }
        }
    }

    /// Copies `source` to `target` (which must not exist): directories, and regular files with
    /// their permission bits; a symbolic link is copied as what it points to (a plugin may link
    /// to a shared helper by a relative path the copy would break); `.build` and `.git` left out
    /// except the path `keeping` (relative to `source`).
    static func copyTree(_ source: String, to target: String, keeping: String) throws(PluginHostError) {
        func copy(_ relative: String) throws(PluginHostError) {
            let from = relative.isEmpty ? source : source + "/" + relative
            let to = relative.isEmpty ? target : target + "/" + relative
            var status = stat()
            guard stat(ByteText.cString(from), &status) == 0 else { throw .installation("cannot read '\(MessageText.quoted(from, limit: 4096))': \(systemError())") }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                guard mkdir(ByteText.cString(to), 0o755) == 0 else { throw .installation("cannot create '\(MessageText.quoted(to, limit: 4096))': \(systemError())") }
                for name in entries(of: from) {
                    let child = relative.isEmpty ? name : relative + "/" + name
                    if name == ".build" || name == ".git" {
                        // Only what leads to the executable.
                        if keeping.hasPrefix(child + "/") { try copyPath(keeping, from: source, to: target) }
                        continue
                    }
                    try copy(child)
                }
            case S_IFREG:
                try copyFile(from, to: to, mode: status.st_mode & 0o7777)
            default:
                break  // sockets, FIFOs, devices: not part of a plugin
            }
        }
        try copy("")
    }

    /// Copies one file at `relative` under `source` to the same place under `target`, making
    /// the directories on the way.
    static func copyPath(_ relative: String, from source: String, to target: String) throws(PluginHostError) {
        let parts = relative.split(separator: "/")
        var directory = target
        for part in parts.dropLast() {
            directory += "/" + part
            if mkdir(ByteText.cString(directory), 0o755) != 0 && errno != EEXIST { throw .installation("cannot create '\(MessageText.quoted(directory, limit: 4096))': \(systemError())") }
        }
        var status = stat()
        guard stat(ByteText.cString(source + "/" + relative), &status) == 0 else { throw .installation("cannot read '\(MessageText.quoted(source + "/" + relative, limit: 4096))': \(systemError())") }
        try copyFile(source + "/" + relative, to: target + "/" + relative, mode: status.st_mode & 0o7777)
    }

    static func copyFile(_ from: String, to: String, mode: mode_t) throws(PluginHostError) {
        let input = open(ByteText.cString(from), O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .installation("cannot read '\(MessageText.quoted(from, limit: 4096))': \(systemError())") }
        defer { close(input) }
        let output = open(ByteText.cString(to), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard output >= 0 else { throw .installation("cannot create '\(MessageText.quoted(to, limit: 4096))': \(systemError())") }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(input, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw .installation("cannot read '\(MessageText.quoted(from, limit: 4096))': \(systemError())") }
            if count == 0 { break }
            var written = 0
            while written < count {
                let done = buffer.withUnsafeBytes { write(output, $0.baseAddress! + written, count - written) }
                if done < 0 && errno == EINTR { continue }
                guard done > 0 else { throw .installation("cannot write '\(MessageText.quoted(to, limit: 4096))': \(systemError())") }
                written += done
            }
        }
        fchmod(output, mode)
    }

    /// Removes `path`: a link or file itself (never what a link points to), a directory with
    /// everything in it.
    static func removeTree(_ path: String) throws(PluginHostError) {
        var status = stat()
        guard lstat(ByteText.cString(path), &status) == 0 else { return }
        if status.st_mode & S_IFMT == S_IFDIR {
            for name in entries(of: path) { try removeTree(path + "/" + name) }
            guard rmdir(ByteText.cString(path)) == 0 else { throw .installation("cannot remove '\(MessageText.quoted(path, limit: 4096))': \(systemError())") }
        } else {
            guard unlink(ByteText.cString(path)) == 0 else { throw .installation("cannot remove '\(MessageText.quoted(path, limit: 4096))': \(systemError())") }
        }
    }

    static func entries(of directory: String) -> [String] {
        guard let stream = opendir(ByteText.cString(directory)) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = FileAccess.name(of: entry)
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

extension AnalysisRunner {
    /// The request `analysis` would be sent on `model` at `scope` with `options` (SPEC §5):
    /// what `robochain plugins request` writes.
    ///
    /// - Parameters:
    ///   - csvDirectory: For a plugin whose manifest says `"input": "csv"`: the directory to
    ///     write the model's CSV files into (created when missing), which the request names.
    ///   - language: The language the request asks for (`"lang"`), as `analyze` sends it.
    /// - Throws: ``PluginHostError/installation(_:)`` when the CSV files cannot be written.
    public static func request(
        for analysis: AvailableAnalysis, model: ChainModel, scope: Int, options: OptionValues, csvDirectory: String?,
        language: Language? = nil
    ) throws(PluginHostError) -> [UInt8] {
        let request = PluginRequest(analysis: analysis.name, scope: scope, options: options, model: model, language: language)
        guard case .external(let plugin) = analysis.origin, plugin.manifest.input == .csv else {
            return request.encode(.json(model.encodedJSON()))
        }
        guard let csvDirectory else {
            throw .installation("'\(analysis.name)' takes the model as CSV files (\"input\": \"csv\"): give --model-directory DIR to write them to")
        }
        try PluginInstallation.makeDirectories(csvDirectory)
        do {
            try ChainModel.write(model.csvFiles(.pluginInput), into: csvDirectory)
        } catch {
            throw .installation("cannot write the model's CSV files into '\(csvDirectory)': \(error)")
        }
        return request.encode(.directory(FileAccess.absolutePath(csvDirectory)))
    }
}
