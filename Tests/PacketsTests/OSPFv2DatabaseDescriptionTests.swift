import NIOCore
import NetworkAddresses
import Packets
import Testing

@Suite struct OSPFv2DatabaseDescriptionTests {
    @Test func birdInitial() throws {
        let (_, packet) = try Fixture("bird-ospf-dd-initial").ospf
        let dd = try OSPFv2DatabaseDescription(parsing: packet)
        #expect(dd.interfaceMTU == 1500)
        #expect(dd.options == [.externalRouting, .opaque])
        #expect(dd.flags == [.initial, .more, .master])
        #expect(dd.sequenceNumber == 0xD1A9_322A)
        #expect(dd.lsaHeaders.isEmpty)
    }

    @Test func birdMasterAndSlave() throws {
        let master = try OSPFv2DatabaseDescription(parsing: try Fixture("bird-ospf-dd-master").ospf.packet)
        let slave = try OSPFv2DatabaseDescription(parsing: try Fixture("bird-ospf-dd-slave").ospf.packet)
        #expect(master.flags == [.master])
        #expect(slave.flags == [])
        // The slave answered the master's initial DD with its sequence number; the master's next is one more.
        #expect(master.sequenceNumber == slave.sequenceNumber &+ 1)
        #expect(master.lsaHeaders.count == 1)
        let header = try #require(master.lsaHeaders.first)
        #expect(header.type == .router)
        #expect(header.linkStateID == .birdB)
        #expect(header.advertisingRouter == .birdB)
        #expect(header.sequenceNumber == OSPFv2LSAHeader.initialSequenceNumber)
        #expect(header.length == 48)
        #expect(slave.lsaHeaders.map(\.advertisingRouter) == [.birdA])
    }

    @Test func roundTrip() throws {
        let header = OSPFv2LSAHeader(
            age: 7, options: .externalRouting, type: .router, linkStateID: .birdA, advertisingRouter: .birdA,
            sequenceNumber: -5, checksum: 0x1234, length: 36)
        let dd = OSPFv2DatabaseDescription(
            interfaceMTU: 9000, flags: [.more], sequenceNumber: 42, lsaHeaders: [header, header])
        #expect(try OSPFv2DatabaseDescription(parsing: dd.encoded()) == dd)
        #expect(dd.encoded().readableBytes == 8 + 40)
    }

    @Test func partialHeaderIsBadLength() {
        var buffer = OSPFv2DatabaseDescription(interfaceMTU: 1500, flags: [], sequenceNumber: 1).encoded()
        buffer.writeBytes([0, 1, 2])
        #expect(throws: PacketError(.badLength, layer: "OSPFv2 Database Description", field: "LSA header list", offset: 8)) {
            try OSPFv2DatabaseDescription(parsing: buffer)
        }
    }
}
