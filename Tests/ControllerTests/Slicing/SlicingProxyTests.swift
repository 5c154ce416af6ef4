import Datapath
import Foundation
import NIOCore
import NIOPosix
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Substrate
import Testing

@testable import Controller

/// Things seen by a test, appended from other threads.
final class Seen<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var elements: [Element] = []

    func append(_ element: Element) { lock.withLock { elements.append(element) } }
    var all: [Element] { lock.withLock { elements } }
}

/// A virtual network's controller for the tests: vnm's own `OpenFlowServer`, recording events.
struct TenantController {
    let server: OpenFlowServer
    let port: Int
    let events: Seen<OpenFlowServer.Event>
    let consumer: Task<Void, Never>

    static func start() async throws -> TenantController {
        let server = OpenFlowServer(logger: PrintOpenFlowLogger(minimumLevel: .error))
        let port = try await server.bind(host: "127.0.0.1", port: 0)
        let events = Seen<OpenFlowServer.Event>()
        let consumer = Task { for await event in server.events { events.append(event) } }
        return TenantController(server: server, port: port, events: events, consumer: consumer)
    }

    func connection(_ what: String) async throws -> OpenFlowConnection {
        try await waitUntil("\(what)'s controller sees the switch") { connections.count >= 1 }
        return connections[connections.count - 1]
    }

    var connections: [OpenFlowConnection] {
        events.all.compactMap { if case .switchConnected(_, let connection) = $0 { connection } else { nil } }
    }

    var packetIns: [OF13.PacketIn] {
        events.all.compactMap { if case .message(_, .of13(.packetIn(let packetIn), _)) = $0 { packetIn } else { nil } }
    }

    func stop() async {
        await server.close()
        await consumer.value
    }
}

/// The flow entries a multipart FLOW reply lists.
func flowEntries(_ replies: [OpenFlowMessage]) -> [OF13.FlowStats] {
    replies.flatMap { message -> [OF13.FlowStats] in
        if case .of13(.multipartReply(let reply), _) = message, case .flow(let entries) = reply.body { Array(entries) } else { [] }
    }
}

/// The `OFPT_ERROR` a request was refused with (through `OpenFlowConnection.request`).
func refusal(_ body: () async throws -> Void) async -> OF13.ErrorMessage? {
    do {
        try await body()
        return nil
    } catch OpenFlowConnectionError.switchError(.of13(.error(let error), _)) {
        return error
    } catch {
        return nil
    }
}

@Suite("Slicing proxy over TCP", .serialized)
struct SlicingProxyTests {
    /// The switch: vnm's software datapath with ports 1–4, behind the proxy; red's and blue's
    /// controllers: vnm's OpenFlowServer; all on loopback TCP.
    @Test func twoControllersShareOneSwitchAndCannotTouchEachOthersFlows() async throws {
        let red = try await TenantController.start()
        let blue = try await TenantController.start()
        let proxy = try SlicingProxy(
            tenants: [
                .init(network: Slices.red, controllerHost: "127.0.0.1", controllerPort: red.port),
                .init(network: Slices.blue, controllerHost: "127.0.0.1", controllerPort: blue.port),
            ], logger: PrintOpenFlowLogger(minimumLevel: .error))
        let proxyPort = try await proxy.bind(host: "127.0.0.1", port: 0)
        let running = Task { await proxy.run() }
        var datapath = Datapath(configuration: Datapath.Configuration(datapathID: 1))
        for port: UInt32 in 1...4 { _ = datapath.addPort(number: port, now: .now()) }
        let frames = Seen<(UInt32, ByteBuffer)>()
        let agent = SwitchAgent(datapath: datapath, configuration: .init(host: "127.0.0.1", port: proxyPort, initialBackoff: .milliseconds(50))) {
            frame, port, _ in frames.append((port, frame))
        }
        agent.start()
        func cleanUp() async {
            await agent.stop()
            await proxy.close()
            running.cancel()
            await red.stop()
            await blue.stop()
        }
        do {
            try await scenario(red: red, blue: blue, agent: agent, frames: frames)
        } catch {
            await cleanUp()
            throw error
        }
        await cleanUp()
    }

    func scenario(red: TenantController, blue: TenantController, agent: SwitchAgent, frames: Seen<(UInt32, ByteBuffer)>) async throws {
        let r = try await red.connection("red")
        let b = try await blue.connection("blue")
        // Each sees the switch with its own ports only.
        #expect(r.datapathID == 1 && b.datapathID == 1)
        #expect(r.datapath.ports.map(\.number) == [1, 3])
        #expect(b.datapath.ports.map(\.number) == [2, 3])

        // Each installs its flows, confirmed by a barrier that crossed the proxy.
        let redFlow = addFlow([.inPort(1)], [output(3)])
        #expect(try await r.sendConfirmed([.of13(.flowMod(redFlow), xid: 0)]).isEmpty)
        let blueFlow = addFlow([.inPort(2), .ethType(0x0800), .ipv4Dst(IPv4Address("10.2.0.2")!)], [output(3)])
        #expect(try await b.sendConfirmed([.of13(.flowMod(blueFlow), xid: 0)]).isEmpty)
        #expect(try await agent.datapath.flowCount == 2)

        // Red may not add a flow on blue's port, nor for blue's packets: OFPT_ERROR, nothing sent.
        let onBluePort = try await r.sendConfirmed([.of13(.flowMod(addFlow([.inPort(2)], [output(3)])), xid: 0)])
        #expect(onBluePort.count == 1)
        if case .of13(.error(let error), _) = onBluePort.first { #expect(error.type == .badMatch && error.code == 11) }
        let bluesPackets = try await r.sendConfirmed([.of13(.flowMod(addFlow([.vlanVid(0), .ethType(0x0800)], [output(3)])), xid: 0)])
        if case .of13(.error(let error), _) = bluesPackets.first { #expect(error.type == .flowModFailed && error.code == 4) } else {
            Issue.record("red added a flow in blue's flowspace: \(bluesPackets)")
        }
        // Nor modify or delete blue's flows by naming them.
        var modify = blueFlow
        modify.command = .modifyStrict
        modify.instructions = [output(1)]
        #expect(try await r.sendConfirmed([.of13(.flowMod(modify), xid: 0)]).count == 1)
        #expect(try await r.sendConfirmed([.of13(.flowMod(deleteFlows(blueFlow.match.fields.map { $0 }, strict: true)), xid: 0)]).count == 1)
        #expect(try await agent.datapath.flowCount == 2)

        // Red reads the flow table: its own flow only. Blue: its own only.
        let redView = flowEntries(try await r.requestAll(.of13(.multipartRequest(OF13.MultipartRequest(body: .flow(OF13.FlowStatsRequest()))), xid: 0)))
        #expect(redView.count == 1 && redView.first?.match.fields.contains(.inPort(1)) == true, "\(redView)")
        let blueView = flowEntries(try await b.requestAll(.of13(.multipartRequest(OF13.MultipartRequest(body: .flow(OF13.FlowStatsRequest()))), xid: 0)))
        #expect(blueView.count == 1 && blueView.first?.match.fields.contains(.inPort(2)) == true, "\(blueView)")
        // Asking for blue's flows by match: refused.
        let read = await refusal {
            _ = try await r.requestAll(
                .of13(.multipartRequest(OF13.MultipartRequest(body: .flow(OF13.FlowStatsRequest(match: .ordered([.vlanVid(0)]))))), xid: 0))
        }
        #expect(read?.type == .badRequest && read?.code == 5)
        // Aggregates count own flows only.
        let aggregate = try await b.request(.of13(.multipartRequest(OF13.MultipartRequest(body: .aggregate(OF13.FlowStatsRequest()))), xid: 0))
        if case .of13(.multipartReply(let reply), _) = aggregate, case .aggregate(let stats) = reply.body {
            #expect(stats.flowCount == 1)
        } else {
            Issue.record("aggregate: \(aggregate)")
        }

        // Red's wildcard DELETE removes red's flow only.
        #expect(try await r.sendConfirmed([.of13(.flowMod(deleteFlows()), xid: 0)]).isEmpty)
        #expect(try await agent.datapath.flowCount == 1)
        let left = flowEntries(try await b.requestAll(.of13(.multipartRequest(OF13.MultipartRequest(body: .flow(OF13.FlowStatsRequest()))), xid: 0)))
        #expect(left.count == 1, "blue's flow survived red's delete-all")

        // PACKET_INs go to the owner: each network sends its misses to its controller.
        #expect(try await r.sendConfirmed([.of13(.flowMod(addFlow([], [output(OF13.PortNumber.controller)], priority: 0)), xid: 0)]).isEmpty)
        #expect(try await b.sendConfirmed([.of13(.flowMod(addFlow([], [output(OF13.PortNumber.controller)], priority: 0)), xid: 0)]).isEmpty)
        agent.inject(packet: slicedFrame(vlan: 10, payload: "red"), inPort: 3)
        agent.inject(packet: slicedFrame(payload: "blue"), inPort: 3)
        agent.inject(packet: slicedFrame(source: "10.9.9.9", payload: "nobody"), inPort: 3)
        try await waitUntil("both PACKET_INs (red \(red.packetIns.count), blue \(blue.packetIns.count))") {
            red.packetIns.count >= 1 && blue.packetIns.count >= 1
        }
        try await r.barrier()
        try await b.barrier()
        #expect(red.packetIns.count == 1 && blue.packetIns.count == 1)
        #expect(red.packetIns.first.flatMap { PacketFields(frame: $0.data) }?.vlanVid == Slices.redVID)

        // Blue floods its packet back out: only blue's other port gets it.
        let before = frames.all.count
        let out = OF13.PacketOut(inPort: 3, actions: [.output(port: OF13.PortNumber.flood, maxLength: 0)], data: slicedFrame(payload: "flood"))
        try await b.send(.packetOut(out))
        try await b.barrier()
        let flooded = frames.all.dropFirst(before)
        #expect(flooded.map(\.0) == [2], "\(flooded.map(\.0))")
        // Red's PACKET_OUT of a blue packet: refused, nothing leaves.
        let redOut = try await r.sendConfirmed([.of13(.packetOut(OF13.PacketOut(inPort: 1, actions: [.output(port: 3, maxLength: 0)], data: slicedFrame())), xid: 0)])
        #expect(redOut.count == 1)
        #expect(frames.all.count == before + 1)
    }

    /// The paper's app as red's whole control plane behind the proxy (mode b): vnm's runtime
    /// with ``ClientServerApp`` installs red's client ↔ server flows when red's switch comes up;
    /// red's frames then cross the switch both ways, blue's do not use them.
    @Test func thePapersAppRunsAsOneNetworksControllerBehindTheProxy() async throws {
        let redServer = OpenFlowServer(logger: PrintOpenFlowLogger(minimumLevel: .error))
        let redPort = try await redServer.bind(host: "127.0.0.1", port: 0)
        let app = ClientServerApp(
            configuration: .init(
                path: [PathHop(datapathID: 1, inPort: 1, outPort: 3)], toServer: [.ethType(0x0800)], toClient: [.ethType(0x0800)]))
        let runtime = ControllerRuntime(server: redServer, apps: [app], logger: PrintOpenFlowLogger(minimumLevel: .error))
        let runtimeTask = Task { await runtime.run() }
        let blue = try await TenantController.start()
        let proxy = try SlicingProxy(
            tenants: [
                .init(network: Slices.red, controllerHost: "127.0.0.1", controllerPort: redPort),
                .init(network: Slices.blue, controllerHost: "127.0.0.1", controllerPort: blue.port),
            ], logger: PrintOpenFlowLogger(minimumLevel: .error))
        let proxyPort = try await proxy.bind(host: "127.0.0.1", port: 0)
        let running = Task { await proxy.run() }
        var datapath = Datapath(configuration: Datapath.Configuration(datapathID: 1))
        for port: UInt32 in 1...4 { _ = datapath.addPort(number: port, now: .now()) }
        let frames = Seen<(UInt32, ByteBuffer)>()
        let agent = SwitchAgent(datapath: datapath, configuration: .init(host: "127.0.0.1", port: proxyPort)) { frame, port, _ in
            frames.append((port, frame))
        }
        agent.start()
        func cleanUp() async {
            await agent.stop()
            await proxy.close()
            running.cancel()
            await redServer.close()
            runtimeTask.cancel()
            await blue.stop()
        }
        do {
            try await waitUntil("red's app started") { await runtime.app(ClientServerApp.self)?.started == true }
            let connection = try await runtime.connection(1)
            try await connection.barrier()
            try await waitUntil("the app's two flows") { ((try? await agent.datapath.flowCount) ?? 0) == 2 }
            // Client → server and back, on red's VLAN.
            agent.inject(packet: slicedFrame(vlan: 10, source: "10.1.0.1", destination: "10.1.0.2", payload: "to server"), inPort: 1)
            agent.inject(packet: slicedFrame(vlan: 10, source: "10.1.0.2", destination: "10.1.0.1", payload: "to client"), inPort: 3)
            // Blue's untagged packet on the same port does not take red's flow.
            agent.inject(packet: slicedFrame(payload: "blue"), inPort: 1)
            try await waitUntil("both red frames forwarded") { frames.all.count >= 2 }
            try await connection.barrier()
            #expect(frames.all.map(\.0) == [3, 1], "\(frames.all.map(\.0))")
        } catch {
            await cleanUp()
            throw error
        }
        await cleanUp()
    }

    /// A controller that sends garbage loses its connection; the other network keeps working.
    @Test func aMalformedMessageClosesThatControllersConnectionOnly() async throws {
        let blue = try await TenantController.start()
        let garbage = GarbageController()
        let garbagePort = try await garbage.start()
        let proxy = try SlicingProxy(
            tenants: [
                .init(network: Slices.red, controllerHost: "127.0.0.1", controllerPort: garbagePort),
                .init(network: Slices.blue, controllerHost: "127.0.0.1", controllerPort: blue.port),
            ], configuration: .init(reconnectInterval: .seconds(30)), logger: PrintOpenFlowLogger(minimumLevel: .error))
        let proxyPort = try await proxy.bind(host: "127.0.0.1", port: 0)
        let running = Task { await proxy.run() }
        var datapath = Datapath(configuration: Datapath.Configuration(datapathID: 1))
        for port: UInt32 in 1...4 { _ = datapath.addPort(number: port, now: .now()) }
        let agent = SwitchAgent(datapath: datapath, configuration: .init(host: "127.0.0.1", port: proxyPort)) { _, _, _ in }
        agent.start()
        func cleanUp() async {
            await agent.stop()
            await proxy.close()
            running.cancel()
            await blue.stop()
            await garbage.stop()
        }
        do {
            let b = try await blue.connection("blue")
            try await waitUntil("the proxy closes the garbage controller's connection") { garbage.closed.all.count >= 1 }
            #expect(garbage.accepted.all.count == 1)
            // Blue is unaffected: a barrier round trip and a flow still work.
            try await b.barrier()
            #expect(try await b.sendConfirmed([.of13(.flowMod(addFlow([.inPort(2)], [output(3)])), xid: 0)]).isEmpty)
            #expect(try await agent.datapath.flowCount == 2)
        } catch {
            await cleanUp()
            throw error
        }
        await cleanUp()
    }
}

/// A "controller" that answers the proxy's HELLO with a HELLO and then a frame whose version
/// byte is 0: not OpenFlow.
final class GarbageController: @unchecked Sendable {
    let accepted = Seen<Int>()
    let closed = Seen<Int>()
    private var channel: (any Channel)?

    final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let owner: GarbageController
        init(owner: GarbageController) { self.owner = owner }

        func channelActive(context: ChannelHandlerContext) {
            owner.accepted.append(1)
            var bytes = context.channel.allocator.buffer(capacity: 16)
            bytes.writeOpenFlowMessage(.hello(Hello(versions: [OpenFlowVersion.v13]), version: OpenFlowVersion.v13, xid: 1))
            bytes.writeBytes([0x00, 0x00, 0x00, 0x08, 0, 0, 0, 0])
            context.writeAndFlush(Self.wrapOutboundOut(bytes), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) { owner.closed.append(1) }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
    }

    func start() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Handler(owner: self)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        self.channel = channel
        return channel.localAddress!.port!
    }

    func stop() async { try? await channel?.close() }
}
