import NIOCore
import Testing

@testable import Lab

@Suite struct FlowMigrationPathWatchTests {
    /// Ethernet + IPv4 (no options) + UDP to `port` + a probe payload.
    func frame(port: UInt16, proto: UInt8 = 17, etherType: UInt16 = 0x0800, probe: Bool = true) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 14 + 20 + 8 + 36)
        bytes[12] = UInt8(etherType >> 8)
        bytes[13] = UInt8(etherType & 0xFF)
        bytes[14] = 0x45
        bytes[14 + 9] = proto
        bytes[34 + 2] = UInt8(port >> 8)
        bytes[34 + 3] = UInt8(port & 0xFF)
        if probe {
            bytes.withUnsafeMutableBytes { raw in
                ProbePayload(flow: 1, sequence: 9, sentAt: 1).write(into: UnsafeMutableRawBufferPointer(rebasing: raw[42...]))
            }
        }
        return bytes
    }

    @Test func recognisesProbesToItsPortOnly() {
        func check(_ bytes: [UInt8], port: UInt16 = 5001) -> Bool {
            bytes.withUnsafeBytes { FlowMigrationPathWatch.isProbe($0, port: port) }
        }
        #expect(check(frame(port: 5001)))
        #expect(!check(frame(port: 5002)))
        #expect(!check(frame(port: 5001, proto: 6)))
        #expect(!check(frame(port: 5001, etherType: 0x0806)))
        #expect(!check(frame(port: 5001, probe: false)))
        #expect(!check(Array(frame(port: 5001).prefix(50))))
    }
}
