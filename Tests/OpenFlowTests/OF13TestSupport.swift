import Foundation
import NIOCore
import Testing

@testable import OpenFlow

/// Checks shared by the OpenFlow 1.3 message tests.
enum OF13Check {
    /// Encodes `message`, then checks that the header length is the byte count, that decoding
    /// gives the same value and re-encoding the same bytes, that the JSON form round-trips, and
    /// that every truncation returns nil or throws. Returns the encoded bytes.
    ///
    /// With `OPENFLOW_HEX_DUMP=<dir>` in the environment, also writes the hex of the message to
    /// `<dir>/<name>.hex`, to feed to `ovs-ofctl ofp-print` by hand.
    @discardableResult
    static func roundTrip(
        _ message: OpenFlowMessage, name: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ByteBuffer {
        let bytes = message.encoded
        let header = try #require(OpenFlowHeader.peek(bytes), sourceLocation: sourceLocation)
        #expect(Int(header.length) == bytes.readableBytes, sourceLocation: sourceLocation)
        let decoded = try OpenFlowMessage(decoding: bytes)
        #expect(decoded == message, sourceLocation: sourceLocation)
        #expect(decoded.encoded == bytes, sourceLocation: sourceLocation)

        let json = try JSONEncoder().encode(message)
        #expect(try JSONDecoder().decode(OpenFlowMessage.self, from: json) == message, sourceLocation: sourceLocation)

        checkTruncations(bytes, sourceLocation: sourceLocation)
        checkCorruptions(bytes)
        if let name, let directory = ProcessInfo.processInfo.environment["OPENFLOW_HEX_DUMP"] {
            try (hex(bytes) + "\n").write(toFile: "\(directory)/\(name).hex", atomically: true, encoding: .utf8)
        }
        return bytes
    }

    /// Every prefix of `bytes` is an incomplete frame (nil, nothing consumed); every prefix
    /// presented as a whole message (header length patched) throws or decodes, never traps.
    static func checkTruncations(_ bytes: ByteBuffer, sourceLocation: SourceLocation = #_sourceLocation) {
        for length in 0..<bytes.readableBytes {
            guard var partial = bytes.getSlice(at: bytes.readerIndex, length: length) else {
                Issue.record("no slice of \(length) bytes", sourceLocation: sourceLocation)
                return
            }
            do {
                let message = try partial.readOpenFlowMessage()
                #expect(message == nil, sourceLocation: sourceLocation)
            } catch {
                Issue.record("a partial frame of \(length) bytes threw \(error)", sourceLocation: sourceLocation)
            }
            #expect(partial.readerIndex == 0, sourceLocation: sourceLocation)
            if length >= OpenFlowHeader.size {
                partial.setInteger(UInt16(length), at: 2)
                _ = try? OpenFlowMessage(decoding: partial)
            }
        }
    }

    /// Every byte after the header overwritten with a few values: decoding throws or gives a
    /// message that re-encodes and prints, never traps.
    static func checkCorruptions(_ bytes: ByteBuffer) {
        for offset in OpenFlowHeader.size..<bytes.readableBytes {
            for value: UInt8 in [0x00, 0x07, 0x80, 0xFF] {
                var corrupt = bytes
                corrupt.setInteger(value, at: corrupt.readerIndex + offset)
                guard let message = try? OpenFlowMessage(decoding: corrupt) else { continue }
                _ = message.encoded
                _ = "\(message)"
            }
        }
    }

    /// The error decoding `bytes` throws, or nil if it decodes.
    static func decodeError(_ bytes: ByteBuffer) -> OpenFlowError? {
        do {
            _ = try OpenFlowMessage(decoding: bytes)
            return nil
        } catch {
            return error
        }
    }

    static func hex(_ bytes: ByteBuffer) -> String {
        bytes.readableBytesView.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }

    /// The big-endian integer at `offset` of the message.
    static func u16(_ bytes: ByteBuffer, _ offset: Int) -> UInt16? {
        bytes.getInteger(at: bytes.readerIndex + offset, as: UInt16.self)
    }

    static func u32(_ bytes: ByteBuffer, _ offset: Int) -> UInt32? {
        bytes.getInteger(at: bytes.readerIndex + offset, as: UInt32.self)
    }
}
