import NIOCore
import NetworkAddresses
import Packets
import Testing

extension Fixture {
    /// The OSPF packets BIRD 2 made on a point-to-point veth (Scripts/capture-ospf-fixtures.sh).
    static let bird = [
        "bird-ospf-hello", "bird-ospf-dd-initial", "bird-ospf-dd-master", "bird-ospf-dd-slave", "bird-ospf-lsr",
        "bird-ospf-lsu", "bird-ospf-lsack",
    ].map(Fixture.init)

    /// The fixture's IPv4 packet and the OSPF packet in it.
    var ospf: (ip: IPv4Packet, packet: OSPFv2Packet) {
        get throws {
            let ip = try IPv4Packet(parsing: try frame.payload)
            return (ip, try OSPFv2Packet(parsing: ip.payload))
        }
    }
}

extension IPv4Address {
    static let birdA = IPv4Address(10, 98, 0, 1)
    static let birdB = IPv4Address(10, 98, 0, 2)
}

/// Every BIRD-made packet parses at every layer and is rebuilt byte for byte.
@Suite struct OSPFv2BIRDFixtureTests {
    @Test(arguments: Fixture.bird)
    func rebuildsBitForBit(_ fixture: Fixture) throws {
        let (ip, packet) = try fixture.ospf
        #expect(ip.protocolNumber == .ospf)
        #expect(ip.destination == OSPFv2Packet.allSPFRouters)
        #expect(ip.timeToLive == 1)
        #expect(packet.areaID == .any)
        #expect(packet.authenticationType == .null)
        let body: ByteBuffer
        switch packet.type {
        case .hello: body = try OSPFv2Hello(parsing: packet).encoded()
        case .databaseDescription: body = try OSPFv2DatabaseDescription(parsing: packet).encoded()
        case .linkStateRequest: body = try OSPFv2LinkStateRequest(parsing: packet).encoded()
        case .linkStateUpdate: body = try OSPFv2LinkStateUpdate(parsing: packet).encoded()
        case .linkStateAcknowledgment: body = try OSPFv2LinkStateAcknowledgment(parsing: packet).encoded()
        }
        #expect(body.bytes == packet.body.bytes)
        // The packet checksum we compute equals BIRD's.
        #expect(packet.encoded().bytes == ip.payload.bytes)
    }

    @Test func hello() throws {
        let (ip, packet) = try Fixture("bird-ospf-hello").ospf
        #expect(ip.source == .birdB)
        #expect(packet.routerID == .birdB)
        let hello = try OSPFv2Hello(parsing: packet)
        #expect(
            hello
                == OSPFv2Hello(
                    networkMask: .mask(prefixLength: 30), helloInterval: 1, options: .externalRouting, routerPriority: 1,
                    routerDeadInterval: 4))
    }

    @Test func everyTruncationIsAnError() throws {
        for fixture in Fixture.bird {
            let (_, packet) = try fixture.ospf
            let body = packet.body
            for length in 0..<body.readableBytes {
                let cut = body.getSlice(at: body.readerIndex, length: length)!
                switch packet.type {
                case .hello: #expect(throws: PacketError.self) { try OSPFv2Hello(parsing: cut) }
                case .databaseDescription:
                    // After the fixed part, a cut between LSA headers is a shorter valid DD.
                    if length < 8 || (length - 8) % 20 != 0 {
                        #expect(throws: PacketError.self) { try OSPFv2DatabaseDescription(parsing: cut) }
                    }
                case .linkStateUpdate: #expect(throws: PacketError.self) { try OSPFv2LinkStateUpdate(parsing: cut) }
                case .linkStateRequest, .linkStateAcknowledgment:
                    // Lists of whole entries: a cut at an entry boundary is a shorter valid list.
                    let entry = packet.type == .linkStateRequest ? 12 : 20
                    if length % entry != 0 {
                        #expect(throws: PacketError.self) {
                            if packet.type == .linkStateRequest {
                                _ = try OSPFv2LinkStateRequest(parsing: cut)
                            } else {
                                _ = try OSPFv2LinkStateAcknowledgment(parsing: cut)
                            }
                        }
                    }
                }
            }
        }
    }
}
