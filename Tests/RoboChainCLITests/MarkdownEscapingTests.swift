import RoboChainTestSupport
import Testing

/// A segment name holding Markdown and HTML is shown as typed in `analyze --format markdown`
/// (issue #16): no image is fetched, no tag reaches the page, no table cell is split.
@Suite struct MarkdownEscapingTests {
    @Test func aSegmentNameIsEscaped() throws {
        let directory = try TemporaryDirectory("markdown")
        defer { directory.remove() }
        let path = try directory.write("""
            id: m
            home: CN
            regions: [{id: CN, name: China}]
            segments: [{id: limbs, name: "![p](http://evil/p.png) <script>x</script> *b* `c` | d"}]
            components: [{id: arm, name: Arm, segment: limbs}]
            firms: [{id: f, name: F, region: CN, supplies: [arm]}]
            """, to: "m.yaml")
        let result = try CommandRunner.robochain(["analyze", path, "--with", "localisation-share", "--format", "markdown"])
        #expect(result.exitStatus == 0, "\(result.standardError)")
        let escaped = #"!\[p\](http://evil/p.png) &lt;script&gt;x&lt;/script&gt; \*b\* \`c\` \| d"#
        #expect(result.standardOutput.contains("| \(escaped) | 100 % |\n"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("| Arm | \(escaped) | 1 | 1 | 100 % | – |\n"), "\(result.standardOutput)")
        #expect(!result.standardOutput.contains("<script>"))
        #expect(!result.standardOutput.contains("![p]"))
    }
}
