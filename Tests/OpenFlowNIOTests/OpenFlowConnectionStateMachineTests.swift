import NIOCore
import OpenFlow
import OpenFlowNIO
import Testing

typealias Machine = OpenFlowConnectionStateMachine

/// Times as plain offsets from an arbitrary origin: the machine never reads a clock.
func at(ms: Int64) -> NIODeadline { .uptimeNanoseconds(1_000_000_000 + UInt64(ms) * 1_000_000) }

@Suite struct OpenFlowConnectionStateMachineTests {
    static let ofHello13 = OpenFlowMessage.hello(Hello(versions: [1, 4]), version: 4, xid: 100)

    func sent(_ action: Machine.Action) -> [OpenFlowMessage] {
        switch action {
        case .send(let m), .sendAndDeliver(let m, _), .close(_, let m): m
        default: []
        }
    }

    func closeReason(_ action: Machine.Action) -> OpenFlowCloseReason? {
        if case .close(let reason, _) = action { reason } else { nil }
    }

    /// A machine that has completed the OF1.3 handshake at time 0.
    func established13() -> Machine {
        var m = Machine()
        _ = m.connected(now: at(ms: 0))
        _ = m.received(Self.ofHello13, now: at(ms: 0))
        _ = m.received(.of13(.featuresReply(OF13.FeaturesReply(datapathID: 7)), xid: 2), now: at(ms: 0))
        let portsXID: UInt32 = 4  // hello 1, features 2, set-config 3, port-desc 4
        let ports: WireList<OF13.Port> = [port(1, "p1").of13]
        let action = m.received(.of13(.multipartReply(OF13.MultipartReply(body: .portDesc(ports))), xid: portsXID), now: at(ms: 0))
        #expect(action == .deliver(.connected(DatapathInfo(OF13.FeaturesReply(datapathID: 7), ports: [port(1, "p1")]))))
        return m
    }

    @Test func handshakeOF13() throws {
        var m = Machine()
        let hello = sent(m.connected(now: at(ms: 0)))
        guard case .hello(let ours, 4, let xid) = hello.first else { Issue.record("expected HELLO, got \(hello)"); return }
        #expect(ours.versionBitmap == [1, 4])
        #expect(xid != 0)

        #expect(sent(m.received(Self.ofHello13, now: at(ms: 1))).map(\.typeName) == ["OFPT_FEATURES_REQUEST"])
        #expect(m.negotiatedVersion == 4)

        let afterFeatures = sent(m.received(.of13(.featuresReply(OF13.FeaturesReply(datapathID: 0xabc, tableCount: 10)), xid: 2), now: at(ms: 2)))
        #expect(afterFeatures.map(\.typeName) == ["OFPT_SET_CONFIG", "OFPT_MULTIPART_REQUEST"])
        guard case .of13(.setConfig(let config), _) = afterFeatures[0] else { return }
        #expect(config.missSendLength == 0xffff)
        #expect(m.datapath == nil, "not up before the port description")

        // Ports arrive in two parts.
        let portsXID = afterFeatures[1].xid
        let part1 = OF13.MultipartReply(flags: .replyMore, body: .portDesc([port(1, "p1").of13]))
        let part2 = OF13.MultipartReply(body: .portDesc([port(2, "p2").of13]))
        #expect(m.received(.of13(.multipartReply(part1), xid: portsXID), now: at(ms: 3)) == .none)
        let up = m.received(.of13(.multipartReply(part2), xid: portsXID), now: at(ms: 3))
        guard case .deliver(.connected(let info)) = up else { Issue.record("expected connected, got \(up)"); return }
        #expect(info.datapathID == 0xabc)
        #expect(info.version == 4)
        #expect(info.tableCount == 10)
        #expect(info.ports == [port(1, "p1"), port(2, "p2")])
        #expect(m.datapath == info)
    }

    @Test func handshakeOF10WithBareHello() throws {
        var m = Machine()
        _ = m.connected(now: at(ms: 0))
        // An OF1.0 switch ignores our bitmap and answers with a bare version-1 HELLO.
        #expect(sent(m.received(.hello(Hello(), version: 1, xid: 9), now: at(ms: 0))) == [.of10(.featuresRequest, xid: 2)])
        let reply = OF10.FeaturesReply(datapathID: 0xdef, ports: [port(1, "p1").of10!, port(0xfffffffe, "br").of10!])
        let action = m.received(.of10(.featuresReply(reply), xid: 2), now: at(ms: 1))
        guard case .sendAndDeliver(let messages, let events) = action else { Issue.record("\(action)"); return }
        #expect(messages.map(\.typeName) == ["OFPT_SET_CONFIG"])
        guard case .connected(let info) = events.first else { return }
        #expect(info.version == 1)
        #expect(info.datapathID == 0xdef)
        #expect(info.ports.map(\.number) == [1, 0xffff_fffe], "OFPP_LOCAL widened to 32 bits")
    }

    @Test(arguments: [
        ("OF1.3-only bitmap peer, we offer OF1.0", Set<UInt8>([1]), OpenFlowMessage.hello(Hello(versions: [4]), version: 4, xid: 1)),
        ("OF1.5-only bitmap", Set<UInt8>([1, 4]), .hello(Hello(versions: [6]), version: 6, xid: 1)),
        ("OF1.2 header, no bitmap", Set<UInt8>([1, 4]), .hello(Hello(), version: 3, xid: 1)),
    ])
    func incompatibleHelloSendsHelloFailedAndCloses(name: String, ours: Set<UInt8>, theirs: OpenFlowMessage) throws {
        var m = Machine(configuration: .init(versions: ours))
        _ = m.connected(now: at(ms: 0))
        let action = m.received(theirs, now: at(ms: 0))
        guard case .close(.helloFailed, let messages) = action else { Issue.record("\(name): \(action)"); return }
        let error = try #require(messages.first)
        switch error {
        case .of13(.error(let e), let xid):
            #expect(e.type == .helloFailed && e.code == 0 && xid == 1)
            #expect(e.data.getString(at: 0, length: e.data.readableBytes)?.contains("no common OpenFlow version") == true)
        case .of10(.error(let e), _):
            #expect(e.type == .helloFailed && e.code == 0)
        default:
            Issue.record("\(name): expected OFPT_ERROR, got \(error)")
        }
        #expect(m.received(.of13(.barrierRequest, xid: 2), now: at(ms: 1)) == .none, "closed machines ignore input")
    }

    @Test func messagesBeforeHelloOtherThanEchoAndErrorClose() {
        var m = Machine()
        _ = m.connected(now: at(ms: 0))
        #expect(m.received(.of13(.echoRequest(ByteBuffer(string: "x")), xid: 5), now: at(ms: 0)) == .send([.of13(.echoReply(ByteBuffer(string: "x")), xid: 5)]))
        let action = m.received(.of13(.flowMod(OF13.FlowMod()), xid: 6), now: at(ms: 0))
        guard case .unexpectedMessage(let type, _, let phase)? = closeReason(action) else { Issue.record("\(action)"); return }
        #expect(type == "OFPT_FLOW_MOD" && phase == "before HELLO")
    }

    @Test func peerErrorBeforeHelloCloses() {
        var m = Machine()
        _ = m.connected(now: at(ms: 0))
        let error = OpenFlowMessage.of13(.error(OF13.ErrorMessage(type: .helloFailed, code: 0)), xid: 1)
        #expect(closeReason(m.received(error, now: at(ms: 0))) == .peerError(error))
    }

    @Test func controllerMessageFromTheSwitchBeforeFeaturesReplyCloses() {
        var m = Machine()
        _ = m.connected(now: at(ms: 0))
        _ = m.received(Self.ofHello13, now: at(ms: 0))
        guard case .unexpectedMessage? = closeReason(m.received(.of13(.featuresRequest, xid: 3), now: at(ms: 0))) else {
            Issue.record("expected unexpectedMessage")
            return
        }
    }

    @Test func asynchronousMessagesDuringHandshakeAreHeldThenDelivered() {
        var m = Machine()
        _ = m.connected(now: at(ms: 0))
        _ = m.received(Self.ofHello13, now: at(ms: 0))
        let status = OpenFlowMessage.of13(.portStatus(OF13.PortStatus(reason: .add, port: port(3, "p3").of13)), xid: 0)
        #expect(m.received(status, now: at(ms: 0)) == .none)
        _ = m.received(.of13(.featuresReply(OF13.FeaturesReply(datapathID: 1)), xid: 2), now: at(ms: 0))
        let up = m.received(.of13(.multipartReply(OF13.MultipartReply(body: .portDesc([]))), xid: 4), now: at(ms: 0))
        guard case .sendAndDeliver([], let events) = up else { Issue.record("\(up)"); return }
        #expect(events.count == 2)
        #expect(events.last == .message(status))
    }

    @Test func wrongVersionAfterNegotiationCloses() {
        var m = established13()
        let action = m.received(.of10(.echoRequest(ByteBuffer()), xid: 50), now: at(ms: 1))
        #expect(closeReason(action) == .versionMismatch(negotiated: 4, received: 1, type: "OFPT_ECHO_REQUEST"))
    }

    @Test func secondHelloCloses() {
        var m = established13()
        guard case .unexpectedMessage? = closeReason(m.received(Self.ofHello13, now: at(ms: 1))) else {
            Issue.record("expected unexpectedMessage")
            return
        }
    }

    @Test func echoRequestsAreAnsweredAndOtherMessagesDelivered() {
        var m = established13()
        let data = ByteBuffer(string: "are you there")
        #expect(m.received(.of13(.echoRequest(data), xid: 77), now: at(ms: 1)) == .send([.of13(.echoReply(data), xid: 77)]))
        let packetIn = OpenFlowMessage.of13(.barrierReply, xid: 78)
        #expect(m.received(packetIn, now: at(ms: 1)) == .deliver(.message(packetIn)))
    }

    /// §6.3.2: an echo request after `echoInterval` of silence; close after `livenessTimeout`.
    @Test func keepaliveAndLivenessTimeout() throws {
        var m = established13()  // last message at 0 ms; defaults 5 s and 15 s
        #expect(m.nextDeadline == at(ms: 5000))
        #expect(m.timerFired(now: at(ms: 4999)) == .none)
        let echo = sent(m.timerFired(now: at(ms: 5000)))
        guard case .of13(.echoRequest, let echoXID)? = echo.first else { Issue.record("expected echo, got \(echo)"); return }
        #expect(m.nextDeadline == at(ms: 15000), "one echo per silence; next is the liveness limit")
        #expect(m.timerFired(now: at(ms: 6000)) == .none)

        // The reply is consumed by the machine and restarts the clock.
        #expect(m.received(.of13(.echoReply(ByteBuffer()), xid: echoXID), now: at(ms: 6000)) == .none)
        #expect(m.nextDeadline == at(ms: 11000))
        _ = m.timerFired(now: at(ms: 11000))
        #expect(m.timerFired(now: at(ms: 20999)) == .none)
        #expect(closeReason(m.timerFired(now: at(ms: 21000))) == .livenessTimeout(.seconds(15)))
        #expect(m.nextDeadline == nil)
    }

    @Test func handshakeTimeout() {
        var m = Machine(configuration: .init(handshakeTimeout: .seconds(2)))
        _ = m.connected(now: at(ms: 0))
        _ = m.received(Self.ofHello13, now: at(ms: 1500))
        #expect(m.nextDeadline == at(ms: 2000))
        #expect(closeReason(m.timerFired(now: at(ms: 2000))) == .handshakeTimeout(.seconds(2)))
    }

    @Test func floodCloses() {
        var m = Machine(configuration: .init(floodLimit: 10, floodWindow: .seconds(1)))
        _ = m.connected(now: at(ms: 0))
        _ = m.received(Self.ofHello13, now: at(ms: 0))
        for i in 0..<9 {
            #expect(closeReason(m.received(.of13(.echoRequest(ByteBuffer()), xid: UInt32(i)), now: at(ms: 10))) == nil)
        }
        // A new window starts a new count.
        for i in 0..<10 {
            #expect(closeReason(m.received(.of13(.echoRequest(ByteBuffer()), xid: UInt32(i)), now: at(ms: 1100))) == nil)
        }
        #expect(closeReason(m.received(.of13(.echoRequest(ByteBuffer()), xid: 99), now: at(ms: 1200))) == .flood(messages: 11, window: .seconds(1)))
    }

    @Test func xidsIncreaseAndSkipZero() {
        var m = Machine()
        var previous = m.allocateXID()
        #expect(previous == 1)
        for _ in 0..<1000 {
            let next = m.allocateXID()
            #expect(next == previous + 1)
            previous = next
        }
    }

    @Test func applicationMessagesGetFreshXIDsUnlessTheyHaveOne() {
        var m = established13()
        let stamped = try? m.prepareToSend(.of13(.barrierRequest, xid: 0))
        #expect(stamped?.xid == 5, "after hello, features, set-config and port-desc")
        #expect((try? m.prepareToSend(.of13(.barrierRequest, xid: 1234)))?.xid == 1234, "an explicit xid is kept")
    }

    @Test func prepareToSendChecksStateAndVersion() {
        var m = Machine()
        #expect(throws: OpenFlowConnectionError.notConnected) { try m.prepareToSend(.of13(.barrierRequest, xid: 0)) }
        var up = established13()
        #expect(throws: OpenFlowConnectionError.versionMismatch(connection: 4, message: 1)) {
            try up.prepareToSend(.of10(.barrierRequest, xid: 0))
        }
        #expect(throws: OpenFlowConnectionError.notAllowed("OFPT_HELLO")) { try up.prepareToSend(Self.ofHello13) }
        _ = up.failed(.closedLocally)
        #expect(throws: OpenFlowConnectionError.closed(.closedLocally)) { try up.prepareToSend(.of13(.barrierRequest, xid: 0)) }
    }
}
