import NIOCore
import NetworkAddresses
import Packets

/// ARP requests as a router sends them (RFC 826), from the guest or from the data plane.
enum ARPRequest {
    static func frame(asking target: IPv4Address, from interface: VirtualInterface) -> ByteBuffer {
        let request = ARPPacket(
            operation: .request, senderHardwareAddress: interface.mac, senderProtocolAddress: interface.address,
            targetHardwareAddress: .zero, targetProtocolAddress: target)
        return EthernetFrame(destination: .broadcast, source: interface.mac, etherType: .arp, payload: request.encoded())
            .encoded()
    }

    /// A gratuitous ARP reply (RFC 5227 §3's ARP announcement, as a reply so that every cache
    /// updates): sender and target are the interface's own address, sent to broadcast.
    static func gratuitousReply(for interface: VirtualInterface) -> ByteBuffer {
        let reply = ARPPacket(
            operation: .reply, senderHardwareAddress: interface.mac, senderProtocolAddress: interface.address,
            targetHardwareAddress: .broadcast, targetProtocolAddress: interface.address)
        return EthernetFrame(destination: .broadcast, source: interface.mac, etherType: .arp, payload: reply.encoded())
            .encoded()
    }
}
