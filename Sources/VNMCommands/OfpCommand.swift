import ArgumentParser
import Foundation
import NIOCore
import OpenFlow

/// `vnm ofp`: decode and encode OpenFlow messages, like `ovs-ofctl ofp-print`.
struct OfpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ofp",
        abstract: "Decode and encode OpenFlow 1.0 and 1.3 messages.",
        subcommands: [Decode.self, Encode.self]
    )

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode hex bytes of one or more OpenFlow messages.",
            discussion: """
                HEX may contain white space, ':' separators and a 0x prefix. With no HEX, or '-',
                reads hex from standard input. Several messages back to back are decoded in turn.
                Example: vnm ofp decode 0400000800000001
                """
        )

        @Argument(help: "The message bytes in hex ('-' or nothing: standard input).")
        var hex: [String] = []

        @Flag(help: "Print JSON (the form 'vnm ofp encode' reads) instead of text.")
        var json = false

        func run() throws {
            let text = hex.isEmpty || hex == ["-"] ? readStandardInput() : hex.joined(separator: " ")
            let output = try OfpTool.decode(hex: text, json: json)
            print(output)
        }
    }

    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encode the JSON form of messages (as 'vnm ofp decode --json' prints it) to hex.",
            discussion: """
                JSON is one message object or an array of them; '-' or nothing reads standard input.
                Example: vnm ofp encode '{"version":4,"xid":1,"type":"OFPT_BARRIER_REQUEST"}'
                """
        )

        @Argument(help: "The JSON form ('-' or nothing: standard input).")
        var json: String?

        func run() throws {
            let text = json == nil || json == "-" ? readStandardInput() : json ?? ""
            print(try OfpTool.encode(json: text))
        }
    }
}

func readStandardInput() -> String {
    String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
}

/// The work behind `vnm ofp`, as functions that tests can call.
enum OfpTool {
    struct InputError: Error, CustomStringConvertible {
        var description: String
    }

    /// Decodes every message in `hex`; throws on bad hex, a malformed message or trailing
    /// bytes that do not form a whole message.
    static func decode(hex: String, json: Bool) throws -> String {
        guard let bytes = HexBytes.parse(hex) else {
            if HexBytes.parse(hex + "0") != nil {
                throw InputError(description: "not hex: an odd number of hex digits")
            }
            let bad = hex.first { !($0.isHexDigit || $0.isWhitespace || $0 == ":") } ?? "?"
            throw InputError(description: "not hex: unexpected character \(String(bad).debugDescription)")
        }
        var buffer = ByteBuffer(bytes: bytes)
        var messages: [OpenFlowMessage] = []
        while buffer.readableBytes > 0 {
            let start = bytes.count - buffer.readableBytes
            do {
                guard let message = try buffer.readOpenFlowMessage() else {
                    throw InputError(
                        description: "truncated message at byte \(start): \(buffer.readableBytes) bytes left, "
                            + "header says \(OpenFlowHeader.peek(buffer).map { "\($0.length)" } ?? "at least 8")")
                }
                messages.append(message)
            } catch let error as OpenFlowError {
                var shifted = error
                shifted.offset += start
                throw InputError(description: "malformed message at byte \(start): \(shifted)")
            }
        }
        guard !messages.isEmpty else { throw InputError(description: "no bytes to decode") }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = messages.count == 1 ? try encoder.encode(messages[0]) : try encoder.encode(messages)
            return String(decoding: data, as: UTF8.self)
        }
        return messages.map(\.description).joined(separator: "\n")
    }

    /// Encodes one JSON message object, or an array of them, to hex.
    static func encode(json: String) throws -> String {
        let data = Data(json.utf8)
        let decoder = JSONDecoder()
        let messages: [OpenFlowMessage]
        do {
            if json.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("[") {
                messages = try decoder.decode([OpenFlowMessage].self, from: data)
            } else {
                messages = [try decoder.decode(OpenFlowMessage.self, from: data)]
            }
        } catch let error as DecodingError {
            throw InputError(description: "bad JSON message: \(describe(error))")
        }
        var buffer = ByteBuffer()
        for message in messages { buffer.writeOpenFlowMessage(message) }
        return HexBytes.format(buffer.readableBytesView)
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "top level" : String(keys.drop(while: { $0 == "." }))
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing key '\(key.stringValue)' at \(path(context))"
        case .typeMismatch(let type, let context):
            return "expected \(type) at \(path(context)): \(context.debugDescription)"
        case .valueNotFound(let type, let context): return "missing \(type) at \(path(context))"
        case .dataCorrupted(let context): return "\(context.debugDescription) at \(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
