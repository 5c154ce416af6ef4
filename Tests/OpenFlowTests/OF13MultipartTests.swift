import NIOCore
import NetworkAddresses
import Testing

@testable import OpenFlow

/// `OFPT_MULTIPART_REQUEST` and `OFPT_MULTIPART_REPLY`: the common header, each request body,
/// and the reply bodies not covered by their own files.
@Suite struct OF13MultipartTests {
    static func request(_ body: OF13.MultipartRequest.Body, flags: OF13.MultipartRequest.Flags = []) -> OpenFlowMessage {
        .of13(.multipartRequest(OF13.MultipartRequest(flags: flags, body: body)), xid: 30)
    }

    static func reply(_ body: OF13.MultipartReply.Body, flags: OF13.MultipartReply.Flags = []) -> OpenFlowMessage {
        .of13(.multipartReply(OF13.MultipartReply(flags: flags, body: body)), xid: 31)
    }

    /// Requests with their expected body size after the 16 bytes of headers.
    static let requests: [(String, OpenFlowMessage, Int)] = [
        ("desc_request", request(.desc), 0),
        ("table_request", request(.table), 0),
        ("port_stats_request", request(.portStats(portNumber: OF13.PortNumber.any)), 8),
        ("queue_request", request(.queue(OF13.QueueStatsRequest(portNumber: 1, queueID: OF13.QueueNumber.all))), 8),
        ("group_request", request(.group(groupID: OF13.GroupNumber.all)), 8),
        ("group_desc_request", request(.groupDesc), 0),
        ("group_features_request", request(.groupFeatures), 0),
        ("meter_request", request(.meter(OF13.MeterRequest(meterID: 1))), 8),
        ("meter_config_request", request(.meterConfig(OF13.MeterRequest())), 8),
        ("meter_features_request", request(.meterFeatures), 0),
        ("table_features_request", request(.tableFeatures([])), 0),
        ("port_desc_request", request(.portDesc, flags: [.requestMore]), 0),
        (
            "experimenter_request",
            request(
                .experimenter(
                    OF13.MultipartExperimenter(
                        experimenter: 0x00AB_CDEF, experimenterType: 3, data: ByteBuffer(bytes: [1, 2, 3, 4])))), 12
        ),
        ("unknown_request", request(.unknown(type: .init(rawValue: 0x4242), body: ByteBuffer(bytes: [7, 7]))), 2),
    ]

    @Test(arguments: requests)
    func requestsRoundTrip(name: String, message: OpenFlowMessage, bodySize: Int) throws {
        let bytes = try OF13Check.roundTrip(message, name: name)
        #expect(bytes.readableBytes == 16 + bodySize)
        #expect(bytes.getInteger(at: 1, as: UInt8.self) == 18)
        guard case .of13(.multipartRequest(let request), _) = message else { return }
        #expect(OF13Check.u16(bytes, 8) == request.type.rawValue)
        #expect(OF13Check.u16(bytes, 10) == request.flags.rawValue)
    }

    static let ports: [OF13.Port] = [
        OF13.Port(
            portNumber: 1, hardwareAddress: MACAddress(0x02, 0, 0, 0, 0, 1), name: "eth1", state: [.live],
            current: [.rate1GbFD, .copper], currentSpeed: 1_000_000, maxSpeed: 1_000_000),
        OF13.Port(
            portNumber: OF13.PortNumber.local, hardwareAddress: MACAddress(0x02, 0, 0, 0, 0, 0xFE), name: "br0",
            config: [.portDown], state: [.linkDown]),
    ]

    static let replies: [(String, OpenFlowMessage, Int)] = [
        ("port_desc_reply", reply(.portDesc(WireList(ports))), 2 * 64),
        ("port_desc_reply_empty", reply(.portDesc([]), flags: [.replyMore]), 0),
        (
            "experimenter_reply",
            reply(.experimenter(OF13.MultipartExperimenter(experimenter: 0x00AB_CDEF, experimenterType: 9))), 8
        ),
        ("unknown_reply", reply(.unknown(type: .init(rawValue: 99), body: ByteBuffer(bytes: [1, 2, 3]))), 3),
    ]

    @Test(arguments: replies)
    func repliesRoundTrip(name: String, message: OpenFlowMessage, bodySize: Int) throws {
        let bytes = try OF13Check.roundTrip(message, name: name)
        #expect(bytes.readableBytes == 16 + bodySize)
        #expect(bytes.getInteger(at: 1, as: UInt8.self) == 19)
    }

    @Test func unknownTypeIsKeptRaw() throws {
        var bytes = Self.request(.desc).encoded
        bytes.setInteger(UInt16(77), at: 8)
        bytes.writeBytes([1, 2, 3, 4, 5])
        bytes.setInteger(UInt16(bytes.readableBytes), at: 2)
        let decoded = try OpenFlowMessage(decoding: bytes)
        guard case .of13(.multipartRequest(let request), _) = decoded else {
            Issue.record("not a multipart request")
            return
        }
        #expect(request.type.rawValue == 77)
        #expect(request.body == .unknown(type: .init(rawValue: 77), body: ByteBuffer(bytes: [1, 2, 3, 4, 5])))
        #expect(decoded.encoded == bytes)
    }

    @Test func bodylessRequestWithABodyThrows() throws {
        var bytes = Self.request(.desc).encoded
        bytes.writeInteger(UInt64(0))
        bytes.setInteger(UInt16(bytes.readableBytes), at: 2)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .badLength)
        #expect(error.field == "length")
        #expect(error.message == "OFPT_MULTIPART_REQUEST")
    }

    @Test func portDescEntryCutShortThrows() throws {
        var bytes = Self.replies[0].1.encoded
        bytes.moveWriterIndex(to: bytes.writerIndex - 10)
        bytes.setInteger(UInt16(bytes.readableBytes), at: 2)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .truncated)
        #expect(error.field.hasPrefix("port."))
    }

    @Test func descriptionsNameTheType() {
        #expect("\(OF13.MultipartRequest(flags: [.requestMore], body: .portDesc))" == "OFPMP_PORT_DESC request (more)")
        #expect("\(OF13.MultipartType(rawValue: 500))" == "OFPMP_500")
    }
}
