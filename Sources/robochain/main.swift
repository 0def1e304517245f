import RoboChainModel
import Foundation
let start = Date()
do {
    let loaded = try ModelLoader.load(path: CommandLine.arguments[1])
    let m = loaded.model
    print("regions \(m.regions.count) segments \(m.segments.count) components \(m.components.count) firms \(m.firms.count) links \(m.supplies.count) roots \(m.components.roots.count) warnings \(loaded.warnings.count)")
} catch {
    print("error: \(error)")
}
print(Date().timeIntervalSince(start))
