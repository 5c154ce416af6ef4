import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Packets

/// Topology discovery by LLDP, the way OpenFlow controllers (Ryu, ONOS, faucet) do it: the
/// controller sends an LLDP frame out of every switch port (PACKET_OUT) naming the switch and
/// the port, and every LLDP frame that comes back in a PACKET_IN from another switch is a
/// directed link. Links not seen for ``Configuration/missedProbes`` probe periods time out; a
/// port that goes down or a switch that disconnects takes its links with it at once.
///
/// Announces ``ControllerEvent/linkUp(_:)`` and ``ControllerEvent/linkDown(_:)``.
public struct LLDPDiscovery: ControllerApp {
    public struct Configuration: Hashable, Sendable {
        /// How often every port is probed.
        public var probeInterval: TimeAmount
        /// A link is gone after this many probe periods without its LLDP frame.
        public var missedProbes: Int
        /// Priority of the flow that sends LLDP to the controller (above any path flow).
        public var flowPriority: UInt16
        /// Cookie of that flow, so that it can be told from others in a flow dump.
        public var cookie: UInt64

        public init(
            probeInterval: TimeAmount = .seconds(1), missedProbes: Int = 3, flowPriority: UInt16 = 0xFFFF,
            cookie: UInt64 = 0x4C4C_4450  // "LLDP"
        ) {
            self.probeInterval = probeInterval
            self.missedProbes = missedProbes
            self.flowPriority = flowPriority
            self.cookie = cookie
        }

        public var linkTimeout: TimeAmount { .nanoseconds(probeInterval.nanoseconds * Int64(missedProbes)) }
    }

    public var configuration: Configuration
    public private(set) var topology = Topology()
    /// The live ports of each connected switch (the ones probes go out of).
    public private(set) var ports: [UInt64: [UInt32: SwitchPort]] = [:]
    /// When each link's probe last arrived.
    public private(set) var lastSeen: [Link: NIODeadline] = [:]
    private var lastProbe: NIODeadline?

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    public mutating func handle(_ event: ControllerEvent, now: NIODeadline) -> [ControllerCommand] {
        switch event {
        case .switchUp(let info):
            topology.addSwitch(info.datapathID)
            ports[info.datapathID] = Dictionary(
                info.ports.filter { Self.isProbed($0) }.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
            return [.send(datapathID: info.datapathID, .flowMod(lldpToController))] + probes(info.datapathID)
        case .switchDown(let datapathID):
            ports[datapathID] = nil
            return linksDown(topology.removeSwitch(datapathID))
        case .portStatus(let datapathID, let status):
            guard ports[datapathID] != nil else { return [] }
            let port = SwitchPort(status.port)
            let endpoint = Endpoint(datapathID: datapathID, port: port.number)
            if status.reason == .delete || !Self.isProbed(port) {
                ports[datapathID]?[port.number] = nil
                return linksDown(topology.removeLinks(at: endpoint))
            }
            let isNew = ports[datapathID]?[port.number] == nil
            ports[datapathID]?[port.number] = port
            return isNew ? probe(datapathID, port) : []
        case .packetIn(let datapathID, let packetIn):
            // Both ends must be live ports of connected switches: a probe still in flight when
            // a port went down or a switch left proves nothing.
            guard let link = Self.link(in: packetIn, at: datapathID),
                ports[link.source.datapathID]?[link.source.port] != nil,
                ports[datapathID]?[link.destination.port] != nil
            else { return [] }
            lastSeen[link] = now
            return topology.insert(link) ? [.announce(.linkUp(link))] : []
        case .tick:
            var commands = expire(now: now)
            if lastProbe.map({ now - $0 >= configuration.probeInterval }) ?? true {
                lastProbe = now
                for datapathID in ports.keys.sorted() { commands += probes(datapathID) }
            }
            return commands
        case .flowRemoved, .linkUp, .linkDown:
            return []
        }
    }

    /// Drops links whose probe has not arrived within the timeout.
    private mutating func expire(now: NIODeadline) -> [ControllerCommand] {
        let stale = topology.links.filter { link in
            guard let seen = lastSeen[link] else { return true }
            return now - seen > configuration.linkTimeout
        }
        for link in stale { topology.remove(link) }
        return linksDown(Array(stale))
    }

    private mutating func linksDown(_ links: [Link]) -> [ControllerCommand] {
        for link in links { lastSeen[link] = nil }
        return links.sorted().map { .announce(.linkDown($0)) }
    }

    private func probes(_ datapathID: UInt64) -> [ControllerCommand] {
        (ports[datapathID] ?? [:]).values.sorted { $0.number < $1.number }.flatMap { probe(datapathID, $0) }
    }

    private func probe(_ datapathID: UInt64, _ port: SwitchPort) -> [ControllerCommand] {
        let frame = Self.probeFrame(datapathID: datapathID, port: port.number, source: port.hardwareAddress)
        return [.send(datapathID: datapathID, .packetOut(OF13.PacketOut(actions: [.output(port: port.number)], data: frame)))]
    }

    /// The flow that brings every LLDP frame to the controller.
    public var lldpToController: OF13.FlowMod {
        OF13.FlowMod(
            cookie: configuration.cookie, priority: configuration.flowPriority,
            match: .ordered([.ethType(EtherType.lldp.rawValue)]),
            instructions: [.applyActions([.output(port: OF13.PortNumber.controller, maxLength: 0xFFFF)])])
    }

    /// Physical, live ports: not reserved ones (LOCAL...), not down.
    static func isProbed(_ port: SwitchPort) -> Bool {
        port.number < OF13.PortNumber.max && !port.isAdminDown && !port.isLinkDown
    }

    /// The chassis ID that names a switch: `dpid:` and 16 hex digits, as Ryu and ONOS write it.
    public static func chassisID(_ datapathID: UInt64) -> String {
        let hex = String(datapathID, radix: 16)
        return "dpid:" + String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }

    /// The LLDP frame sent out of `port` of switch `datapathID`.
    public static func probeFrame(datapathID: UInt64, port: UInt32, source: MACAddress) -> ByteBuffer {
        let lldp = LLDPDU(
            chassisID: .locallyAssigned(chassisID(datapathID)), portID: .portNumber(port), timeToLive: 120)
        return lldp.frame(source: source).encoded()
    }

    /// The link a PACKET_IN of one of our probes reveals, nil for anything else.
    public static func link(in packetIn: OF13.PacketIn, at datapathID: UInt64) -> Link? {
        guard let inPort = packetIn.inPort, let frame = try? EthernetFrame(parsing: packetIn.data),
            frame.etherType == .lldp, let lldp = try? LLDPDU(parsing: frame.payload),
            let text = lldp.chassisID.text, text.hasPrefix("dpid:"),
            let source = UInt64(text.dropFirst(5), radix: 16), let sourcePort = lldp.portID.portNumber
        else { return nil }
        return Link(src: (source, sourcePort), dst: (datapathID, inPort))
    }
}
