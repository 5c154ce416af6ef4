import Foundation
import NIOCore
import Testing

@testable import OpenFlow

/// Golden bytes made by Open vSwitch 3.1 (`Fixtures/ovs`, see its INDEX.md): every message
/// decodes, re-encodes to the identical bytes, and is the message OVS says it is.
@Suite struct OVSGoldenDecodeTests {
    static let fixtures: [Fixture] = (try? FixtureLoader.load(directory: "ovs")) ?? []

    @Test func theFixturesAreThere() throws {
        let fixtures = try FixtureLoader.load(directory: "ovs")
        #expect(fixtures.count >= 290)
        #expect(fixtures.contains { $0.name.hasPrefix("of10-") })
        #expect(fixtures.contains { $0.name.hasPrefix("of13-") })
    }

    @Test(arguments: fixtures)
    func decodesAndReencodesToTheSameBytes(_ fixture: Fixture) throws {
        let bytes = ByteBuffer(bytes: fixture.bytes)
        let message: OpenFlowMessage
        do {
            message = try OpenFlowMessage(decoding: bytes)
        } catch {
            Issue.record("\(fixture.name) does not decode: \(error)")
            return
        }
        let reencoded = message.encoded
        #expect(
            reencoded == bytes,
            "\(fixture.name) re-encodes differently:\n ovs: \(HexBytes.format(fixture.bytes))\n us:  \(HexBytes.format(reencoded.readableBytesView))"
        )

        // The header as decoded agrees with the bytes.
        #expect(message.version == fixture.bytes[0])
        #expect(OVSNames.wireType(message) == fixture.bytes[1])
        let xid = fixture.bytes[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(message.xid == xid)

        // And with OVS's reading of them: the first line of `ofp-print` names the type,
        // version and xid.
        let first = try #require(OVSNames.firstLine(fixture), "\(fixture.name) has no ofp-print comment")
        let expected = OVSNames.ovsName(message)
        #expect(
            first.hasPrefix(expected.isPrefix ? expected.name : expected.name + " "),
            "\(fixture.name): OVS says '\(first)', we decoded \(expected.name)")
        #expect(first.contains("(xid=0x\(String(xid, radix: 16)))"), "\(fixture.name): \(first)")
        let version = message.version == OF13.version ? " (OF1.3)" : ""
        #expect(first.contains(version + " (xid="), "\(fixture.name): \(first)")
    }

    /// HELLO is decoded for every version (negotiation needs it); other messages of versions
    /// other than 1.0 and 1.3 are rejected with `badVersion`, which a switch answers with
    /// `OFPET_HELLO_FAILED`/`OFPBRC_BAD_VERSION`.
    @Test func otherVersionsGiveHelloOrBadVersion() throws {
        let fixtures = try FixtureLoader.load(directory: "ovs/other-versions")
        #expect(fixtures.count >= 3)
        for fixture in fixtures {
            let bytes = ByteBuffer(bytes: fixture.bytes)
            if fixture.bytes[1] == 0 {
                let message = try OpenFlowMessage(decoding: bytes)
                #expect(message.encoded == bytes, "\(fixture.name)")
                guard case .hello(let hello, let version, _) = message else {
                    Issue.record("\(fixture.name): not a hello")
                    continue
                }
                #expect(version == fixture.bytes[0])
                if fixture.name == "of05-hello-from-ovs-ofctl.hex" {
                    // `version bitmap: 0x05`
                    #expect(hello.versionBitmap == [5])
                }
            } else {
                #expect(OF13Check.decodeError(bytes)?.kind == .badVersion, "\(fixture.name)")
            }
        }
    }
}

/// How Open vSwitch names our messages in the first line of `ofp-print`.
enum OVSNames {
    /// The Nicira (`NX_VENDOR_ID`) and ONF (`ONF_VENDOR_ID`) experimenter ids.
    static let nicira: UInt32 = 0x0000_2320
    static let onf: UInt32 = 0x4F4E_4600

    /// The first line of the fixture's `# ofp-print:` text.
    static func firstLine(_ fixture: Fixture) -> String? {
        guard let index = fixture.comments.firstIndex(of: "ofp-print:"), index + 1 < fixture.comments.count else {
            return nil
        }
        return fixture.comments[index + 1]
    }

    /// The `ofp-print:` text of the fixture, one string.
    static func text(_ fixture: Fixture) -> String {
        guard let index = fixture.comments.firstIndex(of: "ofp-print:") else { return "" }
        var lines: [String] = []
        for line in fixture.comments[(index + 1)...] {
            if line.hasPrefix("header:") || line.hasPrefix("source:") || line.hasPrefix("direction:") { break }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    static func wireType(_ message: OpenFlowMessage) -> UInt8 {
        switch message {
        case .hello: 0
        case .of10(let m, _): m.type
        case .of13(let m, _): m.type
        }
    }

    /// OVS's name of the message; for experimenter messages, only the prefix (`NXT_`, `ONFT_`)
    /// is predicted.
    static func ovsName(_ message: OpenFlowMessage) -> (name: String, isPrefix: Bool) {
        if case .of10(let m, _) = message { return ovsName(m) }
        guard case .of13(let m, _) = message else { return (message.typeName, false) }
        switch m {
        case .multipartRequest(let request):
            return multipartName(request.body.type, experimenter: experimenterID(request.body), "request")
        case .multipartReply(let reply):
            return multipartName(reply.body.type, experimenter: experimenterID(reply.body), "reply")
        case .experimenter(let e):
            switch e.experimenter {
            case nicira: return ("NXT_", true)
            case onf: return ("ONFT_", true)
            default: return ("OFPT_EXPERIMENTER", false)
            }
        default:
            return (m.typeName, false)
        }
    }

    /// OpenFlow 1.0: Nicira vendor messages are `NXT_*`, Nicira vendor stats `NXST_*`; stats
    /// type 13 is OVS's port description extension.
    static func ovsName(_ m: OF10.Message) -> (name: String, isPrefix: Bool) {
        func stats(_ type: OF10.StatsType, vendor: UInt32?, _ direction: String) -> (name: String, isPrefix: Bool) {
            switch (type, vendor) {
            case (.vendor, nicira): ("NXST_", true)
            case (.vendor, _): ("OFPST_VENDOR", true)
            case (OF10.StatsType(rawValue: 13), _): ("OFPST_PORT_DESC \(direction)", false)
            default: ("\(type) \(direction)", false)
            }
        }
        switch m {
        case .vendor(let v): return v.vendor == nicira ? ("NXT_", true) : ("OFPT_VENDOR", false)
        case .statsRequest(let r):
            if case .vendor(let id, _) = r.body { return stats(.vendor, vendor: id, "request") }
            return stats(r.body.type, vendor: nil, "request")
        case .statsReply(let r):
            if case .vendor(let id, _) = r.body { return stats(.vendor, vendor: id, "reply") }
            return stats(r.body.type, vendor: nil, "reply")
        default: return (m.typeName, false)
        }
    }

    static func experimenterID(_ body: OF13.MultipartRequest.Body) -> UInt32? {
        if case .experimenter(let e) = body { return e.experimenter }
        return nil
    }

    static func experimenterID(_ body: OF13.MultipartReply.Body) -> UInt32? {
        if case .experimenter(let e) = body { return e.experimenter }
        return nil
    }

    /// OVS prints multipart messages with their OpenFlow 1.0 names: `OFPST_FLOW request`.
    static func multipartName(
        _ type: OF13.MultipartType, experimenter: UInt32?, _ direction: String
    ) -> (name: String, isPrefix: Bool) {
        let stem: String
        switch type {
        case .portStats: stem = "PORT"
        case .experimenter:
            switch experimenter {
            case nicira: return ("NXST_", true)
            case onf: return ("ONFST_", true)
            default: return ("OFPST_EXPERIMENTER", true)
            }
        default: stem = String(type.description.dropFirst("OFPMP_".count))
        }
        return ("OFPST_\(stem) \(direction)", false)
    }
}
