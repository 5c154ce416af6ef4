import Controller

/// Why a flow migration cannot be planned.
public enum FlowMigrationPlanError: Error, Hashable, Sendable, CustomStringConvertible {
    case noFlows
    case emptyPath(which: String)
    /// The paths do not start at the same switch and in port.
    case differentIngress(old: PathHop, new: PathHop)
    /// The paths do not end at the same switch and out port.
    case differentEgress(old: PathHop, new: PathHop)
    /// A path enters the same switch through the same port twice (it loops).
    case loopingPath(which: String, datapathID: UInt64, inPort: UInt32)
    /// Consecutive hops do not fit together: the same cable leads to two places.
    case inconsistentCabling(datapathID: UInt64, port: UInt32)
    /// No order of redirecting the divergence switches keeps every packet on a loop-free way.
    case noLoopFreeOrder(direction: FlowMigrationDirection)
    case badOption(String)

    public var description: String {
        switch self {
        case .noFlows: "a flow migration needs at least one flow"
        case .emptyPath(let which): "the \(which) path has no hops"
        case .differentIngress(let old, let new):
            "the old path starts at \(old) but the new one at \(new): both must start at the same switch and in port"
        case .differentEgress(let old, let new):
            "the old path ends at \(old) but the new one at \(new): both must end at the same switch and out port"
        case .loopingPath(let which, let dpid, let port):
            "the \(which) path enters switch \(dpid) through port \(port) twice"
        case .inconsistentCabling(let dpid, let port):
            "the paths disagree about where port \(port) of switch \(dpid) leads"
        case .noLoopFreeOrder(let direction):
            "no order of redirecting the divergence switches keeps the \(direction) direction loop-free"
        case .badOption(let text): text
        }
    }
}
