import Datapath
import NIOCore
import OpenFlow

/// An OpenFlow 1.3 switch of the embedded network: a ``Datapath`` whose ports are plugged into
/// ``EmbeddedLink``s and whose control channel leads to an ``EmbeddedController``.
///
/// The control path has the knobs real switches have (``Options``): a processing delay per
/// message with seeded jitter, and reordering of the messages between two barriers with a
/// given probability. Messages go through a ``FlowModScheduler``: it applies them one at a
/// time, each after its delay, choosing the next among those before the first pending
/// BARRIER_REQUEST (at random with probability ``Options/reorderProbability``). A barrier is
/// answered only once everything sent before it is applied, and nothing sent after it is
/// applied before it. Everything random is drawn from the clock's stream for this switch, so
/// one seed gives one schedule.
public final class EmbeddedSwitch: EmbeddedNode {
    public struct Options: Hashable, Sendable {
        public var tableCount: Int
        /// Time to apply one FLOW_MOD (or GROUP_MOD, METER_MOD, PORT_MOD).
        public var flowModDelay: TimeAmount
        /// Up to this much more per FLOW_MOD: each one's delay is `flowModDelay` plus a seeded
        /// uniform draw in `0...flowModJitter`.
        public var flowModJitter: TimeAmount
        /// Time for any other message but a barrier.
        public var otherMessageDelay: TimeAmount
        /// The scenario's `reorder_unconfirmed`: the chance, each time the switch picks the next
        /// of several unconfirmed messages, that it takes a random one instead of the oldest.
        public var reorderProbability: Double
        /// Apply messages between barriers in a seeded random order (probability above 0;
        /// setting true means probability 1).
        public var reorderUnconfirmed: Bool {
            get { reorderProbability > 0 }
            set { reorderProbability = newValue ? 1 : 0 }
        }
        /// With reordering: how long the switch collects arrivals before choosing the next
        /// (a wider window reorders more even when it is not busy).
        public var reorderWindow: TimeAmount

        /// `reorderProbability` (0...1) wins over `reorderUnconfirmed` when given.
        public init(
            tableCount: Int = 8, flowModDelay: TimeAmount = .zero, flowModJitter: TimeAmount = .zero,
            otherMessageDelay: TimeAmount = .zero, reorderUnconfirmed: Bool = false, reorderProbability: Double? = nil,
            reorderWindow: TimeAmount = .zero
        ) {
            self.tableCount = tableCount
            self.flowModDelay = flowModDelay
            self.flowModJitter = flowModJitter
            self.otherMessageDelay = otherMessageDelay
            self.reorderProbability = reorderProbability ?? (reorderUnconfirmed ? 1 : 0)
            self.reorderWindow = reorderWindow
        }
    }

    public let name: String
    public let clock: any SubstrateClock
    public let options: Options
    public private(set) var datapath: Datapath
    public var datapathID: UInt64 { datapath.configuration.datapathID }
    /// The control channel, once ``EmbeddedController/connect(_:latency:)`` made one.
    public internal(set) var channel: ControlChannel?
    public var trace: EventTrace?
    /// Sees every message as it takes effect, with the time it does (for tests and traces).
    public var onApply: ((FlowModScheduler.Applied) -> Void)?
    /// Frames sent out of ports with nothing plugged in.
    public private(set) var unpluggedDrops: UInt64 = 0
    private var ports: [UInt32: (link: EmbeddedLink, side: EmbeddedLink.Side)] = [:]
    private var scheduler: FlowModScheduler
    private var schedulerTimer: (event: ScheduledEvent, deadline: NIODeadline)?
    private var expiryTimer: (event: ScheduledEvent, deadline: NIODeadline)?
    private var outputs: [DatapathOutput] = []

    public init(name: String, datapathID: UInt64, options: Options = Options(), clock: any SubstrateClock) {
        self.name = name
        self.clock = clock
        self.options = options
        self.datapath = Datapath(configuration: .init(datapathID: datapathID, tableCount: options.tableCount))
        var random = clock.randomStream("switch \(name)")
        self.scheduler = FlowModScheduler(
            policy: .init(
                modificationDelay: options.flowModDelay, modificationJitter: options.flowModJitter,
                otherDelay: options.otherMessageDelay, reorderProbability: options.reorderProbability,
                window: options.reorderWindow, seed: random.next()))
    }

    /// The port numbers with a link.
    public var pluggedPorts: [UInt32] { ports.keys.sorted() }

    /// The link on `port`.
    public func link(on port: UInt32) -> EmbeddedLink? { ports[port]?.link }

    /// Changes the datapath directly (as a switch's local CLI would) and carries out what it
    /// returns.
    public func update(_ body: (inout Datapath, NIODeadline) -> [DatapathOutput]) {
        carryOut(body(&datapath, clock.now))
    }

    // MARK: EmbeddedNode

    public func attach(_ link: EmbeddedLink, side: EmbeddedLink.Side, port: UInt32) {
        ports[port] = (link, side)
        carryOut(datapath.addPort(number: port, name: "\(name)-p\(port)", now: clock.now))
    }

    public func linkStateChanged(port: UInt32, isUp: Bool) {
        carryOut(datapath.setLink(port, up: isUp, now: clock.now))
    }

    public func receive(frame: ByteBuffer, port: UInt32) {
        outputs.removeAll(keepingCapacity: true)
        datapath.receive(packet: frame, inPort: port, now: clock.now, into: &outputs)
        carryOut(outputs)
    }

    // MARK: control channel

    /// A message from the controller arrives now.
    func receiveFromController(_ message: OF13.Message, xid: UInt32) {
        scheduler.submit(message, xid: xid, arrival: clock.now)
        runScheduler()
    }

    private func runScheduler() {
        let now = clock.now
        for applied in scheduler.due(now: now) {
            if case .flowMod = applied.message {
                trace?.record(now, "\(name) apply flow_mod xid=\(applied.xid)")
            }
            onApply?(applied)
            carryOut(datapath.handle(applied.message, xid: applied.xid, now: applied.appliedAt))
        }
        let next = scheduler.nextDeadline
        if schedulerTimer?.deadline != next {
            if let timer = schedulerTimer { clock.cancel(timer.event) }
            schedulerTimer = nil
            if let next {
                let event = clock.schedule(at: next) { [self] in
                    schedulerTimer = nil
                    runScheduler()
                }
                schedulerTimer = (event, next)
            }
        }
    }

    private func carryOut(_ outputs: [DatapathOutput]) {
        for output in outputs {
            switch output {
            case .packet(let frame, let port, _):
                if let attached = ports[port] {
                    attached.link.transmit(frame, from: attached.side)
                } else {
                    unpluggedDrops += 1
                }
            case .message(let message, let xid):
                channel?.sendToController(message, xid: xid)
            }
        }
        rescheduleExpiry()
    }

    private func rescheduleExpiry() {
        let next = datapath.nextDeadline
        guard expiryTimer?.deadline != next else { return }
        if let timer = expiryTimer { clock.cancel(timer.event) }
        expiryTimer = nil
        guard let next else { return }
        let event = clock.schedule(at: next) { [self] in
            expiryTimer = nil
            carryOut(datapath.expire(now: clock.now))
        }
        expiryTimer = (event, next)
    }
}
