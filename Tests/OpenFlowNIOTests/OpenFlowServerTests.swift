import NIOCore
import NIOPosix
import OpenFlow
import OpenFlowNIO
import Testing

/// A running ``OpenFlowServer`` on loopback against scripted peers over real TCP.
@Suite struct OpenFlowServerTests {
    static let switchConfig = OpenFlowSwitchStateMachine.Configuration(
        datapathID: 0x1234, ports: [port(1, "p1"), port(2, "p2")])

    func connected(_ events: Recorder<OpenFlowServer.Event>, datapathID: UInt64) async throws -> OpenFlowConnection {
        let event = try await events.first("switchConnected \(datapathID)") {
            if case .switchConnected(let info, _) = $0 { info.datapathID == datapathID } else { false }
        }
        guard case .switchConnected(_, let connection) = event else { throw TestTimeout(what: "connected") }
        return connection
    }

    @Test func switchConnectsAndAnswersRequests() async throws {
        let server = OpenFlowServer(logger: RecordingLogger())
        let listenPort = try await server.bind(port: 0)
        let events = record(server)
        let peer = try await ScriptedSwitch.connect(port: listenPort, configuration: Self.switchConfig)

        let connection = try await connected(events, datapathID: 0x1234)
        #expect(connection.version == OpenFlowVersion.v13)
        #expect(connection.datapath.ports.map(\.name) == ["p1", "p2"])

        // Request/reply by xid, barrier, echo.
        let reply = try await connection.request(OF13.Message.getConfigRequest)
        guard case .of13(.getConfigReply(let config), _) = reply else { Issue.record("\(reply)"); return }
        #expect(config.missSendLength == 0xffff)
        try await connection.barrier()
        #expect(try await connection.echo(ByteBuffer(string: "hi")) == ByteBuffer(string: "hi"))

        // A one-way message reaches the switch with a fresh, nonzero xid.
        let xid = try await connection.send(.flowMod(OF13.FlowMod()))
        let flowMod = try await peer.received.first("FLOW_MOD at the switch") { $0.typeName == "OFPT_FLOW_MOD" }
        #expect(flowMod.xid == xid && xid != 0)

        // An unsolicited message from the switch is reported with its datapath id.
        try await peer.send(.of13(.portStatus(OF13.PortStatus(reason: .add, port: port(3, "p3").of13)), xid: 0))
        _ = try await events.first("PORT_STATUS event") {
            if case .message(0x1234, .of13(.portStatus, _)) = $0 { true } else { false }
        }

        // Wrong version from the application: a typed error, the connection stays up.
        await #expect(throws: OpenFlowConnectionError.versionMismatch(connection: 4, message: 1)) {
            try await connection.send(.barrierRequest as OF10.Message)
        }
        await connection.close()
        _ = try await events.first("switchDisconnected") {
            if case .switchDisconnected(0x1234, .closedLocally) = $0 { true } else { false }
        }
        await peer.close()
        await server.close()
    }

    /// An OFPT_ERROR carrying a request's xid fails that request with a typed error.
    @Test func switchErrorFailsTheRequest() async throws {
        let server = OpenFlowServer(logger: RecordingLogger())
        let listenPort = try await server.bind(port: 0)
        let events = record(server)
        let peer = try await ScriptedSwitch.connect(port: listenPort, configuration: Self.switchConfig)
        let connection = try await connected(events, datapathID: 0x1234)

        // The scripted switch does not answer ROLE_REQUEST; make it answer with an error.
        let request = Task { try await connection.request(OF13.Message.roleRequest(OF13.RoleMessage(role: .master, generationID: 1))) }
        let role = try await peer.received.first("ROLE_REQUEST") { $0.typeName == "OFPT_ROLE_REQUEST" }
        let error = OpenFlowMessage.of13(.error(OF13.ErrorMessage(type: .roleRequestFailed, code: 0)), xid: role.xid)
        try await peer.send(error)
        await #expect(throws: OpenFlowConnectionError.switchError(error)) { try await request.value }

        await peer.close()
        _ = try await events.first("switchDisconnected") {
            if case .switchDisconnected(0x1234, .peerClosed) = $0 { true } else { false }
        }
        await server.close()
    }

    struct BadPeer: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: ByteBuffer
        var expect: @Sendable (OpenFlowCloseReason) -> Bool
        var testDescription: String { name }
    }

    static let hello13 = OpenFlowMessage.hello(Hello(versions: [1, 4]), version: 4, xid: 1).encoded

    static var badPeers: [BadPeer] {
        func kind(_ k: OpenFlowError.Kind) -> @Sendable (OpenFlowCloseReason) -> Bool {
            { if case .malformedMessage(let e) = $0 { e.kind == k } else { false } }
        }
        var flood = hello13
        for i in 0..<2000 { flood.writeOpenFlowMessage(.of13(.echoRequest(ByteBuffer()), xid: UInt32(i + 2))) }
        var wrongVersion = hello13
        wrongVersion.writeOpenFlowMessage(.of10(.echoRequest(ByteBuffer()), xid: 2))
        var badBody = hello13
        badBody.writeImmutableBuffer(bytes("04 14 00 0c 00 00 00 09 ff ff ff ff"))
        return [
            BadPeer(name: "HTTP garbage", bytes: ByteBuffer(string: "GET / HTTP/1.1\r\nHost: x\r\n\r\n"), expect: kind(.badVersion)),
            BadPeer(name: "length below 8", bytes: bytes("04 00 00 04 00 00 00 01"), expect: kind(.badLength)),
            BadPeer(name: "unknown version", bytes: bytes("09 05 00 08 00 00 00 01"), expect: kind(.badVersion)),
            BadPeer(name: "malformed body after HELLO", bytes: badBody, expect: kind(.badLength)),
            BadPeer(
                name: "FLOW_MOD before HELLO", bytes: OpenFlowMessage.of13(.flowMod(OF13.FlowMod()), xid: 1).encoded,
                expect: { if case .unexpectedMessage = $0 { true } else { false } }),
            BadPeer(
                name: "OF1.0 message after negotiating OF1.3", bytes: wrongVersion,
                expect: { if case .versionMismatch = $0 { true } else { false } }),
            BadPeer(name: "flood of echo requests", bytes: flood, expect: { if case .flood = $0 { true } else { false } }),
            BadPeer(
                name: "silent after connecting", bytes: ByteBuffer(),
                expect: { if case .handshakeTimeout = $0 { true } else { false } }),
        ]
    }

    /// Misbehaving peers are cut off with a typed, logged reason while a well-behaved switch
    /// on the same server stays connected and keeps getting echo replies.
    @Test func misbehavingPeersAreClosedOthersKeepWorking() async throws {
        let logger = RecordingLogger()
        let server = OpenFlowServer(
            configuration: .init(
                echoInterval: .milliseconds(200), livenessTimeout: .seconds(3), handshakeTimeout: .seconds(2),
                floodLimit: 500, floodWindow: .seconds(1)),
            logger: logger)
        let listenPort = try await server.bind(port: 0)
        let events = record(server)
        let good = try await ScriptedSwitch.connect(port: listenPort, configuration: Self.switchConfig)
        let connection = try await connected(events, datapathID: 0x1234)

        for bad in Self.badPeers {
            let (channel, peerName) = try await connectRawNamed(port: listenPort)
            if bad.bytes.readableBytes > 0 { try await channel.writeAndFlush(bad.bytes) }
            try await wait(channel.closeFuture, timeout: .seconds(5), "\(bad.name): server closes the connection")
            let event = try await events.first("\(bad.name): connectionRejected") {
                if case .connectionRejected(peerName, _) = $0 { true } else { false }
            }
            guard case .connectionRejected(_, let reason) = event else { continue }
            #expect(bad.expect(reason), "\(bad.name): closed with \(reason)")
            #expect(logger.lines.all.contains { $0.contains(peerName) && $0.contains("\(reason)") }, "\(bad.name): reason logged")

            // The good switch is unaffected: its echo request is answered.
            let payload = ByteBuffer(string: bad.name)
            try await good.send(.of13(.echoRequest(payload), xid: 0xE000))
            _ = try await good.received.first("\(bad.name): echo reply to the good switch") { $0 == .of13(.echoReply(payload), xid: 0xE000) }
        }
        #expect(try await connection.echo(ByteBuffer(string: "still here")) == ByteBuffer(string: "still here"))
        #expect(
            !events.all.contains { if case .switchDisconnected = $0 { true } else { false } },
            "the good switch was never disconnected")
        await good.close()
        await server.close()
    }
}
