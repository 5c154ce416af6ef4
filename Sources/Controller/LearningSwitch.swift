import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Packets

/// An Ethernet learning switch as a controller app: every switch learns, per datapath, which
/// port each source MAC address was last seen on; frames to an unknown or group address are
/// flooded (PACKET_OUT to `OFPP_FLOOD`, spec 1.3.5 §7.2.1), frames to a learnt address get a
/// flow with an idle timeout and are sent on.
///
/// Flows match `in_port`, `eth_src` and `eth_dst` (as Ryu's `simple_switch_13` does): a host
/// that moves to another port sends from a port that no flow matches, so its next frame reaches
/// the controller, which then deletes the flows that still lead to the old port. A port that
/// goes down (PORT_STATUS with `OFPPS_LINK_DOWN` or `OFPPC_PORT_DOWN`, or deleted) has its
/// addresses forgotten and the flows through it deleted. Addresses not seen for
/// ``Configuration/macAgingTime`` are forgotten on `tick`.
///
/// Flooding is only safe on a loop-free topology (a line, a tree): there is no spanning tree.
/// LLDP and IEEE 802.1D link-local frames (`01:80:c2:00:00:0x`) are never flooded, so
/// ``LLDPDiscovery`` can run alongside.
///
/// Pure: events and `now` in, commands out.
public struct LearningSwitch: ControllerApp {
    public struct Configuration: Hashable, Sendable {
        /// Idle timeout of the learnt flows, in seconds (0: none).
        public var idleTimeout: UInt16
        /// Priority of the learnt flows.
        public var priority: UInt16
        /// Priority of the table-miss flow that sends frames to the controller.
        public var tableMissPriority: UInt16
        /// How long an address stays learnt without being seen.
        public var macAgingTime: TimeAmount
        /// The cookie of every flow this app installs; a switch coming up has the flows with
        /// this cookie deleted first.
        public var cookie: UInt64

        public init(
            idleTimeout: UInt16 = 10, priority: UInt16 = 10, tableMissPriority: UInt16 = 0,
            macAgingTime: TimeAmount = .seconds(300), cookie: UInt64 = 0x4C53_0000_0000_0001
        ) {
            self.idleTimeout = idleTimeout
            self.priority = priority
            self.tableMissPriority = tableMissPriority
            self.macAgingTime = macAgingTime
            self.cookie = cookie
        }
    }

    /// Where an address was last seen on one switch.
    public struct Entry: Hashable, Sendable {
        public var port: UInt32
        public var lastSeen: NIODeadline
    }

    public let configuration: Configuration
    /// Per datapath: MAC address → where it was last seen.
    public private(set) var tables: [UInt64: [MACAddress: Entry]] = [:]

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// The port `mac` was learnt on at `datapathID`, if known.
    public func port(of mac: MACAddress, on datapathID: UInt64) -> UInt32? {
        tables[datapathID]?[mac]?.port
    }

    public mutating func handle(_ event: ControllerEvent, now: NIODeadline) -> [ControllerCommand] {
        switch event {
        case .switchUp(let info):
            tables[info.datapathID] = [:]
            let tableMiss = OF13.FlowMod(
                cookie: configuration.cookie, priority: configuration.tableMissPriority, match: .all,
                instructions: [.applyActions([.output(port: OF13.PortNumber.controller, maxLength: 0xFFFF)])])
            return [
                .send(datapathID: info.datapathID, .flowMod(deleteFlows(matching: .all))),
                .send(datapathID: info.datapathID, .flowMod(tableMiss)),
            ]
        case .switchDown(let datapathID):
            tables[datapathID] = nil
            return []
        case .packetIn(let datapathID, let packetIn):
            return forward(packetIn, datapathID: datapathID, now: now)
        case .portStatus(let datapathID, let status):
            let port = status.port
            guard status.reason == .delete || port.state.contains(.linkDown) || port.config.contains(.portDown) else {
                return []
            }
            return forgetPort(port.portNumber, datapathID: datapathID)
        case .tick:
            for (datapathID, table) in tables {
                tables[datapathID] = table.filter { now - $0.value.lastSeen < configuration.macAgingTime }
            }
            return []
        case .flowRemoved, .linkUp, .linkDown:
            return []
        }
    }

    // MARK: Decisions

    private mutating func forward(_ packetIn: OF13.PacketIn, datapathID: UInt64, now: NIODeadline) -> [ControllerCommand] {
        guard let inPort = packetIn.inPort, let frame = try? EthernetFrame(parsing: packetIn.data) else { return [] }
        // LLDP and other 802.1D link-local frames are not for bridges to forward.
        if frame.etherType == .lldp || frame.destination.rawValue & ~0xF == 0x0180_C200_0000 { return [] }
        var commands: [ControllerCommand] = []
        var table = tables[datapathID] ?? [:]

        // Learn the source; if it moved, the flows that lead to its old port go.
        let source = frame.source
        if !source.isMulticast, source != .zero {
            if let old = table[source], old.port != inPort {
                commands.append(.send(datapathID: datapathID, .flowMod(deleteFlows(matching: .ordered([.ethDst(source)])))))
            }
            table[source] = Entry(port: inPort, lastSeen: now)
        }
        tables[datapathID] = table

        let destination = frame.destination
        let known = destination.isMulticast ? nil : table[destination].flatMap { entry in
            now - entry.lastSeen < configuration.macAgingTime ? entry : nil
        }
        guard let known else {
            commands.append(.send(datapathID: datapathID, .packetOut(packetOut(packetIn, inPort: inPort, to: OF13.PortNumber.flood))))
            return commands
        }
        // A frame for a host on the port it came from: the segment already delivered it.
        guard known.port != inPort else { return commands }
        let flow = OF13.FlowMod(
            cookie: configuration.cookie, idleTimeout: configuration.idleTimeout, priority: configuration.priority,
            match: .ordered([.inPort(inPort), .ethSrc(source), .ethDst(destination)]),
            instructions: [.applyActions([.output(port: known.port, maxLength: 0)])])
        commands.append(.send(datapathID: datapathID, .flowMod(flow)))
        commands.append(.send(datapathID: datapathID, .packetOut(packetOut(packetIn, inPort: inPort, to: known.port))))
        return commands
    }

    private mutating func forgetPort(_ port: UInt32, datapathID: UInt64) -> [ControllerCommand] {
        tables[datapathID] = tables[datapathID]?.filter { $0.value.port != port }
        var toPort = deleteFlows(matching: .all)
        toPort.outPort = port
        return [
            .send(datapathID: datapathID, .flowMod(toPort)),
            .send(datapathID: datapathID, .flowMod(deleteFlows(matching: .ordered([.inPort(port)])))),
        ]
    }

    /// A DELETE of this app's learnt flows (its cookie, every table) that match `match`; the
    /// table-miss flow is kept (it has priority ``Configuration/tableMissPriority`` and matches
    /// all, and only a `match` of `.all` with no `out_port` reaches it, which is on switch up).
    private func deleteFlows(matching match: OF13.Match) -> OF13.FlowMod {
        OF13.FlowMod(
            cookie: configuration.cookie, cookieMask: .max, tableID: OF13.TableNumber.all, command: .delete,
            match: match)
    }

    private func packetOut(_ packetIn: OF13.PacketIn, inPort: UInt32, to port: UInt32) -> OF13.PacketOut {
        OF13.PacketOut(
            bufferID: packetIn.bufferID, inPort: inPort, actions: [.output(port: port, maxLength: 0)],
            data: packetIn.bufferID == OF13.noBuffer ? packetIn.data : ByteBuffer())
    }
}
