/// What went wrong in a physical node or VM, and where.
public enum VirtualizationError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidConfiguration(router: VirtualRouterID, field: String, reason: String)
    case unknownRouter(VirtualRouterID, node: String)
    case duplicateRouter(VirtualRouterID, node: String)
    case unknownInterface(VirtualInterfaceID, node: String)
    case unknownTunnel(TunnelID, node: String)
    case badImage(router: VirtualRouterID, reason: String)
    case macInUse(VirtualInterface, node: String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let router, let field, let reason):
            "VM \(router): configuration field \(field): \(reason)"
        case .unknownRouter(let router, let node): "node \(node): no virtual router \(router)"
        case .duplicateRouter(let router, let node): "node \(node): virtual router \(router) is already here"
        case .unknownInterface(let interface, let node): "node \(node): no virtual interface \(interface)"
        case .unknownTunnel(let tunnel, let node): "node \(node): no tunnel \(tunnel)"
        case .badImage(let router, let reason): "VM image of \(router): \(reason)"
        case .macInUse(let interface, let node):
            "node \(node): MAC \(interface.mac) of interface \(interface.name) is used by another router"
        }
    }
}
