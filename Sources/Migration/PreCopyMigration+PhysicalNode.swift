import NIOCore
import Virtualization

/// Driving a migration with the VM where it lives, on its node.
extension PreCopyMigration {
    /// Starts migrating the router's VM hosted on `node`.
    public mutating func start(now: NIODeadline, on node: inout PhysicalNode) -> [LiveMigrationEvent] {
        let router = self.router
        return node.withMachine(router) { start(now: now, source: &$0) } ?? []
    }

    /// ``advance(to:source:)`` with the VM on `node` (call `node.advance(to: now)` first).
    public mutating func advance(to now: NIODeadline, on node: inout PhysicalNode) -> [LiveMigrationEvent] {
        node.withMachine(router) { advance(to: now, source: &$0) } ?? []
    }

    /// ``fail(_:now:source:)`` with the VM on `node`.
    public mutating func fail(_ reason: LiveMigrationFailure, now: NIODeadline, on node: inout PhysicalNode)
        -> [LiveMigrationEvent]
    {
        node.withMachine(router) { fail(reason, now: now, source: &$0) } ?? []
    }
}
