import RoboChainTestSupport
import Testing

/// Long ids quoted in `validate`'s warnings are cut: a firm id of 8 MB was printed whole.
@Suite struct LongIDWarningTests {
    @Test func aLongIdleFirmIsCut() throws {
        let id = String(repeating: "Q", count: 8 << 20)
        let yaml = """
            id: m
            home: CN
            regions: [{id: CN, name: China}]
            components: [{id: arm, name: Arm, segment: limbs}]
            firms:
              - {id: f, name: F, region: CN, supplies: [arm]}
              - {id: \(id), name: Idle, region: CN}
            """
        let result = try CommandRunner.run(CommandRunner.product("robochain"), ["validate", "-"], input: Array(yaml.utf8))
        #expect(result.exitStatus == 0, "\(result.standardError.prefix(2000))")
        #expect(result.standardOutput.count < 4000, "\(result.standardOutput.count) characters")
        #expect(result.standardOutput.contains("  1 firm supplies nothing: " + String(repeating: "Q", count: 120) + "… (8388608 bytes in all)\n"),
            "\(result.standardOutput.prefix(2000))")
    }
}
