import NIOCore
import Testing

@testable import OpenFlow

@Suite struct OF13MeterModTests {
    static var experimenterData: ByteBuffer { ByteBuffer(bytes: [1, 2, 3, 4, 5, 6, 7, 8]) }

    static let meterMod = OpenFlowMessage.of13(
        .meterMod(
            OF13.MeterMod(
                command: .add, flags: [.kbps, .burst, .stats], meterID: 1,
                bands: [
                    .drop(rate: 10_000, burstSize: 1_000),
                    .dscpRemark(rate: 5_000, burstSize: 500, precedenceLevel: 1),
                ])), xid: 7)

    static let experimenterBand = OpenFlowMessage.of13(
        .meterMod(
            OF13.MeterMod(
                command: .modify, flags: [.pktps], meterID: 2,
                bands: [.experimenter(rate: 100, experimenter: 0x00AB_CDEF)])), xid: 8)

    static let delete = OpenFlowMessage.of13(
        .meterMod(OF13.MeterMod(command: .delete, flags: [], meterID: OF13.MeterNumber.all)), xid: 9)

    @Test(arguments: [
        ("meter_mod", meterMod), ("meter_mod_experimenter", experimenterBand), ("meter_mod_delete", delete),
    ])
    func roundTrips(name: String, message: OpenFlowMessage) throws {
        try OF13Check.roundTrip(message, name: name)
    }

    /// `ofp_meter_mod` is 16 bytes with the header; drop and DSCP-remark bands are 16 bytes.
    @Test func layoutMatchesTheSpec() throws {
        let bytes = Self.meterMod.encoded
        #expect(bytes.readableBytes == 16 + 16 + 16)
        #expect(OF13Check.u16(bytes, 8) == 0)  // command ADD
        #expect(OF13Check.u16(bytes, 10) == 0b1101)  // flags
        #expect(OF13Check.u32(bytes, 12) == 1)  // meter_id
        #expect(OF13Check.u16(bytes, 16) == 1)  // OFPMBT_DROP
        #expect(OF13Check.u16(bytes, 18) == 16)
        #expect(OF13Check.u32(bytes, 20) == 10_000)
        #expect(OF13Check.u32(bytes, 24) == 1_000)
        #expect(OF13Check.u16(bytes, 32) == 2)  // OFPMBT_DSCP_REMARK
        #expect(bytes.getInteger(at: 44, as: UInt8.self) == 1)  // prec_level
        #expect(Self.experimenterBand.encoded.readableBytes == 16 + 16)
    }

    /// The spec's `len` lets bands grow; unknown bands and experimenter data beyond the
    /// 16 bytes are kept (Open vSwitch itself only takes 16-byte bands).
    @Test func unknownBandsAndExperimenterDataAreKept() throws {
        let message = OpenFlowMessage.of13(
            .meterMod(
                OF13.MeterMod(
                    meterID: 3,
                    bands: [
                        .unknown(type: 7, rate: 1, burstSize: 2, body: ByteBuffer(bytes: [0, 0, 0, 0])),
                        .experimenter(rate: 100, experimenter: 0x00AB_CDEF, data: Self.experimenterData),
                    ])),
            xid: 10)
        let bytes = try OF13Check.roundTrip(message)
        #expect(bytes.readableBytes == 16 + 16 + 24)
    }

    @Test func dropBandOfTheWrongLengthThrows() throws {
        var bytes = Self.meterMod.encoded
        bytes.setInteger(UInt16(32), at: 18)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .badLength)
        #expect(error.field == "band.len")
    }

    @Test func bandLengthShorterThanItsHeaderThrows() throws {
        var bytes = Self.meterMod.encoded
        bytes.setInteger(UInt16(4), at: 18)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .badLength)
        #expect(error.field == "band.len")
        #expect(error.offset == 20)
    }
}
