import Datapath
import NIOCore
import NIOEmbedded
import OpenFlow
import OpenFlowNIO
import Testing

@testable import Substrate

/// The agent's channel handler on NIO's `EmbeddedEventLoop`: bytes in, bytes out, virtual time.
/// Synchronous tests, so that the loop is used on the thread that made it.
struct SwitchAgentHandlerTests {
    struct Setup {
        let loop = EmbeddedEventLoop()
        let agent: SwitchAgent
        let channel: EmbeddedChannel
        let frames = Recorder<EmittedFrame>()

        init(datapathID: UInt64 = 5) throws {
            let frames = self.frames
            let datapath = makeDatapath(datapathID: datapathID)
            agent = SwitchAgent(datapath: datapath, configuration: .init(host: "unused"), eventLoop: loop) {
                frame, port, _ in frames.append(EmittedFrame(frame: frame, port: port))
            }
            channel = EmbeddedChannel(loop: loop)
            try channel.pipeline.syncOperations.addHandler(SwitchAgentHandler(agent: agent, datapath: datapath))
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6653)).wait()
        }

        /// Every message written so far.
        func written() throws -> [OpenFlowMessage] {
            var messages: [OpenFlowMessage] = []
            while var bytes = try channel.readOutbound(as: ByteBuffer.self) {
                while let message = try OpenFlowFrameDecoder.decodeFrame(&bytes) { messages.append(message) }
                #expect(bytes.readableBytes == 0)
            }
            return messages
        }

        /// Feeds `messages` to the handler one byte at a time.
        func dripFeed(_ messages: [OpenFlowMessage]) throws {
            var bytes = ByteBuffer()
            for message in messages { bytes.writeOpenFlowMessage(message) }
            for byte in bytes.readableBytesView { try channel.writeInbound(ByteBuffer(bytes: [byte])) }
        }

        func finish() throws {
            _ = agent.shutDown()
            _ = try channel.finish()
        }
    }

    @Test func helloThenFeaturesAndPortDescFromTheDatapath() throws {
        let s = try Setup(datapathID: 0x1234)
        let hello = try s.written()
        #expect(hello.count == 1)
        guard case .hello(let ours, let version, _)? = hello.first else {
            Issue.record("expected HELLO, got \(hello)")
            return
        }
        #expect(version == OpenFlowVersion.v13)
        #expect(ours.versionBitmap == [OpenFlowVersion.v13])

        try s.dripFeed([
            .hello(Hello(versions: [OpenFlowVersion.v10, OpenFlowVersion.v13]), version: OpenFlowVersion.v13, xid: 1),
            .of13(.featuresRequest, xid: 2),
            .of13(.multipartRequest(OF13.MultipartRequest(body: .portDesc)), xid: 3),
            .of13(.barrierRequest, xid: 4),
        ])
        let replies = try s.written()
        guard replies.count == 3 else {
            Issue.record("expected 3 replies, got \(replies)")
            return
        }
        guard case .of13(.featuresReply(let features), 2) = replies[0] else {
            Issue.record("expected FEATURES_REPLY, got \(replies[0])")
            return
        }
        #expect(features.datapathID == 0x1234)
        guard case .of13(.multipartReply(let reply), 3) = replies[1], case .portDesc(let ports) = reply.body else {
            Issue.record("expected PORT_DESC, got \(replies[1])")
            return
        }
        #expect(ports.map(\.portNumber) == [1, 2, 3, 4])
        #expect(replies[2] == .of13(.barrierReply, xid: 4))
        try s.finish()
    }

    @Test func controllerWithoutOpenFlow13IsRefused() throws {
        let s = try Setup()
        _ = try s.written()
        try s.dripFeed([.hello(Hello(), version: OpenFlowVersion.v10, xid: 9)])
        let replies = try s.written()
        #expect(replies == [.of10(.error(OF10.ErrorMessage(type: .helloFailed, code: 0)), xid: 9)])
        #expect(!s.channel.isActive)
        _ = s.agent.shutDown()
    }

    @Test func garbageClosesTheConnection() throws {
        let s = try Setup()
        _ = try s.written()
        try s.channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n"))
        #expect(!s.channel.isActive)
        _ = s.agent.shutDown()
    }

    @Test func hardTimeoutOnTheVirtualClock() throws {
        let s = try Setup()
        _ = try s.written()
        try s.dripFeed([
            .hello(Hello(versions: [OpenFlowVersion.v13]), version: OpenFlowVersion.v13, xid: 1),
            .of13(flowMod(priority: 3, [.inPort(1)], output: 2, hard: 10, flags: .sendFlowRemoved), xid: 2),
        ])
        #expect(try s.written().isEmpty)

        // A frame follows the flow, out of port 2.
        let frame = udpFrame()
        s.agent.inject(packet: frame, inPort: 1)
        s.loop.run()
        #expect(s.frames.all == [EmittedFrame(frame: frame, port: 2)])

        s.loop.advanceTime(by: .seconds(9))
        #expect(try s.written().isEmpty)
        s.loop.advanceTime(by: .seconds(1))
        let removed = try s.written()
        guard case .of13(.flowRemoved(let flow), _)? = removed.first, removed.count == 1 else {
            Issue.record("expected one FLOW_REMOVED, got \(removed)")
            return
        }
        #expect(flow.reason == .hardTimeout)
        #expect(flow.durationSec == 10)
        #expect(flow.packetCount == 1)
        try s.finish()
    }
}
