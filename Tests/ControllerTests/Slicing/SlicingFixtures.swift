import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Packets

@testable import Controller

/// Two virtual networks sharing two switches joined by a cable on port 3 of each:
/// - red: VLAN 10, host ports s1:1 and s2:1, the cable s1:3–s2:3;
/// - blue: IPv4 10.2.0.0/16, host ports s1:2 and s2:2, the same cable.
enum Slices {
    static let red = VirtualNetwork(
        name: "red", flowspace: .vlan(10),
        nodes: [.init(name: "r1", datapathID: 1, ports: [1]), .init(name: "r2", datapathID: 2, ports: [1])],
        links: [.init(from: "r1", to: "r2", physical: [Endpoint(datapathID: 1, port: 3), Endpoint(datapathID: 2, port: 3)])])
    static let blue = VirtualNetwork(
        name: "blue", flowspace: .ipv4([IPv4Prefix("10.2.0.0/16")!]),
        nodes: [.init(name: "b1", datapathID: 1, ports: [2]), .init(name: "b2", datapathID: 2, ports: [2])],
        links: [.init(from: "b1", to: "b2", physical: [Endpoint(datapathID: 1, port: 3), Endpoint(datapathID: 2, port: 3)])])

    /// `vlan_vid` of red's VLAN, as OXM writes it.
    static let redVID: UInt16 = 0x1000 | 10
}

/// An Ethernet frame with an optional VLAN tag carrying UDP from `source` to `destination`.
func slicedFrame(vlan: UInt16? = nil, source: String = "10.2.0.1", destination: String = "10.2.0.2", payload: String = "x")
    -> ByteBuffer
{
    let udp = UDPDatagram(sourcePort: 1234, destinationPort: 5678, payload: ByteBuffer(string: payload))
    let packet = IPv4Packet(source: IPv4Address(source)!, destination: IPv4Address(destination)!, udp: udp)
    return EthernetFrame(
        destination: MACAddress(rawValue: 0x0200_0000_0002), source: MACAddress(rawValue: 0x0200_0000_0001),
        vlan: vlan.map { VLANTag(vlanID: $0) }, etherType: .ipv4, payload: packet.encoded()
    ).encoded()
}

/// Output to `port`; to the controller with the whole frame (`OFPCML_NO_BUFFER`).
func output(_ port: UInt32) -> OF13.Instruction {
    .applyActions([.output(port: port, maxLength: port == OF13.PortNumber.controller ? 0xFFFF : 0)])
}

func addFlow(_ match: [OXMField], _ instructions: [OF13.Instruction], priority: UInt16 = 100) -> OF13.FlowMod {
    OF13.FlowMod(command: .add, priority: priority, match: .ordered(match), instructions: WireList(instructions))
}

func deleteFlows(_ match: [OXMField] = [], strict: Bool = false) -> OF13.FlowMod {
    OF13.FlowMod(tableID: OF13.TableNumber.all, command: strict ? .deleteStrict : .delete, priority: 0, match: .ordered(match))
}
