import NIOCore
import NetworkAddresses
import Testing

@testable import OpenFlow

/// `ofp_flow_stats_request`, `ofp_flow_stats` and `ofp_aggregate_stats_reply`.
@Suite struct OF13FlowStatsTests {
    static let request = OpenFlowMessage.of13(
        .multipartRequest(
            OF13.MultipartRequest(
                body: .flow(
                    OF13.FlowStatsRequest(
                        tableID: 0, outPort: 2, cookie: 0x10, cookieMask: 0xF0, match: OF13.Match([.inPort(1)]))))),
        xid: 20)

    static let aggregateRequest = OpenFlowMessage.of13(
        .multipartRequest(OF13.MultipartRequest(body: .aggregate(OF13.FlowStatsRequest()))), xid: 21)

    static let firstFlow = OF13.FlowStats(
        tableID: 0, durationSeconds: 12, durationNanoseconds: 345, priority: 100, idleTimeout: 10,
        flags: [.sendFlowRemoved], cookie: 0x1234, packetCount: 5, byteCount: 320,
        match: OF13.Match([.inPort(1)]), instructions: [.applyActions([.output(port: 2)])])

    static let reply = OpenFlowMessage.of13(
        .multipartReply(
            OF13.MultipartReply(
                flags: [.replyMore],
                body: .flow([
                    firstFlow,
                    OF13.FlowStats(
                        tableID: 1, priority: 0,
                        match: OF13.Match([.ethType(0x0800), .ipv4Dst(IPv4Address(10, 0, 0, 1))]),
                        instructions: [.gotoTable(2), .writeMetadata(1, mask: 1)]),
                    OF13.FlowStats(tableID: 2),
                ]))), xid: 22)

    static let aggregateReply = OpenFlowMessage.of13(
        .multipartReply(
            OF13.MultipartReply(body: .aggregate(OF13.AggregateStats(packetCount: 10, byteCount: 640, flowCount: 3)))),
        xid: 23)

    @Test(arguments: [
        ("flow_stats_request", request), ("aggregate_request", aggregateRequest), ("flow_stats_reply", reply),
        ("aggregate_reply", aggregateReply),
    ])
    func roundTrips(name: String, message: OpenFlowMessage) throws {
        try OF13Check.roundTrip(message, name: name)
    }

    /// `ofp_flow_stats_request` is 32 bytes before the match (spec §7.3.5.2).
    @Test func requestLayoutMatchesTheSpec() throws {
        let bytes = Self.request.encoded
        // header 8, multipart header 8, request 32, match (in_port: 12, padded to 16).
        #expect(bytes.readableBytes == 8 + 8 + 32 + 16)
        #expect(OF13Check.u16(bytes, 8) == 1)  // OFPMP_FLOW
        #expect(OF13Check.u32(bytes, 20) == 2)  // out_port
        #expect(OF13Check.u32(bytes, 24) == 0xFFFF_FFFF)  // out_group
        #expect(bytes.getInteger(at: 32, as: UInt64.self) == 0x10)  // cookie
        #expect(bytes.getInteger(at: 40, as: UInt64.self) == 0xF0)  // cookie_mask
        #expect(OF13Check.u16(bytes, 48) == 1)  // match.type
        #expect(OF13Check.u16(bytes, 50) == 12)  // match.length
        #expect(Self.aggregateRequest.encoded.readableBytes == 8 + 8 + 32 + 8)
    }

    /// `ofp_flow_stats` is 48 bytes, then the padded match, then the instructions; `length`
    /// counts all three.
    @Test func flowStatsLayoutMatchesTheSpec() throws {
        let bytes = Self.reply.encoded
        #expect(OF13Check.u16(bytes, 8) == 1)  // OFPMP_FLOW
        #expect(OF13Check.u16(bytes, 10) == 1)  // OFPMPF_REPLY_MORE
        // 48 + match 16 + apply-actions (8 + output 16) = 88.
        #expect(Self.firstFlow.length == 88)
        let entry = 16
        #expect(OF13Check.u16(bytes, entry) == 88)  // length
        #expect(bytes.getInteger(at: entry + 2, as: UInt8.self) == 0)  // table_id
        #expect(OF13Check.u32(bytes, entry + 4) == 12)  // duration_sec
        #expect(OF13Check.u32(bytes, entry + 8) == 345)  // duration_nsec
        #expect(OF13Check.u16(bytes, entry + 12) == 100)  // priority
        #expect(OF13Check.u16(bytes, entry + 14) == 10)  // idle_timeout
        #expect(OF13Check.u16(bytes, entry + 18) == 1)  // flags
        #expect(bytes.getInteger(at: entry + 24, as: UInt64.self) == 0x1234)  // cookie
        #expect(bytes.getInteger(at: entry + 32, as: UInt64.self) == 5)  // packet_count
        #expect(bytes.getInteger(at: entry + 40, as: UInt64.self) == 320)  // byte_count
        #expect(OF13Check.u16(bytes, entry + 48) == 1)  // match.type
        #expect(OF13Check.u16(bytes, entry + 50) == 12)  // match.length
        #expect(OF13Check.u16(bytes, entry + 64) == 4)  // OFPIT_APPLY_ACTIONS
        #expect(OF13Check.u16(bytes, entry + 66) == 24)
        // The second entry starts right after the first.
        #expect(bytes.getInteger(at: entry + 88 + 2, as: UInt8.self) == 1)
        guard case .of13(.multipartReply(let reply), _) = try OpenFlowMessage(decoding: bytes),
            case .flow(let flows) = reply.body
        else {
            Issue.record("not a flow stats reply")
            return
        }
        #expect(flows.elements.map(\.tableID) == [0, 1, 2])
        #expect(flows.elements.map(\.length).reduce(0, +) == bytes.readableBytes - 16)
    }

    /// `ofp_aggregate_stats_reply` is 24 bytes.
    @Test func aggregateLayoutMatchesTheSpec() throws {
        let bytes = Self.aggregateReply.encoded
        #expect(bytes.readableBytes == 16 + 24)
        #expect(bytes.getInteger(at: 16, as: UInt64.self) == 10)
        #expect(bytes.getInteger(at: 24, as: UInt64.self) == 640)
        #expect(OF13Check.u32(bytes, 32) == 3)
    }

    @Test func flowStatsLengthTooShortThrows() throws {
        var bytes = Self.reply.encoded
        bytes.setInteger(UInt16(40), at: 16)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .badLength)
        #expect(error.field == "flow_stats.length")
        #expect(error.message == "OFPT_MULTIPART_REPLY")
        #expect(error.offset == 18)
    }

    @Test func flowStatsLengthPastTheMessageThrows() throws {
        var bytes = Self.reply.encoded
        bytes.setInteger(UInt16(0x1000), at: 16)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .truncated)
        #expect(error.field == "flow_stats")
    }

    @Test func matchLengthPastItsFlowStatsThrows() throws {
        var bytes = Self.reply.encoded
        bytes.setInteger(UInt16(200), at: 16 + 50)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.field.hasPrefix("match"))
        #expect(error.offset >= 16 + 52)
    }

    @Test func instructionLengthPastItsFlowStatsThrows() throws {
        var bytes = Self.reply.encoded
        bytes.setInteger(UInt16(32), at: 16 + 66)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.field == "instruction")
        #expect(error.kind == .truncated)
    }
}
