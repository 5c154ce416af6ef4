import NIOCore
import NetworkAddresses
import Testing

@testable import Packets

@Suite struct OSPFv2PacketTests {
    @Test func scapyHello() throws {
        let frame = try Fixture("scapy-ospf-hello").frame
        #expect(frame.destination == MACAddress(0x01, 0x00, 0x5E, 0x00, 0x00, 0x05))
        let ip = try IPv4Packet(parsing: frame.payload)
        #expect(ip.protocolNumber == .ospf)
        #expect(ip.destination == OSPFv2Packet.allSPFRouters)
        #expect(ip.timeToLive == 1)
        #expect(ip.typeOfService == 0xC0)  // DSCP CS6, internetwork control
        let ospf = try OSPFv2Packet(parsing: ip.payload)
        #expect(ospf.type == .hello)
        #expect(ospf.routerID == IPv4Address(1, 1, 1, 1))
        #expect(ospf.areaID == .any)
        #expect(ospf.authenticationType == .null)
        #expect(ospf.authentication == 0)
        #expect(ospf.trailer.readableBytes == 0)
        let hello = try OSPFv2Hello(parsing: ospf)
        #expect(
            hello
                == OSPFv2Hello(
                    networkMask: .mask(prefixLength: 24), helloInterval: 10, options: .externalRouting,
                    routerPriority: 1, routerDeadInterval: 40, designatedRouter: .vnmpkA,
                    backupDesignatedRouter: .any, neighbors: [IPv4Address(2, 2, 2, 2)]))
        #expect(hello.encoded() == ospf.body)
        #expect(OSPFv2Packet(hello: hello, routerID: ospf.routerID, areaID: .any).encoded() == ip.payload)
    }

    @Test func scapyLinkStateAcknowledgmentWithPassword() throws {
        let ip = try IPv4Packet(parsing: Fixture("scapy-ospf-lsack-password").frame.payload)
        let ospf = try OSPFv2Packet(parsing: ip.payload)
        #expect(ospf.type == .linkStateAcknowledgment)
        #expect(ospf.routerID == IPv4Address(2, 2, 2, 2))
        #expect(ospf.areaID == IPv4Address(0, 0, 0, 1))
        #expect(ospf.authenticationType == .simplePassword)
        #expect(ospf.authentication == OSPFv2Packet.simplePassword("vnmpass"))
        #expect(ospf.cryptographicAuthentication == nil)
        #expect(ospf.body.readableBytes == 20)  // one LSA header (§A.4.1)
        #expect(ospf.encoded() == ip.payload)
        #expect(throws: PacketError(.badValue, layer: "OSPFv2", field: "type", offset: 1)) {
            try OSPFv2Hello(parsing: ospf)
        }
    }

    @Test func checksumExcludesTheAuthenticationField() throws {
        let ip = try IPv4Packet(parsing: Fixture("scapy-ospf-lsack-password").frame.payload)
        var ospf = try OSPFv2Packet(parsing: ip.payload)
        let checksum = ospf.encoded().getInteger(at: 12, as: UInt16.self)
        ospf.authentication = OSPFv2Packet.simplePassword("other")
        #expect(ospf.encoded().getInteger(at: 12, as: UInt16.self) == checksum)
        // The password bytes can change on the wire without failing the checksum, but any
        // other byte cannot.
        var bytes = ip.payload.bytes
        bytes[20] ^= 0xFF
        #expect(throws: Never.self) { _ = try OSPFv2Packet(parsing: ByteBuffer(bytes: bytes)) }
        bytes[30] ^= 0xFF
        #expect(throws: PacketError(.badChecksum, layer: "OSPFv2", field: "checksum", offset: 12)) {
            try OSPFv2Packet(parsing: ByteBuffer(bytes: bytes))
        }
    }

    @Test func cryptographicAuthenticationKeepsTheDigestAsTrailer() throws {
        let auth = OSPFv2Packet.CryptographicAuthentication(keyID: 3, authDataLength: 16, sequenceNumber: 0x1234_5678)
        let packet = OSPFv2Packet(
            type: .databaseDescription, routerID: .vnmpkA, areaID: .any, authenticationType: .cryptographic,
            authentication: auth.field, body: ByteBuffer(bytes: [0x05, 0xDC, 0x02, 0x07, 0, 0, 0, 1]),
            trailer: ByteBuffer(repeating: 0xAB, count: 16))
        let bytes = packet.encoded()
        #expect(bytes.readableBytes == 24 + 8 + 16)
        #expect(bytes.getInteger(at: 2, as: UInt16.self) == 32)  // length excludes the digest
        #expect(bytes.getInteger(at: 12, as: UInt16.self) == 0)  // §D.4.3: no checksum
        let parsed = try OSPFv2Packet(parsing: bytes)
        #expect(parsed == packet)
        #expect(parsed.cryptographicAuthentication == auth)
    }

    @Test(arguments: [OSPFv2Packet.PacketType.hello, .databaseDescription, .linkStateRequest, .linkStateUpdate,
        .linkStateAcknowledgment])
    func buildThenParseGivesTheSameValue(type: OSPFv2Packet.PacketType) throws {
        for bodyLength in [0, 1, 20, 333] {
            let packet = OSPFv2Packet(
                type: type, routerID: IPv4Address(192, 0, 2, 1), areaID: IPv4Address(0, 0, 0, 7),
                authenticationType: .simplePassword, authentication: OSPFv2Packet.simplePassword("longer than eight"),
                body: ByteBuffer(bytes: (0..<bodyLength).map { UInt8(truncatingIfNeeded: $0 &* 13) }))
            #expect(try OSPFv2Packet(parsing: packet.encoded()) == packet)
        }
    }

    @Test func helloRoundTripsWithManyNeighbors() throws {
        let hello = OSPFv2Hello(
            networkMask: .mask(prefixLength: 30), helloInterval: 0xFFFF, options: [.externalRouting, .opaque, .down],
            routerPriority: 0, routerDeadInterval: .max, designatedRouter: .vnmpkA, backupDesignatedRouter: .vnmpkB,
            neighbors: (1...50).map { IPv4Address(rawValue: $0) })
        #expect(try OSPFv2Hello(parsing: hello.encoded()) == hello)
        var odd = hello.encoded()
        odd.writeInteger(UInt16(0))
        #expect(throws: PacketError(.badLength, layer: "OSPFv2 Hello", field: "neighbor list", offset: 20)) {
            try OSPFv2Hello(parsing: odd)
        }
    }

    @Test func simplePasswordField() {
        #expect(OSPFv2Packet.simplePassword("") == 0)
        #expect(OSPFv2Packet.simplePassword("a") == 0x6100_0000_0000_0000)
        #expect(OSPFv2Packet.simplePassword("12345678") == 0x3132_3334_3536_3738)
        #expect(OSPFv2Packet.simplePassword("123456789") == 0x3132_3334_3536_3738)
    }

    @Test func headerErrors() throws {
        let good = try IPv4Packet(parsing: Fixture("scapy-ospf-hello").frame.payload).payload.bytes
        func error(_ mutate: (inout [UInt8]) -> Void) -> PacketError? {
            var bytes = good
            mutate(&bytes)
            return #expect(throws: PacketError.self) {
                try OSPFv2Packet(parsing: ByteBuffer(bytes: bytes), verifyingChecksum: false)
            }
        }
        #expect(error { $0[0] = 3 } == PacketError(.badVersion, layer: "OSPFv2", field: "version", offset: 0))
        #expect(error { $0[1] = 6 } == PacketError(.badValue, layer: "OSPFv2", field: "type", offset: 1))
        #expect(error { $0[3] = 23 } == PacketError(.badLength, layer: "OSPFv2", field: "packet length", offset: 2))
        #expect(error { $0[3] = 49 } == PacketError(.truncated, layer: "OSPFv2", field: "packet length", offset: 2))
    }
}
