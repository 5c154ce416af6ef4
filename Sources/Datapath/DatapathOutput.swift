import NIOCore
import OpenFlow

/// What the datapath asks its driver to do: send a message to the controller, or send a
/// frame out of a port.
public enum DatapathOutput: Hashable, Sendable {
    /// An OpenFlow message for the controller; asynchronous ones (PACKET_IN, FLOW_REMOVED,
    /// PORT_STATUS) have xid 0, replies carry the request's xid.
    case message(OF13.Message, xid: UInt32)
    /// A frame to transmit on `port`, and the queue set-queue chose for it (nil: default).
    case packet(ByteBuffer, port: UInt32, queue: UInt32?)

    /// The message, if this is one.
    public var message: OF13.Message? {
        if case .message(let m, _) = self { m } else { nil }
    }

    /// The frame and port, if this is a packet.
    public var packet: (data: ByteBuffer, port: UInt32)? {
        if case .packet(let data, let port, _) = self { (data, port) } else { nil }
    }
}

extension DatapathOutput: CustomStringConvertible {
    public var description: String {
        switch self {
        case .message(let m, let xid): "message xid=\(xid) \(m.typeName)"
        case .packet(let data, let port, let queue):
            "packet out port \(port)\(queue.map { " queue \($0)" } ?? ""): \(data.readableBytes) bytes"
        }
    }
}
