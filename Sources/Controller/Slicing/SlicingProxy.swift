import NIOCore
import NIOPosix
import OpenFlow
import OpenFlowNIO

/// A slicing proxy in the style of FlowVisor (the paper's second mode, §2.2): switches connect
/// to it as to their controller; for each switch, it connects to the controller of every
/// virtual network with ports on that switch and presents the switch to it, confined to that
/// network's ports and flowspace.
///
/// The decisions are ``SwitchSlicer``'s (pure); this class only moves messages. One task
/// (``run()``) handles every event in order: switch events from an ``OpenFlowServer``, and the
/// controllers' messages from their ``TenantChannelHandler``s. A controller that cannot be
/// reached is retried every ``Configuration/reconnectInterval`` while its switch is up; a
/// controller that sends a malformed message loses its connection, and the others keep theirs.
public final class SlicingProxy: Sendable {
    /// One virtual network and where its controller listens.
    public struct Tenant: Hashable, Sendable {
        public var network: VirtualNetwork
        public var controllerHost: String
        public var controllerPort: Int

        public init(network: VirtualNetwork, controllerHost: String, controllerPort: Int) {
            self.network = network
            self.controllerHost = controllerHost
            self.controllerPort = controllerPort
        }
    }

    public struct Configuration: Hashable, Sendable {
        public var reconnectInterval: TimeAmount

        public init(reconnectInterval: TimeAmount = .milliseconds(250)) {
            self.reconnectInterval = reconnectInterval
        }
    }

    /// What happened, for logs and tests.
    public enum Event: Hashable, Sendable {
        case switchUp(datapathID: UInt64)
        case switchDown(datapathID: UInt64)
        /// A network's controller completed the handshake for switch `datapathID`.
        case controllerUp(network: String, datapathID: UInt64)
        case controllerDown(network: String, datapathID: UInt64, reason: String)
        /// A message of a network's controller was refused with `OFPT_ERROR`.
        case refused(network: String, datapathID: UInt64, messageType: String, violation: SlicingViolation)
    }

    fileprivate enum Input: Sendable {
        case server(OpenFlowServer.Event)
        case tenant(datapathID: UInt64, network: String, generation: Int, TenantChannelHandler.Event)
        case tenantChannel(datapathID: UInt64, network: String, generation: Int, (any Channel)?)
        case retry(datapathID: UInt64, network: String, generation: Int)
        case stop
    }

    public let tenants: [Tenant]
    public let configuration: Configuration
    /// Every ``Event``, newest kept if nobody reads.
    public let events: AsyncStream<Event>
    private let eventContinuation: AsyncStream<Event>.Continuation
    private let inputs: AsyncStream<Input>
    private let inputContinuation: AsyncStream<Input>.Continuation
    private let server: OpenFlowServer
    private let group: any EventLoopGroup
    private let logger: any OpenFlowLogger

    /// Throws ``SlicingConfigurationError`` if two networks' flowspaces overlap or names repeat.
    public init(
        tenants: [Tenant], configuration: Configuration = .init(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: any OpenFlowLogger = PrintOpenFlowLogger()
    ) throws(SlicingConfigurationError) {
        try SlicingConfiguration.checkDisjoint(tenants.map(\.network))
        self.tenants = tenants
        self.configuration = configuration
        self.group = group
        self.logger = logger
        self.server = OpenFlowServer(group: group, logger: logger)
        (events, eventContinuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(10_000))
        (inputs, inputContinuation) = AsyncStream.makeStream(of: Input.self)
    }

    /// Listens for switches on `host`:`port`; returns the bound port.
    @discardableResult
    public func bind(host: String = "127.0.0.1", port: Int = OpenFlowServer.defaultPort) async throws -> Int {
        try await server.bind(host: host, port: port)
    }

    /// Listens for switches on a Unix domain socket (Open vSwitch: `unix:PATH`).
    public func bind(unixDomainSocketPath path: String) async throws {
        try await server.bind(unixDomainSocketPath: path)
    }

    /// Moves messages until ``close()`` or cancellation.
    public func run() async {
        let forward = Task { [server, inputContinuation] in
            for await event in server.events { inputContinuation.yield(.server(event)) }
            inputContinuation.yield(.stop)
        }
        var state = State()
        for await input in inputs {
            if Task.isCancelled { break }
            if case .stop = input { break }
            await handle(input, state: &state)
        }
        forward.cancel()
        for (_, sw) in state.switches { for (_, link) in sw.links { try? await link.channel?.close() } }
        eventContinuation.finish()
    }

    /// Stops listening and closes every connection; ``run()`` returns.
    public func close() async {
        await server.close()
        inputContinuation.yield(.stop)
    }

    // MARK: The loop's state (touched only by run())

    private struct Link {
        var generation: Int
        var channel: (any Channel)?
        var ready = false
    }

    private struct SwitchState {
        var connection: OpenFlowConnection
        var slicer: SwitchSlicer
        var links: [String: Link] = [:]
    }

    private struct State {
        var switches: [UInt64: SwitchState] = [:]
        var generation = 0
    }

    private func handle(_ input: Input, state: inout State) async {
        switch input {
        case .server(.switchConnected(let info, let connection)):
            guard info.version == OpenFlowVersion.v13 else {
                logger.log(.warning, "slicing proxy: ignoring an OpenFlow 1.0 switch", metadata: ["dpid": info.datapathIDString])
                return
            }
            if let old = state.switches[info.datapathID] { closeLinks(old) }
            let slicer = SwitchSlicer(datapath: info, networks: tenants.map(\.network))
            var sw = SwitchState(connection: connection, slicer: slicer)
            for name in slicer.networks {
                state.generation += 1
                sw.links[name] = Link(generation: state.generation)
                connect(datapathID: info.datapathID, network: name, generation: state.generation)
            }
            state.switches[info.datapathID] = sw
            eventContinuation.yield(.switchUp(datapathID: info.datapathID))
        case .server(.switchDisconnected(let datapathID, _)):
            guard let sw = state.switches.removeValue(forKey: datapathID) else { return }
            closeLinks(sw)
            eventContinuation.yield(.switchDown(datapathID: datapathID))
        case .server(.message(let datapathID, let message)):
            guard var sw = state.switches[datapathID] else { return }
            let outputs = sw.slicer.fromSwitch(message)
            state.switches[datapathID] = sw
            await perform(outputs, datapathID: datapathID, state: &state)
        case .server(.connectionRejected):
            break
        case .tenantChannel(let datapathID, let network, let generation, let channel):
            guard let link = state.switches[datapathID]?.links[network], link.generation == generation else {
                try? await channel?.close()
                return
            }
            if let channel {
                state.switches[datapathID]!.links[network]!.channel = channel
            } else {
                scheduleRetry(datapathID: datapathID, network: network, generation: generation)
            }
        case .retry(let datapathID, let network, let generation):
            guard let link = state.switches[datapathID]?.links[network], link.generation == generation, link.channel == nil else { return }
            connect(datapathID: datapathID, network: network, generation: generation)
        case .tenant(let datapathID, let network, let generation, let event):
            guard let link = state.switches[datapathID]?.links[network], link.generation == generation else { return }
            switch event {
            case .ready:
                state.switches[datapathID]!.links[network]!.ready = true
                eventContinuation.yield(.controllerUp(network: network, datapathID: datapathID))
            case .message(let message):
                guard var sw = state.switches[datapathID] else { return }
                let before = sw.slicer.refusals.count
                let outputs = sw.slicer.fromController(network, message)
                for refusal in sw.slicer.refusals.suffix(max(0, sw.slicer.refusals.count - before)) {
                    logger.log(
                        .info, "slicing proxy: refused a message",
                        metadata: ["network": network, "dpid": "\(datapathID)", "type": refusal.messageType, "why": "\(refusal.violation)"])
                    eventContinuation.yield(
                        .refused(network: network, datapathID: datapathID, messageType: refusal.messageType, violation: refusal.violation))
                }
                state.switches[datapathID] = sw
                await perform(outputs, datapathID: datapathID, state: &state)
            case .closed(let reason):
                state.switches[datapathID]!.slicer.controllerDisconnected(network)
                state.generation += 1
                state.switches[datapathID]!.links[network] = Link(generation: state.generation)
                logger.log(.info, "slicing proxy: controller connection closed", metadata: ["network": network, "dpid": "\(datapathID)", "reason": reason])
                if link.ready { eventContinuation.yield(.controllerDown(network: network, datapathID: datapathID, reason: reason)) }
                scheduleRetry(datapathID: datapathID, network: network, generation: state.generation)
            }
        case .stop:
            break
        }
    }

    private func perform(_ outputs: [SwitchSlicer.Output], datapathID: UInt64, state: inout State) async {
        for output in outputs {
            switch output {
            case .toSwitch(let message):
                guard let connection = state.switches[datapathID]?.connection else { return }
                do { try await connection.send(message) } catch {
                    logger.log(.debug, "slicing proxy: send to switch failed", metadata: ["dpid": "\(datapathID)", "error": "\(error)"])
                }
            case .toController(let network, let message):
                guard let link = state.switches[datapathID]?.links[network], link.ready, let channel = link.channel else { continue }
                channel.writeAndFlush(message, promise: nil)
            case .closeController(let network, let reason):
                guard let channel = state.switches[datapathID]?.links[network]?.channel else { continue }
                logger.log(.warning, "slicing proxy: closing a controller connection", metadata: ["network": network, "reason": reason])
                channel.close(promise: nil)
            }
        }
    }

    private func closeLinks(_ sw: SwitchState) {
        for (_, link) in sw.links { link.channel?.close(promise: nil) }
    }

    private func connect(datapathID: UInt64, network: String, generation: Int) {
        guard let tenant = tenants.first(where: { $0.network.name == network }) else { return }
        let inputs = inputContinuation
        let report: @Sendable (TenantChannelHandler.Event) -> Void = { event in
            inputs.yield(.tenant(datapathID: datapathID, network: network, generation: generation, event))
        }
        let bootstrap = ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(2))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(OpenFlowFrameDecoder()),
                        MessageToByteHandler(OpenFlowFrameEncoder()),
                        TenantChannelHandler(report: report),
                    ])
                }
            }
        bootstrap.connect(host: tenant.controllerHost, port: tenant.controllerPort).whenComplete { result in
            switch result {
            case .success(let channel):
                inputs.yield(.tenantChannel(datapathID: datapathID, network: network, generation: generation, channel))
            case .failure:
                inputs.yield(.tenantChannel(datapathID: datapathID, network: network, generation: generation, nil))
            }
        }
    }

    private func scheduleRetry(datapathID: UInt64, network: String, generation: Int) {
        let inputs = inputContinuation
        group.next().scheduleTask(in: configuration.reconnectInterval) {
            inputs.yield(.retry(datapathID: datapathID, network: network, generation: generation))
        }
    }
}
