import NIOCore
import NIOEmbedded
import NIOTestUtils
import OpenFlow
import OpenFlowNIO
import Testing

@Suite struct OpenFlowFrameDecoderTests {
    static let messages: [OpenFlowMessage] = [
        .hello(Hello(versions: [OpenFlowVersion.v10, OpenFlowVersion.v13]), version: OpenFlowVersion.v13, xid: 1),
        .hello(Hello(), version: OpenFlowVersion.v10, xid: 2),
        // A HELLO of a version we do not speak must still be framed: negotiation reads it.
        .hello(Hello(versions: [1, 4, 6]), version: 6, xid: 3),
        .of13(.featuresRequest, xid: 4),
        .of13(.echoRequest(ByteBuffer(string: "ping")), xid: 5),
        .of13(.featuresReply(OF13.FeaturesReply(datapathID: 0xabc, tableCount: 254)), xid: 6),
        .of13(.multipartRequest(OF13.MultipartRequest(body: .portDesc)), xid: 7),
        .of13(.setConfig(OF13.SwitchConfig(flags: 0, missSendLength: 0xffff)), xid: 8),
        .of10(.featuresReply(OF10.FeaturesReply(datapathID: 0xdef, ports: [port(1, "p1").of10!])), xid: 9),
        .of10(.barrierRequest, xid: 10),
    ]

    @Test func verifierAcceptsEachMessageAndAllInOneBuffer() throws {
        var all = ByteBuffer()
        for message in Self.messages { all.writeOpenFlowMessage(message) }
        var pairs = Self.messages.map { ($0.encoded, [$0]) }
        pairs.append((all, Self.messages))
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { OpenFlowFrameDecoder() }
    }

    @Test func dripFeedGivesTheSameMessages() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(OpenFlowFrameDecoder()))
        var all = ByteBuffer()
        for message in Self.messages { all.writeOpenFlowMessage(message) }
        while let byte = all.readSlice(length: 1) {
            try channel.writeInbound(byte)
        }
        var decoded: [OpenFlowMessage] = []
        while let message = try channel.readInbound(as: OpenFlowMessage.self) { decoded.append(message) }
        #expect(decoded == Self.messages)
        #expect(try channel.finish().isClean)
    }

    @Test func partialFrameConsumesNothing() throws {
        var buffer = Self.messages[5].encoded
        var partial = buffer.readSlice(length: buffer.readableBytes - 1)!
        #expect(try OpenFlowFrameDecoder.decodeFrame(&partial) == nil)
        #expect(partial.readerIndex == 0)
    }

    @Test(arguments: [
        ("length shorter than the header", "04 00 00 04 00 00 00 01", OpenFlowError.Kind.badLength),
        ("version 0", "00 00 00 08 00 00 00 01", .badVersion),
        ("an HTTP request", "47 45 54 20 2f 20 48 54", .badVersion),
        ("FEATURES_REQUEST of OF1.5", "06 05 00 08 00 00 00 01", .badVersion),
        ("unknown OF1.3 type", "04 63 00 08 00 00 00 01", .badType),
        ("BARRIER_REQUEST with a body", "04 14 00 0c 00 00 00 01 00 00 00 00", .badLength),
    ])
    func malformedFrameThrowsTypedError(name: String, hex: String, kind: OpenFlowError.Kind) throws {
        var buffer = bytes(hex)
        #expect(throws: OpenFlowError.self, "\(name)") { try OpenFlowFrameDecoder.decodeFrame(&buffer) }
        do {
            _ = try OpenFlowFrameDecoder.decodeFrame(&buffer)
        } catch {
            #expect(error.kind == kind, "\(name): \(error)")
        }
    }

    /// Garbage is refused on its first 8 bytes, not after waiting for the length it claims.
    @Test func garbageIsRejectedFromTheHeaderAlone() throws {
        var buffer = ByteBuffer(string: "GET / HTTP/1.1\r\n")  // claims 0x5420 bytes
        #expect(throws: OpenFlowError.self) { try OpenFlowFrameDecoder.decodeFrame(&buffer) }
    }

    @Test func encoderRefusesMessagesOverSixtyFourKiB() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(OpenFlowFrameEncoder()))
        let big = OpenFlowMessage.of13(.echoRequest(ByteBuffer(repeating: 0, count: 70_000)), xid: 1)
        #expect(throws: OpenFlowError.self) { try channel.writeOutbound(big) }
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        _ = try? channel.finish()
    }

    /// The whole pipeline: a malformed frame closes the connection with the codec's error as
    /// the reason, and the reason is logged.
    @Test func malformedFrameClosesTheConnection() throws {
        let events = Recorder<OpenFlowControllerHandler.Event>()
        let logger = RecordingLogger()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            OpenFlowControllerHandler(logger: logger) { events.append($0) },
        ])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let hello = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(try OpenFlowMessage(decoding: hello).typeName == "OFPT_HELLO")

        try channel.writeInbound(bytes("04 00 00 04 00 00 00 01"))
        #expect(!channel.isActive)
        guard case .disconnected(nil, _, .malformedMessage(let error)) = events.all.last else {
            Issue.record("expected a malformedMessage disconnect, got \(events.all)")
            return
        }
        #expect(error.kind == .badLength)
        #expect(logger.lines.all.contains { $0.contains("malformed message") })
    }
}
