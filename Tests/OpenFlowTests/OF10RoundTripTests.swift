import Foundation
import NIOCore
import Testing

@testable import OpenFlow

@Suite struct OF10RoundTripTests {
    @Test(arguments: OF10Samples.all)
    func roundTripsToTheSameValueAndBytes(sample: OF10Sample) throws {
        var buffer = ByteBuffer()
        let written = buffer.writeOpenFlowMessage(sample.wrapped)
        #expect(written == buffer.readableBytes)
        let header = try #require(OpenFlowHeader.peek(buffer))
        #expect(header.version == 0x01)
        #expect(header.type == sample.message.type)
        #expect(Int(header.length) == buffer.readableBytes)
        #expect(header.xid == 1)

        let decoded = try OpenFlowMessage(decoding: buffer)
        #expect(decoded == sample.wrapped)
        #expect(decoded.encoded == buffer)
        #expect(decoded.typeName == "\(OF10.Message.typeName(header.type))")
        #expect(decoded.typeName.hasPrefix("OFPT_") && decoded.typeName != "OFPT_UNKNOWN")
    }

    @Test(arguments: OF10Samples.all)
    func partialFrameReturnsNilAndConsumesNothing(sample: OF10Sample) throws {
        let bytes = sample.wrapped.encoded
        for length in 0..<bytes.readableBytes {
            var partial = try #require(bytes.getSlice(at: 0, length: length))
            #expect(try partial.readOpenFlowMessage() == nil)
            #expect(partial.readerIndex == 0)
        }
    }

    /// The message cut at every length, with the header's length made to agree: it either
    /// throws a typed error or decodes to something that re-encodes to the same bytes.
    @Test(arguments: OF10Samples.all)
    func truncatedBodyThrowsOrDecodesConsistently(sample: OF10Sample) throws {
        let bytes = sample.wrapped.encoded
        for cut in OpenFlowHeader.size..<bytes.readableBytes {
            var shortened = try #require(bytes.getSlice(at: 0, length: cut))
            shortened.setInteger(UInt16(cut), at: 2)
            do {
                let message = try OpenFlowMessage(decoding: shortened)
                #expect(message.encoded == shortened, "cut at \(cut)")
            } catch {
                #expect(error.message.hasPrefix("OFPT_") || error.message == "ofp_header")
                #expect(error.offset <= cut, "cut at \(cut): \(error)")
            }
        }
    }

    @Test(arguments: OF10Samples.all)
    func trailingByteIsRejectedOrKept(sample: OF10Sample) throws {
        var bytes = sample.wrapped.encoded
        bytes.writeInteger(UInt8(0))
        bytes.setInteger(UInt16(bytes.readableBytes), at: 2)
        do {
            // Messages with an open tail (data, actions, lists) take the byte; then it must
            // survive re-encoding.
            let message = try OpenFlowMessage(decoding: bytes)
            #expect(message.encoded == bytes)
        } catch {
            #expect(error.kind == .badLength || error.kind == .truncated, "\(error)")
        }
    }

    @Test(arguments: OF10Samples.all)
    func codableRoundTrip(sample: OF10Sample) throws {
        let json = try JSONEncoder().encode(sample.wrapped)
        let decoded = try JSONDecoder().decode(OpenFlowMessage.self, from: json)
        #expect(decoded == sample.wrapped)
    }

    @Test func samplesCoverEveryMessageType() {
        let types = Set(OF10Samples.all.map(\.message.type))
        #expect(types == Set(1...21))
    }

    @Test func fixedSizeBodiesRejectTrailingBytes() throws {
        for message: OF10.Message in [
            .featuresRequest, .getConfigRequest, .barrierRequest, .barrierReply,
            .setConfig(OF10.SwitchConfig()), .portMod(OF10.PortMod(portNumber: 1, hardwareAddress: .zero, config: [], mask: [])),
            .statsRequest(OF10.StatsRequest(.desc)), .statsRequest(OF10.StatsRequest(.port(OF10.PortStatsRequest()))),
            .statsReply(OF10.StatsReply(.aggregate(OF10.AggregateStats()))),
            .flowRemoved(OF10.FlowRemoved(match: .all, priority: 1, reason: .delete)),
            .queueGetConfigRequest(OF10.QueueGetConfigRequest(portNumber: 1)),
        ] {
            var bytes = OpenFlowMessage.of10(message, xid: 9).encoded
            bytes.writeInteger(UInt32(0))
            bytes.setInteger(UInt16(bytes.readableBytes), at: 2)
            #expect(throws: OpenFlowError.self, "\(message.typeName)") { try OpenFlowMessage(decoding: bytes) }
            do {
                _ = try OpenFlowMessage(decoding: bytes)
            } catch {
                #expect(error.kind == .badLength)
                #expect(error.field == "length")
                #expect(error.message == message.typeName)
            }
        }
    }

    @Test func unknownTypeThrowsBadType() throws {
        for type: UInt8 in [22, 23, 29, 0xFF] {
            let bytes = ByteBuffer(bytes: [0x01, type, 0x00, 0x08, 0, 0, 0, 1])
            #expect(throws: OpenFlowError.self) { try OpenFlowMessage(decoding: bytes) }
            do {
                _ = try OpenFlowMessage(decoding: bytes)
            } catch {
                #expect(error.kind == .badType)
                #expect(error.field == "type")
                #expect(error.offset == 1)
            }
        }
    }

    @Test func helloVersion1StaysAtTheTopLevel() throws {
        let bytes = ByteBuffer(bytes: [0x01, 0x00, 0x00, 0x08, 0, 0, 0, 5])
        let message = try OpenFlowMessage(decoding: bytes)
        #expect(message == .hello(Hello(), version: 1, xid: 5))
    }

    /// Writes every sample as `name<TAB>hex` lines to the file named by `OF10_DUMP_HEX`, for
    /// checking with `ovs-ofctl ofp-print`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["OF10_DUMP_HEX"] != nil))
    func dumpHexForOpenVSwitch() throws {
        let path = try #require(ProcessInfo.processInfo.environment["OF10_DUMP_HEX"])
        let lines = OF10Samples.all.map { "\($0.name)\t\(HexBytes.format($0.wrapped.encoded.readableBytesView))" }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}
