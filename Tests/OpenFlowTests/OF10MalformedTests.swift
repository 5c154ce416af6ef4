import NIOCore
import NetworkAddresses
import Testing

@testable import OpenFlow

/// Inner lengths corrupted one at a time: every case throws an ``OpenFlowError`` that names the
/// message, the field and where it is.
@Suite struct OF10MalformedTests {
    struct Corruption: Sendable, CustomTestStringConvertible {
        let name: String
        let message: OF10.Message
        /// Changes the encoded message (the header length is fixed afterwards).
        let edit: @Sendable (inout ByteBuffer) -> Void
        let kind: OpenFlowError.Kind
        let field: String
        let offset: Int

        var testDescription: String { name }
    }

    static let flowMod = OF10.Message.flowMod(
        OF10.FlowMod(match: OF10.Match(inPort: 1), actions: [.output(port: 2), .setDLDst(.broadcast)]))
    static let flowStats = OF10.Message.statsReply(
        OF10.StatsReply(.flow([OF10.FlowStats(match: .all, actions: [.output(port: 1)])])))
    static let queues = OF10.Message.queueGetConfigReply(
        OF10.QueueGetConfigReply(portNumber: 1, queues: [OF10.PacketQueue(queueID: 1, properties: [.minRate(10)])]))

    static let cases: [Corruption] = [
        Corruption(
            name: "action len not a multiple of 8", message: flowMod, edit: { $0.setInteger(UInt16(12), at: 74) },
            kind: .badLength, field: "action.len", offset: 76),
        Corruption(
            name: "action len zero", message: flowMod, edit: { $0.setInteger(UInt16(0), at: 74) },
            kind: .badLength, field: "action.len", offset: 76),
        Corruption(
            name: "output action of 16 bytes", message: flowMod, edit: { $0.setInteger(UInt16(16), at: 74) },
            kind: .badLength, field: "action.len", offset: 76),
        Corruption(
            name: "set_dl_dst action of 8 bytes", message: flowMod, edit: { $0.setInteger(UInt16(8), at: 82) },
            kind: .badLength, field: "action.len", offset: 84),
        Corruption(
            name: "action overruns the message", message: flowMod, edit: { $0.setInteger(UInt16(24), at: 82) },
            kind: .truncated, field: "action", offset: 84),
        Corruption(
            name: "actions cut inside an action", message: flowMod, edit: { $0.moveWriterIndex(to: 84) },
            kind: .truncated, field: "action", offset: 84),
        Corruption(
            name: "packet_out actions_len past the end",
            message: .packetOut(OF10.PacketOut(actions: [.output(port: 1)], data: of10Hex("aabbcc"))),
            edit: { $0.setInteger(UInt16(40), at: 14) }, kind: .badLength, field: "actions_len", offset: 16),
        Corruption(
            name: "packet_out actions_len inside an action",
            message: .packetOut(OF10.PacketOut(actions: [.output(port: 1)], data: of10Hex("aabbcc"))),
            edit: { $0.setInteger(UInt16(4), at: 14) }, kind: .truncated, field: "action", offset: 20),
        Corruption(
            name: "flow_stats length below 88", message: flowStats, edit: { $0.setInteger(UInt16(80), at: 12) },
            kind: .badLength, field: "flow_stats.length", offset: 14),
        Corruption(
            name: "flow_stats length past the end", message: flowStats, edit: { $0.setInteger(UInt16(104), at: 12) },
            kind: .badLength, field: "flow_stats.length", offset: 14),
        Corruption(
            name: "flow_stats length cutting an action", message: flowStats,
            edit: { $0.setInteger(UInt16(92), at: 12) }, kind: .truncated, field: "action", offset: 104),
        Corruption(
            name: "queue len below its header", message: queues, edit: { $0.setInteger(UInt16(4), at: 20) },
            kind: .badLength, field: "queue.len", offset: 22),
        Corruption(
            name: "queue len past the end", message: queues, edit: { $0.setInteger(UInt16(32), at: 20) },
            kind: .badLength, field: "queue.len", offset: 22),
        Corruption(
            name: "queue property len past the end", message: queues, edit: { $0.setInteger(UInt16(24), at: 26) },
            kind: .badLength, field: "queue.property.len", offset: 28),
        Corruption(
            name: "min_rate property of 8 bytes", message: queues,
            edit: { $0.setInteger(UInt16(8), at: 26); $0.setInteger(UInt16(16), at: 20); $0.moveWriterIndex(to: 32) },
            kind: .badLength, field: "queue.property.len", offset: 32),
        Corruption(
            name: "features reply with part of a port",
            message: .featuresReply(OF10.FeaturesReply(datapathID: 1, ports: [OF10Samples.port1])),
            edit: { $0.moveWriterIndex(to: 32 + 47) }, kind: .badLength, field: "ports", offset: 32),
        Corruption(
            name: "table stats with part of an entry",
            message: .statsReply(OF10.StatsReply(.table([OF10.TableStats(tableID: 0, name: "t")]))),
            edit: { $0.moveWriterIndex(to: 12 + 63) }, kind: .truncated, field: "table_stats", offset: 12),
        Corruption(
            name: "port stats with part of an entry",
            message: .statsReply(OF10.StatsReply(.port([OF10.PortStats(portNumber: 1)]))),
            edit: { $0.moveWriterIndex(to: 12 + 100) }, kind: .truncated, field: "port_stats", offset: 12),
        Corruption(
            name: "queue stats with part of an entry",
            message: .statsReply(OF10.StatsReply(.queue([OF10.QueueStats(portNumber: 1, queueID: 1)]))),
            edit: { $0.moveWriterIndex(to: 12 + 20) }, kind: .truncated, field: "queue_stats", offset: 12),
        Corruption(
            name: "short desc stats", message: .statsReply(OF10.StatsReply(.desc(OF10.DescStats()))),
            edit: { $0.moveWriterIndex(to: 12 + 1000) }, kind: .truncated, field: "dp_desc", offset: 12 + 800),
        Corruption(
            name: "flow stats request without out_port",
            message: .statsRequest(OF10.StatsRequest(.flow(OF10.FlowStatsRequest()))),
            edit: { $0.moveWriterIndex(to: 12 + 42) }, kind: .truncated, field: "out_port", offset: 54),
        Corruption(
            name: "flow mod cut inside the match", message: flowMod, edit: { $0.moveWriterIndex(to: 30) },
            kind: .truncated, field: "match.dl_type", offset: 30),
        Corruption(
            name: "port status cut inside the port",
            message: .portStatus(OF10.PortStatus(reason: .add, port: OF10Samples.port1)),
            edit: { $0.moveWriterIndex(to: 60) }, kind: .truncated, field: "port", offset: 16),
    ]

    @Test(arguments: cases)
    func corruptedLengthThrowsNamingTheField(corruption: Corruption) throws {
        var bytes = OpenFlowMessage.of10(corruption.message, xid: 1).encoded
        corruption.edit(&bytes)
        bytes.setInteger(UInt16(bytes.readableBytes), at: 2)
        do {
            let decoded = try OpenFlowMessage(decoding: bytes)
            Issue.record("decoded \(decoded)")
        } catch {
            #expect(error.kind == corruption.kind, "\(error)")
            #expect(error.field == corruption.field, "\(error)")
            #expect(error.offset == corruption.offset, "\(error)")
            #expect(error.message == corruption.message.typeName)
        }
        // Read through the framing API too: it throws and consumes nothing.
        var stream = bytes
        #expect(throws: OpenFlowError.self) { try stream.readOpenFlowMessage() }
        #expect(stream.readerIndex == 0)
    }

    @Test func headerLengthShorterThanTheHeaderThrows() {
        var bytes = ByteBuffer(bytes: [0x01, 0x12, 0x00, 0x04, 0, 0, 0, 1])
        #expect(throws: OpenFlowError.self) { try bytes.readOpenFlowMessage() }
    }

    @Test func unknownActionAndStatsTypesAreKeptRaw() throws {
        var wire = OpenFlowMessage.of10(
            .flowMod(OF10.FlowMod(actions: [.unknown(type: 0x20, body: of10Hex("0102030405060708090a0b0c"))])), xid: 1
        ).encoded
        var decoded = try OpenFlowMessage(decoding: wire)
        guard case .of10(.flowMod(let flowMod), _) = decoded else { Issue.record("not a flow mod"); return }
        #expect(flowMod.actions.elements == [.unknown(type: 0x20, body: of10Hex("0102030405060708090a0b0c"))])
        #expect(decoded.encoded == wire)

        wire = OpenFlowMessage.of10(.statsReply(OF10.StatsReply(.unknown(type: 9, body: of10Hex("abcd")))), xid: 2).encoded
        decoded = try OpenFlowMessage(decoding: wire)
        #expect(decoded == .of10(.statsReply(OF10.StatsReply(.unknown(type: 9, body: of10Hex("abcd")))), xid: 2))
    }

    /// Seeded random byte changes to every sample never trap: each decodes or throws.
    @Test(arguments: OF10Samples.all)
    func randomCorruptionNeverTraps(sample: OF10Sample) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(sample.name.utf8.count)
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let original = sample.wrapped.encoded
        for _ in 0..<300 {
            var bytes = original
            for _ in 0...(next() % 3) {
                // Leave the header's version, type and length alone so the body is what is tested.
                let at = OpenFlowHeader.size + next() % Swift.max(1, bytes.readableBytes - OpenFlowHeader.size)
                if at < bytes.readableBytes { bytes.setInteger(UInt8(truncatingIfNeeded: next()), at: at) }
            }
            if let decoded = try? OpenFlowMessage(decoding: bytes) {
                // Whatever decodes must encode again to a message of the same length.
                #expect(decoded.encoded.readableBytes == bytes.readableBytes)
            }
        }
    }
}
