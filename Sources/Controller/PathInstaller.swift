import OpenFlow

/// The flows that carry one class of packets along a path: on each hop, match `in_port` plus
/// the class's fields, output to the hop's out port. Pure; ``ControllerRuntime/install(_:)``
/// sends them with a barrier per switch.
public enum PathInstaller {
    /// One switch's share of an installation.
    public struct SwitchFlows: Hashable, Sendable {
        public var datapathID: UInt64
        public var flowMods: [OF13.FlowMod]

        public init(datapathID: UInt64, flowMods: [OF13.FlowMod]) {
            self.datapathID = datapathID
            self.flowMods = flowMods
        }
    }

    /// The FLOW_MODs for `match` along `path`, grouped by switch, **egress switch first**: when
    /// each switch's flows are confirmed (barrier) before the previous hop's are sent, no packet
    /// is ever forwarded to a switch that has no flow for it yet.
    ///
    /// A hop whose in and out port are the same outputs to `OFPP_IN_PORT` (spec 1.3.5 §7.2.1:
    /// a packet is never sent back out of its in port otherwise). A switch that appears on
    /// several hops (a path through it twice) gets one flow per hop, told apart by `in_port`.
    public static func flowMods(
        match: [OXMField], path: [PathHop], priority: UInt16 = 0x8000, cookie: UInt64 = 0,
        idleTimeout: UInt16 = 0, hardTimeout: UInt16 = 0, tableID: UInt8 = 0
    ) -> [SwitchFlows] {
        var result: [SwitchFlows] = []
        for hop in path.reversed() {
            let output = hop.inPort == hop.outPort ? OF13.PortNumber.inPort : hop.outPort
            let flowMod = OF13.FlowMod(
                cookie: cookie, tableID: tableID, command: .add, idleTimeout: idleTimeout, hardTimeout: hardTimeout,
                priority: priority, match: .ordered([.inPort(hop.inPort)] + match.filter { !Self.isInPort($0) }),
                instructions: [.applyActions([.output(port: output, maxLength: 0)])])
            if let last = result.indices.last, result[last].datapathID == hop.datapathID {
                result[last].flowMods.append(flowMod)
            } else {
                result.append(SwitchFlows(datapathID: hop.datapathID, flowMods: [flowMod]))
            }
        }
        return result
    }

    private static func isInPort(_ field: OXMField) -> Bool {
        if case .inPort = field { return true }
        return false
    }
}
