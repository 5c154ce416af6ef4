import Controller
import OpenFlow

/// One migrated flow: the fields (besides `in_port`) that pick its packets out, in the forward
/// direction (along the paths, ingress to egress) and, for a two-way flow, the reverse one.
public struct MigratedFlow: Hashable, Sendable {
    public var forward: [OXMField]
    /// Nil for a one-way flow.
    public var reverse: [OXMField]?

    public init(forward: [OXMField], reverse: [OXMField]? = nil) {
        self.forward = forward.filter { !Self.isInPort($0) }
        self.reverse = reverse?.filter { !Self.isInPort($0) }
    }

    static func isInPort(_ field: OXMField) -> Bool {
        if case .inPort = field { return true }
        return false
    }
}

/// What to migrate: a set of flows that all follow `oldPath` and must follow `newPath`.
/// Both paths are given in the forward direction, ingress switch first; the reverse direction
/// follows them backwards (each hop's ports swapped). Both paths start where the traffic enters
/// (same switch and in port) and end where it leaves (same switch and out port).
///
/// Every flow has one entry per hop, told apart from other flows by its fields and from other
/// hops on the same switch by `in_port` (``PathInstaller``'s convention), at `priority` in
/// `tableID`, tagged with `cookie`.
public struct FlowMigrationRequest: Hashable, Sendable {
    public var flows: [MigratedFlow]
    public var oldPath: [PathHop]
    public var newPath: [PathHop]
    public var priority: UInt16
    public var cookie: UInt64
    public var tableID: UInt8

    public init(
        flows: [MigratedFlow], oldPath: [PathHop], newPath: [PathHop], priority: UInt16 = 0x8000, cookie: UInt64 = 0,
        tableID: UInt8 = 0
    ) {
        self.flows = flows
        self.oldPath = oldPath
        self.newPath = newPath
        self.priority = priority
        self.cookie = cookie
        self.tableID = tableID
    }

    /// The FLOW_MODs (ADD) that install `path` for every flow in both directions, grouped by
    /// switch, egress first (``PathInstaller``): how the old path is set up before a migration.
    public func installation(of path: [PathHop]) -> [PathInstaller.SwitchFlows] {
        var result: [PathInstaller.SwitchFlows] = []
        for flow in flows {
            result += PathInstaller.flowMods(
                match: flow.forward, path: path, priority: priority, cookie: cookie, tableID: tableID)
            if let reverse = flow.reverse {
                result += PathInstaller.flowMods(
                    match: reverse, path: FlowMigrationDirection.reverse.hops(of: path), priority: priority,
                    cookie: cookie, tableID: tableID)
            }
        }
        return result
    }
}

/// Which way along the paths a flow's packets travel.
public enum FlowMigrationDirection: String, Hashable, Sendable, Codable {
    case forward, reverse

    /// The hops in this direction: the reverse direction walks the path backwards with each
    /// hop's ports swapped.
    public func hops(of path: [PathHop]) -> [PathHop] {
        switch self {
        case .forward: path
        case .reverse: path.reversed().map { PathHop(datapathID: $0.datapathID, inPort: $0.outPort, outPort: $0.inPort) }
        }
    }
}
