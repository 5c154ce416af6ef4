import NIOCore
import NetworkAddresses

/// A UDP socket bound to a port of an ``EmbeddedHost``: send to any address and port, and
/// receive what arrives at the port through ``onReceive`` (with the arrival time).
public final class EmbeddedUDPSocket {
    public let host: EmbeddedHost
    public let port: UInt16
    /// Called on the clock's thread for each datagram that arrives.
    public var onReceive: ((ReceivedDatagram) -> Void)?

    init(host: EmbeddedHost, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Sends `payload` in one datagram (resolving the next hop by ARP first if needed).
    public func send(_ payload: ByteBuffer, to destination: IPv4Address, port destinationPort: UInt16) {
        host.sendUDP(payload, from: port, to: destination, port: destinationPort)
    }

    /// Unbinds the port.
    public func close() {
        host.unbind(self)
    }
}
