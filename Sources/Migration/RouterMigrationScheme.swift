import Virtualization

/// How a virtual router is live-migrated (paper §2.1, §2.2).
public enum RouterMigrationScheme: String, Hashable, Sendable, CaseIterable, Codable {
    /// Xen's standard migration: the VM holds both planes and forwards the data itself, so the
    /// packets that arrive while it is paused are lost, and its forwarding dirties pages.
    case standard
    /// The paper's scheme: the VM runs only the control plane; the old node's data plane keeps
    /// forwarding and buffers the VM's control packets while it is paused.
    case planeSeparated = "plane-separated"

    /// The forwarding mode the router's VM runs in under this scheme.
    public var forwarding: ForwardingMode {
        switch self {
        case .standard: .standard
        case .planeSeparated: .planeSeparated
        }
    }
}
