import NIOCore
import OpenFlow

/// Cuts a TCP byte stream into OpenFlow messages (layer 2 of the swift-nio-ssh layering).
///
/// Every OpenFlow message starts with `struct ofp_header` (spec 1.3.5 §7.1): version, type, and
/// a 16-bit length that counts the header itself. NIO's `LengthFieldBasedFrameDecoder` cannot
/// express "the length at offset 2 includes the 8 bytes before and after it", so this decoder
/// peeks at the header, waits for `length` bytes and hands them to the codec.
///
/// A malformed frame throws an ``OpenFlowError``; the `ByteToMessageHandler` passes it to
/// `errorCaught`, where ``OpenFlowControllerHandler`` closes the connection. Because OpenFlow has
/// no resynchronisation marker, nothing after a bad frame can be trusted.
///
/// Two checks run on the header alone, before the body has arrived, so that garbage (an HTTP
/// request, a TLS ClientHello) is rejected at once rather than after waiting for up to 64 KiB:
/// - a version byte of 0 or above ``maximumPlausibleVersion`` is not OpenFlow;
/// - a message other than HELLO must be of a version the codec speaks. HELLO of any plausible
///   version is let through, since version negotiation (§6.3.1) needs to read it.
public struct OpenFlowFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = OpenFlowMessage

    /// Versions up to this are accepted in a HELLO header (OF1.5 is 0x06; a little room is left
    /// for later versions, whose HELLO still negotiates down).
    public static let maximumPlausibleVersion: UInt8 = 0x3F

    public init() {}

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let message = try Self.decodeFrame(&buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(message))
        return .continue
    }

    /// At EOF a partial frame is dropped: the peer has gone, there is nobody to tell.
    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }

    /// Reads one frame, or returns nil (consuming nothing) if it is not complete yet.
    public static func decodeFrame(_ buffer: inout ByteBuffer) throws(OpenFlowError) -> OpenFlowMessage? {
        guard let header = OpenFlowHeader.peek(buffer) else { return nil }
        guard header.version != 0, header.version <= maximumPlausibleVersion else {
            throw OpenFlowError(
                .badVersion, message: "ofp_header", field: "version", offset: 0,
                detail: "0x\(String(header.version, radix: 16)) is not an OpenFlow version")
        }
        guard header.type == 0 || OpenFlowVersion.supported.contains(header.version) else {
            throw OpenFlowError(
                .badVersion, message: "ofp_header", field: "version", offset: 0,
                detail: "\(OpenFlowVersion.name(header.version)) message type \(header.type): "
                    + "only HELLO may be of a version other than OF1.0 and OF1.3")
        }
        return try buffer.readOpenFlowMessage()
    }
}
