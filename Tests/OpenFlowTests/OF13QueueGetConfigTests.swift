import NIOCore
import Testing

@testable import OpenFlow

/// `OFPT_QUEUE_GET_CONFIG_REQUEST` and `_REPLY`.
@Suite struct OF13QueueGetConfigTests {
    static let request = OpenFlowMessage.of13(.queueGetConfigRequest(OF13.QueueGetConfigRequest(port: 1)), xid: 11)

    static let reply = OpenFlowMessage.of13(
        .queueGetConfigReply(
            OF13.QueueGetConfigReply(
                port: 1,
                queues: [
                    OF13.PacketQueue(queueID: 0, port: 1, properties: [.minRate(100), .maxRate(500)]),
                    OF13.PacketQueue(
                        queueID: 1, port: 1,
                        properties: [.experimenter(id: 0x2320, data: ByteBuffer(bytes: [9, 9, 9, 9, 9, 9, 9, 9]))]),
                    OF13.PacketQueue(queueID: 2, port: 1),
                ])), xid: 12)

    @Test(arguments: [("queue_get_config_request", request), ("queue_get_config_reply", reply)])
    func roundTrips(name: String, message: OpenFlowMessage) throws {
        try OF13Check.roundTrip(message, name: name)
    }

    /// The request is 16 bytes; `ofp_packet_queue` is 16 bytes plus 16-byte rate properties.
    @Test func layoutMatchesTheSpec() throws {
        #expect(Self.request.encoded.readableBytes == 16)
        let bytes = Self.reply.encoded
        #expect(bytes.readableBytes == 16 + (16 + 32) + (16 + 24) + 16)
        #expect(OF13Check.u32(bytes, 8) == 1)  // port
        #expect(OF13Check.u32(bytes, 16) == 0)  // queue_id
        #expect(OF13Check.u32(bytes, 20) == 1)  // port
        #expect(OF13Check.u16(bytes, 24) == 48)  // len
        #expect(OF13Check.u16(bytes, 32) == 1)  // OFPQT_MIN_RATE
        #expect(OF13Check.u16(bytes, 34) == 16)
        #expect(OF13Check.u16(bytes, 40) == 100)  // rate
        #expect(OF13Check.u16(bytes, 48) == 2)  // OFPQT_MAX_RATE
        #expect(OF13Check.u16(bytes, 56) == 500)
    }

    @Test func queueLengthShorterThanItsHeaderThrows() throws {
        var bytes = Self.reply.encoded
        bytes.setInteger(UInt16(8), at: 24)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .badLength)
        #expect(error.field == "queue.len")
    }

    @Test func ratePropertyOfTheWrongLengthThrows() throws {
        var bytes = Self.reply.encoded
        bytes.setInteger(UInt16(8), at: 34)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .badLength)
        #expect(error.field == "queue_prop.len")
    }
}
