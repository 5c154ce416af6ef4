import NIOCore
import Testing

@testable import OpenFlow

@Suite struct OF13TableModTests {
    static let tableMod = OpenFlowMessage.of13(
        .tableMod(OF13.TableMod(tableID: OF13.TableNumber.all, config: .deprecatedMask)), xid: 6)

    @Test func roundTrips() throws {
        try OF13Check.roundTrip(Self.tableMod, name: "table_mod")
    }

    /// `ofp_table_mod` is 16 bytes with the header.
    @Test func layoutMatchesTheSpec() throws {
        let bytes = Self.tableMod.encoded
        #expect(bytes.readableBytes == 16)
        #expect(bytes.getInteger(at: 8, as: UInt8.self) == 0xFF)
        #expect(OF13Check.u32(bytes, 12) == 3)
    }

    @Test func trailingBytesThrow() throws {
        var bytes = Self.tableMod.encoded
        bytes.writeInteger(UInt32(0))
        bytes.setInteger(UInt16(20), at: 2)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .badLength)
        #expect(error.field == "length")
    }
}
