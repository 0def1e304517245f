import Foundation
import RoboChainTestSupport

/// Small plugins written by the tests: a manifest and a shell or Python script.
struct PluginFixtures {
    let root: TemporaryDirectory

    init() throws {
        root = try TemporaryDirectory("plugins")
    }

    var path: String { root.path }

    /// Writes `root/name/plugin.json` and an executable `run` script with `body`.
    @discardableResult
    func plugin(
        _ name: String, script body: String, interpreter: String = "/bin/sh", options: String = "{}",
        protocolVersion: Int = 1, directory: String? = nil, executable: Bool = true
    ) throws -> String {
        let folder = directory ?? name
        try root.write("""
            {"name": "\(name)", "version": "0.1.0", "protocol": \(protocolVersion), "executable": "run",
             "description": "test plugin \(name)", "options": \(options)}
            """, to: "\(folder)/plugin.json")
        try root.write("#!\(interpreter)\n\(body)\n", to: "\(folder)/run", executable: executable)
        return root.url.appendingPathComponent(folder).path
    }

    /// A response naming the plugin, with one finding (about a component of the model).
    static func response(_ name: String, component: String = "humanoid") -> String {
        #"{"protocol": 1, "analysis": "\#(name)", "findings": [{"component": "\#(component)", "kind": "test", "severity": "low", "message": "ok"}], "metrics": {"answer": 42}}"#
    }

    /// Runs robochain with this directory as ROBOCHAIN_PLUGIN_PATH (and no ~/.robochain).
    func robochain(_ arguments: [String], timeout: Double = 120) throws -> CommandResult {
        try CommandRunner.robochain(arguments, environment: ["ROBOCHAIN_PLUGIN_PATH": path, "HOME": root.path + "/home"],
            timeout: timeout)
    }

    func remove() { root.remove() }
}
