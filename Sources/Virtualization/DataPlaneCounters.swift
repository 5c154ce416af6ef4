/// What a node's shared data plane did with one virtual router's packets.
public struct DataPlaneCounters: Hashable, Sendable {
    /// Data packets forwarded by Domain 0 with the router's table (plane-separated).
    public var forwarded = 0
    public var droppedNoRoute = 0
    public var droppedTTL = 0
    /// No MAC known for the next hop: an ARP request was sent instead.
    public var droppedUnresolved = 0
    /// The outgoing virtual interface is not bound on this node.
    public var droppedUnbound = 0
    /// Data packets handed to the VM to forward (standard).
    public var dataToVM = 0
    /// Data packets lost because the VM that forwards them is paused or elsewhere (standard).
    public var dataLost = 0
    /// Control packets handed to the VM.
    public var controlToVM = 0
    /// Control packets held in the control buffer.
    public var controlBuffered = 0
    /// Control packets sent through the tunnel to the VM's new node.
    public var controlTunneled = 0
    /// Control packets lost: no running VM here, no buffer, no tunnel.
    public var controlLost = 0
    /// Frames of the router's that came out of a tunnel and left by a physical interface here.
    public var relayed = 0

    public init() {}
}
