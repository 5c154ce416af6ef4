import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Packets

@testable import Controller

/// A time `seconds` after an arbitrary origin.
func at(_ seconds: Double) -> NIODeadline {
    .uptimeNanoseconds(1_000_000_000_000 + UInt64(seconds * 1e9))
}

func mac(_ datapathID: UInt64, _ port: UInt32) -> MACAddress {
    MACAddress(rawValue: 0x0200_0000_0000 | (datapathID << 16) | UInt64(port))
}

/// A switch with ports `1...portCount` (and LOCAL, which is never probed).
func switchInfo(_ datapathID: UInt64, ports portCount: UInt32) -> DatapathInfo {
    var ports = (1...portCount).map { SwitchPort(number: $0, name: "s\(datapathID)-\($0)", hardwareAddress: mac(datapathID, $0)) }
    ports.append(SwitchPort(number: OF13.PortNumber.local, name: "s\(datapathID)", hardwareAddress: mac(datapathID, 0)))
    return DatapathInfo(datapathID: datapathID, version: OpenFlowVersion.v13, tableCount: 254, ports: ports)
}

/// The PACKET_IN that switch `to` sends when the probe of `from` arrives on its port.
func lldpPacketIn(from: (UInt64, UInt32), to: (UInt64, UInt32)) -> ControllerEvent {
    let frame = LLDPDiscovery.probeFrame(datapathID: from.0, port: from.1, source: mac(from.0, from.1))
    return .packetIn(
        datapathID: to.0,
        OF13.PacketIn(reason: .action, match: .ordered([.inPort(to.1)]), data: frame))
}

/// Both directions of a cable.
func cable(_ a: (UInt64, UInt32), _ b: (UInt64, UInt32)) -> [ControllerEvent] {
    [lldpPacketIn(from: a, to: b), lldpPacketIn(from: b, to: a)]
}

func announced(_ commands: [ControllerCommand]) -> [ControllerEvent] {
    commands.compactMap { if case .announce(let event) = $0 { event } else { nil } }
}

func sent(_ commands: [ControllerCommand]) -> [(UInt64, OF13.Message)] {
    commands.compactMap { if case .send(let dpid, let message) = $0 { (dpid, message) } else { nil } }
}

func portStatus(_ datapathID: UInt64, _ port: UInt32, reason: OF13.PortStatus.Reason, down: Bool) -> ControllerEvent {
    let port = SwitchPort(number: port, name: "s\(datapathID)-\(port)", hardwareAddress: mac(datapathID, port), isLinkDown: down)
    return .portStatus(datapathID: datapathID, OF13.PortStatus(reason: reason, port: port.of13))
}
