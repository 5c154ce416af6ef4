import NIOCore
import Testing

@testable import OpenFlow

/// `ofp_meter_stats`, `ofp_meter_config` and `ofp_meter_features` replies.
@Suite struct OF13MeterStatsTests {
    static func reply(_ body: OF13.MultipartReply.Body) -> OpenFlowMessage {
        .of13(.multipartReply(OF13.MultipartReply(body: body)), xid: 70)
    }

    static let stats = reply(
        .meter([
            OF13.MeterStats(
                meterID: 1, flowCount: 2, packetInCount: 300, byteInCount: 45_000, durationSeconds: 6,
                durationNanoseconds: 7, bandStats: [OF13.MeterBandStats(packetBandCount: 8, byteBandCount: 900)]),
            OF13.MeterStats(meterID: 2),
        ]))

    static let config = reply(
        .meterConfig([
            OF13.MeterConfig(
                flags: [.kbps, .burst], meterID: 1,
                bands: [.drop(rate: 1000, burstSize: 100), .dscpRemark(rate: 500, precedenceLevel: 2)]),
            OF13.MeterConfig(flags: [.pktps], meterID: 2),
        ]))

    static let features = reply(
        .meterFeatures(
            OF13.MeterFeatures(maxMeter: 1024, bandTypes: 0b110, capabilities: 0b1111, maxBands: 4, maxColor: 2)))

    @Test(arguments: [("meter_stats_reply", stats), ("meter_config_reply", config), ("meter_features_reply", features)])
    func roundTrips(name: String, message: OpenFlowMessage) throws {
        try OF13Check.roundTrip(message, name: name)
    }

    /// `ofp_meter_stats` is 40 bytes plus 16 per band; `ofp_meter_config` 8 plus the bands;
    /// `ofp_meter_features` 16.
    @Test func layoutsMatchTheSpec() throws {
        let stats = Self.stats.encoded
        #expect(stats.readableBytes == 16 + 56 + 40)
        #expect(OF13Check.u32(stats, 16) == 1)  // meter_id
        #expect(OF13Check.u16(stats, 20) == 56)  // len
        #expect(OF13Check.u32(stats, 28) == 2)  // flow_count
        #expect(stats.getInteger(at: 32, as: UInt64.self) == 300)  // packet_in_count
        #expect(OF13Check.u32(stats, 48) == 6)  // duration_sec
        #expect(stats.getInteger(at: 56, as: UInt64.self) == 8)  // band_stats[0]

        let config = Self.config.encoded
        #expect(config.readableBytes == 16 + 40 + 8)
        #expect(OF13Check.u16(config, 16) == 40)  // length
        #expect(OF13Check.u16(config, 18) == 0b101)  // flags
        #expect(OF13Check.u32(config, 20) == 1)  // meter_id
        #expect(OF13Check.u16(config, 24) == 1)  // bands[0].type

        let features = Self.features.encoded
        #expect(features.readableBytes == 16 + 16)
        #expect(features.getInteger(at: 28, as: UInt8.self) == 4)  // max_bands
    }

    @Test func meterStatsLengthNotCountingWholeBandsThrows() throws {
        var bytes = Self.stats.encoded
        bytes.setInteger(UInt16(44), at: 20)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .badLength)
        #expect(error.field == "meter_stats.len")
        #expect(error.offset == 22)
    }

    @Test func meterConfigLengthTooShortThrows() throws {
        var bytes = Self.config.encoded
        bytes.setInteger(UInt16(4), at: 16)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .badLength)
        #expect(error.field == "meter_config.length")
    }
}
