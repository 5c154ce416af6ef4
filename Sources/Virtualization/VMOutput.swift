import NIOCore

/// What a VM's guest asks of its node: a frame to send on one of its virtual interfaces, or a
/// control packet for the routing daemon it runs.
public enum VMOutput: Hashable, Sendable {
    /// A frame for virtual interface `interface`; the node sends it where the interface is bound.
    case transmit(ByteBuffer, interface: Int)
    /// A control packet (OSPF, or anything addressed to the router) the guest received on
    /// `interface`, for the routing daemon inside the VM.
    case toDaemon(ByteBuffer, interface: Int)
}
