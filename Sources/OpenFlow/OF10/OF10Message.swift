import NIOCore

extension OF10 {
    /// PLACEHOLDER: the OpenFlow 1.0 message set (to be completed).
    public enum Message: Hashable, Sendable, Codable {
        case echoRequest(ByteBuffer)
        case echoReply(ByteBuffer)
        case featuresRequest
        case barrierRequest
        case barrierReply
        case raw(type: UInt8, body: ByteBuffer)

        public var type: UInt8 {
            switch self {
            case .echoRequest: 2
            case .echoReply: 3
            case .featuresRequest: 5
            case .barrierRequest: 18
            case .barrierReply: 19
            case .raw(let type, _): type
            }
        }

        public var typeName: String { "OF10 type \(type)" }

        static func decode(type: UInt8, body: ByteBuffer) throws(OpenFlowError) -> Message {
            switch type {
            case 2: .echoRequest(body)
            case 3: .echoReply(body)
            case 5: .featuresRequest
            case 18: .barrierRequest
            case 19: .barrierReply
            default: .raw(type: type, body: body)
            }
        }

        func writeBody(to buffer: inout ByteBuffer) {
            switch self {
            case .echoRequest(let b), .echoReply(let b), .raw(_, let b): buffer.writeImmutableBuffer(b)
            case .featuresRequest, .barrierRequest, .barrierReply: break
            }
        }
    }
}
