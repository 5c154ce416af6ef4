import NIOCore
import NetworkAddresses
import Packets
import Testing

@Suite struct OSPFv2LSAChecksumTests {
    func birdLSA() throws -> ByteBuffer {
        try OSPFv2LinkStateUpdate(parsing: try Fixture("bird-ospf-lsu").ospf.packet).lsas[0].encoded()
    }

    @Test func matchesBIRD() throws {
        let lsa = try birdLSA()
        #expect(OSPFv2LSAChecksum.verifies(lsa))
        #expect(OSPFv2LSAChecksum.compute(lsa) == 0x41F1)
    }

    @Test func ageIsNotCovered() throws {
        var lsa = try birdLSA()
        lsa.setInteger(UInt16(1234), at: lsa.readerIndex)
        #expect(OSPFv2LSAChecksum.verifies(lsa))
    }

    @Test func anyFlippedBitFails() throws {
        let lsa = try birdLSA()
        for offset in 2..<lsa.readableBytes {
            var copy = lsa
            copy.setInteger(lsa.getInteger(at: offset, as: UInt8.self)! ^ 0x10, at: offset)
            #expect(!OSPFv2LSAChecksum.verifies(copy), "flip at \(offset)")
        }
    }

    @Test func originatedLSAsVerify() {
        for links in 0..<20 {
            let body = OSPFv2RouterLSA(
                links: (0..<links).map {
                    .stub(network: IPv4Address(10, UInt8($0), 0, 0), mask: .mask(prefixLength: 16), metric: UInt16($0 * 7))
                })
            let lsa = OSPFv2LSA(advertisingRouter: IPv4Address(1, 2, 3, UInt8(links)), sequenceNumber: Int32(links), router: body)
            #expect(lsa.checksumVerifies)
            #expect(lsa.header.checksum != 0)
        }
    }
}
