import NIOCore
import Testing

@testable import OpenFlow

/// `ofp_table_stats`, `ofp_port_stats` and `ofp_queue_stats` replies.
@Suite struct OF13StatsTests {
    static func reply(_ body: OF13.MultipartReply.Body) -> OpenFlowMessage {
        .of13(.multipartReply(OF13.MultipartReply(body: body)), xid: 50)
    }

    static let tables = reply(
        .table([
            OF13.TableStats(tableID: 0, activeCount: 4, lookupCount: 100, matchedCount: 90),
            OF13.TableStats(tableID: 1),
        ]))

    static let ports = reply(
        .portStats([
            OF13.PortStats(
                portNumber: 1, rxPackets: 1, txPackets: 2, rxBytes: 3, txBytes: 4, rxDropped: 5, txDropped: 6,
                rxErrors: 7, txErrors: 8, rxFrameErrors: 9, rxOverErrors: 10, rxCRCErrors: 11, collisions: 12,
                durationSeconds: 13, durationNanoseconds: 14),
            OF13.PortStats(portNumber: OF13.PortNumber.local, rxDropped: UInt64.max),
        ]))

    static let queues = reply(
        .queue([
            OF13.QueueStats(
                portNumber: 1, queueID: 0, txBytes: 1500, txPackets: 1, txErrors: 0, durationSeconds: 2,
                durationNanoseconds: 3)
        ]))

    @Test(arguments: [("table_stats_reply", tables, 24 * 2), ("port_stats_reply", ports, 112 * 2), ("queue_stats_reply", queues, 40)])
    func roundTrips(name: String, message: OpenFlowMessage, bodySize: Int) throws {
        let bytes = try OF13Check.roundTrip(message, name: name)
        #expect(bytes.readableBytes == 16 + bodySize)
    }

    @Test func portStatsLayoutMatchesTheSpec() throws {
        let bytes = Self.ports.encoded
        #expect(OF13Check.u32(bytes, 16) == 1)  // port_no, then 4 bytes of padding
        for (index, value) in (1...12).enumerated() {
            #expect(bytes.getInteger(at: 24 + 8 * index, as: UInt64.self) == UInt64(value))
        }
        #expect(OF13Check.u32(bytes, 24 + 96) == 13)  // duration_sec
        #expect(OF13Check.u32(bytes, 24 + 100) == 14)  // duration_nsec
    }

    @Test func tableAndQueueLayoutsMatchTheSpec() throws {
        let table = Self.tables.encoded
        #expect(table.getInteger(at: 16, as: UInt8.self) == 0)
        #expect(OF13Check.u32(table, 20) == 4)  // active_count
        #expect(table.getInteger(at: 24, as: UInt64.self) == 100)  // lookup_count
        #expect(table.getInteger(at: 32, as: UInt64.self) == 90)  // matched_count
        let queue = Self.queues.encoded
        #expect(queue.getInteger(at: 24, as: UInt64.self) == 1500)  // tx_bytes
        #expect(OF13Check.u32(queue, 48) == 2)  // duration_sec
    }

    @Test func partialEntryThrows() throws {
        var bytes = Self.tables.encoded
        bytes.moveWriterIndex(to: bytes.writerIndex - 8)
        bytes.setInteger(UInt16(bytes.readableBytes), at: 2)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .truncated)
        #expect(error.field == "table_stats.matched_count")
    }
}
