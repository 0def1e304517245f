import RoboChainModel
import Testing

/// Arguments and file names that are not UTF-8 keep every byte (issue #16, item 14).
@Suite struct ByteTextTests {
    @Test func validUTF8IsItself() {
        let bytes = Array("广东/model.yaml".utf8)
        #expect(ByteText.decode(bytes) == "广东/model.yaml")
        #expect(ByteText.bytes("广东/model.yaml") == bytes)
    }

    @Test func aByteThatIsNotUTF8RoundTrips() {
        let bytes: [UInt8] = [0x6D, 0xFF, 0x2E, 0x79]  // "m", 0xFF, ".y"
        let text = ByteText.decode(bytes)
        #expect(text.unicodeScalars.map(\.value) == [0x6D, 0x10FEFF, 0x2E, 0x79])
        #expect(ByteText.bytes(text) == bytes)
        #expect(ByteText.cString(text) == [0x6D, -1, 0x2E, 0x79, 0])
    }

    @Test func brokenSequencesRoundTripByteForByte() {
        // A cut 3-byte sequence, an overlong '/', a surrogate (ED A0 80), a lone continuation byte.
        let bytes: [UInt8] = [0xE4, 0xB8, 0x41, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0x80, 0x42]
        let text = ByteText.decode(bytes)
        #expect(ByteText.bytes(text) == bytes)
        #expect(MessageText.quoted(text) == "\\xE4\\xB8A\\xC0\\xAF\\xED\\xA0\\x80\\x80B")
    }

    /// A valid name holding one of the escape scalars is escaped byte by byte, so that it cannot be
    /// taken for the byte that scalar stands for.
    @Test func anEscapeScalarInValidTextIsItsOwnBytes() {
        let bytes = Array("a\u{10FEFF}b".utf8)
        let text = ByteText.decode(bytes)
        #expect(ByteText.bytes(text) == bytes)
        #expect(MessageText.quoted(text) == "a\\xF4\\x8F\\xBB\\xBFb")
    }

    @Test func messagesShowBytesAndDoubleBackslashes() {
        #expect(MessageText.quoted(ByteText.decode([0x61, 0xFF])) == "a\\xFF")
        #expect(MessageText.quoted("a\\xFF") == "a\\\\xFF")
    }
}
