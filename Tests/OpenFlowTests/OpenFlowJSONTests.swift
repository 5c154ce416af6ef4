import Foundation
import NIOCore
import Testing

@testable import OpenFlow

/// The JSON form (`vnm ofp decode --json` / `vnm ofp encode`) loses nothing: every example and
/// every message Open vSwitch made goes bytes → value → JSON → value → identical bytes.
@Suite struct OpenFlowJSONTests {
    static func roundTrip(_ bytes: [UInt8]) throws -> [UInt8] {
        let message = try OpenFlowMessage(decoding: ByteBuffer(bytes: bytes))
        let json = try JSONEncoder().encode(message)
        let again = try JSONDecoder().decode(OpenFlowMessage.self, from: json)
        #expect(again == message)
        return Array(again.encoded.readableBytesView)
    }

    @Test func examplesSurviveJSON() throws {
        for message in OpenFlowExamples.all {
            let bytes = Array(message.encoded.readableBytesView)
            #expect(try Self.roundTrip(bytes) == bytes, "\(message.typeName)")
        }
    }

    @Test func openVSwitchMessagesSurviveJSON() throws {
        let fixtures = try FixtureLoader.load(directory: "ovs")
        #expect(fixtures.count >= 60)
        var failures: [String] = []
        for fixture in fixtures {
            do {
                if try Self.roundTrip(fixture.bytes) != fixture.bytes { failures.append("\(fixture.name): bytes differ") }
            } catch {
                failures.append("\(fixture.name): \(error)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) fixtures: \(failures.prefix(10).joined(separator: "; "))")
    }

    @Test func jsonUsesTheSpecNames() throws {
        let json = String(decoding: try JSONEncoder().encode(OpenFlowExamples.flowMod), as: UTF8.self)
        #expect(json.contains(#""type":"OFPT_FLOW_MOD""#))
        #expect(json.contains(#""field":"ipv4_dst""#))
        #expect(json.contains(#""version":4"#))
    }
}
