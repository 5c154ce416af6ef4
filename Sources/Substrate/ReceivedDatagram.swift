import NIOCore
import NetworkAddresses

/// A UDP datagram as a socket of an ``EmbeddedHost`` receives it.
public struct ReceivedDatagram: Hashable, Sendable {
    public var payload: ByteBuffer
    public var source: IPv4Address
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// When it arrived, on the network's clock.
    public var receivedAt: NIODeadline

    public init(
        payload: ByteBuffer, source: IPv4Address, sourcePort: UInt16, destinationPort: UInt16, receivedAt: NIODeadline
    ) {
        self.payload = payload
        self.source = source
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.receivedAt = receivedAt
    }
}
