/// Where a virtual interface meets the physical network on a node: a physical interface
/// (port), or a tunnel to another node when the virtual link's far end is not one physical hop
/// away (the paper's open issue, Fig. 2).
public enum InterfaceBinding: Hashable, Sendable, CustomStringConvertible {
    case physical(port: UInt32)
    case tunnel(TunnelID)

    public var description: String {
        switch self {
        case .physical(let port): "port \(port)"
        case .tunnel(let id): "tunnel \(id)"
        }
    }
}
