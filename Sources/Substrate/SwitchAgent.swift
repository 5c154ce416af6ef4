import Datapath
import NIOCore
import NIOPosix
import OpenFlow
import OpenFlowNIO

/// Connects a ``Datapath`` to an OpenFlow controller over TCP, optionally with TLS
/// (``Configuration/tls``): the software switch as a
/// controller sees it (spec 1.3.5 §6.3.1, the switch initiates the connection).
///
/// The agent owns the datapath and one event loop. Everything happens on that loop: messages
/// from the controller go to ``Datapath/handle(_:xid:now:)``, frames given to
/// ``inject(packet:inPort:)`` go to ``Datapath/receive(packet:inPort:now:)``, and a timer at
/// ``Datapath/nextDeadline`` calls ``Datapath/expire(now:)``. What the datapath returns is
/// carried out: messages are written to the controller, frames handed to the ``PacketSink``.
///
/// Only HELLO is negotiated outside the datapath (with ``OpenFlowSwitchStateMachine``, offering
/// OpenFlow 1.3 alone). FEATURES, PORT_DESC, GET/SET_CONFIG, ECHO and BARRIER are answered by
/// the datapath itself, because it is the one source of truth: PORT_DESC reports ports as they
/// are now, SET_CONFIG's `miss_send_len` governs the PACKET_INs the datapath builds, and a
/// BARRIER_REPLY must follow the outputs of every earlier message, an order only the datapath
/// knows.
///
/// If the connection fails or drops, the agent reconnects after a delay that doubles from
/// ``Configuration/initialBackoff`` up to ``Configuration/maximumBackoff``, and starts again
/// from the initial delay once a HELLO has been exchanged. The datapath (flows, counters)
/// survives reconnections, as a switch in "fail secure" mode keeps its flows (spec 1.3.5 §6.4).
///
/// Time is read from `eventLoop.now`, so the agent's datapath logic runs on the virtual clock
/// of NIO's `EmbeddedEventLoop` as well: its handler can be driven on an `EmbeddedChannel` of
/// that loop (``start()`` itself needs a NIOPosix loop, for `ClientBootstrap`).
public final class SwitchAgent: Sendable {
    public struct Configuration: Sendable {
        /// The controller.
        public var host: String
        public var port: Int
        /// The first delay before reconnecting; it doubles after each failure.
        public var initialBackoff: TimeAmount
        /// The longest delay before reconnecting.
        public var maximumBackoff: TimeAmount
        public var connectTimeout: TimeAmount
        /// TLS with mutual authentication (nil: plain TCP): the agent presents `tls`'s
        /// certificate and checks the controller's against its trusted CAs. A failed handshake
        /// is logged and reported as ``Event/rejected(_:)`` with ``OpenFlowCloseReason/tls(_:)``,
        /// and retried with backoff like any failure.
        public var tls: OpenFlowTLSConfiguration?

        public init(
            host: String, port: Int = 6653, initialBackoff: TimeAmount = .milliseconds(100),
            maximumBackoff: TimeAmount = .seconds(2), connectTimeout: TimeAmount = .seconds(2),
            tls: OpenFlowTLSConfiguration? = nil
        ) {
            self.host = host
            self.port = port
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
            self.connectTimeout = connectTimeout
            self.tls = tls
        }
    }

    /// What happens to the connection.
    public enum Event: Sendable, Hashable {
        /// HELLO was exchanged: the controller now speaks to the datapath.
        case connected(version: UInt8)
        /// A connection that was up closed; the agent will reconnect unless stopped.
        case disconnected(OpenFlowCloseReason)
        /// A connection attempt failed; the agent will try again unless stopped.
        case connectFailed(String)
        /// A connection closed before HELLO was exchanged, for this reason: typically TLS
        /// (``OpenFlowCloseReason/tls(_:)``: the controller's certificate is not trusted, or the
        /// controller refused ours). The agent will try again unless stopped.
        case rejected(OpenFlowCloseReason)
    }

    /// Where the datapath's frames go: `port` is the output port, `queue` the queue set-queue
    /// chose (nil: the default). Called on the agent's event loop.
    public typealias PacketSink = @Sendable (_ frame: ByteBuffer, _ port: UInt32, _ queue: UInt32?) -> Void

    public let configuration: Configuration
    public let eventLoop: any EventLoop
    /// Connection events, newest kept if nobody reads them.
    public let events: AsyncStream<Event>
    /// Where failed connections (TLS errors above all) are logged.
    public let logger: any OpenFlowLogger
    private let continuation: AsyncStream<Event>.Continuation
    private let state: NIOLoopBoundBox<State>

    /// The agent's mutable state, touched only on ``eventLoop``.
    final class State {
        var datapath: Datapath
        let sink: PacketSink
        var handler: SwitchAgentHandler?
        var channel: (any Channel)?
        var started = false
        var stopped = false
        var backoff: TimeAmount
        var reconnect: Scheduled<Void>?
        var expiry: Scheduled<Void>?
        var expiryDeadline: NIODeadline?
        /// Reused for every packet, so the plain forwarding path allocates no array.
        var outputs: [DatapathOutput] = []

        init(datapath: Datapath, sink: @escaping PacketSink, backoff: TimeAmount) {
            self.datapath = datapath
            self.sink = sink
            self.backoff = backoff
        }
    }

    public init(
        datapath: Datapath, configuration: Configuration,
        eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.next(),
        logger: any OpenFlowLogger = PrintOpenFlowLogger(minimumLevel: .warning),
        packetSink: @escaping PacketSink
    ) {
        self.configuration = configuration
        self.logger = logger
        self.eventLoop = eventLoop
        (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(64))
        state = NIOLoopBoundBox.makeBoxSendingValue(
            State(datapath: datapath, sink: packetSink, backoff: configuration.initialBackoff), eventLoop: eventLoop)
    }

    // MARK: Public API (any thread)

    /// Starts connecting to the controller. Calling it again does nothing. The agent then keeps
    /// itself alive (its reconnect and expiry timers hold it) until ``stop()``.
    public func start() {
        eventLoop.execute { [self] in
            guard !state.value.started else { return }
            state.value.started = true
            connect()
        }
    }

    /// Closes the connection and stops reconnecting and expiring flows; ``events`` finishes.
    public func stop() async {
        try? await eventLoop.flatSubmit { [self] in shutDown() }.get()
        continuation.finish()
    }

    /// ``stop()`` on the event loop: what a test on NIO's `EmbeddedEventLoop` calls, where
    /// awaiting a future would wait for a `run()` nobody calls.
    func shutDown() -> EventLoopFuture<Void> {
        let state = self.state.value
        state.stopped = true
        state.reconnect?.cancel()
        state.reconnect = nil
        state.expiry?.cancel()
        state.expiry = nil
        state.expiryDeadline = nil
        guard let channel = state.channel else { return eventLoop.makeSucceededVoidFuture() }
        if let handler = state.handler {
            handler.closeLocally()
        } else {
            channel.close(promise: nil)
        }
        return channel.closeFuture
    }

    /// A frame arrives on `inPort`: it goes through the datapath, and what that sends (frames,
    /// PACKET_INs) is carried out. Frames injected from one thread keep their order.
    public func inject(packet: ByteBuffer, inPort: UInt32) {
        eventLoop.execute { [self] in
            let state = self.state.value
            state.outputs.removeAll(keepingCapacity: true)
            state.datapath.receive(packet: packet, inPort: inPort, now: eventLoop.now, into: &state.outputs)
            carryOut(state.outputs)
        }
    }

    /// A copy of the datapath as it is now (for inspection: flow counts, port counters).
    /// Throws only if the event loop has shut down.
    public var datapath: Datapath {
        get async throws {
            try await eventLoop.submit { [self] in state.value.datapath }.get()
        }
    }

    /// Changes the datapath (add or remove a port, pull a cable with ``Datapath/setLink(_:up:now:)``)
    /// and carries out what the change returns, such as PORT_STATUS messages.
    /// Throws only if the event loop has shut down.
    public func update(_ body: @escaping @Sendable (inout Datapath, NIODeadline) -> [DatapathOutput]) async throws {
        try await eventLoop.submit { [self] in
            let outputs = body(&state.value.datapath, eventLoop.now)
            carryOut(outputs)
        }.get()
    }

    // MARK: The handler's calls (on the event loop)

    /// HELLO was exchanged on `handler`'s connection.
    func connected(_ handler: SwitchAgentHandler, version: UInt8) {
        let state = self.state.value
        state.handler = handler
        state.backoff = configuration.initialBackoff
        continuation.yield(.connected(version: version))
    }

    /// A message from the controller, after HELLO.
    func received(_ message: OF13.Message, xid: UInt32) {
        carryOut(state.value.datapath.handle(message, xid: xid, now: eventLoop.now))
    }

    /// `handler`'s connection closed.
    func disconnected(_ handler: SwitchAgentHandler, reason: OpenFlowCloseReason, wasUp: Bool) {
        let state = self.state.value
        if state.handler === handler { state.handler = nil }
        state.channel = nil
        if wasUp {
            continuation.yield(.disconnected(reason))
        } else if reason != .closedLocally {
            logger.log(.warning, "switch agent \(datapathIDString): connection to \(configuration.host):\(configuration.port) failed: \(reason)")
            continuation.yield(.rejected(reason))
        }
        scheduleReconnect()
    }

    // MARK: Internals (on the event loop)

    private var datapathIDString: String {
        let hex = String(state.value.datapath.configuration.datapathID, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }

    private func carryOut(_ outputs: [DatapathOutput]) {
        let state = self.state.value
        let handler = state.handler
        for output in outputs {
            switch output {
            case .message(let message, let xid):
                handler?.enqueue(.of13(message, xid: xid))
            case .packet(let frame, let port, let queue):
                state.sink(frame, port, queue)
            }
        }
        handler?.flush()
        rescheduleExpiry()
    }

    private func connect() {
        let state = self.state.value
        guard !state.stopped else { return }
        let bootstrap = ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(configuration.connectTimeout)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls = self.configuration.tls {
                        try channel.pipeline.syncOperations.addHandler(tls.makeClientHandler())
                    }
                    let handler = SwitchAgentHandler(agent: self, datapath: self.state.value.datapath)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        bootstrap.connect(host: configuration.host, port: configuration.port).hop(to: eventLoop)
            .assumeIsolated().whenComplete { [self] result in
                switch result {
                case .success(let channel):
                    if self.state.value.stopped {
                        channel.close(promise: nil)
                    } else {
                        self.state.value.channel = channel
                    }
                case .failure(let error):
                    continuation.yield(.connectFailed("\(error)"))
                    scheduleReconnect()
                }
            }
    }

    private func scheduleReconnect() {
        let state = self.state.value
        guard !state.stopped, state.reconnect == nil else { return }
        let delay = state.backoff
        state.backoff = min(delay * 2, configuration.maximumBackoff)
        state.reconnect = eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            self.state.value.reconnect = nil
            connect()
        }
    }

    /// One timer, at the datapath's next deadline. Deadlines only move later as flows see
    /// packets, so a timer that fires early costs one call that expires nothing and re-arms.
    private func rescheduleExpiry() {
        let state = self.state.value
        guard !state.stopped, let next = state.datapath.nextDeadline else { return }
        if let current = state.expiryDeadline, current <= next { return }
        state.expiry?.cancel()
        state.expiryDeadline = next
        state.expiry = eventLoop.assumeIsolated().scheduleTask(deadline: next) { [self] in
            let state = self.state.value
            state.expiry = nil
            state.expiryDeadline = nil
            carryOut(state.datapath.expire(now: eventLoop.now))
        }
    }
}
