import Foundation
import RoboChainTestSupport

/// Reads GraphML and GEXF files with NetworkX (`python3 -c 'import networkx'`; `scripts/setup.sh`
/// installs it) and returns what NetworkX saw, as JSON values.
enum NetworkXReader {
    /// What NetworkX read from one file; every value as `type:value` in Python's words
    /// (`int:2`, `float:0.25`, `bool:True`, `str:text`).
    struct Graph {
        /// The graph's attributes.
        var attributes: [String: String]
        /// Each node's attributes, by node id.
        var nodes: [String: [String: String]]
        /// Each edge: source, target, attributes; in file order.
        var edges: [(source: String, target: String, attributes: [String: String])]
        /// Whether NetworkX made a directed graph.
        var directed: Bool
    }

    static let script = #"""
        import json, sys
        import networkx as nx
        path, kind = sys.argv[1], sys.argv[2]
        g = nx.read_graphml(path) if kind == "graphml" else nx.read_gexf(path)
        def plain(v):
            return type(v).__name__ + ":" + (repr(v) if isinstance(v, float) else str(v))
        out = {
            "directed": g.is_directed(),
            "graph": {k: plain(v) for k, v in g.graph.items()},
            "nodes": {n: {k: plain(v) for k, v in d.items()} for n, d in g.nodes(data=True)},
            "edges": [[u, v, {k: plain(x) for k, x in d.items()}] for u, v, d in g.edges(data=True)],
        }
        json.dump(out, sys.stdout, ensure_ascii=False)
        """#

    /// Reads `path` (`kind`: `graphml` or `gexf`) with NetworkX.
    static func read(_ path: String, kind: String) throws -> Graph {
        let result = try CommandRunner.run("python3", ["-c", script, path, kind], timeout: 120)
        guard result.exitStatus == 0 else {
            throw Failure(message: "NetworkX could not read \(path) as \(kind) (install it with scripts/setup.sh): \(result.standardError)")
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any],
            let nodes = object["nodes"] as? [String: [String: String]], let edges = object["edges"] as? [[Any]]
        else { throw Failure(message: "unexpected output from the NetworkX reader: \(result.standardOutput.prefix(200))") }
        return Graph(
            attributes: object["graph"] as? [String: String] ?? [:], nodes: nodes,
            edges: edges.map { ($0[0] as! String, $0[1] as! String, $0[2] as! [String: String]) },
            directed: object["directed"] as? Bool ?? false)
    }

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
