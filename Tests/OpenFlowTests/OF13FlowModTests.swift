import NIOCore
import NetworkAddresses
import Testing

@testable import OpenFlow

@Suite struct OF13FlowModTests {
    static let flowMod = OpenFlowMessage.of13(
        .flowMod(
            OF13.FlowMod(
                cookie: 0x1234, tableID: 0, command: .add, idleTimeout: 10, priority: 100,
                flags: [.sendFlowRemoved],
                match: OF13.Match([
                    .inPort(1), .ethType(0x0800), .ipv4Dst(IPv4Address(10, 0, 0, 0), mask: .mask(prefixLength: 8)),
                    .udpDst(5001),
                ]),
                instructions: [.applyActions([.setField(.ethDst(MACAddress(0, 0, 0, 0, 0, 2))), .output(port: 2)])]
            )), xid: 7)

    @Test func encodesWithConsistentLengthsAndAlignment() throws {
        let bytes = Self.flowMod.encoded
        let header = try #require(OpenFlowHeader.peek(bytes))
        #expect(Int(header.length) == bytes.readableBytes)
        #expect(header.type == 14)
        #expect(header.version == 4)
        #expect(bytes.readableBytes % 8 == 0)
    }

    @Test func roundTrips() throws {
        let bytes = Self.flowMod.encoded
        let decoded = try OpenFlowMessage(decoding: bytes)
        #expect(decoded == Self.flowMod)
        #expect(decoded.encoded == bytes)
        guard case .of13(.flowMod(let fm), _) = decoded else { Issue.record("not a flow mod"); return }
        #expect(fm.match.fields.elements.count == 4)
        #expect(fm.instructions.elements.count == 1)
    }

    @Test func partialFrameReturnsNilAndConsumesNothing() throws {
        let bytes = Self.flowMod.encoded
        for length in 0..<bytes.readableBytes {
            var partial = bytes.getSlice(at: 0, length: length)!
            #expect(try partial.readOpenFlowMessage() == nil)
            #expect(partial.readerIndex == 0)
        }
    }

    @Test func truncatedLengthFieldThrowsNamingTheField() throws {
        var bytes = Self.flowMod.encoded
        // Cut the message inside the match but fix the header length to match: the match's
        // own length then overruns the message.
        let cut = 8 + 40 + 10
        bytes.moveWriterIndex(to: cut)
        bytes.setInteger(UInt16(cut), at: 2)
        #expect(throws: OpenFlowError.self) { try OpenFlowMessage(decoding: bytes) }
        do {
            _ = try OpenFlowMessage(decoding: bytes)
        } catch {
            #expect(error.message == "OFPT_FLOW_MOD")
            #expect(error.field.hasPrefix("match"))
            #expect(error.offset >= 48)
        }
    }
}

@Test func basicWidthSwitchAgreesWithTheFieldTable() {
    for (number, basic) in OXMField.basicFields.enumerated() {
        #expect(Int(basic.field) == number)
        #expect(OXMField.basicWidth(number) == basic.width, "\(basic.name)")
    }
    #expect(OXMField.basicWidth(40) == nil)
}

@Test func orderedMatchPutsPrerequisitesFirst() {
    let match = OF13.Match.ordered([
        .icmpv4Type(8), .other(oxmClass: 1, field: 3, hasMask: false, payload: ByteBuffer(bytes: [0, 1])),
        .ipProto(1), .ethType(0x0800), .inPort(3),
    ])
    #expect(match.fields.elements.map(\.name) == ["in_port", "eth_type", "ip_proto", "icmpv4_type", "0x1:3"])
}
