import NIOCore
import NetworkAddresses
import Testing

@testable import Packets

@Suite struct EthernetFrameTests {
    @Test func kernelFrameHeader() throws {
        let frame = try Fixture("kernel-udp").frame
        #expect(frame.destination == .vnmpkB)
        #expect(frame.source == .vnmpkA)
        #expect(frame.vlan == nil)
        #expect(frame.etherType == .ipv4)
        #expect(frame.payload.readableBytes == 58 - 14)
    }

    @Test func vlanTaggedFrameFromScapy() throws {
        let frame = try Fixture("scapy-vlan-udp").frame
        #expect(frame.vlan == VLANTag(priority: 5, dropEligible: true, vlanID: 100))
        #expect(frame.vlan?.tci == 0xB064)
        #expect(frame.etherType == .ipv4)
        #expect(frame.payload.readableBytes == 58 - 18)
    }

    @Test func vlanTaggedARPFromScapy() throws {
        let frame = try Fixture("scapy-vlan-arp").frame
        #expect(frame.destination == .broadcast)
        #expect(frame.vlan == VLANTag(vlanID: 42))
        #expect(frame.etherType == .arp)
    }

    @Test(arguments: Fixture.all)
    func parseThenWriteGivesTheSameBytes(fixture: Fixture) throws {
        let frame = try fixture.frame
        var out = ByteBuffer()
        let written = frame.write(to: &out)
        #expect(written == fixture.bytes.count)
        #expect(out.bytes == fixture.bytes)
    }

    @Test func buildThenParseGivesTheSameValue() throws {
        for vlan in [nil, VLANTag(priority: 7, dropEligible: false, vlanID: 4094), VLANTag(tci: 0)] {
            let frame = EthernetFrame(
                destination: .broadcast, source: .vnmpkA, vlan: vlan, etherType: EtherType(rawValue: 0x1234),
                payload: ByteBuffer(bytes: [1, 2, 3]))
            #expect(try EthernetFrame(parsing: frame.encoded()) == frame)
        }
    }

    @Test func paddingIsOptIn() throws {
        let frame = try Fixture("scapy-vlan-arp").frame
        #expect(frame.encoded().readableBytes == 46)
        var padded = ByteBuffer()
        #expect(frame.write(to: &padded, padding: .minimumLength) == 60)
        #expect(padded.bytes.suffix(14) == Array(repeating: 0, count: 14))
        // The padding ends up in the Ethernet payload; ARP ignores it.
        let reparsed = try EthernetFrame(parsing: padded)
        #expect(reparsed.payload.readableBytes == 60 - 18)
        #expect(try ARPPacket(parsing: reparsed.payload) == ARPPacket(parsing: frame.payload))
        // Frames already long enough are not padded.
        let long = try Fixture("kernel-icmp-echo-request").frame
        #expect(long.encoded(padding: .minimumLength).readableBytes == 90)
    }

    @Test func vlanTagFieldsMaskToTheirWidth() {
        var tag = VLANTag(priority: 0xFF, dropEligible: true, vlanID: 0xFFFF)
        #expect(tag.tci == 0xFFFF)
        tag.vlanID = 0x1001
        #expect(tag.vlanID == 1)
        #expect(tag.priority == 7)
        tag.dropEligible = false
        #expect(tag.tci == 0xE001)
    }

    @Test func shortHeadersThrowTruncated() {
        let bytes = Fixture("scapy-vlan-udp").bytes
        for length in 0..<18 {
            #expect(throws: PacketError.self) {
                let frame = try EthernetFrame(parsing: ByteBuffer(bytes: bytes.prefix(length)))
                Issue.record("parsed \(length) bytes as \(frame)")
            }
        }
        let error = #expect(throws: PacketError.self) {
            try EthernetFrame(parsing: ByteBuffer(bytes: bytes.prefix(15)))
        }
        #expect(error == PacketError(.truncated, layer: "802.1Q", field: "TCI", offset: 14))
    }

    @Test func parsingHonoursTheReaderIndex() throws {
        var buffer = ByteBuffer(bytes: [0xEE, 0xEE])
        buffer.writeBytes(Fixture("kernel-arp-request").bytes)
        buffer.moveReaderIndex(forwardBy: 2)
        let frame = try EthernetFrame(parsing: buffer)
        #expect(frame.source == .vnmpkA)
        #expect(try ARPPacket(parsing: frame.payload).operation == .request)
    }
}
