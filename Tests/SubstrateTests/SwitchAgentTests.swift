import Datapath
import NIOCore
import NIOPosix
import OpenFlow
import OpenFlowNIO
import Substrate
import Testing

/// The switch agent against vnm's own controller (`OpenFlowServer`) over loopback TCP.
@Suite struct SwitchAgentTests {
    /// A controller on 127.0.0.1:0 and an agent connected to it, torn down whatever happens.
    struct Harness {
        let server: OpenFlowServer
        let serverEvents: Recorder<OpenFlowServer.Event>
        let agent: SwitchAgent
        let frames: Recorder<EmittedFrame>

        /// The connection once the switch is up, and how many times it has come up.
        func connection(number: Int = 1) async throws -> OpenFlowConnection {
            try await eventually("switch connection \(number)") {
                let connections = serverEvents.all.compactMap { event -> OpenFlowConnection? in
                    if case .switchConnected(_, let connection) = event { connection } else { nil }
                }
                return connections.count >= number ? connections[number - 1] : nil
            }
        }

        var packetIns: [OF13.PacketIn] {
            serverEvents.all.compactMap { event in
                if case .message(_, .of13(.packetIn(let packetIn), _)) = event { packetIn } else { nil }
            }
        }

        var flowsRemoved: [OF13.FlowRemoved] {
            serverEvents.all.compactMap { event in
                if case .message(_, .of13(.flowRemoved(let removed), _)) = event { removed } else { nil }
            }
        }
    }

    func withHarness(datapathID: UInt64, _ body: (Harness) async throws -> Void) async throws {
        let server = OpenFlowServer(logger: QuietLogger())
        let port = try await server.bind(host: "127.0.0.1", port: 0)
        let serverEvents = Recorder<OpenFlowServer.Event>()
        let consumer = Task { for await event in server.events { serverEvents.append(event) } }
        let frames = Recorder<EmittedFrame>()
        let agent = SwitchAgent(
            datapath: makeDatapath(datapathID: datapathID),
            configuration: .init(host: "127.0.0.1", port: port, initialBackoff: .milliseconds(50))
        ) { frame, port, _ in frames.append(EmittedFrame(frame: frame, port: port)) }
        agent.start()
        let harness = Harness(server: server, serverEvents: serverEvents, agent: agent, frames: frames)
        do {
            try await body(harness)
        } catch {
            await agent.stop()
            await server.close()
            await consumer.value
            throw error
        }
        await agent.stop()
        await server.close()
        await consumer.value
    }

    @Test func handshakeFlowsPacketInAndStatsWithVNMController() async throws {
        try await withHarness(datapathID: 0xABC) { h in
            let connection = try await h.connection()
            #expect(connection.version == OpenFlowVersion.v13)
            #expect(connection.datapathID == 0xABC)
            #expect(connection.datapath.ports.map(\.number) == [1, 2, 3, 4])
            #expect(connection.datapath.ports.map(\.name) == ["port1", "port2", "port3", "port4"])

            // Table-miss to the controller, and port 1 to port 2.
            try await connection.send(flowMod(priority: 0, [], output: OF13.PortNumber.controller))
            try await connection.send(flowMod(priority: 10, [.inPort(1)], output: 2))
            try await connection.barrier()
            #expect(try await h.agent.datapath.flowCount == 2)

            // A frame on port 1 leaves by port 2, unchanged.
            let frame = udpFrame(payload: "through")
            h.agent.inject(packet: frame, inPort: 1)
            let out = try await eventually("the frame out of port 2") { h.frames.all.first }
            #expect(out == EmittedFrame(frame: frame, port: 2))

            // A frame on port 3 misses: the controller gets it as a PACKET_IN from port 3.
            let missed = udpFrame(src: 3, dst: 4, payload: "missed")
            h.agent.inject(packet: missed, inPort: 3)
            let packetIn = try await eventually("a PACKET_IN") { h.packetIns.first }
            #expect(packetIn.inPort == 3)
            #expect(packetIn.reason == .noMatch)
            #expect(packetIn.data == missed)
            #expect(h.frames.all.count == 1)

            // Flow statistics: the port 1 flow counted one packet.
            let reply = try await connection.requestAll(
                .of13(.multipartRequest(OF13.MultipartRequest(body: .flow(OF13.FlowStatsRequest()))), xid: 0))
            let stats = reply.flatMap { message -> [OF13.FlowStats] in
                if case .of13(.multipartReply(let reply), _) = message, case .flow(let stats) = reply.body {
                    return Array(stats)
                }
                return []
            }
            #expect(stats.count == 2)
            let forwarding = try #require(stats.first { $0.priority == 10 })
            #expect(forwarding.packetCount == 1)
            #expect(forwarding.byteCount == UInt64(frame.readableBytes))
            #expect(stats.first { $0.priority == 0 }?.packetCount == 1)
        }
    }

    @Test func hardTimeoutSendsFlowRemoved() async throws {
        try await withHarness(datapathID: 7) { h in
            let connection = try await h.connection()
            try await connection.send(flowMod(priority: 5, [.inPort(2)], output: 1, hard: 1, flags: .sendFlowRemoved))
            try await connection.barrier()
            #expect(try await h.agent.datapath.flowCount == 1)
            let removed = try await eventually("FLOW_REMOVED", within: 5) { h.flowsRemoved.first }
            #expect(removed.reason == .hardTimeout)
            #expect(removed.priority == 5)
            #expect(try await h.agent.datapath.flowCount == 0)
        }
    }

    @Test func reconnectsAndKeepsFlowsWhenTheControllerCloses() async throws {
        try await withHarness(datapathID: 9) { h in
            let first = try await h.connection()
            try await first.send(flowMod(priority: 10, [.inPort(1)], output: 2))
            try await first.barrier()
            await first.close()
            let second = try await h.connection(number: 2)
            #expect(second.datapathID == 9)
            #expect(try await h.agent.datapath.flowCount == 1)
            // PORT_STATUS reaches the new connection: a cable pulled on port 3.
            try await h.agent.update { datapath, now in datapath.setLink(3, up: false, now: now) }
            let status = try await eventually("PORT_STATUS") {
                h.serverEvents.all.lazy.compactMap { event -> OF13.PortStatus? in
                    if case .message(_, .of13(.portStatus(let status), _)) = event { status } else { nil }
                }.first
            }
            #expect(status.port.portNumber == 3)
            #expect(status.port.state.contains(.linkDown))
        }
    }

    @Test func retriesUntilTheControllerListens() async throws {
        let port = try await ControllerProcess.freePort()
        let events = Recorder<SwitchAgent.Event>()
        let agent = SwitchAgent(
            datapath: makeDatapath(datapathID: 11),
            configuration: .init(
                host: "127.0.0.1", port: port, initialBackoff: .milliseconds(20), maximumBackoff: .milliseconds(100))
        ) { _, _, _ in }
        let consumer = Task { for await event in agent.events { events.append(event) } }
        agent.start()
        let server = OpenFlowServer(logger: QuietLogger())
        do {
            _ = try await eventually("two failed attempts") {
                events.all.filter { if case .connectFailed = $0 { true } else { false } }.count >= 2 ? true : nil
            }
            try await server.bind(host: "127.0.0.1", port: port)
            _ = try await eventually("the connection") {
                events.all.contains(.connected(version: OpenFlowVersion.v13)) ? true : nil
            }
        } catch {
            await agent.stop()
            await server.close()
            await consumer.value
            throw error
        }
        await agent.stop()
        await server.close()
        await consumer.value
        #expect(events.all.last == .disconnected(.closedLocally))
    }
}
