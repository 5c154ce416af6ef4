import NIOCore
import NetworkAddresses
import Testing

@testable import OpenFlow

@Suite struct OF13GroupModTests {
    static let select = OpenFlowMessage.of13(
        .groupMod(
            OF13.GroupMod(
                command: .add, type: .select, groupID: 7,
                buckets: [
                    OF13.Bucket(weight: 10, actions: [.output(port: 2)]),
                    OF13.Bucket(
                        weight: 20, actions: [.setField(.ethDst(MACAddress(0, 0, 0, 0, 0, 2))), .output(port: 3)]),
                ])), xid: 1)

    static let fastFailover = OpenFlowMessage.of13(
        .groupMod(
            OF13.GroupMod(
                command: .modify, type: .fastFailover, groupID: 8,
                buckets: [
                    OF13.Bucket(watchPort: 1, actions: [.output(port: 1)]),
                    OF13.Bucket(watchPort: 2, watchGroup: 9, actions: [.group(9)]),
                ])), xid: 2)

    static let delete = OpenFlowMessage.of13(
        .groupMod(OF13.GroupMod(command: .delete, type: .all, groupID: OF13.GroupNumber.all)), xid: 3)

    @Test(arguments: [("group_mod_select", select), ("group_mod_ff", fastFailover), ("group_mod_delete", delete)])
    func roundTrips(name: String, message: OpenFlowMessage) throws {
        let bytes = try OF13Check.roundTrip(message, name: name)
        #expect(bytes.readableBytes % 8 == 0)
        #expect(bytes.getInteger(at: 1, as: UInt8.self) == 15)
    }

    /// `ofp_group_mod` is 16 bytes with the header; `ofp_bucket` is 16 bytes plus its actions.
    @Test func layoutMatchesTheSpec() throws {
        let bytes = Self.select.encoded
        #expect(bytes.readableBytes == 16 + 32 + 48)
        #expect(OF13Check.u16(bytes, 8) == 0)  // command ADD
        #expect(bytes.getInteger(at: 10, as: UInt8.self) == 1)  // type SELECT
        #expect(OF13Check.u32(bytes, 12) == 7)  // group_id
        // First bucket: len 32, weight 10, watch_port/group ANY, then output:2.
        #expect(OF13Check.u16(bytes, 16) == 32)
        #expect(OF13Check.u16(bytes, 18) == 10)
        #expect(OF13Check.u32(bytes, 20) == 0xFFFF_FFFF)
        #expect(OF13Check.u32(bytes, 24) == 0xFFFF_FFFF)
        #expect(OF13Check.u16(bytes, 32) == 0)  // OFPAT_OUTPUT
        #expect(OF13Check.u32(bytes, 36) == 2)
        // Second bucket: a 16-byte set-field and a 16-byte output.
        #expect(OF13Check.u16(bytes, 48) == 48)
        #expect(OF13Check.u16(bytes, 50) == 20)
        guard case .of13(.groupMod(let mod), _) = Self.select else { return }
        #expect(mod.buckets.map(\.length) == [32, 48])
    }

    @Test func unknownCommandAndTypeAreKept() throws {
        let message = OpenFlowMessage.of13(
            .groupMod(OF13.GroupMod(command: .init(rawValue: 9), type: .init(rawValue: 200), groupID: 1)), xid: 4)
        try OF13Check.roundTrip(message)
        #expect("\(OF13.GroupType(rawValue: 200))" == "type(200)")
    }

    @Test func bucketLengthShorterThanItsHeaderThrows() throws {
        var bytes = Self.select.encoded
        bytes.setInteger(UInt16(8), at: 16)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .badLength)
        #expect(error.field == "bucket.len")
        #expect(error.message == "OFPT_GROUP_MOD")
        #expect(error.offset == 18)
    }

    @Test func bucketLengthPastTheMessageThrows() throws {
        var bytes = Self.select.encoded
        bytes.setInteger(UInt16(0x100), at: 48)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .truncated)
        #expect(error.field == "bucket")
    }

    @Test func actionLengthInsideABucketThrows() throws {
        var bytes = Self.select.encoded
        bytes.setInteger(UInt16(24), at: 34)  // the first bucket's output action
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.field.hasPrefix("action"))
    }
}
