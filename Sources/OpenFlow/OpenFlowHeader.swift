import NIOCore

/// `struct ofp_header`: the 8 bytes that start every OpenFlow message, in every version.
public struct OpenFlowHeader: Hashable, Sendable {
    public var version: UInt8
    public var type: UInt8
    /// The length of the whole message, header included.
    public var length: UInt16
    public var xid: UInt32

    public static let size = 8

    public init(version: UInt8, type: UInt8, length: UInt16, xid: UInt32) {
        self.version = version
        self.type = type
        self.length = length
        self.xid = xid
    }

    /// Reads the header at the buffer's reader index without moving it; nil if fewer than 8
    /// bytes are readable.
    public static func peek(_ buffer: ByteBuffer) -> OpenFlowHeader? {
        let at = buffer.readerIndex
        guard let version = buffer.getInteger(at: at, as: UInt8.self),
            let type = buffer.getInteger(at: at &+ 1, as: UInt8.self),
            let length = buffer.getInteger(at: at &+ 2, as: UInt16.self),
            let xid = buffer.getInteger(at: at &+ 4, as: UInt32.self)
        else { return nil }
        return OpenFlowHeader(version: version, type: type, length: length, xid: xid)
    }
}
