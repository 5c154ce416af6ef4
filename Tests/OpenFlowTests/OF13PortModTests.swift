import NIOCore
import NetworkAddresses
import Testing

@testable import OpenFlow

@Suite struct OF13PortModTests {
    static let portDown = OpenFlowMessage.of13(
        .portMod(
            OF13.PortMod(
                portNumber: 3, hardwareAddress: MACAddress(0x02, 0, 0, 0, 0, 0x03), config: [.portDown],
                mask: [.portDown, .noPacketIn], advertise: [.rate1GbFD, .copper])), xid: 5)

    @Test func roundTrips() throws {
        try OF13Check.roundTrip(Self.portDown, name: "port_mod")
    }

    /// `ofp_port_mod` is 40 bytes with the header.
    @Test func layoutMatchesTheSpec() throws {
        let bytes = Self.portDown.encoded
        #expect(bytes.readableBytes == 40)
        #expect(OF13Check.u32(bytes, 8) == 3)  // port_no
        #expect(OF13Check.u16(bytes, 16) == 0x0200)  // hw_addr, after 4 bytes of padding
        #expect(OF13Check.u32(bytes, 24) == 1)  // config
        #expect(OF13Check.u32(bytes, 28) == 0x41)  // mask
        #expect(OF13Check.u32(bytes, 32) == 0x820)  // advertise
    }

    @Test func shortBodyThrows() throws {
        var bytes = Self.portDown.encoded
        bytes.moveWriterIndex(to: 36)
        bytes.setInteger(UInt16(36), at: 2)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .truncated)
        #expect(error.field == "pad3")
    }
}
