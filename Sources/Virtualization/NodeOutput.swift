import NIOCore

/// What a physical node asks its driver (the substrate) to do.
public enum NodeOutput: Hashable, Sendable {
    /// Send `frame` out of physical interface `port`.
    case transmit(ByteBuffer, port: UInt32)
    /// Hand a control packet to the routing daemon running in `router`'s VM on this node: it
    /// arrived on the router's virtual interface `interface`.
    case deliver(ByteBuffer, router: VirtualRouterID, interface: Int)

    public var transmitted: (frame: ByteBuffer, port: UInt32)? {
        if case .transmit(let frame, let port) = self { (frame, port) } else { nil }
    }

    public var delivered: (frame: ByteBuffer, router: VirtualRouterID, interface: Int)? {
        if case .deliver(let frame, let router, let interface) = self { (frame, router, interface) } else { nil }
    }
}
