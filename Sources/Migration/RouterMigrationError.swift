import Virtualization

/// Why a virtual-router migration cannot start.
public struct RouterMigrationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var router: VirtualRouterID
    public var reason: String

    public init(router: VirtualRouterID, _ reason: String) {
        self.router = router
        self.reason = reason
    }

    public var description: String { "cannot migrate router '\(router)': \(reason)" }
}
