import NIOCore
import NetworkAddresses
import Testing

@testable import Packets

@Suite struct LLDPDUTests {
    @Test func scapyLLDPDUWithOptionalTLVs() throws {
        let frame = try Fixture("scapy-lldp").frame
        #expect(frame.destination == LLDPDU.nearestBridgeAddress)
        #expect(frame.etherType == LLDPDU.etherType)
        let lldp = try LLDPDU(parsing: frame.payload)
        #expect(lldp.chassisID == .macAddress(.vnmpkA))
        #expect(lldp.chassisID.macAddress == .vnmpkA)
        #expect(lldp.portID == .interfaceName("vnmpk-a0"))
        #expect(lldp.portID.text == "vnmpk-a0")
        #expect(lldp.timeToLive == 120)
        #expect(
            lldp.optionalTLVs == [
                LLDPDU.TLV(type: .portDescription, text: "veth to vnmpk-b"),
                LLDPDU.TLV(type: .systemName, text: "vnm-switch-1"),
            ])
        // Unknown TLVs are re-encoded byte for byte.
        #expect(lldp.encoded() == frame.payload)
        #expect(lldp.frame(source: .vnmpkA) == frame)
    }

    @Test func scapyLLDPDUAsOpenFlowControllersSendIt() throws {
        let frame = try Fixture("scapy-lldp-openflow").frame
        let lldp = try LLDPDU(parsing: frame.payload)
        #expect(lldp.chassisID == .locallyAssigned("dpid:0000000000000001"))
        #expect(lldp.chassisID.text == "dpid:0000000000000001")
        #expect(lldp.chassisID.macAddress == nil)
        #expect(lldp.portID == .portNumber(3))
        #expect(lldp.portID.portNumber == 3)
        #expect(lldp.timeToLive == 120)
        #expect(lldp.optionalTLVs.isEmpty)
        // The frame was padded to 60 bytes after End; the LLDPDU is the 37 bytes before.
        #expect(frame.payload.readableBytes == 46)
        #expect(lldp.encoded().bytes == frame.payload.bytes.prefix(37).map { $0 })
    }

    @Test func buildThenParseGivesTheSameValue() throws {
        let lldp = LLDPDU(
            chassisID: LLDPDU.ChassisID(subtype: .networkAddress, id: ByteBuffer(bytes: [1, 10, 99, 0, 1])),
            portID: .macAddress(.vnmpkB), timeToLive: 0,
            optionalTLVs: [
                LLDPDU.TLV(type: .organizationallySpecific, value: ByteBuffer(bytes: [0x00, 0x12, 0x0F, 1, 2])),
                LLDPDU.TLV(type: LLDPDU.TLVType(rawValue: 126), value: ByteBuffer()),
                LLDPDU.TLV(type: .systemDescription, value: ByteBuffer(repeating: 0x41, count: 511)),
            ])
        #expect(try LLDPDU(parsing: lldp.encoded()) == lldp)
        #expect(lldp.portID.macAddress == .vnmpkB)
    }

    @Test func mandatoryTLVsMustComeFirstAndOnce() throws {
        func tlv(_ type: UInt8, _ value: [UInt8]) -> [UInt8] {
            [type << 1 | UInt8(value.count >> 8), UInt8(truncatingIfNeeded: value.count)] + value
        }
        let chassis = tlv(1, [7, 0x41])
        let port = tlv(2, [7, 0x42])
        let ttl = tlv(3, [0, 120])
        let end = tlv(0, [])
        func parse(_ bytes: [UInt8]) throws(PacketError) -> LLDPDU { try LLDPDU(parsing: ByteBuffer(bytes: bytes)) }

        #expect(try parse(chassis + port + ttl + end).timeToLive == 120)
        #expect(try parse(chassis + port + ttl).timeToLive == 120)  // End omitted
        #expect(#expect(throws: PacketError.self) { try parse(port + chassis + ttl + end) }?.kind == .badValue)
        #expect(
            #expect(throws: PacketError.self) { try parse(chassis + port + ttl + ttl + end) }
                == PacketError(.badValue, layer: "LLDP", field: "TLV type (duplicate Time To Live)", offset: 12))
        #expect(#expect(throws: PacketError.self) { try parse(chassis + port + tlv(3, [0, 0, 1]) + end) }?.kind == .badLength)
        #expect(#expect(throws: PacketError.self) { try parse(tlv(1, [7]) + port + ttl + end) }?.kind == .badLength)
        #expect(#expect(throws: PacketError.self) { try parse(chassis + port + ttl + tlv(0, [0])) }?.kind == .badLength)
        #expect(#expect(throws: PacketError.self) { try parse(chassis + port) }?.kind == .truncated)
        #expect(#expect(throws: PacketError.self) { try parse([]) }?.kind == .truncated)
        #expect(#expect(throws: PacketError.self) { try parse(chassis + port + ttl + [0x0A]) }?.kind == .truncated)
    }
}
