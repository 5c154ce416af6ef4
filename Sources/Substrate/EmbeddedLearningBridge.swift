import NIOCore
import NetworkAddresses

/// An Ethernet segment: a MAC-learning bridge (an Open vSwitch bridge in `fail_mode: standalone`
/// acts like this). It learns each frame's source MAC on the port it came in on, sends frames to
/// a learnt unicast MAC out of that port only, and floods broadcast, multicast and unknown
/// destinations to every other port, in port order. A gratuitous ARP from a moved router
/// therefore moves its MACs, and the traffic, to the new port.
public final class EmbeddedLearningBridge: EmbeddedNode {
    public struct Counters: Hashable, Sendable {
        public var received: UInt64 = 0
        /// Frames sent to the one learnt port.
        public var forwarded: UInt64 = 0
        /// Frames copied to every other port (each copy counts once).
        public var flooded: UInt64 = 0
        /// Frames whose learnt port is the one they came in on.
        public var filtered: UInt64 = 0
        public var malformed: UInt64 = 0
        public init() {}
    }

    public let name: String
    public let clock: any SubstrateClock
    public private(set) var counters = Counters()
    /// MAC address → port (the forwarding database).
    public private(set) var table: [MACAddress: UInt32] = [:]
    private var ports: [UInt32: (link: EmbeddedLink, side: EmbeddedLink.Side)] = [:]
    private var portOrder: [UInt32] = []

    public init(name: String, clock: any SubstrateClock) {
        self.name = name
        self.clock = clock
    }

    /// The port a MAC was learnt on.
    public func port(of mac: MACAddress) -> UInt32? { table[mac] }

    public func attach(_ link: EmbeddedLink, side: EmbeddedLink.Side, port: UInt32) {
        precondition(ports[port] == nil, "EmbeddedLearningBridge \(name): port \(port) already has a link")
        ports[port] = (link, side)
        portOrder = ports.keys.sorted()
    }

    /// A port that goes down forgets the MACs learnt on it.
    public func linkStateChanged(port: UInt32, isUp: Bool) {
        guard !isUp else { return }
        table = table.filter { $0.value != port }
    }

    public func receive(frame: ByteBuffer, port: UInt32) {
        counters.received += 1
        guard frame.readableBytes >= 14,
            let destinationHigh = frame.getInteger(at: frame.readerIndex, as: UInt16.self),
            let destinationLow = frame.getInteger(at: frame.readerIndex + 2, as: UInt32.self),
            let sourceHigh = frame.getInteger(at: frame.readerIndex + 6, as: UInt16.self),
            let sourceLow = frame.getInteger(at: frame.readerIndex + 8, as: UInt32.self)
        else {
            counters.malformed += 1
            return
        }
        let destination = MACAddress(rawValue: UInt64(destinationHigh) << 32 | UInt64(destinationLow))
        let source = MACAddress(rawValue: UInt64(sourceHigh) << 32 | UInt64(sourceLow))
        if !source.isMulticast { table[source] = port }
        if !destination.isMulticast, let out = table[destination] {
            if out == port {
                counters.filtered += 1
            } else if let end = ports[out] {
                counters.forwarded += 1
                end.link.transmit(frame, from: end.side)
            }
            return
        }
        for out in portOrder where out != port {
            guard let end = ports[out] else { continue }
            counters.flooded += 1
            end.link.transmit(frame, from: end.side)
        }
    }
}
