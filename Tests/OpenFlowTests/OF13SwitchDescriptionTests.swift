import NIOCore
import Testing

@testable import OpenFlow

@Suite struct OF13SwitchDescriptionTests {
    static let reply = OpenFlowMessage.of13(
        .multipartReply(
            OF13.MultipartReply(
                body: .desc(
                    OF13.SwitchDescription(
                        manufacturer: "vnm project", hardware: "embedded datapath", software: "vnm 0.1",
                        serialNumber: "0000000001", datapath: "s1 (dpid 0x1)")))), xid: 40)

    @Test func roundTrips() throws {
        try OF13Check.roundTrip(Self.reply, name: "desc_reply")
    }

    /// `ofp_desc`: strings of 256, 256, 256, 32 and 256 bytes, 1056 in all.
    @Test func layoutMatchesTheSpec() throws {
        let bytes = Self.reply.encoded
        #expect(bytes.readableBytes == 16 + 1056)
        #expect(bytes.getString(at: 16, length: 11) == "vnm project")
        #expect(bytes.getInteger(at: 16 + 11, as: UInt8.self) == 0)
        #expect(bytes.getString(at: 16 + 256, length: 8) == "embedded")
        #expect(bytes.getString(at: 16 + 512, length: 7) == "vnm 0.1")
        #expect(bytes.getString(at: 16 + 768, length: 10) == "0000000001")
        #expect(bytes.getString(at: 16 + 800, length: 2) == "s1")
    }

    @Test func longStringsAreCutToLeaveANul() throws {
        let long = String(repeating: "x", count: 40)
        let message = OpenFlowMessage.of13(
            .multipartReply(OF13.MultipartReply(body: .desc(OF13.SwitchDescription(serialNumber: long)))), xid: 41)
        guard case .of13(.multipartReply(let reply), _) = try OpenFlowMessage(decoding: message.encoded),
            case .desc(let desc) = reply.body
        else {
            Issue.record("not a desc reply")
            return
        }
        #expect(desc.serialNumber == String(repeating: "x", count: 31))
    }

    @Test func shortDescThrowsNamingTheField() throws {
        var bytes = Self.reply.encoded
        bytes.moveWriterIndex(to: 16 + 800)
        bytes.setInteger(UInt16(16 + 800), at: 2)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .truncated)
        #expect(error.field == "dp_desc")
        #expect(error.offset == 16 + 800)
    }
}
