import Testing

@testable import OpenFlow

@Suite struct AnnotatedHexTests {
    @Test func commentsAndTrailingCommentsAreSkipped() throws {
        let text = """
            # source: test
              # second comment
            04 00 00 08   # ofp_header
            00 00 00 01
            """
        let parsed = try AnnotatedHex.parse(text)
        #expect(parsed.comments == ["source: test", "second comment"])
        #expect(parsed.bytes == [4, 0, 0, 8, 0, 0, 0, 1])
    }

    @Test func aBadLineIsNamed() {
        do {
            _ = try AnnotatedHex.parse("# ok\n04 00\n0x zz\n")
            Issue.record("accepted bad hex")
        } catch {
            #expect(error.line == 3)
        }
    }
}
