import Foundation
import LinuxTestbed
import NetworkAddresses
import OpenFlow

/// A flow as `ovs-ofctl --no-stats dump-flows` prints it, reduced to what a FLOW_MOD sets: the
/// match fields with the priority (as a set: Open vSwitch orders them its own way) and the
/// actions text. Used to read back the flows the controller installed.
struct OpenVSwitchFlow: Hashable, CustomStringConvertible {
    var match: Set<String>
    var actions: String

    var description: String { match.sorted().joined(separator: ",") + " actions=" + actions }

    /// Parses one dump-flows line, e.g. ` priority=100,ip,in_port=1,nw_dst=10.0.0.2 actions=output:2`;
    /// a zero cookie, table 0 and timeouts are left out of the match set, timeouts kept apart.
    init?(dumpLine line: String) {
        let parts = line.trimmingCharacters(in: .whitespaces).components(separatedBy: " actions=")
        guard parts.count == 2 else { return nil }
        match = Set(
            parts[0].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && $0 != "cookie=0x0" && $0 != "table=0" })
        actions = parts[1]
    }

    /// The flow that Open vSwitch should show for `flowMod`, for the match fields and actions
    /// the controller tests use (in_port, eth_type, eth_src/dst, ipv4_dst, arp_tpa; output).
    init(_ flowMod: OF13.FlowMod) {
        var match: Set<String> = ["priority=\(flowMod.priority)"]
        if flowMod.cookie != 0 { match.insert("cookie=0x" + String(flowMod.cookie, radix: 16)) }
        if flowMod.idleTimeout != 0 { match.insert("idle_timeout=\(flowMod.idleTimeout)") }
        if flowMod.hardTimeout != 0 { match.insert("hard_timeout=\(flowMod.hardTimeout)") }
        for field in flowMod.match.fields {
            switch field {
            case .inPort(let port, nil): match.insert("in_port=\(port)")
            case .ethType(0x0800, nil): match.insert("ip")
            case .ethType(0x0806, nil): match.insert("arp")
            case .ethType(let type, nil): match.insert("dl_type=0x" + String(type, radix: 16))
            case .ethSrc(let mac, nil): match.insert("dl_src=\(mac)")
            case .ethDst(let mac, nil): match.insert("dl_dst=\(mac)")
            case .ipv4Dst(let address, nil): match.insert("nw_dst=\(address)")
            case .arpTpa(let address, nil): match.insert("arp_tpa=\(address)")
            default: match.insert("unsupported:\(field)")
            }
        }
        self.match = match
        var outputs: [String] = []
        for instruction in flowMod.instructions {
            guard case .applyActions(let actions) = instruction else { continue }
            for action in actions {
                if case .output(let port, _) = action { outputs.append(port == OF13.PortNumber.inPort ? "IN_PORT" : "output:\(port)") }
            }
        }
        actions = outputs.joined(separator: ",")
    }
}

extension Testbed {
    /// The bridge's flows as ``OpenVSwitchFlow``s.
    func flows(_ bridge: Bridge) throws -> [OpenVSwitchFlow] {
        try dumpFlows(bridge).compactMap(OpenVSwitchFlow.init(dumpLine:))
    }
}
