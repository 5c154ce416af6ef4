import ArgumentParser
import Controller
import Foundation
import Migration
import NetworkAddresses
import OpenFlow

/// `vnm migrate`: carry out migrations on a running controller.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Migrate flows on a running controller.",
        subcommands: [Flows.self]
    )

    /// `vnm migrate flows`: moves flows from one path to another through a running
    /// `vnm controller --rest` (`POST /v1/migrations`) and prints its report; `--dry-run`
    /// prints the plan, phase by phase, without a controller.
    struct Flows: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move flows from one path to another on a running controller (or print the plan with --dry-run).",
            discussion: """
                Paths are hops DPID:IN-OUT separated by commas, ingress first, e.g.
                --old 1:1-2,2:1-2,4:2-1 --new 1:1-3,3:1-2,4:3-1. A flow is fields separated by commas:
                eth_type, ip_proto, nw_src, nw_dst, udp_src, udp_dst, tcp_src, tcp_dst (e.g.
                --flow nw_src=10.0.0.1,nw_dst=10.0.0.2,udp_dst=5001); --both-ways adds the mirrored
                reverse flow. The flows' entries are found by --priority, --cookie and --table-id.
                Without --dry-run the migration is carried out by the controller at --controller
                (start it with `vnm controller --rest 127.0.0.1:8080`), which answers when the
                migration is confirmed or rolled back; --old may then be left out, and the controller
                traces the old path from the switches' flow tables. Exit status 0 when the migration
                completed, 1 when it was rolled back or refused.
                """
        )

        @Option(help: "The old path (required with --dry-run; otherwise traced by the controller if left out).")
        var old: String?

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

        @Option(help: "Cookie of the flows' entries (decimal or 0x hex).")
        var cookie: String = "0"

        @Option(help: "Table of the flows' entries.")
        var tableId: UInt8 = 0

        @Option(help: "Flows per batch (bulk).")
        var batchSize: Int = 1000

        @Option(help: "Milliseconds a switch may take to answer a barrier before the migration rolls back (default: the controller's).")
        var barrierTimeoutMs: Double?

        @Option(help: "The controller's REST API.")
        var controller: String = "http://127.0.0.1:8080"

        @Flag(help: "Print the plan only; contact no controller.")
        var dryRun = false

        @Flag(help: "Print the controller's JSON answer as it is.")
        var json = false

        func validate() throws {
            guard !flow.isEmpty else { throw ValidationError("give at least one --flow") }
            guard drainMs >= 0, drainMs.isFinite else { throw ValidationError("--drain-ms cannot be negative") }
            guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
            if let barrierTimeoutMs, !(barrierTimeoutMs > 0) { throw ValidationError("--barrier-timeout-ms must be more than 0") }
            if dryRun && old == nil { throw ValidationError("--dry-run needs --old (only the controller can trace the old path)") }
            _ = try cookieValue()
        }

        func cookieValue() throws -> UInt64 {
            let parsed = cookie.hasPrefix("0x") ? UInt64(cookie.dropFirst(2), radix: 16) : UInt64(cookie)
            guard let parsed else { throw ValidationError("--cookie: \(cookie.debugDescription) is not a 64-bit number") }
            return parsed
        }

        func run() throws {
            if dryRun {
                print(try planText())
                return
            }
            let client = try ControllerHTTPClient(url: controller)
            let answer = try client.send("POST", "/v1/migrations", json: try requestBody())
            let text = String(decoding: answer.body, as: UTF8.self)
            if json {
                print(text.trimmingCharacters(in: .whitespacesAndNewlines))
            } else {
                print(Self.describe(answer: answer.status, body: answer.body))
            }
            if answer.status != 200 { throw ExitCode.failure }
        }

        /// The JSON body of `POST /v1/migrations`.
        func requestBody() throws -> Data {
            var body: [String: Any] = [
                "flows": try flow.map { text -> [String: Any] in
                    let parsed = try Self.parseFlow(text, bothWays: bothWays)
                    var item: [String: Any] = ["match": try Self.json(parsed.forward)]
                    if let reverse = parsed.reverse { item["reverse"] = try Self.json(reverse) }
                    return item
                },
                "new_path": Self.json(try Self.parsePath(new, option: "--new")),
                "algorithm": algorithm.rawValue, "drain_ms": drainMs, "priority": Int(priority),
                "cookie": "0x" + String(try cookieValue(), radix: 16), "table_id": Int(tableId), "batch_size": batchSize,
            ]
            if let old { body["old_path"] = Self.json(try Self.parsePath(old, option: "--old")) }
            if let barrierTimeoutMs { body["barrier_timeout_ms"] = barrierTimeoutMs }
            return try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        }

        static func json(_ path: [PathHop]) -> [[String: Any]] {
            path.map { ["dpid": "0x" + String($0.datapathID, radix: 16), "in_port": Int($0.inPort), "out_port": Int($0.outPort)] }
        }

        /// The fields `parseFlow` makes, by their OXM names.
        static func json(_ fields: [OXMField]) throws -> [String: Any] {
            var object: [String: Any] = [:]
            for field in fields {
                switch field {
                case .ethType(let v, nil): object["eth_type"] = "0x" + String(v, radix: 16)
                case .ipProto(let v, nil): object["ip_proto"] = Int(v)
                case .ipv4Src(let a, nil): object["ipv4_src"] = a.description
                case .ipv4Dst(let a, nil): object["ipv4_dst"] = a.description
                case .udpSrc(let v, nil): object["udp_src"] = Int(v)
                case .udpDst(let v, nil): object["udp_dst"] = Int(v)
                case .tcpSrc(let v, nil): object["tcp_src"] = Int(v)
                case .tcpDst(let v, nil): object["tcp_dst"] = Int(v)
                default: throw ValidationError("--flow: \(field) cannot be sent to the controller")
                }
            }
            return object
        }

        /// The controller's answer, for people.
        static func describe(answer status: Int, body: Data) -> String {
            guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                return "the controller answered \(status): \(String(decoding: body, as: UTF8.self))"
            }
            func ms(_ key: String, in dictionary: [String: Any] = object) -> String {
                (dictionary[key] as? NSNumber).map { String(format: "%.3f ms", $0.doubleValue) } ?? "-"
            }
            guard let outcome = object["outcome"] as? String else {
                let field = (object["field"] as? String).map { " (field \($0))" } ?? ""
                return "the controller refused the migration (\(status) \(object["error"] as? String ?? "?")): \(object["message"] as? String ?? "")\(field)"
            }
            var lines = [
                "\(object["algorithm"] as? String ?? "?"): \(outcome), \(object["flows"] ?? "?") flow(s), "
                    + "\(object["flow_mods"] ?? "?") flow-mods, \(object["barriers"] ?? "?") barriers, confirmed \(ms("confirmed_ms")), "
                    + "finished \(ms("finished_ms"))"
            ]
            if let message = object["message"] as? String { lines.append("  \(message)") }
            for (title, key) in [("phase", "phases"), ("rollback", "rollback_phases")] {
                for phase in object[key] as? [[String: Any]] ?? [] {
                    lines.append(
                        "  \(title) \(phase["name"] as? String ?? "?"): \(phase["flow_mods"] ?? "?") flow-mods, sent at "
                            + "\(ms("sent_ms", in: phase)), done at \(ms("done_ms", in: phase))")
                }
            }
            return lines.joined(separator: "\n")
        }

        /// The plan as printed.
        func planText() throws -> String {
            guard !flow.isEmpty else { throw ValidationError("give at least one --flow") }
            guard let old else { throw ValidationError("--dry-run needs --old") }
            let request = FlowMigrationRequest(
                flows: try flow.map { try Self.parseFlow($0, bothWays: bothWays) }, oldPath: try Self.parsePath(old, option: "--old"),
                newPath: try Self.parsePath(new, option: "--new"), priority: priority, cookie: try cookieValue(), tableID: tableId)
            let plan = try FlowMigrationPlanner.plan(
                request, algorithm: algorithm, options: .init(drainInterval: .nanoseconds(Int64(drainMs * 1e6)), batchSize: batchSize))
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
