import NIOCore
import OpenFlow
import OpenFlowNIO
import Testing

/// The controller's and the switch's state machines wired to each other, every message passing
/// through the encoder and the frame decoder on the way.
struct BackToBack {
    var controller: OpenFlowConnectionStateMachine
    var datapath: OpenFlowSwitchStateMachine
    var controllerEvents: [OpenFlowConnectionStateMachine.Event] = []
    var switchDelivered: [OpenFlowMessage] = []
    var controllerClosed: OpenFlowCloseReason?
    var switchClosed: OpenFlowCloseReason?
    private var toSwitch: [OpenFlowMessage] = []
    private var toController: [OpenFlowMessage] = []

    init(controller: OpenFlowConnectionStateMachine.Configuration = .init(), switch config: OpenFlowSwitchStateMachine.Configuration) {
        self.controller = OpenFlowConnectionStateMachine(configuration: controller)
        self.datapath = OpenFlowSwitchStateMachine(configuration: config)
    }

    /// Both ends connect at once and exchange messages until both are quiet.
    mutating func run(now: NIODeadline = at(ms: 0)) throws {
        apply(controller.connected(now: now))
        apply(datapath.connected())
        try pump(now: now)
    }

    mutating func pump(now: NIODeadline = at(ms: 0)) throws {
        while !toSwitch.isEmpty || !toController.isEmpty {
            let forSwitch = toSwitch
            toSwitch = []
            for message in forSwitch where switchClosed == nil { apply(datapath.received(try Self.wire(message))) }
            let forController = toController
            toController = []
            for message in forController where controllerClosed == nil {
                apply(controller.received(try Self.wire(message), now: now))
            }
        }
    }

    mutating func controllerSends(_ message: OpenFlowMessage) throws {
        toSwitch.append(try controller.prepareToSend(message))
        try pump()
    }

    /// Encodes and frames `message` as the peer would read it.
    static func wire(_ message: OpenFlowMessage) throws -> OpenFlowMessage {
        var bytes = message.encoded
        return try #require(try OpenFlowFrameDecoder.decodeFrame(&bytes))
    }

    mutating func apply(_ action: OpenFlowConnectionStateMachine.Action) {
        switch action {
        case .none: break
        case .send(let m): toSwitch += m
        case .deliver(let e): controllerEvents.append(e)
        case .sendAndDeliver(let m, let e):
            toSwitch += m
            controllerEvents += e
        case .close(let reason, let m):
            toSwitch += m
            controllerClosed = reason
        }
    }

    mutating func apply(_ action: OpenFlowSwitchStateMachine.Action) {
        switch action {
        case .none: break
        case .send(let m): toController += m
        case .deliver(let m): switchDelivered.append(m)
        case .close(let reason, let m):
            toController += m
            switchClosed = reason
        }
    }

    var connected: DatapathInfo? {
        for case .connected(let info) in controllerEvents { return info }
        return nil
    }
}

@Suite struct BackToBackTests {
    static let ports = [port(1, "s1-eth1"), port(2, "s1-eth2"), port(0xffff_fffe, "s1")]

    @Test(arguments: [
        ("both offer OF1.0 and OF1.3", Set<UInt8>([1, 4]), Set<UInt8>([1, 4]), UInt8(4)),
        ("switch offers OF1.0 only (bare HELLO)", Set<UInt8>([1, 4]), Set<UInt8>([1]), UInt8(1)),
        ("controller offers OF1.0 only", Set<UInt8>([1]), Set<UInt8>([1, 4]), UInt8(1)),
        ("both OF1.3 only", Set<UInt8>([4]), Set<UInt8>([4]), UInt8(4)),
    ])
    func handshake(name: String, controllerVersions: Set<UInt8>, switchVersions: Set<UInt8>, expected: UInt8) throws {
        var pair = BackToBack(
            controller: .init(versions: controllerVersions),
            switch: .init(versions: switchVersions, datapathID: 0x0000_0000_0000_0abc, tableCount: 3, ports: Self.ports))
        try pair.run()
        #expect(pair.controllerClosed == nil && pair.switchClosed == nil, "\(name)")
        let info = try #require(pair.connected, "\(name): switch never came up")
        #expect(info.version == expected, "\(name)")
        #expect(pair.datapath.negotiatedVersion == expected)
        #expect(info.datapathID == 0xabc)
        #expect(info.tableCount == 3)
        #expect(info.ports == Self.ports, "\(name): ports from \(expected == 4 ? "PORT_DESC" : "FEATURES_REPLY")")
        #expect(pair.datapath.switchConfig.missSendLength == 0xffff, "SET_CONFIG reached the switch")
        #expect(pair.datapath.featuresRequests == 1)
        #expect(pair.switchDelivered.isEmpty, "nothing unexpected reached the switch: \(pair.switchDelivered)")
    }

    @Test func noCommonVersionFailsOnBothSides() throws {
        var pair = BackToBack(controller: .init(versions: [4]), switch: .init(versions: [1], datapathID: 1))
        try pair.run()
        guard case .helloFailed? = pair.controllerClosed else { Issue.record("controller: \(String(describing: pair.controllerClosed))"); return }
        #expect(pair.connected == nil)
    }

    @Test(arguments: [UInt8(1), UInt8(4)])
    func barrierAndEchoRoundTrips(version: UInt8) throws {
        var pair = BackToBack(switch: .init(versions: [version], datapathID: 5))
        try pair.run()
        #expect(pair.connected?.version == version)
        let barrier: OpenFlowMessage = version == 4 ? .of13(.barrierRequest, xid: 0) : .of10(.barrierRequest, xid: 0)
        try pair.controllerSends(barrier)
        guard case .message(let reply)? = pair.controllerEvents.last else { Issue.record("\(pair.controllerEvents)"); return }
        #expect(reply.typeName == "OFPT_BARRIER_REPLY")

        let payload = ByteBuffer(string: "vnm")
        let echo: OpenFlowMessage = version == 4 ? .of13(.echoRequest(payload), xid: 0) : .of10(.echoRequest(payload), xid: 0)
        try pair.controllerSends(echo)
        guard case .message(let echoReply)? = pair.controllerEvents.last else { return }
        #expect(echoReply == (version == 4 ? .of13(.echoReply(payload), xid: echoReply.xid) : .of10(.echoReply(payload), xid: echoReply.xid)))
    }

    /// The switch's keepalive: an idle connection sends its echo and the reply keeps it open.
    @Test func keepaliveEchoIsAnsweredBySwitch() throws {
        var pair = BackToBack(switch: .init(datapathID: 5))
        try pair.run(now: at(ms: 0))
        let events = pair.controllerEvents.count
        pair.apply(pair.controller.timerFired(now: at(ms: 5000)))
        try pair.pump(now: at(ms: 5001))
        #expect(pair.controllerEvents.count == events, "the keepalive reply is consumed, not delivered")
        #expect(pair.controller.nextDeadline == at(ms: 10001))
        #expect(pair.controllerClosed == nil)
    }
}
