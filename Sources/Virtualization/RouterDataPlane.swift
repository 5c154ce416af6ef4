import NetworkAddresses

/// One virtual router's share of a node's data plane (Domain 0): its interfaces, their bindings
/// to the node's interfaces, its forwarding table (a copy of the RIB built by the VM), the
/// neighbours it has learnt, and where its control packets go.
public struct RouterDataPlane: Sendable {
    /// Where Domain 0 sends the router's control packets.
    public enum ControlPath: Hashable, Sendable {
        /// To the router's VM on this node.
        case vm
        /// Into the control buffer (the VM is paused for migration).
        case buffer
        /// Through a tunnel to the node the VM moved to.
        case tunnel(TunnelID)
    }

    public let router: VirtualRouterID
    public let interfaces: [VirtualInterface]
    public let mode: ForwardingMode
    public internal(set) var bindings: [Int: InterfaceBinding] = [:]
    public internal(set) var fib = VirtualRouterFIB()
    public internal(set) var neighbors: [IPv4Address: MACAddress] = [:]
    public internal(set) var controlPath = ControlPath.vm
    public internal(set) var buffer = ControlBuffer()
    public internal(set) var counters = DataPlaneCounters()

    public init(router: VirtualRouterID, interfaces: [VirtualInterface], mode: ForwardingMode) {
        self.router = router
        self.interfaces = interfaces
        self.mode = mode
    }
}
