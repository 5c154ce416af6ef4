import NIOCore
import NetworkAddresses
import Packets
import Testing

@Suite struct OSPFv2LSATests {
    @Test func originatedRouterLSAMatchesBIRDsBytes() throws {
        // BIRD's router-LSA, rebuilt from its values: same length, checksum and bytes.
        let bird = try OSPFv2LinkStateUpdate(parsing: try Fixture("bird-ospf-lsu").ospf.packet).lsas[0]
        let ours = OSPFv2LSA(
            age: 1, options: [.externalRouting, .opaque], advertisingRouter: .birdA,
            sequenceNumber: OSPFv2LSAHeader.initialSequenceNumber, router: try bird.routerLSA)
        #expect(ours.encoded().bytes == bird.encoded().bytes)
    }

    @Test func badChecksumIsAnError() throws {
        var bytes = try OSPFv2LinkStateUpdate(parsing: try Fixture("bird-ospf-lsu").ospf.packet).lsas[0].encoded()
        bytes.setInteger(UInt8(99), at: bytes.readerIndex + 30)
        #expect(throws: PacketError(.badChecksum, layer: "OSPFv2 LSA", field: "LS checksum", offset: 16)) {
            try OSPFv2LSA(parsing: bytes)
        }
        #expect(try OSPFv2LSA(parsing: bytes, verifyingChecksum: false).checksumVerifies == false)
    }

    @Test func lengthBelowHeaderIsAnError() throws {
        var bytes = OSPFv2LSA(advertisingRouter: .birdA, sequenceNumber: 1, router: .init(links: [])).encoded()
        bytes.setInteger(UInt16(19), at: bytes.readerIndex + 18)
        #expect(throws: PacketError(.badLength, layer: "OSPFv2 LSA", field: "length", offset: 18)) {
            try OSPFv2LSA(parsing: bytes, verifyingChecksum: false)
        }
    }

    @Test func networkAndSummaryBodies() throws {
        let network = OSPFv2NetworkLSA(networkMask: .mask(prefixLength: 24), attachedRouters: [.birdA, .birdB])
        let lsa = OSPFv2LSA(
            options: .externalRouting, type: .network, linkStateID: IPv4Address(10, 0, 0, 1), advertisingRouter: .birdA,
            sequenceNumber: 1, body: network.encoded())
        let parsed = try OSPFv2LSA(parsing: lsa.encoded())
        #expect(try parsed.networkLSA == network)
        #expect(throws: PacketError.self) { try parsed.routerLSA }
        let summary = OSPFv2SummaryLSA(networkMask: .mask(prefixLength: 8), metric: 0xFF_FFFF, tosEntries: [0x0100_0005])
        #expect(try OSPFv2SummaryLSA(parsing: summary.encoded()) == summary)
    }

    @Test func newerInstance() {
        func header(_ sequence: Int32, _ checksum: UInt16, _ age: UInt16) -> OSPFv2LSAHeader {
            OSPFv2LSAHeader(
                age: age, options: [], type: .router, linkStateID: .birdA, advertisingRouter: .birdA, sequenceNumber: sequence,
                checksum: checksum, length: 24)
        }
        #expect(header(2, 1, 100).isNewer(than: header(1, 9, 0)))
        #expect(header(-5, 1, 0).isNewer(than: header(Int32(bitPattern: 0x8000_0001), 1, 0)))
        #expect(header(1, 9, 100).isNewer(than: header(1, 1, 0)))
        #expect(header(1, 1, 3600).isNewer(than: header(1, 1, 10)))
        #expect(header(1, 1, 10).isNewer(than: header(1, 1, 1000)))
        #expect(header(1, 1, 10).isSameInstance(as: header(1, 1, 800)))
        #expect(!header(1, 1, 10).isNewer(than: header(1, 1, 800)))
    }
}
