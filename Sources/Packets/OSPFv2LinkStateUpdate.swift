import NIOCore
import NetworkAddresses

/// The body of a Link State Update packet (RFC 2328 §A.3.5): a count, then whole LSAs.
public struct OSPFv2LinkStateUpdate: Hashable, Sendable {
    public var lsas: [OSPFv2LSA]

    public init(lsas: [OSPFv2LSA]) { self.lsas = lsas }

    /// Parses the LSAs. Their checksums are not verified here: a receiver discards a bad LSA
    /// and keeps the others (§13 step 1), so it checks each with `checksumVerifies`.
    public init(parsing buffer: ByteBuffer) throws(PacketError) {
        let reader = WireReader(buffer, layer: "OSPFv2 Link State Update")
        let count = Int(try reader.integer(at: 0, as: UInt32.self, "# LSAs"))
        var lsas: [OSPFv2LSA] = []
        var offset = 4
        for _ in 0..<min(count, reader.count / OSPFv2LSAHeader.length) where offset < reader.count {
            do {
                let lsa = try OSPFv2LSA(parsing: try reader.rest(from: offset, "LSA"), verifyingChecksum: false)
                lsas.append(lsa)
                offset += Int(lsa.header.length)
            } catch {
                throw PacketError(error.kind, layer: reader.layer, field: "LSA \(lsas.count + 1) \(error.field)", offset: offset + error.offset)
            }
        }
        guard lsas.count == count else { throw reader.error(.badLength, "# LSAs", at: 0) }
        guard offset == reader.count else { throw reader.error(.badLength, "LSA list", at: offset) }
        self.lsas = lsas
    }

    /// Parses the body of `packet`; `.badValue` if it is not a Link State Update.
    public init(parsing packet: OSPFv2Packet) throws(PacketError) {
        guard packet.type == .linkStateUpdate else {
            throw PacketError(.badValue, layer: "OSPFv2", field: "type", offset: 1)
        }
        try self.init(parsing: packet.body)
    }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        var written = buffer.writeInteger(UInt32(lsas.count))
        for lsa in lsas { written += lsa.write(to: &buffer) }
        return written
    }

    public func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        write(to: &buffer)
        return buffer
    }
}
