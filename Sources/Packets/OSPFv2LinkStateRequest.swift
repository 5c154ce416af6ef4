import NIOCore
import NetworkAddresses

/// The body of a Link State Request packet (RFC 2328 §A.3.4): the LSAs wanted, each named by
/// LS type (as a 32-bit field), Link State ID and Advertising Router.
public struct OSPFv2LinkStateRequest: Hashable, Sendable {
    public var requests: [OSPFv2LSAHeader.Key]

    public static let entryLength = 12

    public init(requests: [OSPFv2LSAHeader.Key]) { self.requests = requests }

    public init(parsing buffer: ByteBuffer) throws(PacketError) {
        let reader = WireReader(buffer, layer: "OSPFv2 Link State Request")
        guard reader.count % Self.entryLength == 0 else { throw reader.error(.badLength, "request list", at: 0) }
        var requests: [OSPFv2LSAHeader.Key] = []
        var offset = 0
        while offset < reader.count {
            let type: UInt32 = try reader.integer(at: offset, "LS type")
            guard type <= UInt32(UInt8.max) else { throw reader.error(.badValue, "LS type", at: offset) }
            requests.append(
                OSPFv2LSAHeader.Key(
                    type: .init(rawValue: UInt8(type)), linkStateID: try reader.ipv4(at: offset + 4, "Link State ID"),
                    advertisingRouter: try reader.ipv4(at: offset + 8, "Advertising Router")))
            offset += Self.entryLength
        }
        self.requests = requests
    }

    /// Parses the body of `packet`; `.badValue` if it is not a Link State Request.
    public init(parsing packet: OSPFv2Packet) throws(PacketError) {
        guard packet.type == .linkStateRequest else {
            throw PacketError(.badValue, layer: "OSPFv2", field: "type", offset: 1)
        }
        try self.init(parsing: packet.body)
    }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        var written = 0
        for request in requests {
            written += buffer.writeInteger(UInt32(request.type.rawValue))
            written += buffer.writeIPv4(request.linkStateID)
            written += buffer.writeIPv4(request.advertisingRouter)
        }
        return written
    }

    public func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        write(to: &buffer)
        return buffer
    }
}
