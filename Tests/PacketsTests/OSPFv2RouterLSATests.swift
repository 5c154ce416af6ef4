import NIOCore
import NetworkAddresses
import Packets
import Testing

@Suite struct OSPFv2RouterLSATests {
    @Test func roundTripWithTOSAndFlags() throws {
        let body = OSPFv2RouterLSA(
            flags: [.areaBorder, .asBoundary],
            links: [
                .pointToPoint(neighbor: .birdB, interfaceAddress: .birdA, metric: 10),
                OSPFv2RouterLSA.Link(
                    linkID: IPv4Address(10, 0, 0, 0), linkData: .mask(prefixLength: 8), type: .stub, metric: 1,
                    tosMetrics: [.init(tos: 2, metric: 7)]),
            ])
        #expect(try OSPFv2RouterLSA(parsing: body.encoded()) == body)
        #expect(body.encoded().readableBytes == 4 + 12 + 16)
    }

    @Test func linkCountMustMatchTheBytes() {
        var bytes = OSPFv2RouterLSA(links: [.stub(network: .birdA, mask: .broadcast, metric: 1)]).encoded()
        bytes.writeBytes([0, 0, 0, 0])
        #expect(throws: PacketError(.badLength, layer: "OSPFv2 router-LSA", field: "# links", offset: 2)) {
            try OSPFv2RouterLSA(parsing: bytes)
        }
        bytes.setInteger(UInt16(2), at: bytes.readerIndex + 2)
        #expect(throws: PacketError.self) { try OSPFv2RouterLSA(parsing: bytes) }
    }
}
