import NIOCore
import Virtualization

/// The live migration of one virtual router from a source node to a destination node, under one
/// of the two schemes of ``RouterMigrationScheme``, sans-I/O: the driver calls
/// ``advance(to:source:destination:)`` by ``nextDeadline`` (after running both nodes' vCPUs up
/// to `now`) and carries out the ``Output``s.
///
/// Both schemes pre-copy the VM's memory (``PreCopyMigration``) and, once the VM runs on the
/// destination, bind its interfaces there and announce its MACs by gratuitous ARP so that the
/// segments' bridges move the links. They differ as the paper says (§2.1, §2.2):
///
/// - `standard`: the VM forwards the data itself. While it is paused, data and control packets
///   for it are lost; when it runs on the destination, the source's share of the data plane is
///   removed at once (nothing is left there to forward).
/// - `plane-separated`: at stop-and-copy the source's data plane starts buffering the router's
///   control packets and keeps forwarding its data with the table it has. When the VM resumes
///   on the destination, the destination's data plane builds the router's table from the RIB in
///   the VM's memory, the buffered control packets and every later one go through the tunnel
///   to the destination in order, and the source's share of the data plane is removed
///   ``Configuration/oldDataPlaneLinger`` later, once the traffic has moved.
///
/// A failure before commitment (the channel breaks, the destination fails) rolls back: the VM
/// runs on the source again, the buffered control packets are delivered to it in order, and
/// the tunnel ends are removed.
public struct RouterMigration: Sendable {
    public struct Configuration: Hashable, Sendable {
        public var router: VirtualRouterID
        public var scheme: RouterMigrationScheme
        /// Where the router's interfaces are bound on the destination (interface index → binding).
        public var destinationBindings: [Int: InterfaceBinding]
        /// The tunnel's two ends: on the source (towards the destination) and on the
        /// destination (towards the source). Needed by `plane-separated`.
        public var sourceTunnel: TunnelEndpoint.Configuration?
        public var destinationTunnel: TunnelEndpoint.Configuration?
        public var channel: LiveMigrationChannel
        public var preCopy: PreCopyConfiguration
        /// How long the source's data plane keeps forwarding after the VM resumed on the
        /// destination (`plane-separated`), while the gratuitous ARP moves the links.
        public var oldDataPlaneLinger: TimeAmount

        public init(
            router: VirtualRouterID, scheme: RouterMigrationScheme, destinationBindings: [Int: InterfaceBinding],
            sourceTunnel: TunnelEndpoint.Configuration? = nil, destinationTunnel: TunnelEndpoint.Configuration? = nil,
            channel: LiveMigrationChannel = .gigabit, preCopy: PreCopyConfiguration = .init(),
            oldDataPlaneLinger: TimeAmount = .milliseconds(100)
        ) {
            self.router = router
            self.scheme = scheme
            self.destinationBindings = destinationBindings
            self.sourceTunnel = sourceTunnel
            self.destinationTunnel = destinationTunnel
            self.channel = channel
            self.preCopy = preCopy
            self.oldDataPlaneLinger = oldDataPlaneLinger
        }
    }

    public enum Phase: Hashable, Sendable {
        case notStarted
        /// Pages are being copied while the VM runs on the source.
        case preCopy
        /// The VM is paused (stop-and-copy, commitment).
        case paused
        /// The VM runs on the destination; the source's data plane still forwards (`plane-separated`).
        case moved
        case completed
        case rolledBack(LiveMigrationFailure)
        /// The VM was lost after commitment, or could not be admitted at the destination.
        case failed(String)
    }

    /// What the driver must do.
    public enum Output: Hashable, Sendable {
        /// Carry out a node output on the source node.
        case source(NodeOutput)
        /// Carry out a node output on the destination node.
        case destination(NodeOutput)
        /// A stage of the pre-copy engine.
        case migration(LiveMigrationEvent)
        /// The VM runs on the destination: its routing daemon's state now lives there.
        case resumed(at: NIODeadline)
        /// The source's share of the data plane was removed: the migration is over.
        case completed(at: NIODeadline)
        /// The migration failed before commitment: the VM runs on the source again.
        case rolledBack(at: NIODeadline, reason: LiveMigrationFailure)
        /// The migration failed after commitment.
        case failed(at: NIODeadline, reason: String)
    }

    public let configuration: Configuration
    public private(set) var engine: PreCopyMigration
    public private(set) var phase = Phase.notStarted
    public private(set) var startedAt: NIODeadline?
    public private(set) var resumedAt: NIODeadline?
    public private(set) var completedAt: NIODeadline?
    /// The source's counters for the router when its share of the data plane was removed.
    public private(set) var sourceCounters: DataPlaneCounters?
    /// The most control packets the source's buffer held at once.
    public private(set) var controlBufferHighWater = 0
    private var removeOldDataPlaneAt: NIODeadline?
    private var buffering = false

    public init(_ configuration: Configuration) {
        self.configuration = configuration
        engine = PreCopyMigration(
            router: configuration.router, channel: configuration.channel, configuration: configuration.preCopy)
    }

    public var router: VirtualRouterID { configuration.router }
    public var statistics: PreCopyStatistics { engine.statistics }

    public var isFinished: Bool {
        switch phase {
        case .completed, .rolledBack, .failed: true
        default: false
        }
    }

    /// When ``advance(to:source:destination:)`` must next be called.
    public var nextDeadline: NIODeadline? {
        [engine.nextDeadline, removeOldDataPlaneAt].compactMap { $0 }.min()
    }

    // MARK: Driving

    /// Checks that the router can move, sets up the tunnel ends (`plane-separated`) and starts
    /// pre-copy at `now`.
    public mutating func start(now: NIODeadline, source: inout PhysicalNode, destination: inout PhysicalNode)
        throws(RouterMigrationError) -> [Output]
    {
        precondition(phase == .notStarted, "RouterMigration of \(router): started twice")
        let c = configuration
        guard let vm = source.machine(router) else {
            throw RouterMigrationError(router: router, "no VM for it on source node '\(source.name)'")
        }
        guard vm.isRunning else { throw RouterMigrationError(router: router, "its VM is \(vm.state), not running") }
        guard vm.configuration.forwarding == c.scheme.forwarding else {
            throw RouterMigrationError(
                router: router,
                "the scheme \(c.scheme.rawValue) needs a VM in \(c.scheme.forwarding.rawValue) mode, it runs \(vm.configuration.forwarding.rawValue)")
        }
        guard destination.machine(router) == nil, destination.dataPlane[router] == nil else {
            throw RouterMigrationError(router: router, "destination node '\(destination.name)' already hosts it")
        }
        for interface in vm.interfaces {
            if let owner = destination.dataPlane.interface(forMAC: interface.mac) {
                throw RouterMigrationError(
                    router: router, "MAC \(interface.mac) of \(interface.name) is used by \(owner) on '\(destination.name)'")
            }
        }
        for index in c.destinationBindings.keys where !(0..<vm.interfaces.count).contains(index) {
            throw RouterMigrationError(router: router, "destinationBindings names interface \(index), it has \(vm.interfaces.count)")
        }
        if c.scheme == .planeSeparated {
            guard let sourceEnd = c.sourceTunnel, let destinationEnd = c.destinationTunnel else {
                throw RouterMigrationError(router: router, "plane-separated migration needs both tunnel ends")
            }
            guard sourceEnd.id == destinationEnd.id else {
                throw RouterMigrationError(router: router, "the tunnel ends are named \(sourceEnd.id) and \(destinationEnd.id)")
            }
            source.dataPlane.addTunnel(sourceEnd)
            destination.dataPlane.addTunnel(destinationEnd)
        }
        startedAt = now
        phase = .preCopy
        let events = engine.start(now: now, on: &source)
        return handle(events, now: now, source: &source, destination: &destination)
    }

    /// Does everything due by `now`.
    public mutating func advance(to now: NIODeadline, source: inout PhysicalNode, destination: inout PhysicalNode)
        -> [Output]
    {
        var outputs: [Output] = []
        if !engine.isFinished {
            outputs += handle(engine.advance(to: now, on: &source), now: now, source: &source, destination: &destination)
        }
        if let at = removeOldDataPlaneAt, at <= now {
            removeOldDataPlaneAt = nil
            removeOldDataPlane(source: &source, destination: &destination)
            completedAt = now
            phase = .completed
            outputs.append(.completed(at: now))
        }
        return outputs
    }

    /// The destination or the channel failed at `now`.
    public mutating func fail(
        _ reason: LiveMigrationFailure, now: NIODeadline, source: inout PhysicalNode, destination: inout PhysicalNode
    ) -> [Output] {
        handle(engine.fail(reason, now: now, on: &source), now: now, source: &source, destination: &destination)
    }

    // MARK: Stages

    private mutating func handle(
        _ events: [LiveMigrationEvent], now: NIODeadline, source: inout PhysicalNode, destination: inout PhysicalNode
    ) -> [Output] {
        var outputs: [Output] = []
        for event in events {
            outputs.append(.migration(event))
            switch event {
            case .stopAndCopy:
                phase = .paused
                if configuration.scheme == .planeSeparated {
                    // The VM was paused at `now`: from now on Domain 0 holds its control packets.
                    buffering = (try? source.startBufferingControl(router)) != nil
                }
            case .resumedAtDestination(let at):
                outputs += resume(at: at, source: &source, destination: &destination)
            case .rolledBack(let at, let reason):
                outputs += rollBack(at: at, reason: reason, source: &source, destination: &destination)
            case .lost(let at, let reason):
                phase = .failed("the VM was lost after commitment: \(reason.rawValue)")
                removeTunnels(source: &source, destination: &destination)
                outputs.append(.failed(at: at, reason: reason.rawValue))
            case .started, .roundCompleted, .imageReceived, .acknowledged:
                break
            }
        }
        return outputs
    }

    private mutating func resume(at now: NIODeadline, source: inout PhysicalNode, destination: inout PhysicalNode)
        -> [Output]
    {
        guard let vm = engine.takeMigratedMachine() else {
            phase = .failed("the pre-copy engine handed over no VM")
            return [.failed(at: now, reason: "no VM")]
        }
        source.evict(router)
        do {
            try destination.admit(vm, bindings: configuration.destinationBindings)
        } catch {
            phase = .failed("the destination refused the VM: \(error)")
            removeTunnels(source: &source, destination: &destination)
            return [.failed(at: now, reason: "\(error)")]
        }
        resumedAt = now
        var outputs: [Output] = [.resumed(at: now)]
        switch configuration.scheme {
        case .planeSeparated:
            phase = .moved
            // The new node's data plane builds the router's table from the RIB in the VM's memory.
            try? destination.syncForwardingTable(router)
            // Buffered control packets, then every later one, through the tunnel in order.
            if let tunnel = configuration.sourceTunnel?.id {
                controlBufferHighWater = source.dataPlane[router]?.buffer.highWater ?? 0
                if let sent = try? source.redirectControl(router, to: tunnel, now: now) {
                    outputs += sent.map(Output.source)
                }
            }
            buffering = false
            removeOldDataPlaneAt = now + configuration.oldDataPlaneLinger
        case .standard:
            sourceCounters = source.removeDataPlane(router)?.counters
            completedAt = now
            phase = .completed
        }
        // ARP replies move the links.
        if let announcements = try? destination.announce(router) {
            outputs += announcements.map(Output.destination)
        }
        if phase == .completed { outputs.append(.completed(at: now)) }
        return outputs
    }

    private mutating func rollBack(
        at now: NIODeadline, reason: LiveMigrationFailure, source: inout PhysicalNode, destination: inout PhysicalNode
    ) -> [Output] {
        var outputs: [Output] = []
        if buffering {
            controlBufferHighWater = source.dataPlane[router]?.buffer.highWater ?? 0
            if let delivered = try? source.deliverBufferedControl(router, now: now) {
                outputs += delivered.map(Output.source)
            }
            buffering = false
        }
        removeTunnels(source: &source, destination: &destination)
        phase = .rolledBack(reason)
        outputs.append(.rolledBack(at: now, reason: reason))
        return outputs
    }

    private mutating func removeOldDataPlane(source: inout PhysicalNode, destination: inout PhysicalNode) {
        sourceCounters = source.removeDataPlane(router)?.counters
        removeTunnels(source: &source, destination: &destination)
    }

    private func removeTunnels(source: inout PhysicalNode, destination: inout PhysicalNode) {
        if let id = configuration.sourceTunnel?.id { source.dataPlane.removeTunnel(id) }
        if let id = configuration.destinationTunnel?.id { destination.dataPlane.removeTunnel(id) }
    }
}
