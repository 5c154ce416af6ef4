import NIOCore
import NetworkAddresses

/// The body of a summary-LSA, type 3 or 4 (RFC 2328 §A.4.4): an inter-area destination
/// advertised by an area border router, with its mask and cost.
public struct OSPFv2SummaryLSA: Hashable, Sendable {
    /// For type 3 the destination network's mask; 0 for type 4.
    public var networkMask: IPv4Address
    /// The 24-bit cost to the destination; 0xFFFFFF is LSInfinity.
    public var metric: UInt32
    /// Further TOS entries (obsolete), each the raw 32-bit word, kept for round trips.
    public var tosEntries: [UInt32]

    /// LSInfinity (§B).
    public static let lsInfinity: UInt32 = 0xFF_FFFF

    public init(networkMask: IPv4Address, metric: UInt32, tosEntries: [UInt32] = []) {
        self.networkMask = networkMask
        self.metric = metric
        self.tosEntries = tosEntries
    }

    public init(parsing buffer: ByteBuffer) throws(PacketError) {
        let reader = WireReader(buffer, layer: "OSPFv2 summary-LSA")
        networkMask = try reader.ipv4(at: 0, "Network Mask")
        metric = try reader.integer(at: 4, as: UInt32.self, "metric") & 0xFF_FFFF
        guard reader.count % 4 == 0 else { throw reader.error(.badLength, "TOS list", at: 8) }
        var entries: [UInt32] = []
        var offset = 8
        while offset < reader.count {
            entries.append(try reader.integer(at: offset, "TOS entry"))
            offset += 4
        }
        tosEntries = entries
    }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        var written = buffer.writeIPv4(networkMask)
        written += buffer.writeInteger(metric & 0xFF_FFFF)
        for entry in tosEntries { written += buffer.writeInteger(entry) }
        return written
    }

    public func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        write(to: &buffer)
        return buffer
    }
}
