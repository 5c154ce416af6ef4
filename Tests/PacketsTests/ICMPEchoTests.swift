import NIOCore
import NetworkAddresses
import Testing

@testable import Packets

@Suite struct ICMPEchoTests {
    static let pingData = ByteBuffer(bytes: Array(0x10...0x3F))

    @Test func kernelRequestAndReply() throws {
        let request = try ICMPEcho(parsing: IPv4Packet(parsing: Fixture("kernel-icmp-echo-request").frame.payload).payload)
        let reply = try ICMPEcho(parsing: IPv4Packet(parsing: Fixture("kernel-icmp-echo-reply").frame.payload).payload)
        #expect(request.kind == .request)
        #expect(request.code == 0)
        #expect(request.sequenceNumber == 1)
        #expect(request.payload == Self.pingData)
        // The kernel's echo reply mirrors identifier, sequence number and data (RFC 792), which
        // is exactly what `reply()` makes.
        #expect(reply == request.reply())
    }

    @Test(arguments: ["kernel-icmp-echo-request", "kernel-icmp-echo-reply", "kernel-ipv4-options-record-route"]
        .map(Fixture.init))
    func writeGivesTheCapturedBytes(fixture: Fixture) throws {
        let message = try IPv4Packet(parsing: fixture.frame.payload).payload
        let echo = try ICMPEcho(parsing: message)
        var out = ByteBuffer()
        #expect(echo.write(to: &out) == message.readableBytes)
        #expect(out == message)
    }

    @Test(arguments: [0, 1, 7, 1000])
    func buildThenParseGivesTheSameValue(payloadLength: Int) throws {
        let echo = ICMPEcho(
            kind: .request, code: 0, identifier: 0xFFFF, sequenceNumber: 0xFFFE,
            payload: ByteBuffer(bytes: (0..<payloadLength).map { UInt8(truncatingIfNeeded: $0 &* 7) }))
        #expect(try ICMPEcho(parsing: echo.encoded()) == echo)
        #expect(try ICMPEcho(parsing: echo.reply().encoded()) == echo.reply())
    }

    @Test func errors() throws {
        let good = ICMPEcho(kind: .request, identifier: 1, sequenceNumber: 2, payload: Self.pingData).encoded().bytes
        var bad = good
        bad[9] ^= 1
        #expect(
            #expect(throws: PacketError.self) { try ICMPEcho(parsing: ByteBuffer(bytes: bad)) }
                == PacketError(.badChecksum, layer: "ICMP", field: "checksum", offset: 2))
        var unreachable = good
        unreachable[0] = 3
        #expect(
            #expect(throws: PacketError.self) { try ICMPEcho(parsing: ByteBuffer(bytes: unreachable)) }
                == PacketError(.badValue, layer: "ICMP", field: "type", offset: 0))
    }
}
