import NIOCore
import NetworkAddresses
import Packets
import Testing

@Suite struct OSPFv2LinkStateRequestTests {
    @Test func bird() throws {
        let request = try OSPFv2LinkStateRequest(parsing: try Fixture("bird-ospf-lsr").ospf.packet)
        #expect(request.requests == [.init(type: .router, linkStateID: .birdA, advertisingRouter: .birdA)])
    }

    @Test func roundTripAndErrors() throws {
        let request = OSPFv2LinkStateRequest(requests: [
            .init(type: .router, linkStateID: .birdA, advertisingRouter: .birdA),
            .init(type: .network, linkStateID: .birdB, advertisingRouter: .birdA),
        ])
        #expect(try OSPFv2LinkStateRequest(parsing: request.encoded()) == request)
        var bad = ByteBuffer()
        bad.writeInteger(UInt32(0x100))
        bad.writeInteger(UInt64(0))
        #expect(throws: PacketError(.badValue, layer: "OSPFv2 Link State Request", field: "LS type", offset: 0)) {
            try OSPFv2LinkStateRequest(parsing: bad)
        }
    }
}
