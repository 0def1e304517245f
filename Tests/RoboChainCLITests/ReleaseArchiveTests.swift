import Foundation
import RoboChainModel
import RoboChainTestSupport
import Testing

/// The archive `ROBOCHAIN_ARCHIVE` names, if set. Set but empty (`scripts/package.sh` failed
/// in `ROBOCHAIN_ARCHIVE=$(bash scripts/package.sh) swift test …`) runs the tests, which fail.
let releaseArchive = ProcessInfo.processInfo.environment["ROBOCHAIN_ARCHIVE"]

/// The release archive (`scripts/package.sh`): what it holds, what its binary needs from the
/// system, and that it runs and installs from a fresh directory with a clean environment (no
/// Swift on PATH, no LD_LIBRARY_PATH). Building the archive takes a release build, so these
/// tests run only when `ROBOCHAIN_ARCHIVE` names one; `.ci/run` builds it and sets it.
@Suite(.enabled(if: releaseArchive != nil, "set ROBOCHAIN_ARCHIVE to an archive scripts/package.sh wrote"))
struct ReleaseArchiveTests {
    static var archive: String? { releaseArchive }

    /// The libraries the binary may link: glibc's, the C++ runtime every Debian has, and
    /// Graphviz's runtime library (package libgvc6 with libcgraph6 and libcdt5). Not libxml2:
    /// `.xlsx` parts are read by RoboChain's own XMLScanner (issue 20).
    static let allowedLibraries: Set<String> = [
        "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libutil.so.1",
        "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "libstdc++.so.6", "libgcc_s.so.1",
        "libgvc.so.6", "libcgraph.so.6", "libcdt.so.5", "libpathplan.so.4", "libxdot.so.4",
        // zlib (a dependency of libgvc6 too) for .xlsx archives.
        "libz.so.1",
    ]

    /// The archive unpacked into a new directory; returns the directory and the archive's root.
    func unpack() throws -> (TemporaryDirectory, URL) {
        let archive = try #require(Self.archive)
        let directory = try TemporaryDirectory("archive")
        let result = try CommandRunner.run("/bin/tar", ["-xzf", archive, "-C", directory.path])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        let name = URL(fileURLWithPath: archive).lastPathComponent.replacingOccurrences(of: ".tar.gz", with: "")
        return (directory, directory.url.appendingPathComponent(name))
    }

    /// Runs a command with a clean environment (PATH=/usr/bin:/bin, HOME in a temporary
    /// directory, nothing else) in `directory`.
    func clean(_ command: [String], in directory: URL, path: String = "/usr/bin:/bin", home: String) throws -> CommandResult {
        try CommandRunner.run("/usr/bin/env", ["-i", "PATH=\(path)", "HOME=\(home)", "NO_COLOR=1"] + command, directory: directory)
    }

    @Test func nameAndContents() throws {
        let archive = try #require(Self.archive)
        #expect(!archive.isEmpty, "ROBOCHAIN_ARCHIVE is empty: scripts/package.sh failed")
        let name = URL(fileURLWithPath: archive).lastPathComponent
        #expect(name == "robochain-\(RoboChainVersion.current)-linux-x86_64.tar.gz"
            || name == "robochain-\(RoboChainVersion.current)-linux-arm64.tar.gz")
        let (directory, root) = try unpack()
        defer { directory.remove() }
        for file in [
            "bin/robochain", "share/man/man1/robochain.1", "share/bash-completion/completions/robochain",
            "share/zsh/site-functions/_robochain", "share/fish/vendor_completions.d/robochain.fish", "install.sh", "uninstall.sh",
            "README.md", "LICENSE", "Models/guangdong-robots.yaml", "docs/plugins.md", "plugins/SupplierConcentration/plugin.json",
            "plugins/SupplierConcentration/run.py",
        ] {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(file).path), "\(file)")
        }
        let page = try String(contentsOf: root.appendingPathComponent("share/man/man1/robochain.1"), encoding: .utf8)
        #expect(page.contains(".Dt ROBOCHAIN 1"))
        #expect(page.contains(#"gap detection (\[u8865]\[u94FE], \[u5361]\[u8116]\[u5B50])"#), "Chinese kept as roff escapes")
    }

    @Test func theBinaryNeedsOnlyGlibcLibstdcxxAndGraphviz() throws {
        let (directory, root) = try unpack()
        defer { directory.remove() }
        let binary = root.appendingPathComponent("bin/robochain").path
        let dynamic = try CommandRunner.run("/usr/bin/readelf", ["-d", binary])
        #expect(dynamic.exitStatus == 0)
        let needed = dynamic.standardOutput.split(separator: "\n").compactMap { line -> String? in
            guard line.contains("(NEEDED)"), let open = line.lastIndex(of: "["), let close = line.lastIndex(of: "]") else { return nil }
            return String(line[line.index(after: open)..<close])
        }
        #expect(needed.contains("libgvc.so.6") && needed.contains("libc.so.6"))
        #expect(Set(needed).subtracting(Self.allowedLibraries).isEmpty, "unexpected libraries: \(Set(needed).subtracting(Self.allowedLibraries))")
        #expect(!needed.contains { $0.hasPrefix("libswift") || $0.hasPrefix("libFoundation") || $0.hasPrefix("libdispatch") })
        #expect(!needed.contains { $0.hasPrefix("libxml2") }, "no libxml2: RoboChain reads .xlsx parts itself")

        // Every library resolves, and none comes from a -dev package or from the Swift toolchain.
        let resolved = try CommandRunner.run("/usr/bin/env", ["-i", "/usr/bin/ldd", binary])
        #expect(resolved.exitStatus == 0)
        #expect(!resolved.standardOutput.contains("not found"), "\(resolved.standardOutput)")
        let paths = resolved.standardOutput.split(separator: "\n").compactMap { line -> String? in
            guard let arrow = line.range(of: "=> ") else { return nil }
            return line[arrow.upperBound...].split(separator: " ").first.map(String.init)
        }
        #expect(!paths.isEmpty)
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg") else { return }
        for path in paths {
            let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            var owner = try CommandRunner.run("/usr/bin/dpkg", ["-S", real])
            if owner.exitStatus != 0 { owner = try CommandRunner.run("/usr/bin/dpkg", ["-S", path]) }
            if owner.exitStatus != 0, path.hasPrefix("/lib/") {  // merged /usr: dpkg may know /usr/lib
                owner = try CommandRunner.run("/usr/bin/dpkg", ["-S", "/usr" + path])
            }
            #expect(owner.exitStatus == 0, "\(path) belongs to no package")
            let packages = owner.standardOutput.split(separator: ":").first.map(String.init) ?? ""
            #expect(!packages.contains("-dev"), "\(path) comes from \(packages)")
        }
    }

    @Test func runsValidateAnalyzeAndRenderFromAFreshDirectory() throws {
        let (directory, root) = try unpack()
        defer { directory.remove() }
        let home = directory.path
        let robochain = root.appendingPathComponent("bin/robochain").path
        let version = try clean([robochain, "--version"], in: root, home: home)
        #expect(version.standardOutput == RoboChainVersion.current + "\n")

        let validate = try clean([robochain, "validate", "Models/guangdong-robots.yaml"], in: root, home: home)
        #expect(validate.exitStatus == 0, "\(validate.standardError)")
        #expect(validate.standardError == "")
        let expected = try CommandRunner.robochain(["validate", "Models/guangdong-robots.yaml"])
        #expect(validate.standardOutput == expected.standardOutput, "the same summary as the debug build's")

        let analyze = try clean([robochain, "analyze", "Models/guangdong-robots.yaml", "--format", "json"], in: root, home: home)
        #expect(analyze.exitStatus == 0)
        let expectedAnalysis = try CommandRunner.robochain(["analyze", "Models/guangdong-robots.yaml", "--format", "json"])
        #expect(analyze.standardOutput == expectedAnalysis.standardOutput)

        // A workbook model, written and read back by the release binary: its XML is read by
        // RoboChain's own scanner, with no libxml2 on the system's side.
        let book = directory.url.appendingPathComponent("g.xlsx").path
        let convert = try clean([robochain, "convert", "Models/guangdong-robots.yaml", "--output", book], in: root, home: home)
        #expect(convert.exitStatus == 0, "\(convert.standardError)")
        let fromBook = try clean([robochain, "analyze", book, "--format", "json"], in: root, home: home)
        #expect(fromBook.exitStatus == 0, "\(fromBook.standardError)")
        #expect(fromBook.standardOutput == expectedAnalysis.standardOutput)

        for format in ["png", "svg", "pdf"] {
            let output = directory.url.appendingPathComponent("map.\(format)").path
            let render = try clean([robochain, "render", "Models/guangdong-robots.yaml", "--with", "gap-detection", "--with", "localisation-share",
                "--output", output], in: root, home: home)
            #expect(render.exitStatus == 0, "\(render.standardError)")
            #expect(!render.standardError.contains("warning"), "\(render.standardError)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: output))
            #expect(bytes.count > 10_000)
            let magic = Array(bytes.prefix(4))
            switch format {
            case "png": #expect(magic == [0x89, 0x50, 0x4E, 0x47])
            case "pdf": #expect(magic == Array("%PDF".utf8))
            default: #expect(String(decoding: bytes, as: UTF8.self).contains("<svg"))
            }
        }

        let plugin = try CommandRunner.run("/usr/bin/env", ["-i", "PATH=/usr/bin:/bin", "HOME=\(home)", "ROBOCHAIN_PLUGIN_PATH=plugins",
            robochain, "analyze", "Models/guangdong-robots.yaml", "--with", "supplier-concentration", "--format", "json"], directory: root)
        #expect(plugin.exitStatus == 0, "the example plugin runs from the archive: \(plugin.standardError)")
    }

    /// The archive on a debootstrapped Debian 12 with only libgvc6 and fonts-wqy-microhei
    /// (`scripts/check-archive-debian.sh`): where debootstrap is installed and the tests run as root.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/debootstrap") && getuid() == 0,
        "needs debootstrap and root"))
    func runsOnADebianWithOnlyTheRuntimePackages() throws {
        let archive = try #require(Self.archive)
        let result = try CommandRunner.run("/bin/bash", ["scripts/check-archive-debian.sh", archive], timeout: 900)
        #expect(result.exitStatus == 0, "\(result.standardError.suffix(3000))")
        #expect(result.standardError.hasSuffix("runs on Debian 12 with only libgvc6 and fonts-wqy-microhei\n"))
    }

    @Test func installsManPageAndCompletionsAndUninstalls() throws {
        let (directory, root) = try unpack()
        defer { directory.remove() }
        let prefix = directory.url.appendingPathComponent("prefix").path
        let home = directory.path
        let install = try clean(["/bin/bash", "install.sh", prefix], in: root, home: home)
        #expect(install.exitStatus == 0, "\(install.standardError)")
        #expect(install.standardError.contains("robochain \(RoboChainVersion.current) installed in \(prefix)"))
        let manifest = try String(contentsOfFile: prefix + "/share/robochain/installed-files", encoding: .utf8)
        #expect(manifest == """
            bin/robochain
            share/man/man1/robochain.1
            share/bash-completion/completions/robochain
            share/zsh/site-functions/_robochain
            share/fish/vendor_completions.d/robochain.fish

            """)

        let path = "\(prefix)/bin:/usr/bin:/bin"
        let help = try clean(["robochain", "--help"], in: directory.url, path: path, home: home)
        #expect(help.exitStatus == 0)
        #expect(help.standardOutput.hasPrefix("OVERVIEW: Map an industry chain and find where it is weak."))
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/man") {
            // man finds PREFIX/share/man from PREFIX/bin on PATH.
            let page = try clean(["man", "-w", "robochain"], in: directory.url, path: path, home: home)
            #expect(page.standardOutput == prefix + "/share/man/man1/robochain.1\n", "\(page.standardError)")
        }
        let completion = try clean(["/bin/bash", "-c", """
            source '\(prefix)/share/bash-completion/completions/robochain'
            COMP_WORDS=(robochain analyze '\(root.path)/Models/guangdong-robots.yaml' --scope CN-GD-S); COMP_CWORD=4
            COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
            _robochain robochain CN-GD-S --scope
            printf '%s\\n' "${COMPREPLY[@]}"
            """], in: directory.url, path: path, home: home)
        #expect(completion.standardOutput == "CN-GD-SZ\n", "\(completion.standardError)")

        let uninstall = try clean(["/bin/bash", "uninstall.sh", prefix], in: root, home: home)
        #expect(uninstall.exitStatus == 0, "\(uninstall.standardError)")
        let left = FileManager.default.enumerator(atPath: prefix)?.allObjects as? [String] ?? []
        #expect(left.isEmpty, "left behind: \(left)")
    }
}
