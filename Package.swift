// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "RoboChain",
    // Linux only (no Apple platform is named): process handling uses glibc extensions (pipe2,
    // posix_spawn_file_actions_addchdir_np) and several modules import only Glibc. See README.
    products: [
        .executable(name: "robochain", targets: ["robochain"]),
        .library(name: "RoboChainModel", targets: ["RoboChainModel"]),
        .library(name: "RoboChainJSON", targets: ["RoboChainJSON"]),
        .library(name: "RoboChainAnalysis", targets: ["RoboChainAnalysis"]),
        // The Swift SDK for plugins: `PluginMain.run(MyAnalysis())` makes a protocol-1 executable.
        .library(name: "RoboChainPluginSDK", targets: ["RoboChainPluginSDK"]),
        .executable(name: "robochain-gap-detection", targets: ["robochain-gap-detection"]),
        .executable(name: "robochain-localisation-share", targets: ["robochain-localisation-share"]),
        .executable(name: "robochain-value-origin", targets: ["robochain-value-origin"]),
        .executable(name: "robochain-recruitment", targets: ["robochain-recruitment"]),
        .executable(name: "robochain-critical-firms", targets: ["robochain-critical-firms"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // .xlsx workbooks are zip archives; RoboChain's own XMLScanner reads their parts (no libxml2).
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        // JSON text: a value type, a parser with line numbers, a streaming writer.
        .target(name: "RoboChainJSON"),
        // The chain model, its validation and its loaders (YAML, JSON, CSV, xlsx).
        .target(
            name: "RoboChainModel",
            dependencies: [
                "RoboChainJSON", "CPrefetch", "CTermination", .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        // The public analysis API: the protocol, options, results, protocol-1 messages, SPEC measures.
        .target(name: "RoboChainAnalysis", dependencies: ["RoboChainModel", "RoboChainJSON"]),
        // The built-in analyses, each written against the public API only.
        .target(
            name: "GapDetection", dependencies: ["RoboChainAnalysis", "RoboChainModel", "RoboChainJSON"],
            path: "Plugins/GapDetection/Analysis"),
        .target(
            name: "LocalisationShare", dependencies: ["RoboChainAnalysis", "RoboChainModel", "RoboChainJSON"],
            path: "Plugins/LocalisationShare/Analysis"),
        .target(
            name: "ValueOrigin", dependencies: ["RoboChainAnalysis", "RoboChainModel", "RoboChainJSON"],
            path: "Plugins/ValueOrigin/Analysis"),
        .target(
            name: "Recruitment", dependencies: ["RoboChainAnalysis", "RoboChainModel", "RoboChainJSON"],
            path: "Plugins/Recruitment/Analysis"),
        .target(
            name: "CriticalFirms", dependencies: ["RoboChainAnalysis", "RoboChainModel", "RoboChainJSON"],
            path: "Plugins/CriticalFirms/Analysis"),
        // The Swift SDK for external plugins.
        .target(name: "RoboChainPluginSDK", dependencies: ["RoboChainAnalysis", "RoboChainModel", "RoboChainJSON"]),
        // The built-in analyses built as external plugins, to prove the SDK gives the same results.
        .executableTarget(
            name: "robochain-gap-detection", dependencies: ["GapDetection", "RoboChainPluginSDK"],
            path: "Plugins/GapDetection/Executable"),
        .executableTarget(
            name: "robochain-localisation-share", dependencies: ["LocalisationShare", "RoboChainPluginSDK"],
            path: "Plugins/LocalisationShare/Executable"),
        .executableTarget(
            name: "robochain-value-origin", dependencies: ["ValueOrigin", "RoboChainPluginSDK"],
            path: "Plugins/ValueOrigin/Executable"),
        .executableTarget(
            name: "robochain-recruitment", dependencies: ["Recruitment", "RoboChainPluginSDK"],
            path: "Plugins/Recruitment/Executable"),
        .executableTarget(
            name: "robochain-critical-firms", dependencies: ["CriticalFirms", "RoboChainPluginSDK"],
            path: "Plugins/CriticalFirms/Executable"),
        // Two glibc extensions spawning needs (pipe2, posix_spawn_file_actions_addchdir_np).
        .target(name: "CSpawn"),
        // A cache prefetch hint, for batched id-index look-ups (Swift has no intrinsic for it).
        .target(name: "CPrefetch"),
        // Cleanup when robochain is stopped by a signal: child processes killed, temporary files removed.
        .target(name: "CTermination"),
        // Child processes run in isolation: own process group, concurrent pipes, timeouts, limits.
        // (RoboChainModel for ByteText: paths and arguments that are not UTF-8 reach exec as bytes.)
        .target(name: "RoboChainProcess", dependencies: ["CSpawn", "CTermination", "RoboChainModel"]),
        // The plugin host: the registry of built-ins, external plugins, option assignment, running.
        .target(
            name: "RoboChainPluginHost",
            dependencies: [
                "RoboChainAnalysis", "RoboChainModel", "RoboChainJSON", "RoboChainProcess", "CTermination", "GapDetection",
                "LocalisationShare", "ValueOrigin", "Recruitment", "CriticalFirms",
            ]),
        // The C binding to Graphviz (libgvc); a shim header, no copied headers.
        .systemLibrary(
            name: "CGraphviz", path: "Sources/CGraphviz", pkgConfig: "libgvc",
            providers: [.apt(["libgraphviz-dev"])]),
        // The chain map: a deterministic DOT document, laid out and rendered by Graphviz in process.
        .target(
            name: "RoboChainRendering",
            dependencies: ["CGraphviz", "CSpawn", "CTermination", "RoboChainModel", "RoboChainAnalysis", "RoboChainJSON"]),
        // Comparison of two runs (SPEC §7): findings and values matched generically.
        .target(name: "RoboChainComparison", dependencies: ["RoboChainAnalysis", "RoboChainModel", "RoboChainJSON"]),
        // Graph exchange: the chain as GraphML and GEXF for Gephi, Cytoscape and NetworkX (pure Swift).
        .target(name: "RoboChainGraphExchange", dependencies: ["RoboChainModel", "RoboChainAnalysis"]),
        // Reports: table, Markdown, CSV and JSON output; the validate summary; atomic output files.
        .target(
            name: "RoboChainReports",
            dependencies: ["CTermination", "RoboChainAnalysis", "RoboChainModel", "RoboChainJSON", "RoboChainComparison"]),
        // The results as an .xlsx workbook: a sheet per table, written as SpreadsheetML, zipped by ZIPFoundation.
        .target(
            name: "RoboChainWorkbook",
            dependencies: [
                "RoboChainAnalysis", "RoboChainModel", "RoboChainReports", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        // The results as one self-contained HTML page: the map as inline SVG, tables, charts.
        .target(name: "RoboChainHTMLReport", dependencies: ["RoboChainAnalysis", "RoboChainModel", "RoboChainReports", "RoboChainJSON"]),
        // The command-line tool: parses arguments and calls the libraries.
        .executableTarget(
            name: "robochain",
            dependencies: [
                "RoboChainModel", "RoboChainJSON", "RoboChainAnalysis", "RoboChainPluginHost", "RoboChainReports", "RoboChainRendering",
                "RoboChainComparison", "RoboChainGraphExchange", "RoboChainWorkbook", "RoboChainHTMLReport", "CTermination",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Helpers for the tests: running the built binary, golden files, temporary directories.
        .target(name: "RoboChainTestSupport", dependencies: ["RoboChainProcess", "RoboChainModel", "RoboChainJSON"]),
        .testTarget(name: "RoboChainJSONTests", dependencies: ["RoboChainJSON"]),
        .testTarget(
            name: "RoboChainModelTests",
            dependencies: [
                "RoboChainModel", "RoboChainJSON", "RoboChainTestSupport", "CTermination",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "RoboChainAnalysisTests",
            dependencies: [
                "RoboChainAnalysis", "RoboChainModel", "RoboChainJSON", "GapDetection", "LocalisationShare",
                "ValueOrigin", "Recruitment", "CriticalFirms", "RoboChainPluginHost", "RoboChainTestSupport", "robochain",
            ]),
        .testTarget(
            name: "RoboChainPluginHostTests",
            dependencies: [
                "RoboChainPluginHost", "RoboChainAnalysis", "RoboChainModel", "RoboChainJSON", "RoboChainProcess",
                "RoboChainTestSupport", "robochain",
                "robochain-gap-detection", "robochain-localisation-share", "robochain-value-origin", "robochain-recruitment",
                "robochain-critical-firms",
            ]),
        .testTarget(
            name: "RoboChainRenderingTests",
            dependencies: ["RoboChainRendering", "RoboChainModel", "RoboChainAnalysis", "RoboChainTestSupport", "robochain"],
            exclude: ["Golden"]),
        .testTarget(
            name: "RoboChainComparisonTests",
            dependencies: [
                "RoboChainComparison", "RoboChainAnalysis", "RoboChainModel", "RoboChainJSON", "RoboChainReports",
                "RoboChainRendering", "RoboChainTestSupport", "robochain",
            ],
            exclude: ["Golden"]),
        .testTarget(
            name: "RoboChainGraphExchangeTests",
            dependencies: ["RoboChainGraphExchange", "RoboChainModel", "RoboChainAnalysis", "RoboChainTestSupport", "robochain"]),
        .testTarget(
            name: "RoboChainCLITests",
            dependencies: [
                "RoboChainReports", "RoboChainModel", "RoboChainTestSupport", "robochain",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["Golden"]),
        .testTarget(
            name: "RoboChainOutputTests",
            dependencies: [
                "RoboChainWorkbook", "RoboChainHTMLReport", "RoboChainReports", "RoboChainAnalysis", "RoboChainModel",
                "RoboChainTestSupport", "robochain",
            ]),
    ]
)

// libFuzzer targets (Tests/Fuzz), only with ROBOCHAIN_FUZZ=1, so that normal builds never meet
// -sanitize=fuzzer: `ROBOCHAIN_FUZZ=1 swift build --build-path .build/fuzz
// -Xswiftc -sanitize=fuzzer,address --product FuzzYAMLModel` (scripts/fuzz.sh runs them all).
if Context.environment["ROBOCHAIN_FUZZ"] == "1" {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzYAMLModel", ["RoboChainModel"]),
        ("FuzzJSONModel", ["RoboChainModel"]),
        ("FuzzCSVModel", ["RoboChainModel"]),
        ("FuzzWorkbookModel", ["RoboChainModel"]),
        ("FuzzWorkbookParts", ["RoboChainModel", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        ("FuzzPluginResponse", ["RoboChainAnalysis", "RoboChainJSON", "RoboChainPluginHost"]),
        ("FuzzPluginManifest", ["RoboChainAnalysis"]),
    ]
    package.targets.append(.target(name: "CFuzzerDriver", path: "Tests/Fuzz/CFuzzerDriver"))
    for target in fuzzTargets {
        package.targets.append(.executableTarget(
            name: target.name, dependencies: target.dependencies + ["CFuzzerDriver"], path: "Tests/Fuzz/\(target.name)"))
    }
}
