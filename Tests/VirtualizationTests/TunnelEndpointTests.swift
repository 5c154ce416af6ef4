import NIOCore
import Packets
import Testing

@testable import Virtualization

@Suite struct TunnelEndpointTests {
    private let ab = TunnelEndpoint.Configuration(
        id: "AB", localAddress: ip("192.168.100.1"), localMAC: mac("02:aa:00:00:00:01"),
        remoteAddress: ip("192.168.100.2"), remoteMAC: mac("02:bb:00:00:00:01"), port: 9)
    private let ba = TunnelEndpoint.Configuration(
        id: "BA", localAddress: ip("192.168.100.2"), localMAC: mac("02:bb:00:00:00:01"),
        remoteAddress: ip("192.168.100.1"), remoteMAC: mac("02:aa:00:00:00:01"), port: 9)

    @Test func encapsulatedFramesComeOutWhole() throws {
        var a = TunnelEndpoint(ab)
        var b = TunnelEndpoint(ba)
        let inner = ospfFrame(from: clientIP, sourceMAC: clientMAC, sequence: 77)
        let outer = a.encapsulate(inner, router: "router-ü", interface: 3)
        let (ethernet, packet) = try #require(parsedIPv4(outer))
        #expect(ethernet.destination == ab.remoteMAC && packet.destination == ab.remoteAddress)
        #expect(b.claims(packet) && !a.claims(packet))
        let out = try b.decapsulate(packet)
        #expect(out == [TunnelEndpoint.Inner(router: "router-ü", interface: 3, sequence: 0, frame: inner)])
        #expect(a.sent == 1 && b.received == 1 && b.waiting == 0)
    }

    @Test func garbageIsRefusedNamingTheField() throws {
        var b = TunnelEndpoint(ba)
        var payload = ByteBuffer()
        payload.writeInteger(UInt32(0x1234_5678))
        payload.writeInteger(UInt32(0))
        let udp = UDPDatagram(sourcePort: TunnelEndpoint.udpPort, destinationPort: TunnelEndpoint.udpPort, payload: payload)
        let packet = IPv4Packet(source: ba.remoteAddress, destination: ba.localAddress, udp: udp)
        #expect(throws: PacketError(.badValue, layer: "vnm tunnel", field: "magic", offset: 0)) {
            try b.decapsulate(packet)
        }
        var short = ByteBuffer()
        short.writeInteger(UInt32(0x564E_4D54))
        let truncated = IPv4Packet(source: ba.remoteAddress, destination: ba.localAddress,
            udp: UDPDatagram(sourcePort: TunnelEndpoint.udpPort, destinationPort: TunnelEndpoint.udpPort, payload: short))
        #expect(throws: PacketError(.truncated, layer: "vnm tunnel", field: "header", offset: 4)) {
            try b.decapsulate(truncated)
        }
    }
}
