import NIOCore
import Testing

@testable import Packets

/// No input may trap: every prefix and thousands of random mutations of the real packets
/// must parse or throw `PacketError`.
@Suite struct RobustnessTests {
    @Test(arguments: Fixture.all)
    func everyTruncationThrows(fixture: Fixture) throws {
        let bytes = fixture.bytes
        let full = try parseAllLayers(ByteBuffer(bytes: bytes))
        #expect(full >= 2)
        // The innermost layer this fixture reaches, and the end of the bytes it needs (LLDP
        // and ARP frames may carry padding after the part that matters).
        let needed = try Self.meaningfulLength(of: bytes)
        for length in 0..<needed {
            let prefix = ByteBuffer(bytes: bytes.prefix(length))
            do {
                let layers = try parseAllLayers(prefix)
                // A cut that leaves a whole, shorter frame (the Ethernet header alone; LLDP up
                // to a TLV boundary, since End is optional) is still a frame.
                #expect(layers < full || fixture.name.contains("lldp"), "prefix \(length) parsed")
            } catch {
                // expected
            }
        }
    }

    /// Bytes up to the end of the innermost length-delimited structure.
    static func meaningfulLength(of bytes: [UInt8]) throws -> Int {
        let frame = try EthernetFrame(parsing: ByteBuffer(bytes: bytes))
        let header = bytes.count - frame.payload.readableBytes
        switch frame.etherType {
        case .arp: return header + ARPPacket.length
        case .lldp: return header + (try LLDPDU(parsing: frame.payload)).encoded().readableBytes
        case .ipv4: return header + (try IPv4Packet(parsing: frame.payload)).totalLength
        default: return bytes.count
        }
    }

    @Test(arguments: Fixture.all)
    func randomMutationsNeverTrap(fixture: Fixture) {
        let original = fixture.bytes
        var random = SplitMix64(seed: UInt64(truncatingIfNeeded: original.count) &* 0x1F2E_3D4C)
        var parsed = 0
        for _ in 0..<2_000 {
            var bytes = original
            for _ in 0...Int.random(in: 0...3, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0...3, using: &random) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes[index] ^= 1 << UInt8.random(in: 0...7, using: &random)
                case 2: bytes[index] = [0x00, 0xFF, 0x7F, 0x80][Int.random(in: 0...3, using: &random)]
                default: bytes.removeLast(Int.random(in: 0...min(8, bytes.count - 1), using: &random))
                }
            }
            for verifying in [true, false] {
                if (try? parseAllLayers(ByteBuffer(bytes: bytes), verifyingChecksums: verifying)) != nil {
                    parsed += 1
                }
            }
        }
        // Some mutations hit bytes nobody checks, so something parses; the point is no trap.
        #expect(parsed > 0)
    }

    @Test func randomBytesNeverTrap() {
        var random = SplitMix64(seed: 2328)
        for _ in 0..<3_000 {
            let length = Int.random(in: 0...120, using: &random)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            // Steer a share of them into each parser.
            if bytes.count >= 14 {
                let types: [UInt16] = [0x0800, 0x0806, 0x88CC, 0x8100]
                let type = types[Int.random(in: 0..<types.count, using: &random)]
                bytes[12] = UInt8(type >> 8)
                bytes[13] = UInt8(type & 0xFF)
            }
            _ = try? parseAllLayers(ByteBuffer(bytes: bytes), verifyingChecksums: false)
            _ = try? LLDPDU(parsing: ByteBuffer(bytes: bytes))
            _ = try? OSPFv2Packet(parsing: ByteBuffer(bytes: bytes), verifyingChecksum: false)
            _ = try? OSPFv2Hello(parsing: ByteBuffer(bytes: bytes))
            _ = try? ICMPEcho(parsing: ByteBuffer(bytes: bytes), verifyingChecksum: false)
            _ = try? UDPDatagram(parsing: ByteBuffer(bytes: bytes), source: .any, destination: .any)
            _ = try? IPv4Packet(parsing: ByteBuffer(bytes: bytes), verifyingChecksum: false)
        }
    }
}
