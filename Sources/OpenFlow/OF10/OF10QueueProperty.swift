import NIOCore

extension OF10 {
    /// A queue property (spec 1.0.0 §5.2.2): `struct ofp_queue_prop_header` (type, `len`
    /// counting the header, 4 bytes of padding) and a body.
    public enum QueueProperty: Hashable, Sendable, Codable, WireListElement, CustomStringConvertible {
        /// `OFPQT_NONE`: no property (8 bytes).
        case noProperty
        /// `OFPQT_MIN_RATE`, `struct ofp_queue_prop_min_rate` (16 bytes): the guaranteed rate
        /// in tenths of a percent of the port's rate; above 1000 means disabled.
        case minRate(UInt16)
        /// A property type this codec does not know: its type and the bytes after the header.
        case unknown(type: UInt16, body: ByteBuffer)

        public var type: UInt16 {
            switch self {
            case .noProperty: 0
            case .minRate: 1
            case .unknown(let type, _): type
            }
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> QueueProperty {
            let type = try reader.readU16("queue.property.type")
            let length = Int(try reader.readU16("queue.property.len"))
            guard length >= 8, length - 4 <= reader.remaining else {
                throw reader.error(
                    .badLength, "queue.property.len",
                    "\(length), must be at least 8 and at most the \(reader.remaining + 4) bytes left")
            }
            var body = try reader.subReader(length - 4, "queue.property")
            try body.skip(4, "queue.property.pad")
            switch type {
            case 0:
                guard length == 8 else { throw body.error(.badLength, "queue.property.len", "\(length), expected 8") }
                return .noProperty
            case 1:
                guard length == 16 else { throw body.error(.badLength, "queue.property.len", "\(length), expected 16") }
                let rate = try body.readU16("queue.property.rate")
                return .minRate(rate)
            default:
                return .unknown(type: type, body: body.readRest())
            }
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            let start = buffer.writerIndex
            buffer.writeInteger(type)
            buffer.writeInteger(UInt16(0))  // len, set below
            buffer.writeZeros(4)
            switch self {
            case .noProperty: break
            case .minRate(let rate):
                buffer.writeInteger(rate)
                buffer.writeZeros(6)
            case .unknown(_, let body): buffer.writeImmutableBuffer(body)
            }
            let length = buffer.writerIndex - start
            buffer.setInteger(UInt16(truncatingIfNeeded: length), at: start + 2)
            return length
        }

        public var description: String {
            switch self {
            case .noProperty: "none"
            case .minRate(let rate): rate > 1000 ? "min_rate:disabled" : "min_rate:\(rate)"
            case .unknown(let type, let body): "property(type=\(type),\(HexBytes.format(body.readableBytesView)))"
            }
        }
    }
}
