import Foundation
import NIOCore
import NetworkAddresses
import Packets
import Testing

/// A packet from Tests/PacketsTests/Fixtures, made by Scripts/capture-packet-fixtures.sh:
/// annotated hex where `#` starts a comment and the rest is hex digits.
struct Fixture: CustomTestStringConvertible, Sendable {
    let name: String

    init(_ name: String) { self.name = name }

    var testDescription: String { name }

    static let kernel = [
        "kernel-arp-request", "kernel-arp-reply", "kernel-icmp-echo-request", "kernel-icmp-echo-reply",
        "kernel-ipv4-options-record-route", "kernel-ipv4-first-fragment", "kernel-ipv4-last-fragment",
        "kernel-udp", "kernel-udp-no-checksum",
    ].map(Fixture.init)
    static let scapy = [
        "scapy-vlan-udp", "scapy-vlan-arp", "scapy-lldp", "scapy-lldp-openflow", "scapy-ospf-hello",
        "scapy-ospf-lsack-password",
    ].map(Fixture.init)
    static let all = kernel + scapy

    /// The fixture's bytes. Fails the test (by trapping with a clear message) if the resource
    /// is missing or malformed, which is a broken checkout rather than a codec bug.
    var bytes: [UInt8] {
        guard
            let url = Bundle.module.url(forResource: name, withExtension: "hex", subdirectory: "Fixtures"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("fixture \(name).hex is missing") }
        var bytes: [UInt8] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let data = line.prefix { $0 != "#" }
            let digits = data.filter { !$0.isWhitespace }
            guard digits.count % 2 == 0 else { fatalError("odd hex digit count in \(name).hex: \(line)") }
            var index = digits.startIndex
            while index < digits.endIndex {
                let next = digits.index(index, offsetBy: 2)
                guard let byte = UInt8(digits[index..<next], radix: 16) else {
                    fatalError("bad hex in \(name).hex: \(line)")
                }
                bytes.append(byte)
                index = next
            }
        }
        return bytes
    }

    var buffer: ByteBuffer { ByteBuffer(bytes: bytes) }

    var frame: EthernetFrame {
        get throws { try EthernetFrame(parsing: buffer) }
    }
}

extension ByteBuffer {
    /// The readable bytes, for comparisons that print readably when they fail.
    var bytes: [UInt8] { getBytes(at: readerIndex, length: readableBytes) ?? [] }
}

/// Parses every layer this module knows in `buffer`, as a receiver would, and returns how
/// many layers it decoded. Used by the robustness tests: whatever the input, this must return
/// or throw, never trap.
@discardableResult
func parseAllLayers(_ buffer: ByteBuffer, verifyingChecksums: Bool = true) throws(PacketError) -> Int {
    let frame = try EthernetFrame(parsing: buffer)
    switch frame.etherType {
    case .arp:
        _ = try ARPPacket(parsing: frame.payload)
        return 2
    case .lldp:
        _ = try LLDPDU(parsing: frame.payload)
        return 2
    case .ipv4:
        let packet = try IPv4Packet(parsing: frame.payload, verifyingChecksum: verifyingChecksums)
        if packet.fragmentOffset != 0 { return 2 }
        switch packet.protocolNumber {
        case .icmp:
            _ = try ICMPEcho(
                parsing: packet.payload, verifyingChecksum: verifyingChecksums && !packet.isFragment)
        case .udp:
            _ = try UDPDatagram(parsing: packet, verifyingChecksum: verifyingChecksums)
        case .ospf:
            let ospf = try OSPFv2Packet(parsing: packet.payload, verifyingChecksum: verifyingChecksums)
            if ospf.type == .hello { _ = try OSPFv2Hello(parsing: ospf) }
            return 4
        default:
            return 2
        }
        return 3
    default:
        return 1
    }
}

/// A small seeded generator (SplitMix64), so that fuzz runs are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension MACAddress {
    static let vnmpkA = MACAddress(0x02, 0x00, 0x0A, 0x63, 0x00, 0x01)
    static let vnmpkB = MACAddress(0x02, 0x00, 0x0A, 0x63, 0x00, 0x02)
}

extension IPv4Address {
    static let vnmpkA = IPv4Address(10, 99, 0, 1)
    static let vnmpkB = IPv4Address(10, 99, 0, 2)
}
