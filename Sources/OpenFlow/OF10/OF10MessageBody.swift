import NIOCore

/// The body of an OpenFlow 1.0 message: everything after `ofp_header`.
public protocol OF10MessageBody: Hashable, Sendable, Codable {
    /// Reads the body; the reader holds exactly the bytes after the header.
    static func read(from reader: inout WireReader) throws(OpenFlowError) -> Self
    /// Writes the body (the header is written by the caller).
    func write(to buffer: inout ByteBuffer)
}
