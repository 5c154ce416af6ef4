import NIOCore
import NetworkAddresses
import Packets

@testable import Virtualization

func at(_ seconds: Double) -> NIODeadline { .uptimeNanoseconds(UInt64((seconds * 1e9).rounded())) }
func ip(_ text: String) -> IPv4Address { IPv4Address(text)! }
func mac(_ text: String) -> MACAddress { MACAddress(text)! }

/// A router with two interfaces: 10.0.1.1/24 (port 1 side) and 10.0.2.1/24 (port 2 side).
func routerConfiguration(
    _ name: VirtualRouterID = "r1", macSuffix: UInt8 = 1, forwarding: ForwardingMode = .planeSeparated,
    memoryPages: Int = 512, workload: GuestWorkload = .quiet, seed: UInt64 = 7
) -> VirtualMachineConfiguration {
    VirtualMachineConfiguration(
        router: name,
        interfaces: [
            VirtualInterface(name: "eth0", mac: MACAddress(0x02, 0, 0, 0, 1, macSuffix), address: ip("10.0.1.1"), prefixLength: 24),
            VirtualInterface(name: "eth1", mac: MACAddress(0x02, 0, 0, 0, 2, macSuffix), address: ip("10.0.2.1"), prefixLength: 24),
        ],
        forwarding: forwarding, memoryPages: memoryPages, workload: workload, seed: seed)
}

let clientMAC = MACAddress(0x02, 0xCC, 0, 0, 0, 1)
let clientIP = IPv4Address(10, 0, 1, 10)
let serverMAC = MACAddress(0x02, 0x5E, 0, 0, 0, 1)
let serverIP = IPv4Address(10, 0, 2, 20)

func udpFrame(to router: MACAddress, from source: IPv4Address = clientIP, destination: IPv4Address = serverIP,
    sequence: UInt32 = 0, size: Int = 64, ttl: UInt8 = 64) -> ByteBuffer {
    var payload = ByteBuffer()
    payload.writeInteger(sequence)
    payload.writeRepeatingByte(0xAB, count: max(0, size - 46))
    let packet = IPv4Packet(source: source, destination: destination,
        udp: UDPDatagram(sourcePort: 5000, destinationPort: 6000, payload: payload), timeToLive: ttl)
    return EthernetFrame(destination: router, source: clientMAC, etherType: .ipv4, payload: packet.encoded()).encoded()
}

/// An OSPF-like packet (protocol 89) to AllSPFRouters, carrying a sequence number.
func ospfFrame(from source: IPv4Address, sourceMAC: MACAddress, sequence: UInt32) -> ByteBuffer {
    var payload = ByteBuffer()
    payload.writeInteger(sequence)
    let packet = IPv4Packet(protocolNumber: .ospf, source: source, destination: ip("224.0.0.5"), payload: payload)
    return EthernetFrame(destination: mac("01:00:5e:00:00:05"), source: sourceMAC, etherType: .ipv4,
        payload: packet.encoded()).encoded()
}

func ospfSequence(_ frame: ByteBuffer) -> UInt32? {
    guard let ethernet = try? EthernetFrame(parsing: frame), let packet = try? IPv4Packet(parsing: ethernet.payload)
    else { return nil }
    return packet.payload.getInteger(at: packet.payload.readerIndex, as: UInt32.self)
}

func arpFrame(_ operation: ARPPacket.Operation, from senderMAC: MACAddress, _ senderIP: IPv4Address,
    asking target: IPv4Address, to destination: MACAddress = .broadcast) -> ByteBuffer {
    let arp = ARPPacket(operation: operation, senderHardwareAddress: senderMAC, senderProtocolAddress: senderIP,
        targetHardwareAddress: .zero, targetProtocolAddress: target)
    return EthernetFrame(destination: destination, source: senderMAC, etherType: .arp, payload: arp.encoded()).encoded()
}

func parsedIPv4(_ frame: ByteBuffer) -> (EthernetFrame, IPv4Packet)? {
    guard let ethernet = try? EthernetFrame(parsing: frame), let packet = try? IPv4Packet(parsing: ethernet.payload)
    else { return nil }
    return (ethernet, packet)
}

let defaultRoute = FIBEntry(prefix: .any, prefixLength: 0, nextHop: IPv4Address(10, 0, 2, 254), interface: 1)
let serverSubnet = FIBEntry(prefix: IPv4Address(10, 0, 2, 0), prefixLength: 24, nextHop: nil, interface: 1)
let clientSubnet = FIBEntry(prefix: IPv4Address(10, 0, 1, 0), prefixLength: 24, nextHop: nil, interface: 0)
