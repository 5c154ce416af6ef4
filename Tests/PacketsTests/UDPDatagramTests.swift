import NIOCore
import NetworkAddresses
import Testing

@testable import Packets

@Suite struct UDPDatagramTests {
    @Test func kernelDatagramWithChecksum() throws {
        let packet = try IPv4Packet(parsing: Fixture("kernel-udp").frame.payload)
        #expect(packet.protocolNumber == .udp)
        let udp = try UDPDatagram(parsing: packet)
        #expect(
            udp
                == UDPDatagram(
                    sourcePort: 4000, destinationPort: 5000, checksummed: true,
                    payload: ByteBuffer(string: "vnm udp fixture\n")))
        #expect(udp.encoded(source: packet.source, destination: packet.destination) == packet.payload)
    }

    @Test func kernelDatagramWithoutChecksum() throws {
        let packet = try IPv4Packet(parsing: Fixture("kernel-udp-no-checksum").frame.payload)
        let udp = try UDPDatagram(parsing: packet)
        #expect(!udp.checksummed)
        #expect(udp.sourcePort == 4001)
        #expect(udp.payload == ByteBuffer(string: "no checksum"))
        #expect(udp.encoded(source: packet.source, destination: packet.destination) == packet.payload)
        // Zero means "none", so the datagram parses even against the wrong pseudo-header.
        #expect(throws: Never.self) {
            _ = try UDPDatagram(parsing: packet.payload, source: .broadcast, destination: .any)
        }
    }

    @Test func scapyDatagramInAVLAN() throws {
        let frame = try Fixture("scapy-vlan-udp").frame
        let packet = try IPv4Packet(parsing: frame.payload)
        #expect(packet.identification == 1)
        let udp = try UDPDatagram(parsing: packet)
        #expect(udp.payload == ByteBuffer(string: "vlan fixture"))
        #expect(udp.encoded(source: packet.source, destination: packet.destination) == packet.payload)
    }

    @Test func checksumCoversThePseudoHeader() throws {
        let packet = try IPv4Packet(parsing: Fixture("kernel-udp").frame.payload)
        let error = #expect(throws: PacketError.self) {
            try UDPDatagram(parsing: packet.payload, source: .vnmpkB, destination: .vnmpkB)
        }
        #expect(error == PacketError(.badChecksum, layer: "UDP", field: "checksum", offset: 6))
        #expect(throws: Never.self) {
            _ = try UDPDatagram(parsing: packet.payload, source: .vnmpkB, destination: .vnmpkB, verifyingChecksum: false)
        }
    }

    @Test func aComputedZeroChecksumIsSentAsAllOnes() throws {
        // Find a payload whose checksum computes to zero: vary two bytes until it does.
        let source = IPv4Address.vnmpkA
        let destination = IPv4Address.vnmpkB
        var found: UDPDatagram?
        for high in UInt8.min...UInt8.max where found == nil {
            for low in UInt8.min...UInt8.max {
                let udp = UDPDatagram(sourcePort: 1, destinationPort: 2, payload: ByteBuffer(bytes: [high, low]))
                var sum = InternetChecksum()
                sum.addPseudoHeader(source: source, destination: destination, protocolNumber: .udp, length: 10)
                sum.add(ByteBuffer(bytes: [0, 1, 0, 2, 0, 10, high, low]))
                if sum.value == 0 {
                    found = udp
                    break
                }
            }
        }
        let udp = try #require(found)
        let bytes = udp.encoded(source: source, destination: destination).bytes
        #expect(bytes[6...7] == [0xFF, 0xFF])
        #expect(try UDPDatagram(parsing: ByteBuffer(bytes: bytes), source: source, destination: destination) == udp)
    }

    @Test(arguments: [true, false])
    func buildThenParseGivesTheSameValue(checksummed: Bool) throws {
        for length in [0, 1, 2, 3, 1472] {
            let udp = UDPDatagram(
                sourcePort: 65535, destinationPort: 0, checksummed: checksummed,
                payload: ByteBuffer(bytes: (0..<length).map { UInt8(truncatingIfNeeded: $0) }))
            let bytes = udp.encoded(source: .vnmpkA, destination: .broadcast)
            #expect(try UDPDatagram(parsing: bytes, source: .vnmpkA, destination: .broadcast) == udp)
        }
    }

    @Test func lengthErrors() throws {
        let good = UDPDatagram(sourcePort: 1, destinationPort: 2, checksummed: false, payload: ByteBuffer(string: "abc"))
            .encoded(source: .any, destination: .any).bytes
        var short = good
        short[5] = 7
        #expect(
            #expect(throws: PacketError.self) { try UDPDatagram(parsing: ByteBuffer(bytes: short), source: .any, destination: .any) }
                == PacketError(.badLength, layer: "UDP", field: "length", offset: 4))
        var long = good
        long[5] = 12
        #expect(
            #expect(throws: PacketError.self) { try UDPDatagram(parsing: ByteBuffer(bytes: long), source: .any, destination: .any) }
                == PacketError(.truncated, layer: "UDP", field: "length", offset: 0))
        // Bytes after Length are ignored.
        #expect(
            try UDPDatagram(parsing: ByteBuffer(bytes: good + [0, 0]), source: .any, destination: .any).payload
                == ByteBuffer(string: "abc"))
    }

    @Test func notUDP() throws {
        let packet = try IPv4Packet(parsing: Fixture("kernel-icmp-echo-request").frame.payload)
        #expect(throws: PacketError(.badValue, layer: "IPv4", field: "protocol", offset: 9)) {
            try UDPDatagram(parsing: packet)
        }
    }

    @Test func buildsTheKernelsPacket() throws {
        let captured = try IPv4Packet(parsing: Fixture("kernel-udp").frame.payload)
        let built = IPv4Packet(
            source: .vnmpkA, destination: .vnmpkB,
            udp: UDPDatagram(sourcePort: 4000, destinationPort: 5000, payload: ByteBuffer(string: "vnm udp fixture\n")),
            identification: captured.identification, flags: .dontFragment)
        #expect(built == captured)
        #expect(try built.encoded() == Fixture("kernel-udp").frame.payload)
    }

    @Test func fragmentsMustBeReassembledFirst() throws {
        var packet = try IPv4Packet(parsing: Fixture("kernel-udp").frame.payload)
        packet.flags = [.moreFragments]
        #expect(throws: PacketError(.badValue, layer: "IPv4", field: "flags (fragment)", offset: 6)) {
            try UDPDatagram(parsing: packet)
        }
    }
}
