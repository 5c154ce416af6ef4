import Controller
import Datapath
import Foundation
import Hummingbird
import HummingbirdTesting
import Migration
import NIOCore
import NIOPosix
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Packets
import Substrate
import Testing

@testable import Northbound

struct TimedOut: Error, CustomStringConvertible {
    var description: String
}

/// Polls `probe` every 20 ms until it returns a value, for up to `seconds`.
func eventually<T>(_ what: String, within seconds: Double = 10, _ probe: () async throws -> T?) async throws -> T {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if let value = try await probe() { return value }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TimedOut(description: "timed out after \(seconds) s waiting for \(what)")
}

/// A logger that keeps quiet (the tests check answers, not log lines).
struct QuietLogger: OpenFlowLogger {
    func log(_ level: OpenFlowLogLevel, _ message: String) {}
}

func mac(_ n: UInt64) -> MACAddress { MACAddress(rawValue: 0x0200_0000_0000 | n) }

/// A UDP/IPv4 frame from host `src` to host `dst` (addresses 10.0.0.`n`, MACs `mac(n)`).
func udpFrame(src: UInt8, dst: UInt8, payload: String = "hello") -> ByteBuffer {
    let udp = UDPDatagram(sourcePort: 1234, destinationPort: 80, payload: ByteBuffer(string: payload))
    let packet = IPv4Packet(source: IPv4Address(10, 0, 0, src), destination: IPv4Address(10, 0, 0, dst), udp: udp)
    return EthernetFrame(destination: mac(UInt64(dst)), source: mac(UInt64(src)), etherType: .ipv4, payload: packet.encoded())
        .encoded()
}

/// A list that any thread may append to (the switches' packet sinks).
final class Recorder<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Element] = []

    func append(_ item: Element) { lock.withLock { items.append(item) } }
    var all: [Element] { lock.withLock { items } }
}

/// A frame that left a switch port with no cable: where a host would receive it.
struct Delivered: Sendable, Hashable {
    var datapathID: UInt64
    var port: UInt32
    var frame: ByteBuffer
}

/// vnm's controller (LLDP discovery, host tracking, metrics) on loopback TCP, with software
/// switches (``SwitchAgent`` + ``Datapath``) connected to it and cabled to each other: frames
/// a switch sends out of a cabled port are injected into the switch at the other end, frames
/// out of other ports are recorded in ``delivered``.
final class Network: Sendable {
    let server: OpenFlowServer
    let runtime: ControllerRuntime
    let metrics: ControllerMetrics
    /// Passes switches' OFPT_ERRORs to migrations (the server's inline app).
    let errorTap: FlowMigrationErrorTap
    let running: Task<Void, Never>
    let port: Int
    let agents: [UInt64: SwitchAgent]
    let delivered: Recorder<Delivered>
    private let cables: [Endpoint: Endpoint]

    /// `cables` are pairs of (dpid, port).
    static func start(switches: [UInt64], cables: [((UInt64, UInt32), (UInt64, UInt32))]) async throws -> Network {
        let metrics = ControllerMetrics(base: QuietLogger())
        let errorTap = FlowMigrationErrorTap()
        let server = OpenFlowServer(logger: metrics, inlineApp: errorTap)
        let port = try await server.bind(host: "127.0.0.1", port: 0)
        let runtime = ControllerRuntime(
            server: server,
            apps: [
                LLDPDiscovery(configuration: .init(probeInterval: .milliseconds(100), missedProbes: 5)),
                HostTracker(tableMissPriority: 0),
            ],
            tickInterval: .milliseconds(20), logger: metrics)
        let running = Task { await runtime.run() }
        return Network(
            server: server, runtime: runtime, metrics: metrics, errorTap: errorTap, running: running, port: port, switches: switches,
            cables: cables)
    }

    private init(
        server: OpenFlowServer, runtime: ControllerRuntime, metrics: ControllerMetrics, errorTap: FlowMigrationErrorTap,
        running: Task<Void, Never>, port: Int, switches: [UInt64], cables: [((UInt64, UInt32), (UInt64, UInt32))]
    ) {
        self.server = server
        self.runtime = runtime
        self.metrics = metrics
        self.errorTap = errorTap
        self.running = running
        self.port = port
        let delivered = Recorder<Delivered>()
        self.delivered = delivered
        var map: [Endpoint: Endpoint] = [:]
        for (a, b) in cables {
            map[Endpoint(datapathID: a.0, port: a.1)] = Endpoint(datapathID: b.0, port: b.1)
            map[Endpoint(datapathID: b.0, port: b.1)] = Endpoint(datapathID: a.0, port: a.1)
        }
        self.cables = map
        let cabling = map
        let box = AgentBox()
        var agents: [UInt64: SwitchAgent] = [:]
        for dpid in switches {
            var datapath = Datapath(configuration: Datapath.Configuration(datapathID: dpid))
            for number in 1...UInt32(4) { _ = datapath.addPort(number: number, now: .now()) }
            agents[dpid] = SwitchAgent(
                datapath: datapath, configuration: .init(host: "127.0.0.1", port: port, initialBackoff: .milliseconds(50))
            ) { frame, out, _ in
                if let peer = cabling[Endpoint(datapathID: dpid, port: out)] {
                    box.agents[peer.datapathID]?.inject(packet: frame, inPort: peer.port)
                } else {
                    delivered.append(Delivered(datapathID: dpid, port: out, frame: frame))
                }
            }
        }
        box.agents = agents
        self.agents = agents
        for agent in agents.values { agent.start() }
    }

    /// Lets the packet sinks find the agents made after them.
    private final class AgentBox: @unchecked Sendable {
        var agents: [UInt64: SwitchAgent] = [:]
    }

    /// Waits until every switch is up and `links` directed links are discovered.
    func waitForTopology(switches: Int, links: Int) async throws {
        _ = try await eventually("\(switches) switches and \(links) links") { () -> Bool? in
            let topology = await runtime.app(LLDPDiscovery.self)?.topology ?? Topology()
            let up = await runtime.datapaths.count
            return up == switches && topology.links.count == links ? true : nil
        }
    }

    /// A host sends a frame into switch `dpid` at `port` (the controller learns it from the
    /// PACKET_IN the table-miss flow causes).
    func hostSends(_ frame: ByteBuffer, at dpid: UInt64, port: UInt32) {
        agents[dpid]?.inject(packet: frame, inPort: port)
    }

    func stop() async {
        for agent in agents.values { await agent.stop() }
        running.cancel()
        await server.close()
    }

    /// Runs `body` against the API's router (HummingbirdTesting, no socket), then stops
    /// everything, also when `body` throws.
    func withAPI(switchTimeout: Duration = .seconds(5), _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let api = NorthboundAPI(runtime: runtime, metrics: metrics, switchTimeout: switchTimeout, migrationErrorTap: errorTap)
        let app = Application(router: api.router())
        do {
            try await app.test(.router) { client in try await body(client) }
        } catch {
            await stop()
            throw error
        }
        await stop()
    }
}

/// Sends a request with a JSON body; returns the status and the body parsed.
func call(
    _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, json: String? = nil
) async throws -> (status: HTTPResponse.Status, body: JSONValue) {
    try await client.execute(uri: uri, method: method, body: json.map { ByteBuffer(string: $0) }) { response in
        let text = String(buffer: response.body)
        let body = text.isEmpty ? JSONValue.null : try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        return (response.status, body)
    }
}

extension JSONValue {
    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { object[key] } else { nil }
    }

    subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { array[index] } else { nil }
    }

    var arrayValue: [JSONValue] {
        if case .array(let array) = self { array } else { [] }
    }

    var stringValue: String? {
        if case .string(let text) = self { text } else { nil }
    }
}

/// A switch that completes the OpenFlow 1.3 handshake and then never answers a barrier (nor
/// any other request the handshake does not need): a hung switch, for the 504 path.
final class MuteSwitch: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = OpenFlowMessage
    typealias OutboundOut = ByteBuffer

    private var machine: OpenFlowSwitchStateMachine

    init(datapathID: UInt64) {
        machine = OpenFlowSwitchStateMachine(
            configuration: .init(versions: [OpenFlowVersion.v13], datapathID: datapathID))
    }

    func channelActive(context: ChannelHandlerContext) {
        perform(machine.connected(), context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = Self.unwrapInboundIn(data)
        if case .of13(.barrierRequest, _) = message { return }
        perform(machine.received(message), context: context)
    }

    private func perform(_ action: OpenFlowSwitchStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .send(let messages):
            for message in messages { context.write(Self.wrapOutboundOut(message.encoded), promise: nil) }
            context.flush()
        case .close(_, let messages):
            for message in messages { context.write(Self.wrapOutboundOut(message.encoded), promise: nil) }
            context.flush()
            context.close(promise: nil)
        case .none, .deliver:
            break
        }
    }

    /// Connects a mute switch to `port` on loopback; returns its channel.
    static func connect(datapathID: UInt64, port: Int) async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(OpenFlowFrameDecoder()), MuteSwitch(datapathID: datapathID),
                    ])
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
    }
}
