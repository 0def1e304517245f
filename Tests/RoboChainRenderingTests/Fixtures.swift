import RoboChainAnalysis
import RoboChainModel
import RoboChainRendering
import Testing

/// Small models and hand-made analysis results for the rendering tests.
enum Fixtures {
    /// Four components in three segments, listed out of display order; six firms in three regions.
    static let miniYAML = """
        id: mini
        title: Mini chain 小链
        home: CN-GD
        regions:
          - {id: CN, name: China 中国}
          - {id: CN-GD, name: Guangdong 广东, parent: CN}
          - {id: JP, name: Japan 日本}
        segments:
          - {id: limbs, name: Limbs 肢体, order: 2}
          - {id: brain, name: Brain 大脑, order: 1}
          - {id: body, name: Whole robots 整机, order: 3}
        components:
          - id: robot
            name: Humanoid robot 人形机器人
            segment: body
            requires: [{component: joint, weight: 0.6}, {component: chip}]
          - id: joint
            name: Joint module 关节模组
            segment: limbs
            requires: [{component: reducer, weight: 0.3}]
          - {id: reducer, name: Harmonic reducer 谐波减速器, segment: limbs}
          - {id: chip, name: AI chip 芯片, segment: brain}
        firms:
          - {id: ubtech, name: UBTech 优必选, region: CN-GD, supplies: [{component: robot}]}
          - {id: leader, name: Leaderdrive 绿的谐波, region: CN, supplies: [{component: reducer, share: 0.4}]}
          - {id: hd, name: Harmonic Drive 哈默纳科, region: JP, supplies: [{component: reducer, share: 0.6}]}
          - {id: zhaowei, name: Zhaowei 兆威, region: CN-GD, supplies: [{component: joint}, {component: reducer}]}
          - {id: huawei, name: Huawei 华为, region: CN-GD, supplies: [{component: chip}]}
          - {id: inovance, name: Inovance 汇川, region: CN-GD, supplies: [{component: joint}]}
        """

    /// Names that try to break DOT, HTML-like labels and SVG.
    static let hostileNames = [
        "Quote \" and backslash \\ end\\",
        "<TABLE> </TD> ]]> <!-- comment --> &amp; &lt; &#x41; <B>",
        "Line one\nLine two\r\nLine three\\n not a newline",
        "Emoji 🤖🦾 and 中文 and a tab\there",
        "\\\\",
        "\"\"\"",
        "}; digraph evil { x -> y } //",
    ]

    static let hostileFirm = "Firm \"One\" <&> \\ 企业"

    /// A model whose every name is hostile: one component per name in ``hostileNames``, each
    /// requiring the one before.
    static var hostileModel: ChainModel {
        get throws {
            var builder = ModelBuilder()
            builder.title = "Hostile \"title\" <b>bold</b> & \\"
            builder.addRegion(id: "CN", name: "China <中国> & \"co\"")
            builder.addRegion(id: "CN-GD", name: "Guang\\dong & 广东", parent: "CN")
            builder.setHome("CN-GD")
            builder.addSegment(id: "brain", name: "Brain <大脑> & \"co\"")
            builder.addSegment(id: "body", name: "Body\\")
            for (index, name) in hostileNames.enumerated() {
                builder.addComponent(id: "c\(index)", name: name, segment: index < 3 ? "brain" : "body")
                if index > 0 { builder.addRequirement(component: "c\(index)", child: "c\(index - 1)") }
            }
            builder.addFirm(id: "f1", name: hostileFirm, region: "CN-GD")
            builder.addSupply(firm: "f1", component: "c0")
            builder.addSupply(firm: "f1", component: "c3", share: 0.5)
            return try builder.build()
        }
    }

    /// A generated chain: `count` components spread evenly over the segments `brain`, `senses`,
    /// `limbs` and `body` (in that order), component i requiring i−1 and i/2 (so about log₂
    /// levels), with one firm per third component, alternating between `CN-GD` and `JP`.
    static func generatedModel(components count: Int) throws -> ChainModel {
        var builder = ModelBuilder()
        builder.id = "generated"
        builder.title = "Generated chain"
        builder.addRegion(id: "CN", name: "China")
        builder.addRegion(id: "CN-GD", name: "Guangdong", parent: "CN")
        builder.addRegion(id: "JP", name: "Japan")
        builder.setHome("CN-GD")
        let segments = ["brain", "senses", "limbs", "body"]
        for (order, segment) in segments.enumerated() { builder.addSegment(id: segment, name: segment.capitalized, order: order) }
        for index in 0..<count {
            builder.addComponent(id: "c\(index)", name: "Component \(index)", segment: segments[index * segments.count / count])
            if index > 0 { builder.addRequirement(component: "c\(index)", child: "c\(index - 1)") }
            if index > 1 && index / 2 != index - 1 { builder.addRequirement(component: "c\(index)", child: "c\(index / 2)") }
        }
        for index in stride(from: 0, to: count, by: 3) {
            builder.addFirm(id: "f\(index)", name: "Firm \(index)", region: index % 2 == 0 ? "CN-GD" : "JP")
            builder.addSupply(firm: "f\(index)", component: "c\(index)")
        }
        return try builder.build()
    }

    /// The same generated chain as YAML text, for the command-line tests.
    static func generatedYAML(components count: Int) -> String {
        let segments = ["brain", "senses", "limbs", "body"]
        var text = """
            id: generated
            title: Generated chain
            home: CN-GD
            regions:
              - {id: CN, name: China}
              - {id: CN-GD, name: Guangdong, parent: CN}
              - {id: JP, name: Japan}
            segments:

            """
        for (order, segment) in segments.enumerated() { text += "  - {id: \(segment), name: \(segment.capitalized), order: \(order)}\n" }
        text += "components:\n"
        for index in 0..<count {
            var requires: [String] = []
            if index > 0 { requires.append("{component: c\(index - 1)}") }
            if index > 1 && index / 2 != index - 1 { requires.append("{component: c\(index / 2)}") }
            text += "  - {id: c\(index), name: Component \(index), segment: \(segments[index * segments.count / count])"
                + (requires.isEmpty ? "" : ", requires: [\(requires.joined(separator: ", "))]") + "}\n"
        }
        text += "firms:\n"
        for index in stride(from: 0, to: count, by: 3) {
            text += "  - {id: f\(index), name: Firm \(index), region: \(index % 2 == 0 ? "CN-GD" : "JP"), supplies: [{component: c\(index)}]}\n"
        }
        return text
    }

    static var mini: ChainModel {
        get throws { try ModelLoader.loadYAML(miniYAML).model }
    }

    static func scope(_ id: String, in model: ChainModel) throws -> Int {
        try #require(model.regions.index(of: id))
    }

    /// A result in the shape localisation-share gives: fills on a scale and a percentage badge.
    static let shareLike = AnalysisResult(
        analysis: "share-like",
        annotations: [
            "robot": Annotation(fill: "#b2182b", badge: "10 %", tooltip: "Local share 10 %"),
            "joint": Annotation(fill: "#e5f5e0", badge: "90 %", tooltip: "Local share 90 %"),
        ],
        legend: [LegendEntry(label: "local share 0 %", fill: "#b2182b"), LegendEntry(label: "local share 100 %", fill: "#e5f5e0")])

    /// A result in the shape gap-detection gives: borders and badges.
    static let gapLike = AnalysisResult(
        analysis: "gap-like",
        annotations: [
            "chip": Annotation(badge: "卡脖子", tooltip: "No supplier in the country", border: "#67001f"),
            "robot": Annotation(badge: "单一", tooltip: "One local supplier", border: "#f4a582"),
        ],
        legend: [
            LegendEntry(label: "foreign-only", border: "#67001f", badge: "卡脖子"),
            LegendEntry(label: "single-local-source", border: "#f4a582", badge: "单一"),
        ])
}
