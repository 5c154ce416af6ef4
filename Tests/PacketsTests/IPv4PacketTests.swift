import NIOCore
import NetworkAddresses
import Testing

@testable import Packets

@Suite struct IPv4PacketTests {
    @Test func kernelEchoRequestHeader() throws {
        let packet = try IPv4Packet(parsing: Fixture("kernel-icmp-echo-request").frame.payload)
        #expect(packet.source == .vnmpkA)
        #expect(packet.destination == .vnmpkB)
        #expect(packet.protocolNumber == .icmp)
        #expect(packet.timeToLive == 64)
        #expect(packet.typeOfService == 0)
        #expect(packet.flags == [.dontFragment])
        #expect(packet.fragmentOffset == 0)
        #expect(!packet.isFragment)
        #expect(packet.options.readableBytes == 0)
        #expect(packet.headerLength == 20)
        #expect(packet.totalLength == 76)
        #expect(packet.payload.readableBytes == 56)
    }

    @Test func kernelRecordRouteOption() throws {
        let packet = try IPv4Packet(parsing: Fixture("kernel-ipv4-options-record-route").frame.payload)
        #expect(packet.headerLength == 60)
        #expect(packet.options.readableBytes == 40)
        let options = packet.options.bytes
        // RFC 791 §3.1 Record Route: type 7, length 39, pointer 8 (the kernel filled slot 1 with
        // its own address), 9 slots; then one NOP to fill the 40 bytes.
        #expect(options.prefix(3) == [7, 39, 8])
        #expect(Array(options[3..<7]) == IPv4Address.vnmpkA.bytes)
        #expect(options.last == 1)
        #expect(packet.payload.readableBytes == 56)
        #expect(try ICMPEcho(parsing: packet.payload).kind == .request)
    }

    @Test func kernelFragmentsReassembleToAVerifiableEcho() throws {
        let first = try IPv4Packet(parsing: Fixture("kernel-ipv4-first-fragment").frame.payload)
        let last = try IPv4Packet(parsing: Fixture("kernel-ipv4-last-fragment").frame.payload)
        #expect(first.flags == [.moreFragments])
        #expect(first.fragmentOffset == 0)
        #expect(first.isFragment && last.isFragment)
        #expect(first.totalLength == 300)
        #expect(last.flags == [])
        #expect(last.fragmentOffset == 35)  // 280 bytes / 8
        #expect(last.identification == first.identification)
        #expect(first.payload.readableBytes + last.payload.readableBytes == 408)

        // The first fragment's ICMP checksum covers the whole message, so only the
        // reassembled message verifies.
        #expect(throws: PacketError.self) { try ICMPEcho(parsing: first.payload) }
        let partial = try ICMPEcho(parsing: first.payload, verifyingChecksum: false)
        #expect(partial.payload.readableBytes == 272)
        var whole = first.payload
        whole.writeImmutableBuffer(last.payload)
        let echo = try ICMPEcho(parsing: whole)
        #expect(echo.payload.bytes == (0..<400).map { UInt8(truncatingIfNeeded: $0) })
    }

    @Test func kernelEchoReplyComesBack() throws {
        let packet = try IPv4Packet(parsing: Fixture("kernel-icmp-echo-reply").frame.payload)
        #expect(packet.source == .vnmpkB)
        #expect(packet.destination == .vnmpkA)
    }

    @Test(arguments: Fixture.all)
    func parseThenWriteGivesTheSameBytes(fixture: Fixture) throws {
        let frame = try fixture.frame
        guard frame.etherType == .ipv4 else { return }
        let packet = try IPv4Packet(parsing: frame.payload)
        var out = ByteBuffer()
        #expect(packet.write(to: &out) == frame.payload.readableBytes)
        #expect(out == frame.payload)
    }

    @Test func buildThenParseGivesTheSameValue() throws {
        var packet = IPv4Packet(
            typeOfService: 0xB8, identification: 0xBEEF, flags: [.reserved, .moreFragments],
            fragmentOffset: 0x1FFF, timeToLive: 1, protocolNumber: IPProtocol(rawValue: 253),
            source: .vnmpkA, destination: .broadcast, options: ByteBuffer(bytes: [1, 1, 1, 0]),
            payload: ByteBuffer(bytes: [9, 8, 7]))
        #expect(packet.dscp == 46)
        #expect(packet.ecn == 0)
        #expect(try IPv4Packet(parsing: packet.encoded()) == packet)
        packet.ecn = 3
        #expect(packet.typeOfService == 0xBB)
        #expect(try IPv4Packet(parsing: packet.encoded()) == packet)
    }

    @Test func optionsArePaddedToWholeWordsAndCutAtForty() throws {
        var packet = IPv4Packet(
            protocolNumber: .udp, source: .vnmpkA, destination: .vnmpkB,
            options: ByteBuffer(bytes: [1, 1, 1, 1, 1]), payload: ByteBuffer())
        #expect(packet.headerLength == 28)
        #expect(try IPv4Packet(parsing: packet.encoded()).options.bytes == [1, 1, 1, 1, 1, 0, 0, 0])
        packet.options = ByteBuffer(repeating: 1, count: 50)
        #expect(packet.headerLength == 60)
        #expect(try IPv4Packet(parsing: packet.encoded()).options.readableBytes == 40)
    }

    @Test func trailingEthernetPaddingIsNotPayload() throws {
        var bytes = Fixture("kernel-udp-no-checksum").bytes
        bytes += [0, 0, 0, 0, 0, 0, 0]  // a NIC pads the 53-byte frame to 60
        let frame = try EthernetFrame(parsing: ByteBuffer(bytes: bytes))
        let packet = try IPv4Packet(parsing: frame.payload)
        #expect(packet.totalLength == 39)
        #expect(packet.payload.readableBytes == 19)
        #expect(try UDPDatagram(parsing: packet).payload == ByteBuffer(string: "no checksum"))
    }

    @Test func badHeaderChecksumIsAnErrorUnlessAskedNotToVerify() throws {
        var bytes = try Fixture("kernel-udp").frame.payload.bytes
        bytes[8] = 63  // TTL decremented without fixing the checksum
        let error = #expect(throws: PacketError.self) { try IPv4Packet(parsing: ByteBuffer(bytes: bytes)) }
        #expect(error == PacketError(.badChecksum, layer: "IPv4", field: "header checksum", offset: 10))
        let packet = try IPv4Packet(parsing: ByteBuffer(bytes: bytes), verifyingChecksum: false)
        #expect(packet.timeToLive == 63)
        // Re-building computes the right checksum.
        #expect(try IPv4Packet(parsing: packet.encoded()) == packet)
    }

    @Test func headerErrors() throws {
        let good = try Fixture("kernel-udp").frame.payload.bytes
        func error(_ mutate: (inout [UInt8]) -> Void) -> PacketError? {
            var bytes = good
            mutate(&bytes)
            return #expect(throws: PacketError.self) {
                try IPv4Packet(parsing: ByteBuffer(bytes: bytes), verifyingChecksum: false)
            }
        }
        #expect(error { $0[0] = 0x65 }?.kind == .badVersion)
        #expect(error { $0[0] = 0x44 } == PacketError(.badLength, layer: "IPv4", field: "IHL", offset: 0))
        #expect(error { $0[3] = 19 } == PacketError(.badLength, layer: "IPv4", field: "total length", offset: 2))
        #expect(error { $0[3] = 45 } == PacketError(.truncated, layer: "IPv4", field: "total length", offset: 2))
        #expect(error { $0[0] = 0x4F }?.kind == .truncated)  // 60-byte header in 44 bytes
    }
}
