// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "RoboChain",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "robochain", targets: ["robochain"]),
        .library(name: "RoboChainModel", targets: ["RoboChainModel"]),
        .library(name: "RoboChainJSON", targets: ["RoboChainJSON"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // JSON text: a value type, a parser with line numbers, a streaming writer.
        .target(name: "RoboChainJSON"),
        // The chain model, its validation and its loaders (YAML, JSON, CSV).
        .target(
            name: "RoboChainModel",
            dependencies: ["RoboChainJSON", .product(name: "Yams", package: "Yams")]),
        // The public analysis API: the protocol, options, results, protocol-1 messages, SPEC measures.
        .target(name: "RoboChainAnalysis", dependencies: ["RoboChainModel", "RoboChainJSON"]),
        // The built-in analyses, each written against the public API only.
        .target(
            name: "GapDetection", dependencies: ["RoboChainAnalysis", "RoboChainModel", "RoboChainJSON"],
            path: "Plugins/GapDetection/Analysis"),
        .target(
            name: "LocalisationShare", dependencies: ["RoboChainAnalysis", "RoboChainModel", "RoboChainJSON"],
            path: "Plugins/LocalisationShare/Analysis"),
        // The plugin host: the registry of built-ins, external plugins, option assignment, running.
        .target(
            name: "RoboChainPluginHost",
            dependencies: ["RoboChainAnalysis", "RoboChainModel", "GapDetection", "LocalisationShare"]),
        // Reports: table, Markdown, CSV and JSON output; the validate summary; atomic output files.
        .target(name: "RoboChainReports", dependencies: ["RoboChainAnalysis", "RoboChainModel", "RoboChainJSON"]),
        // The command-line tool: parses arguments and calls the libraries.
        .executableTarget(
            name: "robochain",
            dependencies: [
                "RoboChainModel", "RoboChainAnalysis", "RoboChainPluginHost", "RoboChainReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "RoboChainModelTests", dependencies: ["RoboChainModel"]),
    ]
)
