import Foundation
import NIOCore
import NetworkAddresses
import Testing

@testable import OpenFlow

/// One OVS fixture and the message it must decode to, written by hand from the fixture's
/// `ofp-print` text (Open vSwitch's own reading of the bytes).
struct GoldenExpectation: Sendable, CustomStringConvertible {
    var fixture: String
    var message: OpenFlowMessage
    var description: String { fixture }

    init(_ fixture: String, _ message: OpenFlowMessage) {
        self.fixture = fixture
        self.message = message
    }
}

/// Small helpers shared by the golden tests.
enum Golden {
    /// The OVS fixtures by file name, loaded once.
    static let fixtures: [String: Fixture] = {
        let all = (try? FixtureLoader.load(directory: "ovs")) ?? []
        return Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }()

    static func fixture(_ name: String) throws -> Fixture {
        try #require(fixtures[name], "no fixture \(name)")
    }

    static func decode(_ name: String) throws -> OpenFlowMessage {
        try OpenFlowMessage(decoding: ByteBuffer(bytes: fixture(name).bytes))
    }

    /// Checks that fixture `expectation.fixture` decodes to exactly `expectation.message`.
    static func check(_ expectation: GoldenExpectation, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let decoded = try decode(expectation.fixture)
        #expect(
            decoded == expectation.message,
            "\(expectation.fixture):\n decoded:  \(decoded)\n expected: \(expectation.message)\n expected bytes: \(HexBytes.format(expectation.message.encoded.readableBytesView))",
            sourceLocation: sourceLocation)
    }

    static func mac(_ text: String) -> MACAddress { MACAddress(text)! }
    static func ip(_ text: String) -> IPv4Address { IPv4Address(text)! }
    static func ip6(_ text: String) -> IPv6Address { IPv6Address(text)! }
    static func bytes(_ hex: String) -> ByteBuffer { ByteBuffer(bytes: HexBytes.parse(hex)!) }

    /// The test packets the fixtures' `packet-out` commands sent (from their `# source:`).
    static let arpPacket = bytes(
        "ffffffffffff02000000000108060001080006040001020000000001c0000201000000000000c0000202")
    static let udpPacket = bytes(
        "02000000000202000000000108004500002e000100004011f6bac0000201c00002023039270f001a80ad766e6d2d666978747572652d756470212121"
    )
}
