import NIOCore
import NetworkAddresses

/// The body of a Link State Acknowledgment packet (RFC 2328 §A.3.6): the headers of the
/// LSAs acknowledged.
public struct OSPFv2LinkStateAcknowledgment: Hashable, Sendable {
    public var lsaHeaders: [OSPFv2LSAHeader]

    public init(lsaHeaders: [OSPFv2LSAHeader]) { self.lsaHeaders = lsaHeaders }

    public init(parsing buffer: ByteBuffer) throws(PacketError) {
        lsaHeaders = try OSPFv2LSAHeader.parseList(buffer, layer: "OSPFv2 Link State Acknowledgment", from: 0)
    }

    /// Parses the body of `packet`; `.badValue` if it is not a Link State Acknowledgment.
    public init(parsing packet: OSPFv2Packet) throws(PacketError) {
        guard packet.type == .linkStateAcknowledgment else {
            throw PacketError(.badValue, layer: "OSPFv2", field: "type", offset: 1)
        }
        try self.init(parsing: packet.body)
    }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        var written = 0
        for header in lsaHeaders { written += header.write(to: &buffer) }
        return written
    }

    public func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        write(to: &buffer)
        return buffer
    }
}
