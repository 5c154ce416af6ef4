import NIOCore
import Testing

@testable import Lab

@Suite struct ProbePayloadTests {
    @Test func roundTripsThroughByteBufferWithPadding() throws {
        let probe = ProbePayload(flow: 7, sequence: 0x0102_0304_0506_0708, sentAt: 123_456_789)
        var buffer = ByteBuffer()
        let size = try ProbePayload.payloadSize(forDatagramSize: 64)
        probe.write(to: &buffer, payloadSize: size)
        #expect(size == 36)
        #expect(buffer.readableBytes == 36)
        #expect(buffer.getBytes(at: 0, length: 4) == [0x56, 0x4E, 0x4D, 0x50])
        #expect(ProbePayload(payload: buffer) == probe)
    }

    @Test func roundTripsThroughRawMemory() {
        let probe = ProbePayload(flow: 1, sequence: 42, sentAt: 99)
        var bytes = [UInt8](repeating: 0xFF, count: 30)
        bytes.withUnsafeMutableBytes { probe.write(into: $0) }
        #expect(bytes.withUnsafeBytes { ProbePayload(bytes: $0) } == probe)
        #expect(ProbePayload(payload: ByteBuffer(bytes: bytes)) == probe)
    }

    @Test func strayDatagramsAreNotProbes() {
        #expect(ProbePayload(payload: ByteBuffer(bytes: [UInt8](repeating: 0, count: 40))) == nil)
        #expect(ProbePayload(payload: ByteBuffer(bytes: [0x56, 0x4E, 0x4D, 0x50, 0, 0])) == nil)
    }

    @Test func sizesAreIPDatagramSizes() throws {
        #expect(try ProbePayload.payloadSize(forDatagramSize: 1500) == 1472)
        #expect(throws: ProbeError.datagramTooSmall(51, minimum: 52)) {
            try ProbePayload.payloadSize(forDatagramSize: 51)
        }
        #expect(throws: ProbeError.datagramTooLarge(70_000)) { try ProbePayload.payloadSize(forDatagramSize: 70_000) }
    }
}
