import NIOCore
import NetworkAddresses
import Testing

@testable import Packets

@Suite struct ARPPacketTests {
    @Test func kernelRequest() throws {
        let frame = try Fixture("kernel-arp-request").frame
        #expect(frame.destination == .broadcast)
        #expect(frame.etherType == .arp)
        let arp = try ARPPacket(parsing: frame.payload)
        #expect(
            arp
                == ARPPacket(
                    operation: .request, senderHardwareAddress: .vnmpkA, senderProtocolAddress: .vnmpkA,
                    targetHardwareAddress: .zero, targetProtocolAddress: .vnmpkB))
    }

    @Test func kernelReply() throws {
        let frame = try Fixture("kernel-arp-reply").frame
        #expect(frame.destination == .vnmpkA)
        let arp = try ARPPacket(parsing: frame.payload)
        #expect(
            arp
                == ARPPacket(
                    operation: .reply, senderHardwareAddress: .vnmpkB, senderProtocolAddress: .vnmpkB,
                    targetHardwareAddress: .vnmpkA, targetProtocolAddress: .vnmpkA))
    }

    @Test(arguments: ["kernel-arp-request", "kernel-arp-reply", "scapy-vlan-arp"].map(Fixture.init))
    func writeGivesTheCapturedBytes(fixture: Fixture) throws {
        let frame = try fixture.frame
        let arp = try ARPPacket(parsing: frame.payload)
        var out = ByteBuffer()
        #expect(arp.write(to: &out) == 28)
        #expect(out == frame.payload)
    }

    @Test func rejectsOtherHardwareAndProtocolTypes() throws {
        let good = try Fixture("kernel-arp-request").frame.payload.bytes
        let cases: [(mutate: Int, expected: PacketError)] = [
            (1, PacketError(.badValue, layer: "ARP", field: "hardware type", offset: 0)),
            (3, PacketError(.badValue, layer: "ARP", field: "protocol type", offset: 2)),
            (4, PacketError(.badLength, layer: "ARP", field: "hardware length", offset: 4)),
            (5, PacketError(.badLength, layer: "ARP", field: "protocol length", offset: 5)),
        ]
        for (mutate, expected) in cases {
            var bytes = good
            bytes[mutate] ^= 0x10
            let error = #expect(throws: PacketError.self) { try ARPPacket(parsing: ByteBuffer(bytes: bytes)) }
            #expect(error == expected)
        }
    }
}
