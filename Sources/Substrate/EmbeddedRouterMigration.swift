import Migration
import NIOCore
import Virtualization

/// Drives a ``RouterMigration`` between two ``EmbeddedPhysicalNode``s on their clock: runs it at
/// its deadlines, carries out its outputs on the right node, and moves the routing daemon's
/// state with the VM when it resumes on the destination (or lets it run on at the source after
/// a rollback).
public final class EmbeddedRouterMigration {
    public let source: EmbeddedPhysicalNode
    public let destination: EmbeddedPhysicalNode
    public let clock: any SubstrateClock
    public private(set) var migration: RouterMigration
    /// Every output of the migration, with its time (the pre-copy stages among them).
    public private(set) var log: [(at: NIODeadline, output: RouterMigration.Output)] = []
    /// Called once, when the migration has finished (completed, rolled back or failed).
    public var onFinish: ((RouterMigration) -> Void)?
    private var timer: ScheduledEvent?

    public init(_ configuration: RouterMigration.Configuration, from source: EmbeddedPhysicalNode,
        to destination: EmbeddedPhysicalNode)
    {
        precondition(source.clock === destination.clock, "EmbeddedRouterMigration: the nodes run on different clocks")
        self.source = source
        self.destination = destination
        self.clock = source.clock
        migration = RouterMigration(configuration)
    }

    public var router: VirtualRouterID { migration.router }
    public var isFinished: Bool { migration.isFinished }

    /// Starts the migration now.
    public func start() throws(RouterMigrationError) {
        let now = clock.now
        _ = source.node.advance(to: now)
        _ = destination.node.advance(to: now)
        let outputs = try migration.start(now: now, source: &source.node, destination: &destination.node)
        handle(outputs, now: now)
    }

    /// Injects a failure (the destination died, the channel broke) now.
    public func fail(_ reason: LiveMigrationFailure) {
        let now = clock.now
        _ = source.node.advance(to: now)
        let outputs = migration.fail(reason, now: now, source: &source.node, destination: &destination.node)
        handle(outputs, now: now)
    }

    private func step() {
        timer = nil
        let now = clock.now
        _ = source.node.advance(to: now)
        _ = destination.node.advance(to: now)
        let outputs = migration.advance(to: now, source: &source.node, destination: &destination.node)
        handle(outputs, now: now)
    }

    private func handle(_ outputs: [RouterMigration.Output], now: NIODeadline) {
        for output in outputs {
            log.append((now, output))
            switch output {
            case .source(let nodeOutput):
                source.carryOut([nodeOutput])
            case .destination(let nodeOutput):
                destination.carryOut([nodeOutput])
            case .resumed:
                // The daemon's state is part of the VM: it runs on the destination from now on.
                if let moved = source.releaseDaemon(router) { destination.adoptDaemon(router, moved) }
                destination.watchFirstForward(router)
            case .migration(.stopAndCopy):
                source.reschedule()  // the paused VM's daemon waits
            case .rolledBack:
                source.runDaemons()  // overdue timers of the resumed daemon
            case .migration, .completed, .failed:
                break
            }
        }
        if let timer { clock.cancel(timer) }
        timer = nil
        if migration.isFinished {
            let finished = migration
            onFinish?(finished)
            onFinish = nil
        } else if let next = migration.nextDeadline {
            timer = clock.schedule(at: next) { [weak self] in self?.step() }
        }
    }
}
