import NIOCore
import NetworkAddresses
import Packets
import Testing

@Suite struct OSPFv2LinkStateAcknowledgmentTests {
    @Test func birdAcknowledgesTheLSAItReceived() throws {
        let ack = try OSPFv2LinkStateAcknowledgment(parsing: try Fixture("bird-ospf-lsack").ospf.packet)
        let update = try OSPFv2LinkStateUpdate(parsing: try Fixture("bird-ospf-lsu").ospf.packet)
        let acked = try #require(ack.lsaHeaders.first)
        let sent = try #require(update.lsas.first)
        #expect(ack.lsaHeaders.count == 1)
        #expect(acked.key == sent.key)
        #expect(acked.isSameInstance(as: sent.header))
    }

    @Test func roundTrip() throws {
        let ack = OSPFv2LinkStateAcknowledgment(lsaHeaders: [
            OSPFv2LSAHeader(
                age: 3600, options: [], type: .summaryNetwork, linkStateID: .birdA, advertisingRouter: .birdB,
                sequenceNumber: 1, checksum: 9, length: 28)
        ])
        #expect(try OSPFv2LinkStateAcknowledgment(parsing: ack.encoded()) == ack)
    }
}
