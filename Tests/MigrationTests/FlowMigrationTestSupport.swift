import Controller
import NIOCore
import NetworkAddresses
import OpenFlow

@testable import Migration

/// Hops written as (dpid, in, out).
func path(_ hops: [(UInt64, UInt32, UInt32)]) -> [PathHop] {
    hops.map { PathHop(datapathID: $0.0, inPort: $0.1, outPort: $0.2) }
}

let client = IPv4Address(10, 0, 0, 1)
let server = IPv4Address(10, 0, 0, 2)

/// Flow `i`: UDP to port 5001 + i, both ways.
func udpFlows(_ count: Int, bothWays: Bool = true) -> [MigratedFlow] {
    (0..<count).map { index in
        let port = UInt16(5001 + index)
        return MigratedFlow(
            forward: [.ethType(0x0800), .ipProto(17), .ipv4Src(client), .ipv4Dst(server), .udpDst(port)],
            reverse: bothWays ? [.ethType(0x0800), .ipProto(17), .ipv4Src(server), .ipv4Dst(client), .udpSrc(port)] : nil)
    }
}

/// The diamond of the experiment: old s1-s2-s4, new s1-s3-s4; host ports 1.
let diamondOld = path([(1, 1, 2), (2, 1, 2), (4, 2, 1)])
let diamondNew = path([(1, 1, 3), (3, 1, 2), (4, 3, 1)])

/// A fake network in the faucet style: flow tables that answer "where does this packet go?",
/// changed by the plan's FLOW_MODs, with the cables the paths use.
struct FakeNetwork {
    struct Entry: Hashable {
        var match: OF13.Match
        var priority: UInt16
    }

    var tables: [UInt64: [Entry: UInt32]] = [:]
    /// (dpid, out port) → (dpid, in port).
    var cables: [PathDiff.Key: PathDiff.Key] = [:]

    init(paths: [[PathHop]]) {
        for path in paths {
            for direction in [FlowMigrationDirection.forward, .reverse] {
                let hops = direction.hops(of: path)
                for (hop, next) in zip(hops, hops.dropFirst()) {
                    cables[.init(datapathID: hop.datapathID, inPort: hop.outPort)] =
                        .init(datapathID: next.datapathID, inPort: next.inPort)
                }
            }
        }
    }

    mutating func apply(_ flowMod: OF13.FlowMod) {
        let entry = Entry(match: flowMod.match, priority: flowMod.priority)
        let dpid = currentSwitch
        switch flowMod.command {
        case .add:
            tables[dpid, default: [:]][entry] = Self.output(flowMod)
        case .modifyStrict:
            if tables[dpid]?[entry] != nil { tables[dpid]?[entry] = Self.output(flowMod) }
        case .deleteStrict:
            tables[dpid]?[entry] = nil
        default:
            fatalError("the fake network does not do \(flowMod.command)")
        }
    }

    var currentSwitch: UInt64 = 0

    mutating func apply(_ flowMod: OF13.FlowMod, at dpid: UInt64) {
        currentSwitch = dpid
        apply(flowMod)
    }

    mutating func install(_ request: FlowMigrationRequest, path: [PathHop]) {
        for part in request.installation(of: path) {
            for flowMod in part.flowMods { apply(flowMod, at: part.datapathID) }
        }
    }

    static func output(_ flowMod: OF13.FlowMod) -> UInt32 {
        for instruction in flowMod.instructions {
            if case .applyActions(let actions) = instruction {
                for action in actions { if case .output(let port, _) = action { return port } }
            }
        }
        return 0
    }

    enum Fate: Equatable {
        case delivered(UInt64, UInt32)
        case dropped(UInt64, inPort: UInt32)
        case looped
    }

    /// Where a packet of `fields` entering `dpid` at `inPort` ends up.
    func walk(fields: [OXMField], from dpid: UInt64, inPort: UInt32, priority: UInt16) -> Fate {
        var key = PathDiff.Key(datapathID: dpid, inPort: inPort)
        var seen = Set<PathDiff.Key>()
        while seen.insert(key).inserted {
            let entry = Entry(match: .ordered([.inPort(key.inPort)] + fields), priority: priority)
            guard let output = tables[key.datapathID]?[entry] else { return .dropped(key.datapathID, inPort: key.inPort) }
            guard let next = cables[.init(datapathID: key.datapathID, inPort: output)] else {
                return .delivered(key.datapathID, output)
            }
            key = next
        }
        return .looped
    }

    /// Every flow of `request` in every direction reaches its egress.
    func deliversEverything(_ request: FlowMigrationRequest) -> Bool {
        for flow in request.flows {
            let forwardHops = request.oldPath
            guard walk(fields: flow.forward, from: forwardHops[0].datapathID, inPort: forwardHops[0].inPort, priority: request.priority)
                == .delivered(forwardHops.last!.datapathID, forwardHops.last!.outPort)
            else { return false }
            if let reverse = flow.reverse {
                let hops = FlowMigrationDirection.reverse.hops(of: request.oldPath)
                guard walk(fields: reverse, from: hops[0].datapathID, inPort: hops[0].inPort, priority: request.priority)
                    == .delivered(hops.last!.datapathID, hops.last!.outPort)
                else { return false }
            }
        }
        return true
    }

    /// The entries, as comparable values.
    var snapshot: [UInt64: [Entry: UInt32]] { tables.filter { !$0.value.isEmpty } }
}

func at(_ milliseconds: Double) -> NIODeadline { .uptimeNanoseconds(UInt64(1_000_000_000 + milliseconds * 1e6)) }
