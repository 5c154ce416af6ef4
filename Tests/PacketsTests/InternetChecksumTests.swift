import NIOCore
import Testing

@testable import Packets

@Suite struct InternetChecksumTests {
    /// RFC 1071 §3's worked example: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2.
    @Test func rfc1071Example() {
        var checksum = InternetChecksum()
        checksum.add(ByteBuffer(bytes: [0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]))
        #expect(checksum.foldedSum == 0xDDF2)
        #expect(checksum.value == 0x220D)
    }

    @Test func oddPiecesCarryTheirLastByteIntoTheNext() {
        let bytes: [UInt8] = [0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xB8, 0x61, 0xC0, 0xA8]
        let whole = InternetChecksum.of(ByteBuffer(bytes: bytes))
        for split in 0...bytes.count {
            var checksum = InternetChecksum()
            checksum.add(ByteBuffer(bytes: bytes[..<split]))
            checksum.add(ByteBuffer(bytes: bytes[split...]))
            #expect(checksum.value == whole, "split at \(split)")
        }
        // An odd total is padded with a zero byte.
        #expect(InternetChecksum.of(ByteBuffer(bytes: [0x12])) == ~UInt16(0x1200))
    }

    @Test func bytesIncludingTheirChecksumVerify() {
        var bytes: [UInt8] = [0x45, 0x00, 0x00, 0x1C, 0xAB, 0xCD, 0x00, 0x00, 0x40, 0x01, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]
        let value = InternetChecksum.of(ByteBuffer(bytes: bytes))
        bytes[10] = UInt8(value >> 8)
        bytes[11] = UInt8(value & 0xFF)
        var check = InternetChecksum()
        check.add(ByteBuffer(bytes: bytes))
        #expect(check.verifies)
    }
}
