import Foundation
import NIOCore
import OpenFlow
import Testing

@testable import VNMCommands

@Suite struct OfpToolTests {
    @Test func rootCommandHasName() {
        #expect(VNM.configuration.commandName == "vnm")
    }

    /// decode → JSON → encode gives the same bytes, for every example message.
    @Test(arguments: OpenFlowExamples.all.indices)
    func decodeThenEncodeGivesTheSameBytes(index: Int) throws {
        let hex = HexBytes.format(OpenFlowExamples.all[index].encoded.readableBytesView)
        let json = try OfpTool.decode(hex: hex, json: true)
        #expect(try OfpTool.encode(json: json) == hex)
    }

    @Test func severalMessagesBackToBackDecodeInTurn() throws {
        let hex = "0400000800000001" + "0400000800000002"
        let text = try OfpTool.decode(hex: hex, json: false)
        #expect(text.split(separator: "\n").count == 2)
        let json = try OfpTool.decode(hex: hex, json: true)
        #expect(try OfpTool.encode(json: json) == hex)
    }

    @Test func textFormNamesTypeVersionAndFields() throws {
        let hex = HexBytes.format(OpenFlowExamples.flowMod.encoded.readableBytesView)
        let text = try OfpTool.decode(hex: hex, json: false)
        #expect(text.hasPrefix("OFPT_FLOW_MOD (OF1.3) xid=0x100"))
        #expect(text.contains("in_port=1"))
        #expect(text.contains("ipv4_dst=10.0.2.0/255.255.255.0"))
        #expect(text.contains("output:2"))
    }

    @Test(arguments: [
        ("zz", "not hex"),
        ("04000010000000", "truncated message at byte 0: 7 bytes left"),
        ("0400001000000001", "truncated message at byte 0"),
        ("0400000400000001", "shorter than the 8-byte header"),
        ("07000008000000010", "not hex"),
        ("0701000800000001", "OF1.6 is not supported"),
        ("0700000800000001", "OFPT_HELLO (OF1.6)"),
        ("0463000800000001", "is not an OpenFlow 1.3 message type"),
    ])
    func malformedInputIsAClearError(hex: String, expected: String) {
        do {
            let text = try OfpTool.decode(hex: hex, json: false)
            // A HELLO of any version decodes (negotiation needs it); nothing else may.
            #expect(text.contains(expected), "decoded malformed input \(hex): \(text)")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }

    @Test func badJSONNamesTheProblem() {
        do {
            _ = try OfpTool.encode(json: #"{"version":4,"xid":1,"type":"OFPT_FLOW_MOD","body":{"priority":1}}"#)
            Issue.record("encoded an incomplete flow mod")
        } catch {
            #expect("\(error)".contains("missing key"), "\(error)")
        }
    }
}

/// The built `vnm` executable: malformed input exits non-zero with the error on stderr.
@Suite struct VNMExecutableTests {
    static var executable: URL {
        // The test bundle sits next to the products of the same build.
        let products = Bundle.module.bundleURL.deletingLastPathComponent()
        return products.appendingPathComponent("vnm")
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    @Test func decodePrintsAndSucceeds() throws {
        let result = try Self.run(["ofp", "decode", "04000008000000ff"])
        #expect(result.status == 0)
        #expect(result.out.contains("OFPT_HELLO (OF1.3) xid=0xff"))
    }

    @Test func malformedInputExitsNonZeroWithErrorOnStderr() throws {
        let result = try Self.run(["ofp", "decode", "0400000400000001"])
        #expect(result.status != 0)
        #expect(result.out.isEmpty)
        #expect(result.err.contains("shorter than the 8-byte header"))
    }
}
