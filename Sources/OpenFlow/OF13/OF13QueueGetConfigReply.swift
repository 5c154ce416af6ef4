import NIOCore

extension OF13 {
    /// `OFPT_QUEUE_GET_CONFIG_REPLY`, `struct ofp_queue_get_config_reply` (spec 1.3.5 §7.3.6):
    /// the port asked about and its queues.
    public struct QueueGetConfigReply: OF13MessageBody {
        public var port: UInt32
        public var queues: WireList<PacketQueue>

        public init(port: UInt32, queues: WireList<PacketQueue> = []) {
            self.port = port
            self.queues = queues
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> QueueGetConfigReply {
            let port = try reader.readU32("port")
            try reader.skip(4, "pad")
            let queues = try WireList<PacketQueue>(validating: reader.subReader(reader.remaining, "queues"))
            return QueueGetConfigReply(port: port, queues: queues)
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(port)
            buffer.writeZeros(4)
            queues.write(to: &buffer)
        }
    }

    /// `struct ofp_packet_queue` (spec 1.3.5 §7.2.2): a queue of a port and its properties.
    /// `len` counts the 16-byte header and the properties.
    public struct PacketQueue: Hashable, Sendable, Codable, WireListElement {
        public var queueID: UInt32
        public var port: UInt32
        public var properties: WireList<QueueProperty>

        public static let headerSize = 16

        public init(queueID: UInt32, port: UInt32, properties: WireList<QueueProperty> = []) {
            self.queueID = queueID
            self.port = port
            self.properties = properties
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> PacketQueue {
            let queueID = try reader.readU32("queue.queue_id")
            let port = try reader.readU32("queue.port")
            let length = Int(try reader.readU16("queue.len"))
            guard length >= headerSize else {
                throw reader.error(.badLength, "queue.len", "\(length) < \(headerSize)")
            }
            var body = try reader.subReader(length - 10, "queue")
            try body.skip(6, "queue.pad")
            let properties = try WireList<QueueProperty>(validating: body)
            return PacketQueue(queueID: queueID, port: port, properties: properties)
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            let start = buffer.writerIndex
            buffer.writeInteger(queueID)
            buffer.writeInteger(port)
            buffer.writeInteger(UInt16(0))  // len, set below
            buffer.writeZeros(6)
            properties.write(to: &buffer)
            let length = buffer.writerIndex - start
            buffer.setInteger(UInt16(truncatingIfNeeded: length), at: start + 8)
            return length
        }
    }

    /// A queue property, `struct ofp_queue_prop_*` (spec 1.3.5 §7.2.2): an 8-byte header
    /// (`property`, `len`, pad) and the property's fields. Rates are in tenths of a percent
    /// of the port's speed; above 1000 the rate is disabled.
    public enum QueueProperty: Hashable, Sendable, Codable {
        /// `OFPQT_MIN_RATE`: guaranteed minimum rate.
        case minRate(UInt16)
        /// `OFPQT_MAX_RATE`: maximum rate.
        case maxRate(UInt16)
        /// `OFPQT_EXPERIMENTER`: the bytes after the experimenter id and its padding.
        case experimenter(id: UInt32, data: ByteBuffer = ByteBuffer())
        /// A property this codec does not know: its type and the bytes after the header.
        case unknown(property: UInt16, body: ByteBuffer)

        /// `enum ofp_queue_properties`.
        public var property: UInt16 {
            switch self {
            case .minRate: 1
            case .maxRate: 2
            case .experimenter: 0xFFFF
            case .unknown(let property, _): property
            }
        }

        /// `property`, `len` and padding.
        public static let headerSize = 8
    }
}

extension OF13.QueueProperty: WireListElement {
    public static func read(from reader: inout WireReader) throws(OpenFlowError) -> OF13.QueueProperty {
        let property = try reader.readU16("queue_prop.property")
        let length = Int(try reader.readU16("queue_prop.len"))
        guard length >= headerSize else {
            throw reader.error(.badLength, "queue_prop.len", "\(length) < \(headerSize)")
        }
        var body = try reader.subReader(length - 4, "queue_prop")
        try body.skip(4, "queue_prop.pad")
        switch property {
        case 1, 2:
            guard length == 16 else {
                throw body.error(.badLength, "queue_prop.len", "\(length), expected 16")
            }
            let rate = try body.readU16("queue_prop.rate")
            return property == 1 ? .minRate(rate) : .maxRate(rate)
        case 0xFFFF:
            let id = try body.readU32("queue_prop.experimenter")
            try body.skip(4, "queue_prop.pad")
            return .experimenter(id: id, data: body.readRest())
        default:
            return .unknown(property: property, body: body.readRest())
        }
    }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        let start = buffer.writerIndex
        buffer.writeInteger(property)
        buffer.writeInteger(UInt16(0))  // len, set below
        buffer.writeZeros(4)
        switch self {
        case .minRate(let rate), .maxRate(let rate):
            buffer.writeInteger(rate)
            buffer.writeZeros(6)
        case .experimenter(let id, let data):
            buffer.writeInteger(id)
            buffer.writeZeros(4)
            buffer.writeImmutableBuffer(data)
        case .unknown(_, let body):
            buffer.writeImmutableBuffer(body)
        }
        let length = buffer.writerIndex - start
        buffer.setInteger(UInt16(truncatingIfNeeded: length), at: start + 2)
        return length
    }
}

extension OF13.QueueProperty: CustomStringConvertible {
    public var description: String {
        switch self {
        case .minRate(let rate): "min_rate:\(rate)"
        case .maxRate(let rate): "max_rate:\(rate)"
        case .experimenter(let id, let data):
            "experimenter(0x\(String(id, radix: 16)),\(HexBytes.format(data.readableBytesView)))"
        case .unknown(let property, let body):
            "queue_prop(type=\(property),\(HexBytes.format(body.readableBytesView)))"
        }
    }
}

extension OF13.PacketQueue: CustomStringConvertible {
    public var description: String {
        "queue(\(queueID),port=\(OF13.PortNumber.name(port)),\(properties))"
    }
}

extension OF13.QueueGetConfigReply: CustomStringConvertible {
    public var description: String {
        "queue_get_config_reply(port=\(OF13.PortNumber.name(port)),queues=\(queues))"
    }
}
