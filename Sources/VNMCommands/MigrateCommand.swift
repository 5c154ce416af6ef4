import ArgumentParser
import Controller
import Foundation
import Migration
import NetworkAddresses
import OpenFlow

/// `vnm migrate`: plan migrations (carrying them out on a running controller needs its
/// northbound API, `POST /v1/migrations`, which is not there yet).
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Plan migrations.",
        subcommands: [Flows.self]
    )

    /// `vnm migrate flows`: prints the plan of a flow migration, phase by phase.
    struct Flows: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the FLOW_MODs, phase by phase, that move flows from one path to another.",
            discussion: """
                Paths are hops DPID:IN-OUT separated by commas, ingress first, e.g.
                --old 1:1-2,2:1-2,4:2-1 --new 1:1-3,3:1-2,4:3-1. A flow is fields separated by commas:
                eth_type, ip_proto, nw_src, nw_dst, udp_src, udp_dst, tcp_src, tcp_dst (e.g.
                --flow nw_src=10.0.0.1,nw_dst=10.0.0.2,udp_dst=5001); --both-ways adds the mirrored
                reverse flow. Carrying the plan out on a running controller is not available from the
                command line yet; `vnm experiment flow-migration` carries it out on Open vSwitch.
                """
        )

        @Option(help: "The old path.")
        var old: String

        @Option(name: .customLong("new"), help: "The new path.")
        var new: String

        @Option(help: "A migrated flow's fields (repeat for several flows).")
        var flow: [String]

        @Flag(help: "Also migrate each flow's reverse direction.")
        var bothWays = false

        @Option(help: "paper, consistent, bulk or delete-first.")
        var algorithm: FlowMigrationAlgorithm = .consistent

        @Option(help: "Drain interval in milliseconds.")
        var drainMs: Double = 20

        @Option(help: "Priority of the flows' entries.")
        var priority: UInt16 = 0x8000

        func run() throws {
            print(try planText())
        }

        /// The plan as printed.
        func planText() throws -> String {
            guard !flow.isEmpty else { throw ValidationError("give at least one --flow") }
            let request = FlowMigrationRequest(
                flows: try flow.map { try Self.parseFlow($0, bothWays: bothWays) }, oldPath: try Self.parsePath(old, option: "--old"),
                newPath: try Self.parsePath(new, option: "--new"), priority: priority)
            let plan = try FlowMigrationPlanner.plan(
                request, algorithm: algorithm, options: .init(drainInterval: .nanoseconds(Int64(drainMs * 1e6))))
            return Self.describe(plan)
        }

        static func describe(_ plan: FlowMigrationPlan) -> String {
            var lines = ["\(plan.algorithm): \(plan.steps.count) steps, \(plan.flowModCount) flow-mods"]
            for (index, step) in plan.steps.enumerated() {
                let after = step.dependencies.isEmpty ? "" : " after step \(step.dependencies.map { String($0 + 1) }.joined(separator: ","))"
                let delay = step.delay > .zero ? " + \(Double(step.delay.nanoseconds) / 1e6) ms" : ""
                lines.append("step \(index + 1): \(step.name)\(after)\(delay), \(step.confirmed ? "confirmed by barrier" : "unconfirmed")")
                for change in step.changes {
                    lines.append("  s\(change.datapathID) \(change.direction) flow \(change.flow): \(change.flowMod.command) \(change.match.fields.map(\.description).joined(separator: ",")) -> \(change.newOutput.map(String.init) ?? "-")")
                }
            }
            if plan.confirmAtEnd { lines.append("then a barrier to every switch (to time the confirmation only)") }
            return lines.joined(separator: "\n")
        }

        static func parsePath(_ text: String, option: String) throws -> [PathHop] {
            try text.split(separator: ",").map { part in
                let pieces = part.split(separator: ":")
                let ports = pieces.count == 2 ? pieces[1].split(separator: "-") : []
                guard pieces.count == 2, ports.count == 2, let dpid = UInt64(pieces[0]), let inPort = UInt32(ports[0]),
                    let outPort = UInt32(ports[1])
                else { throw ValidationError("\(option): \"\(part)\" is not a hop DPID:IN-OUT (e.g. 1:1-2)") }
                return PathHop(datapathID: dpid, inPort: inPort, outPort: outPort)
            }
        }

        static func parseFlow(_ text: String, bothWays: Bool) throws -> MigratedFlow {
            var forward: [OXMField] = []
            var reverse: [OXMField] = []
            var hasIP = false, proto: UInt8?
            for part in text.split(separator: ",") {
                let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
                guard pair.count == 2 else { throw ValidationError("--flow: \"\(part)\" is not FIELD=VALUE") }
                let (key, value) = (pair[0], pair[1])
                func address() throws -> IPv4Address {
                    guard let address = IPv4Address(value) else { throw ValidationError("--flow: \(key)=\(value) is not an IPv4 address") }
                    hasIP = true
                    return address
                }
                func number<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
                    let parsed = value.hasPrefix("0x") ? T(value.dropFirst(2), radix: 16) : T(value)
                    guard let parsed else { throw ValidationError("--flow: \(key)=\(value) is not a number that fits") }
                    return parsed
                }
                switch key {
                case "eth_type": let v = try number(UInt16.self); forward.append(.ethType(v)); reverse.append(.ethType(v))
                case "ip_proto": let v = try number(UInt8.self); proto = v; forward.append(.ipProto(v)); reverse.append(.ipProto(v))
                case "nw_src": let a = try address(); forward.append(.ipv4Src(a)); reverse.append(.ipv4Dst(a))
                case "nw_dst": let a = try address(); forward.append(.ipv4Dst(a)); reverse.append(.ipv4Src(a))
                case "udp_src": let v = try number(UInt16.self); proto = proto ?? 17; forward.append(.udpSrc(v)); reverse.append(.udpDst(v))
                case "udp_dst": let v = try number(UInt16.self); proto = proto ?? 17; forward.append(.udpDst(v)); reverse.append(.udpSrc(v))
                case "tcp_src": let v = try number(UInt16.self); proto = proto ?? 6; forward.append(.tcpSrc(v)); reverse.append(.tcpDst(v))
                case "tcp_dst": let v = try number(UInt16.self); proto = proto ?? 6; forward.append(.tcpDst(v)); reverse.append(.tcpSrc(v))
                default:
                    throw ValidationError("--flow: unknown field \"\(key)\" (eth_type, ip_proto, nw_src, nw_dst, udp_src, udp_dst, tcp_src, tcp_dst)")
                }
            }
            // OpenFlow prerequisites (spec 1.3.5 §7.2.3.6): IP fields need eth_type, ports ip_proto.
            let hasEthType = forward.contains { if case .ethType = $0 { true } else { false } }
            let hasProto = forward.contains { if case .ipProto = $0 { true } else { false } }
            if (hasIP || proto != nil) && !hasEthType { forward.append(.ethType(0x0800)); reverse.append(.ethType(0x0800)) }
            if let proto, !hasProto { forward.append(.ipProto(proto)); reverse.append(.ipProto(proto)) }
            return MigratedFlow(forward: forward, reverse: bothWays ? reverse : nil)
        }
    }
}
