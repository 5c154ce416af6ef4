import NIOCore

/// One OpenFlow message of any supported version, with its transaction id.
///
/// HELLO is decoded for every version, since version negotiation needs it; every other
/// message is decoded for OpenFlow 1.0 (``OF10``) and 1.3 (``OF13``).
public enum OpenFlowMessage: Hashable, Sendable {
    case hello(Hello, version: UInt8, xid: UInt32)
    case of10(OF10.Message, xid: UInt32)
    case of13(OF13.Message, xid: UInt32)

    public var xid: UInt32 {
        switch self {
        case .hello(_, _, let xid), .of10(_, let xid), .of13(_, let xid): xid
        }
    }

    public var version: UInt8 {
        switch self {
        case .hello(_, let version, _): version
        case .of10: OF10.version
        case .of13: OF13.version
        }
    }

    /// The spec's name of the message type (`OFPT_FLOW_MOD`).
    public var typeName: String {
        switch self {
        case .hello: "OFPT_HELLO"
        case .of10(let m, _): m.typeName
        case .of13(let m, _): m.typeName
        }
    }

    /// Decodes exactly one message that fills `bytes`.
    public init(decoding bytes: ByteBuffer) throws(OpenFlowError) {
        var buffer = bytes
        guard let header = OpenFlowHeader.peek(buffer) else {
            throw OpenFlowError(
                .truncated, message: "ofp_header", field: "header", offset: 0,
                detail: "\(buffer.readableBytes) bytes, a header needs 8")
        }
        guard Int(header.length) == buffer.readableBytes else {
            throw OpenFlowError(
                .badLength, message: "ofp_header", field: "length", offset: 2,
                detail: "header says \(header.length), have \(buffer.readableBytes) bytes")
        }
        guard let message = try buffer.readOpenFlowMessage() else {
            throw OpenFlowError(.truncated, message: "ofp_header", field: "length", offset: 2)
        }
        self = message
    }

    /// Decodes the body (the bytes after the header) of a message whose header is `header`.
    static func decode(header: OpenFlowHeader, body: ByteBuffer) throws(OpenFlowError) -> OpenFlowMessage {
        if header.type == 0 {
            // Unknown element types are kept (and ignored by negotiation); elements whose
            // lengths do not add up are an error.
            let reader = WireReader(body, base: OpenFlowHeader.size, message: "OFPT_HELLO")
            let elements = try WireList<Hello.Element>(validating: reader)
            return .hello(Hello(elements: elements), version: header.version, xid: header.xid)
        }
        switch header.version {
        case OF13.version:
            return .of13(try OF13.Message.decode(type: header.type, body: body), xid: header.xid)
        case OF10.version:
            return .of10(try OF10.Message.decode(type: header.type, body: body), xid: header.xid)
        default:
            throw OpenFlowError(
                .badVersion, message: "ofp_header", field: "version", offset: 0,
                detail: "\(OpenFlowVersion.name(header.version)) is not supported (only OF1.0 and OF1.3)")
        }
    }
}

extension ByteBuffer {
    /// Reads one OpenFlow message. Returns nil, consuming nothing, if the buffer does not yet
    /// hold a whole message; throws, consuming nothing, if the message is malformed.
    public mutating func readOpenFlowMessage() throws(OpenFlowError) -> OpenFlowMessage? {
        guard let header = OpenFlowHeader.peek(self) else { return nil }
        let length = Int(header.length)
        guard length >= OpenFlowHeader.size else {
            throw OpenFlowError(
                .badLength, message: "ofp_header", field: "length", offset: 2,
                detail: "\(length) is shorter than the 8-byte header")
        }
        guard readableBytes >= length,
            let body = getSlice(at: readerIndex &+ OpenFlowHeader.size, length: length &- OpenFlowHeader.size)
        else { return nil }
        let message = try OpenFlowMessage.decode(header: header, body: body)
        moveReaderIndex(forwardBy: length)
        return message
    }

    /// Writes `message` with its header; returns the number of bytes written.
    @discardableResult
    public mutating func writeOpenFlowMessage(_ message: OpenFlowMessage) -> Int {
        // The hottest messages are written in one reserved block (see RawWriter).
        if case .of13(let body, let xid) = message {
            switch body {
            case .flowMod(let flowMod): return flowMod.writeMessage(xid: xid, to: &self)
            case .packetIn(let packetIn): return packetIn.writeMessage(xid: xid, to: &self)
            default: break
            }
        }
        let start = writerIndex
        let type: UInt8
        writeInteger(message.version)
        writeInteger(UInt8(0))  // type, set below
        writeInteger(UInt16(0))  // length, set below
        writeInteger(message.xid)
        switch message {
        case .hello(let hello, _, _):
            type = 0
            hello.elements.write(to: &self)
        case .of10(let m, _):
            type = m.type
            m.writeBody(to: &self)
        case .of13(let m, _):
            type = m.type
            m.writeBody(to: &self)
        }
        let length = writerIndex - start
        setInteger(type, at: start + 1)
        setInteger(UInt16(truncatingIfNeeded: length), at: start + 2)
        return length
    }
}

extension OpenFlowMessage {
    /// The encoded bytes of the message.
    public var encoded: ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        buffer.writeOpenFlowMessage(self)
        return buffer
    }
}
