import NIOCore
import OpenFlow

/// Writes ``OpenFlowMessage``s as bytes: the outbound half of the framing.
///
/// `ofp_header.length` is 16 bits (spec 1.3.5 §7.1), so a message longer than 65,535 bytes
/// (a PACKET_OUT with a jumbo frame, a huge FLOW_MOD) cannot be sent; it fails its write with
/// an ``OpenFlowError`` instead of being sent with a wrapped length that would desynchronise
/// the peer's framing. NIO's `MessageToByteHandler` stays failed after an encoding error and
/// fires it inbound, so ``OpenFlowControllerHandler`` closes that connection: nothing partial
/// is ever written.
public struct OpenFlowFrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = OpenFlowMessage

    public init() {}

    public func encode(data: OpenFlowMessage, out: inout ByteBuffer) throws {
        let start = out.writerIndex
        let length = out.writeOpenFlowMessage(data)
        guard length <= Int(UInt16.max) else {
            out.moveWriterIndex(to: start)
            throw OpenFlowError(
                .badLength, message: data.typeName, field: "length", offset: 2,
                detail: "\(length) bytes do not fit the 16-bit ofp_header.length")
        }
    }
}
