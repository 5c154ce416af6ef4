import NIOCore
import NetworkAddresses

/// The body of a network-LSA (RFC 2328 §A.4.3), originated by a broadcast or NBMA network's
/// Designated Router: the network's mask and the Router IDs of the routers attached to it.
public struct OSPFv2NetworkLSA: Hashable, Sendable {
    public var networkMask: IPv4Address
    public var attachedRouters: [IPv4Address]

    public init(networkMask: IPv4Address, attachedRouters: [IPv4Address]) {
        self.networkMask = networkMask
        self.attachedRouters = attachedRouters
    }

    public init(parsing buffer: ByteBuffer) throws(PacketError) {
        let reader = WireReader(buffer, layer: "OSPFv2 network-LSA")
        networkMask = try reader.ipv4(at: 0, "Network Mask")
        guard reader.count % 4 == 0 else { throw reader.error(.badLength, "Attached Router list", at: 4) }
        var routers: [IPv4Address] = []
        var offset = 4
        while offset < reader.count {
            routers.append(try reader.ipv4(at: offset, "Attached Router"))
            offset += 4
        }
        attachedRouters = routers
    }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        var written = buffer.writeIPv4(networkMask)
        for router in attachedRouters { written += buffer.writeIPv4(router) }
        return written
    }

    public func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        write(to: &buffer)
        return buffer
    }
}
