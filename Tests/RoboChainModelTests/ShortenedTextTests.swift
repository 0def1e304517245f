import RoboChainModel
import Testing

/// Long text in messages (a plugin's `error.message`) is cut, saying how much was.
@Suite struct ShortenedTextTests {
    @Test func textUpToTheLimitIsKept() {
        #expect(MessageText.shortened("abcdef", limit: 6) == "abcdef")
        #expect(MessageText.shortened("", limit: 0) == "")
    }

    @Test func longerTextIsCutAndCounted() {
        #expect(MessageText.shortened("abcdefgh", limit: 6) == "abcdef… (2 more characters)")
        #expect(MessageText.shortened("中文字符串", limit: 2) == "中文… (3 more characters)")
        #expect(MessageText.shortened(String(repeating: "x", count: 2001)) == String(repeating: "x", count: 2000) + "… (1 more characters)")
    }
}
