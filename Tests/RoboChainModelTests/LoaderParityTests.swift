import RoboChainModel
import RoboChainTestSupport
import Testing

/// The YAML reader (through ModelBuilder, with ids as strings) and the CSV reader (with ids as
/// bytes of the files) feed one resolver: the same invalid model in both forms gives the same
/// problems (file and line, and how an element without an id is named, aside).
@Suite struct LoaderParityTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var yaml: String
        var csv: [String: String]
    }

    static let regions = "  - {id: CN, name: China}\n  - {id: CN-GD, name: Guangdong, parent: CN}"
    static let regionsCSV = "id,name,parent\nCN,China,\nCN-GD,Guangdong,CN\n"

    static func yaml(components: String, firms: String, regions: String = regions, segments: String? = nil) -> String {
        "regions:\n\(regions)\n" + (segments.map { "segments:\n\($0)\n" } ?? "") + "components:\n\(components)\nfirms:\n\(firms)\n"
    }

    static let cases: [Case] = [
        Case(description: "duplicate firm id",
            yaml: yaml(components: "  - {id: a, name: A, segment: s}", firms: "  - {id: f, name: F, region: CN}\n  - {id: f, name: G, region: CN}"),
            csv: ["components.csv": "id,name,segment\na,A,s\n", "firms.csv": "id,name,region\nf,F,CN\nf,G,CN\n", "supplies.csv": "firm,component\n"]),
        Case(description: "unknown region and component",
            yaml: yaml(components: "  - {id: a, name: A, segment: s}", firms: "  - {id: f, name: F, region: XX, supplies: [b]}"),
            csv: ["components.csv": "id,name,segment\na,A,s\n", "firms.csv": "id,name,region\nf,F,XX\n", "supplies.csv": "firm,component\nf,b\n"]),
        Case(description: "requires cycle",
            yaml: yaml(components: "  - {id: a, name: A, segment: s, requires: [b]}\n  - {id: b, name: B, segment: s, requires: [a]}", firms: "  []"),
            csv: ["components.csv": "id,name,segment\na,A,s\nb,B,s\n", "requires.csv": "parent,child\na,b\nb,a\n", "firms.csv": "id,name,region\n",
                "supplies.csv": "firm,component\n"]),
        Case(description: "weights out of range and summing over one",
            yaml: yaml(components: "  - {id: a, name: A, segment: s, requires: [{component: b, weight: 1.5}, {component: c, weight: 0.7}, {component: d, weight: 0.6}]}\n  - {id: b, name: B, segment: s}\n  - {id: c, name: C, segment: s}\n  - {id: d, name: D, segment: s}",
                firms: "  []"),
            csv: ["components.csv": "id,name,segment\na,A,s\nb,B,s\nc,C,s\nd,D,s\n", "requires.csv": "parent,child,weight\na,b,1.5\na,c,0.7\na,d,0.6\n",
                "firms.csv": "id,name,region\n", "supplies.csv": "firm,component\n"]),
        Case(description: "share out of range and a duplicate supply",
            yaml: yaml(components: "  - {id: a, name: A, segment: s}", firms: "  - {id: f, name: F, region: CN, supplies: [{component: a, share: 2}, a]}"),
            csv: ["components.csv": "id,name,segment\na,A,s\n", "firms.csv": "id,name,region\nf,F,CN\n", "supplies.csv": "firm,component,share\nf,a,2\nf,a,\n"]),
        Case(description: "invalid id and duplicate requirement",
            yaml: yaml(components: "  - {id: \"a b\", name: A, segment: s, requires: [c, c]}\n  - {id: c, name: C, segment: s}", firms: "  []"),
            csv: ["components.csv": "id,name,segment\na b,A,s\nc,C,s\n", "requires.csv": "parent,child\na b,c\na b,c\n", "firms.csv": "id,name,region\n",
                "supplies.csv": "firm,component\n"]),
        Case(description: "unknown segment when segments are listed",
            yaml: yaml(components: "  - {id: a, name: A, segment: limbs}", firms: "  []", segments: "  - {id: body, name: Body}"),
            csv: ["segments.csv": "id,name\nbody,Body\n", "components.csv": "id,name,segment\na,A,limbs\n", "firms.csv": "id,name,region\n",
                "supplies.csv": "firm,component\n"]),
        Case(description: "a component without a name hides no other problem",
            yaml: yaml(components: "  - {id: a, segment: s}", firms: "  - {id: f, name: F, region: CN, supplies: [a, zz]}"),
            csv: ["components.csv": "id,name,segment\na,,s\n", "firms.csv": "id,name,region\nf,F,CN\n", "supplies.csv": "firm,component\nf,a\nf,zz\n"]),
        Case(description: "a component without an id: references to the lost id are not reported again",
            yaml: yaml(components: "  - {name: A, segment: s}", firms: "  - {id: f, name: F, region: CN, supplies: [a]}"),
            csv: ["components.csv": "id,name,segment\n,A,s\n", "firms.csv": "id,name,region\nf,F,CN\n", "supplies.csv": "firm,component\nf,a\n"]),
        Case(description: "a segment order that is not whole",
            yaml: yaml(components: "  - {id: a, name: A, segment: s}", firms: "  []", segments: "  - {id: s, name: S, order: 1.5}"),
            csv: ["segments.csv": "id,name,order\ns,S,1.5\n", "components.csv": "id,name,segment\na,A,s\n", "firms.csv": "id,name,region\n",
                "supplies.csv": "firm,component\n"]),
        Case(description: "ids that differ only by Unicode normalisation, and a derived segment that is no id",
            yaml: yaml(components: "  - {id: a, name: A, segment: \"s t\"}", firms: "  - {id: caf\u{E9}, name: F, region: CN}\n  - {id: cafe\u{301}, name: G, region: CN}"),
            csv: ["components.csv": "id,name,segment\na,A,s t\n", "firms.csv": "id,name,region\ncaf\u{E9},F,CN\ncafe\u{301},G,CN\n",
                "supplies.csv": "firm,component\n"]),
        Case(description: "an unknown region parent, an unknown required component and a weight of 0",
            yaml: yaml(components: "  - {id: a, name: A, segment: s, requires: [{component: zz, weight: 0}]}\n  - {id: b, name: B, segment: s}", firms: "  []",
                regions: "  - {id: CN, name: China, parent: XX}"),
            csv: ["regions.csv": "id,name,parent\nCN,China,XX\n", "components.csv": "id,name,segment\na,A,s\nb,B,s\n",
                "requires.csv": "parent,child,weight\na,zz,0\n", "firms.csv": "id,name,region\n", "supplies.csv": "firm,component\n"]),
        Case(description: "region cycle",
            yaml: yaml(components: "  []", firms: "  []", regions: "  - {id: A, name: A, parent: B}\n  - {id: B, name: B, parent: A}"),
            csv: ["regions.csv": "id,name,parent\nA,A,B\nB,B,A\n", "components.csv": "id,name,segment\n", "firms.csv": "id,name,region\n",
                "supplies.csv": "firm,component\n"]),
    ]

    /// The problems, without their "file:line: " prefixes.
    static func problems(_ error: ModelError, files: [String]) -> [String] {
        error.problems.map { problem in
            var text = problem.description
            for file in files where text.hasPrefix(file) {
                text = String(text.drop { $0 != " " }.dropFirst())
            }
            if let first = text.range(of: " (first defined at ") { text = String(text[..<first.lowerBound]) }
            text = text.replacing(/, first defined at [^)]*\)/) { _ in ", first defined at …)" }
            // YAML names an element without an id by its place in the list, CSV by its line.
            return text.replacing(/^(region|segment|component|firm) #\d+/) { "a \($0.output.1)" }
        }
    }

    @Test(arguments: cases)
    func yamlAndCSVRejectAlike(_ testCase: Case) throws {
        var yamlProblems: [String] = []
        do {
            _ = try ModelLoader.loadYAML(testCase.yaml, file: "m.yaml")
            Issue.record("the YAML loaded")
        } catch {
            yamlProblems = Self.problems(error, files: ["m.yaml"])
        }
        let directory = try TemporaryDirectory("parity")
        defer { directory.remove() }
        var files = ["regions.csv": Self.regionsCSV]
        for (name, text) in testCase.csv { files[name] = text }
        for (name, text) in files { try directory.write(text, to: name) }
        var csvProblems: [String] = []
        do {
            _ = try ModelLoader.loadCSV(directory: directory.path)
            Issue.record("the CSV loaded")
        } catch {
            csvProblems = Self.problems(error, files: files.keys.map { directory.path + "/" + $0 })
        }
        #expect(!yamlProblems.isEmpty)
        #expect(Set(yamlProblems) == Set(csvProblems), "YAML: \(yamlProblems)\nCSV: \(csvProblems)")
    }
}
