import RoboChainAnalysis
import RoboChainModel

/// A model `robochain plugins check` runs a plugin on, with the scope it runs at.
public struct ConformanceFixture: Sendable {
    /// A short name for the report (`tiny`, `generated`, `scenario`, a file's name).
    public var name: String
    public var model: ChainModel
    /// The scope, a region index: the model's home (or its first region).
    public var scope: Int

    public init(name: String, model: ChainModel, scope: Int? = nil) {
        self.name = name
        self.model = model
        self.scope = scope ?? model.home ?? 0
    }

    /// The fixtures built into robochain, in the order they are tried: `tiny` (a humanoid robot
    /// in 9 components, Chinese names, shares and weights given and missing, an unsupplied
    /// component, a foreign-only one, attributes), `scenario` (the tiny model as changed by
    /// `--without region:JP --relocate hds=CN-GD-SZ`, SPEC §6) and `generated` (187 components,
    /// 400 firms in 9 regions, made by a fixed rule).
    public static func builtIn() -> [ConformanceFixture] {
        [
            fixture("tiny", tinyYAML(scenario: false)),
            fixture("scenario", tinyYAML(scenario: true)),
            fixture("generated", generatedYAML()),
        ]
    }

    /// A model file as a fixture, named by the file's name.
    ///
    /// - Throws: ``ModelError`` when it does not load.
    public static func file(_ path: String) throws(ModelError) -> ConformanceFixture {
        let name = String(path.split(separator: "/").last ?? Substring(path))
        return ConformanceFixture(name: name, model: try ModelLoader.load(path: path).model)
    }

    private static func fixture(_ name: String, _ yaml: String) -> ConformanceFixture {
        do {
            return ConformanceFixture(name: name, model: try ModelLoader.loadYAML(yaml, file: "\(name).yaml").model)
        } catch {
            preconditionFailure("the built-in conformance fixture '\(name)' does not load: \(error)")
        }
    }

    static func tinyYAML(scenario: Bool) -> String {
        let firms = [
            "  - {id: ubtech, name: UBTech 优必选, region: CN-GD-SZ, supplies: [{component: humanoid, product: Walker S}, {component: robot-brain}], attributes: {listed: true, employees: 2000}}",
            "  - {id: inovance, name: Inovance 汇川技术, region: CN-GD-SZ, supplies: [{component: servo-motor, share: 0.3}, {component: joint-module}]}",
            "  - {id: leaderdrive, name: Leaderdrive 绿的谐波, region: CN-JS, supplies: [{component: harmonic-reducer, share: 0.25}]}",
            scenario
                ? "  - {id: hds, name: Harmonic Drive Systems, region: CN-GD-SZ, supplies: [{component: harmonic-reducer, share: 0.6}]}"
                : "  - {id: hds, name: Harmonic Drive Systems, region: JP, supplies: [{component: harmonic-reducer, share: 0.6}]}",
            scenario ? nil : "  - {id: nabtesco, name: Nabtesco, region: JP, supplies: [{component: rv-reducer, share: 0.6}]}",
            scenario ? nil : "  - {id: sumitomo, name: Sumitomo, region: JP, supplies: [{component: rv-reducer, share: 0.2}]}",
            "  - {id: estun, name: Estun 埃斯顿, region: CN-JS, supplies: [{component: rv-reducer}]}",
            "  - {id: nvidia, name: NVIDIA, region: US, supplies: [{component: ai-chip, share: 0.8}]}",
            "  - {id: horizon, name: Horizon Robotics 地平线, region: CN, supplies: [{component: ai-chip, share: 0.1}]}",
            "  - {id: orbbec, name: Orbbec 奥比中光, region: CN-GD-SZ, supplies: [{component: camera, share: 0.4}]}",
            "  - {id: sony, name: Sony, region: JP, supplies: [{component: camera, share: 0.5}]}",
            "  - {id: siemens, name: Siemens, region: DE, supplies: [{component: servo-motor, share: 0.2}]}",
        ].compactMap { $0 }
        return """
            id: check-\(scenario ? "scenario" : "tiny")
            title: Conformance fixture\(scenario ? " (without region:JP, relocate hds=CN-GD-SZ)" : "")
            home: CN-GD
            regions:
              - {id: CN, name: China 中国}
              - {id: CN-GD, name: Guangdong 广东, parent: CN}
              - {id: CN-GD-SZ, name: Shenzhen 深圳, parent: CN-GD}
              - {id: CN-JS, name: Jiangsu 江苏, parent: CN}
              - {id: JP, name: Japan 日本}
              - {id: US, name: United States}
              - {id: DE, name: Germany}
            segments:
              - {id: brain, name: Brain 大脑, order: 1}
              - {id: senses, name: Senses 五官, order: 2}
              - {id: limbs, name: Limbs 肢体, order: 3}
              - {id: body, name: Body 整机, order: 4}
            components:
              - id: humanoid
                name: Humanoid robot 人形机器人
                segment: body
                requires:
                  - {component: joint-module, weight: 0.45}
                  - {component: robot-brain, weight: 0.25}
                  - {component: camera}
              - id: joint-module
                name: Joint module 关节模组
                segment: limbs
                requires:
                  - {component: rv-reducer, weight: 0.3}
                  - {component: harmonic-reducer, weight: 0.2}
                  - {component: servo-motor}
              - {id: rv-reducer, name: RV reducer RV减速器, segment: limbs}
              - {id: harmonic-reducer, name: Harmonic reducer 谐波减速器, segment: limbs}
              - {id: servo-motor, name: Servo motor 伺服电机, segment: limbs}
              - {id: robot-brain, name: Robot brain 机器人大脑, segment: brain, requires: [{component: ai-chip, weight: 0.6}]}
              - {id: ai-chip, name: AI chip 芯片, segment: brain}
              - {id: camera, name: Depth camera 深度相机, segment: senses}
              - {id: tactile-sensor, name: Tactile sensor 触觉传感器, segment: senses}
            firms:

            """ + firms.joined(separator: "\n") + "\n"
    }

    /// 4 segments, a root requiring 9 assemblies, each requiring 25 parts (6 of them shared
    /// with the next assembly), and 400 firms in 9 regions; shares from a fixed linear
    /// congruential sequence, so the model is the same every time.
    static func generatedYAML() -> String {
        var state: UInt64 = 20_261_202
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let regions = ["CN", "CN-GD", "CN-GD-SZ", "CN-GD-GZ", "CN-JS", "JP", "US", "DE", "KR"]
        let parents = ["CN": nil, "CN-GD": "CN", "CN-GD-SZ": "CN-GD", "CN-GD-GZ": "CN-GD", "CN-JS": "CN"] as [String: String?]
        let segments = ["brain", "senses", "limbs", "body"]
        var lines = ["id: check-generated", "title: Generated conformance fixture", "home: CN-GD", "regions:"]
        for region in regions {
            let parent = (parents[region] ?? nil).map { ", parent: \($0)" } ?? ""
            lines.append("  - {id: \(region), name: Region \(region)\(parent)}")
        }
        lines.append("components:")
        lines.append("  - id: robot")
        lines.append("    name: Generated robot 机器人")
        lines.append("    segment: body")
        lines.append("    requires:")
        for assembly in 0..<9 { lines.append("      - {component: assembly-\(assembly), weight: 0.1}") }
        var parts: [String] = []
        for assembly in 0..<9 {
            lines.append("  - id: assembly-\(assembly)")
            lines.append("    name: Assembly \(assembly) 组件")
            lines.append("    segment: \(segments[assembly % 3])")
            lines.append("    requires:")
            for part in 0..<25 {
                // The last 6 parts of an assembly are the first 6 of the next one.
                let number = assembly * 19 + part
                let weight = part % 5 == 4 ? "" : ", weight: 0.03"
                lines.append("      - {component: part-\(number)\(weight)}")
            }
        }
        for number in 0..<(8 * 19 + 25) { parts.append("part-\(number)") }
        for (index, part) in parts.enumerated() {
            lines.append("  - {id: \(part), name: Part \(index) 零件, segment: \(segments[index % 3])}")
        }
        lines.append("firms:")
        for firm in 0..<400 {
            var supplied: Set<String> = []
            var supplies: [String] = []
            for _ in 0..<(1 + next(3)) {
                let drawn = next(parts.count + 9)
                let component = drawn < parts.count ? parts[drawn] : "assembly-\(drawn - parts.count)"
                guard supplied.insert(component).inserted else { continue }
                let share = next(4) == 0 ? "" : ", share: 0.0\(1 + next(9))"
                supplies.append("{component: \(component)\(share)}")
            }
            lines.append("  - {id: firm-\(firm), name: Firm \(firm) 公司, region: \(regions[next(regions.count)]), supplies: [\(supplies.joined(separator: ", "))]}")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
