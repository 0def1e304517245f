import RoboChainJSON
import RoboChainModel

/// Comparisons of models for tests.
public enum ModelComparison {
    /// The JSON form (SPEC §1.1) of `model` with each firm's supply links in component order
    /// (stably, by the components' order in the model): the same for two models that differ only
    /// in the order of their firms' links, such as a model and the one read back from its
    /// ``CSVLayout/pluginInput`` files. O(size of the model's JSON).
    public static func linksInComponentOrder(_ model: ChainModel) throws(JSONError) -> JSONValue {
        guard case .object(var root) = try JSONParser.parse(model.encodedJSON()),
              let components = root["components"]?.arrayValue, let firms = root["firms"]?.arrayValue
        else { return try JSONParser.parse(model.encodedJSON()) }
        var position: [String: Int] = [:]
        for (index, component) in components.enumerated() {
            if let id = component.objectValue?["id"]?.stringValue { position[id] = index }
        }
        func component(_ link: JSONValue) -> Int {
            (link.stringValue ?? link.objectValue?["component"]?.stringValue).flatMap { position[$0] } ?? -1
        }
        root["firms"] = .array(firms.map { firm in
            guard var object = firm.objectValue, let links = object["supplies"]?.arrayValue else { return firm }
            object["supplies"] = .array(links.enumerated()
                .sorted { (component($0.element), $0.offset) < (component($1.element), $1.offset) }.map(\.element))
            return .object(object)
        })
        return .object(root)
    }
}
