/// Where a virtual router's data packets are forwarded (paper §2.1, §2.2).
public enum ForwardingMode: String, Hashable, Sendable, CaseIterable {
    /// Xen's standard model: the VM holds both planes and forwards every data packet itself, so
    /// forwarding dirties its memory and nothing is forwarded while it is paused.
    case standard
    /// Plane separation: the VM runs only the control plane; the node's shared data plane
    /// (Domain 0) forwards with its copy of the router's table.
    case planeSeparated = "plane-separated"
}
