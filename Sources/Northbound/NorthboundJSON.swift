import Foundation
import Hummingbird

/// Reading request bodies and writing JSON answers, the same way for every route.
enum NorthboundJSON {
    /// The largest request body accepted.
    static let maximumBodySize = 1 << 20

    static func response(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":"internal","message":"encoding failed"}"#.utf8)
        var buffer = ByteBuffer()
        buffer.writeBytes(data)
        buffer.writeString("\n")
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: buffer))
    }

    /// The request's body as JSON; nil if it is empty.
    static func body(of request: Request) async throws(APIError) -> JSONValue? {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBodySize)
        } catch {
            throw APIError(
                status: .contentTooLarge, code: "body_too_large", message: "the body is larger than \(maximumBodySize) bytes")
        }
        if buffer.readableBytesView.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return nil }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
        } catch {
            throw .badRequest(field: nil, "the body is not valid JSON: \(Self.describe(error))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription
        }
        return "\(error)"
    }
}
