import Foundation
import RoboChainModel
import RoboChainTestSupport

typealias TemporaryDirectoryForModel = TemporaryDirectory

extension TemporaryDirectory {
    func write(_ text: String, to name: String) throws {
        _ = try write(text, to: name, executable: false)
    }
}

/// A small valid CSV model, any file of which a test can replace.
enum CSVFixture {
    static let regions = "id,name,parent\nCN,China,\nCN-GD,Guangdong,CN\n"
    static let components = "id,name,segment\nrobot,Robot,body\nhand,Hand,limbs\n"
    static let requires = "parent,child,weight\nrobot,hand,0.5\n"
    static let firms = "id,name,region\nacme,Acme,CN-GD\n"
    static let supplies = "firm,component,share\nacme,hand,0.5\n"

    static func write(
        regions: String = regions, components: String = components, requires: String? = requires,
        firms: String = firms, supplies: String = supplies, segments: String? = nil
    ) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("csv-model")
        try directory.write(regions, to: "regions.csv")
        try directory.write(components, to: "components.csv")
        if let requires { try directory.write(requires, to: "requires.csv") }
        try directory.write(firms, to: "firms.csv")
        try directory.write(supplies, to: "supplies.csv")
        if let segments { try directory.write(segments, to: "segments.csv") }
        return directory
    }

    /// The problems loading the directory gives, or [] if it loads.
    static func problems(_ directory: TemporaryDirectory) -> [String] {
        do {
            _ = try ModelLoader.loadCSV(directory: directory.path)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }
}
