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
        // The command-line tool: parses arguments and calls the libraries.
        .executableTarget(
            name: "robochain",
            dependencies: [
                "RoboChainModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "RoboChainModelTests", dependencies: ["RoboChainModel"]),
    ]
)
