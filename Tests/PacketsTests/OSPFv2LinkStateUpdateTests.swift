import NIOCore
import NetworkAddresses
import Packets
import Testing

@Suite struct OSPFv2LinkStateUpdateTests {
    @Test func birdRouterLSA() throws {
        let update = try OSPFv2LinkStateUpdate(parsing: try Fixture("bird-ospf-lsu").ospf.packet)
        #expect(update.lsas.count == 1)
        let lsa = try #require(update.lsas.first)
        #expect(lsa.checksumVerifies)
        #expect(lsa.header.type == .router)
        #expect(lsa.header.advertisingRouter == .birdA)
        #expect(lsa.header.age == 1)  // InfTransDelay added on the way out
        #expect(lsa.header.checksum == 0x41F1)
        #expect(
            try lsa.routerLSA
                == OSPFv2RouterLSA(links: [
                    .stub(network: IPv4Address(10, 98, 0, 0), mask: .mask(prefixLength: 30), metric: 10),
                    .stub(network: IPv4Address(10, 98, 11, 0), mask: .mask(prefixLength: 24), metric: 10),
                ]))
    }

    @Test func countMustMatch() throws {
        var body = try Fixture("bird-ospf-lsu").ospf.packet.body
        body.setInteger(UInt32(2), at: body.readerIndex)
        #expect(throws: PacketError(.badLength, layer: "OSPFv2 Link State Update", field: "# LSAs", offset: 0)) {
            try OSPFv2LinkStateUpdate(parsing: body)
        }
    }

    @Test func roundTripSeveral() throws {
        let a = OSPFv2LSA(advertisingRouter: .birdA, sequenceNumber: OSPFv2LSAHeader.initialSequenceNumber, router: .init(links: []))
        let b = OSPFv2LSA(
            options: .externalRouting, type: .summaryNetwork, linkStateID: IPv4Address(10, 1, 0, 0), advertisingRouter: .birdB,
            sequenceNumber: 3, body: OSPFv2SummaryLSA(networkMask: .mask(prefixLength: 16), metric: 20).encoded())
        let update = OSPFv2LinkStateUpdate(lsas: [a, b])
        #expect(try OSPFv2LinkStateUpdate(parsing: update.encoded()) == update)
    }
}
