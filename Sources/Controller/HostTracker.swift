import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Packets

/// Where hosts are: learns the switch port of a MAC address (and its IPv4 address, from ARP and
/// IPv4 packets) from PACKET_INs that arrive on edge ports. Ports that ``LLDPDiscovery`` found
/// a link on are inter-switch ports, where a packet's source tells nothing about where its host
/// is: packets there are ignored, and hosts learnt there before the link was known are forgotten.
public struct HostTracker: ControllerApp {
    public struct Host: Hashable, Sendable, CustomStringConvertible {
        public var mac: MACAddress
        public var ipv4: IPv4Address?
        public var location: Endpoint
        public var lastSeen: NIODeadline

        public var description: String { "\(mac) \(ipv4.map { "\($0)" } ?? "-") at \(location)" }
    }

    public private(set) var hosts: [MACAddress: Host] = [:]
    /// Ports with a discovered link (from `linkUp`/`linkDown`).
    public private(set) var interSwitchPorts: Set<Endpoint> = []
    /// If set, a switch coming up gets a lowest-priority table-miss flow that sends packets to
    /// the controller (so that hosts can be learnt), with this priority.
    public var tableMissPriority: UInt16?

    public init(tableMissPriority: UInt16? = nil) {
        self.tableMissPriority = tableMissPriority
    }

    /// The host with this IPv4 address, if one was seen.
    public func host(ipv4: IPv4Address) -> Host? {
        hosts.values.filter { $0.ipv4 == ipv4 }.max { $0.lastSeen < $1.lastSeen }
    }

    public mutating func handle(_ event: ControllerEvent, now: NIODeadline) -> [ControllerCommand] {
        switch event {
        case .switchUp(let info):
            guard let priority = tableMissPriority else { return [] }
            let flow = OF13.FlowMod(
                priority: priority, match: .all,
                instructions: [.applyActions([.output(port: OF13.PortNumber.controller, maxLength: 0xFFFF)])])
            return [.send(datapathID: info.datapathID, .flowMod(flow))]
        case .switchDown(let datapathID):
            hosts = hosts.filter { $0.value.location.datapathID != datapathID }
            interSwitchPorts = interSwitchPorts.filter { $0.datapathID != datapathID }
        case .linkUp(let link):
            interSwitchPorts.formUnion([link.source, link.destination])
            hosts = hosts.filter { !interSwitchPorts.contains($0.value.location) }
        case .linkDown(let link):
            interSwitchPorts.subtract([link.source, link.destination])
        case .packetIn(let datapathID, let packetIn):
            guard let inPort = packetIn.inPort else { return [] }
            let location = Endpoint(datapathID: datapathID, port: inPort)
            guard !interSwitchPorts.contains(location), let frame = try? EthernetFrame(parsing: packetIn.data),
                frame.etherType != .lldp, !frame.source.isMulticast, frame.source != .zero
            else { return [] }
            var ipv4: IPv4Address?
            if frame.etherType == .arp, let arp = try? ARPPacket(parsing: frame.payload),
                arp.senderHardwareAddress == frame.source, arp.senderProtocolAddress != .any
            {
                ipv4 = arp.senderProtocolAddress
            } else if frame.etherType == .ipv4, let ip = try? IPv4Packet(parsing: frame.payload) {
                ipv4 = ip.source
            }
            hosts[frame.source] = Host(
                mac: frame.source, ipv4: ipv4 ?? hosts[frame.source]?.ipv4, location: location, lastSeen: now)
        case .portStatus, .flowRemoved, .tick:
            break
        }
        return []
    }
}
