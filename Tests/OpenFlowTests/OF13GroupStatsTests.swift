import NIOCore
import Testing

@testable import OpenFlow

/// `ofp_group_stats`, `ofp_group_desc` and `ofp_group_features` replies, and the group request.
@Suite struct OF13GroupStatsTests {
    static func reply(_ body: OF13.MultipartReply.Body) -> OpenFlowMessage {
        .of13(.multipartReply(OF13.MultipartReply(body: body)), xid: 60)
    }

    static let stats = reply(
        .group([
            OF13.GroupStats(
                groupID: 1, refCount: 2, packetCount: 30, byteCount: 4000, durationSeconds: 5, durationNanoseconds: 6,
                bucketStats: [
                    OF13.BucketCounter(packetCount: 10, byteCount: 1000),
                    OF13.BucketCounter(packetCount: 20, byteCount: 3000),
                ]),
            OF13.GroupStats(groupID: 2),
        ]))

    static let desc = reply(
        .groupDesc([
            OF13.GroupDescription(
                type: .select, groupID: 1,
                buckets: [
                    OF13.Bucket(weight: 1, actions: [.output(port: 1)]), OF13.Bucket(weight: 2, actions: [.output(port: 2)]),
                ]),
            OF13.GroupDescription(type: .indirect, groupID: 2, buckets: [OF13.Bucket(actions: [.decNwTTL, .output(port: 3)])]),
            OF13.GroupDescription(type: .all, groupID: 3),
        ]))

    static let features = reply(
        .groupFeatures(
            OF13.GroupFeatures(
                types: 0b1111, capabilities: [.selectWeight, .chaining], maxGroups: [100, 200, 300, 400],
                actions: [1, 0x0200_0001, 1 << 22 | 1, 1])))

    @Test(arguments: [("group_stats_reply", stats), ("group_desc_reply", desc), ("group_features_reply", features)])
    func roundTrips(name: String, message: OpenFlowMessage) throws {
        try OF13Check.roundTrip(message, name: name)
    }

    /// `ofp_group_stats` is 40 bytes plus 16 per bucket counter; `ofp_group_desc` is 8 plus
    /// the buckets; `ofp_group_features` is 40.
    @Test func layoutsMatchTheSpec() throws {
        let stats = Self.stats.encoded
        #expect(stats.readableBytes == 16 + (40 + 32) + 40)
        #expect(OF13Check.u16(stats, 16) == 72)  // length
        #expect(OF13Check.u32(stats, 20) == 1)  // group_id
        #expect(OF13Check.u32(stats, 24) == 2)  // ref_count
        #expect(stats.getInteger(at: 32, as: UInt64.self) == 30)  // packet_count
        #expect(OF13Check.u32(stats, 48) == 5)  // duration_sec
        #expect(stats.getInteger(at: 56, as: UInt64.self) == 10)  // bucket_stats[0].packet_count
        #expect(stats.getInteger(at: 80, as: UInt64.self) == 3000)  // bucket_stats[1].byte_count

        let desc = Self.desc.encoded
        #expect(desc.readableBytes == 16 + (8 + 32 + 32) + (8 + 40) + 8)
        #expect(OF13Check.u16(desc, 16) == 72)  // length
        #expect(desc.getInteger(at: 18, as: UInt8.self) == 1)  // type SELECT
        #expect(OF13Check.u32(desc, 20) == 1)  // group_id
        #expect(OF13Check.u16(desc, 24) == 32)  // buckets[0].len

        let features = Self.features.encoded
        #expect(features.readableBytes == 16 + 40)
        #expect(OF13Check.u32(features, 20) == 0b101)  // capabilities
        #expect(OF13Check.u32(features, 36) == 400)  // max_groups[3]
        guard case .of13(.multipartReply(let reply), _) = Self.features, case .groupFeatures(let f) = reply.body else {
            return
        }
        #expect(f.supports(.fastFailover))
        #expect(!f.supports(.init(rawValue: 4)))
    }

    @Test func groupRequestLayout() throws {
        let request = OpenFlowMessage.of13(.multipartRequest(OF13.MultipartRequest(body: .group(groupID: 5))), xid: 61)
        let bytes = try OF13Check.roundTrip(request)
        #expect(bytes.readableBytes == 24)
        #expect(OF13Check.u16(bytes, 8) == 6)
        #expect(OF13Check.u32(bytes, 16) == 5)
    }

    @Test func groupStatsLengthNotCountingWholeBucketsThrows() throws {
        var bytes = Self.stats.encoded
        bytes.setInteger(UInt16(48), at: 16)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .badLength)
        #expect(error.field == "group_stats.length")
    }

    @Test func groupDescLengthPastTheMessageThrows() throws {
        var bytes = Self.desc.encoded
        bytes.setInteger(UInt16(200), at: 16 + 72 + 48)  // the last entry
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .truncated)
        #expect(error.field == "group_desc")
    }

    @Test func bucketLengthInsideGroupDescThrows() throws {
        var bytes = Self.desc.encoded
        bytes.setInteger(UInt16(40), at: 24)  // buckets[0].len: overruns into buckets[1]
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.field == "bucket" || error.field.hasPrefix("action"))
    }
}
