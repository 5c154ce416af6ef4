import NIOCore
import NetworkAddresses
import Packets

/// A host with one interface: ARP (requests, replies, a cache, packets held while their next
/// hop is resolved), ICMP echo (it answers pings and sends them), and UDP sockets.
///
/// Frames leave by the link plugged into the interface (port 0) and arrive through
/// ``receive(frame:port:)``; everything runs on the network's clock.
public final class EmbeddedHost: EmbeddedNode {
    /// What happened to a ping.
    public enum PingResult: Hashable, Sendable {
        case reply(roundTrip: TimeAmount)
        case timeout
    }

    /// What the host counted.
    public struct Counters: Hashable, Sendable {
        public var framesSent: UInt64 = 0
        public var framesReceived: UInt64 = 0
        /// Frames for another MAC address (a flooding switch delivers them).
        public var framesIgnored: UInt64 = 0
        public var arpRequestsSent: UInt64 = 0
        public var arpRepliesSent: UInt64 = 0
        /// Packets dropped because their next hop never answered ARP, or too many waited.
        public var unresolvedDrops: UInt64 = 0
        /// UDP datagrams to a port with no socket, or no route.
        public var undeliverable: UInt64 = 0
        public var malformed: UInt64 = 0
    }

    private struct Resolution {
        var packets: [IPv4Packet] = []
        var attempts = 0
        var timer: ScheduledEvent?
    }

    private struct OutstandingPing {
        var sentAt: NIODeadline
        var timer: ScheduledEvent
        var completion: (PingResult) -> Void
    }

    public let name: String
    public var interface: HostInterface
    public let clock: any SubstrateClock
    /// How long to wait for an ARP reply before asking again, and how many times to ask.
    public var arpRetryInterval: TimeAmount = .seconds(1)
    public var arpAttempts = 3
    /// Packets held per unresolved next hop; more are dropped.
    public var arpQueueLimit = 4096
    public var trace: EventTrace?
    public private(set) var counters = Counters()
    public private(set) var arpCache: [IPv4Address: MACAddress] = [:]
    private var resolving: [IPv4Address: Resolution] = [:]
    private var sockets: [UInt16: EmbeddedUDPSocket] = [:]
    private var pings: [UInt16: OutstandingPing] = [:]
    private var nextPingSequence: UInt16 = 0
    private var nextIdentification: UInt16 = 0
    private var nextEphemeralPort: UInt16 = 49152
    private var link: (link: EmbeddedLink, side: EmbeddedLink.Side)?
    /// The ICMP echo identifier of this host's pings.
    public let pingIdentifier: UInt16

    public init(name: String, interface: HostInterface, clock: any SubstrateClock) {
        self.name = name
        self.interface = interface
        self.clock = clock
        self.pingIdentifier = UInt16(truncatingIfNeeded: interface.mac.rawValue)
    }

    // MARK: EmbeddedNode

    public func attach(_ link: EmbeddedLink, side: EmbeddedLink.Side, port: UInt32) {
        self.link = (link, side)
    }

    public func linkStateChanged(port: UInt32, isUp: Bool) {}

    public func receive(frame data: ByteBuffer, port: UInt32) {
        counters.framesReceived += 1
        guard let frame = try? EthernetFrame(parsing: data) else {
            counters.malformed += 1
            return
        }
        guard frame.destination == interface.mac || frame.destination.isBroadcast else {
            counters.framesIgnored += 1
            return
        }
        switch frame.etherType {
        case .arp:
            guard let arp = try? ARPPacket(parsing: frame.payload) else {
                counters.malformed += 1
                return
            }
            receiveARP(arp)
        case .ipv4:
            guard let packet = try? IPv4Packet(parsing: frame.payload) else {
                counters.malformed += 1
                return
            }
            receiveIPv4(packet)
        default:
            counters.framesIgnored += 1
        }
    }

    // MARK: UDP

    /// Binds `port` (0: the next free ephemeral port); nil if it is taken.
    public func bindUDP(port: UInt16 = 0) -> EmbeddedUDPSocket? {
        var port = port
        if port == 0 {
            while sockets[nextEphemeralPort] != nil { nextEphemeralPort = nextEphemeralPort &+ 1 | 0xC000 }
            port = nextEphemeralPort
            nextEphemeralPort = nextEphemeralPort &+ 1 | 0xC000
        }
        guard sockets[port] == nil else { return nil }
        let socket = EmbeddedUDPSocket(host: self, port: port)
        sockets[port] = socket
        return socket
    }

    func unbind(_ socket: EmbeddedUDPSocket) {
        if sockets[socket.port] === socket { sockets[socket.port] = nil }
    }

    func sendUDP(_ payload: ByteBuffer, from sourcePort: UInt16, to destination: IPv4Address, port: UInt16) {
        let udp = UDPDatagram(sourcePort: sourcePort, destinationPort: port, payload: payload)
        send(IPv4Packet(source: interface.ip, destination: destination, udp: udp, identification: identification()))
    }

    // MARK: ICMP echo

    /// Sends one echo request to `destination`; `completion` gets the round trip or a timeout.
    public func ping(
        _ destination: IPv4Address, payloadSize: Int = 56, timeout: TimeAmount = .seconds(1),
        completion: @escaping (PingResult) -> Void
    ) {
        let sequence = nextPingSequence
        nextPingSequence &+= 1
        var payload = ByteBuffer()
        payload.writeRepeatingByte(0x61, count: max(0, payloadSize))
        let echo = ICMPEcho(kind: .request, identifier: pingIdentifier, sequenceNumber: sequence, payload: payload)
        let timer = clock.schedule(after: timeout) { [self] in
            guard let ping = pings.removeValue(forKey: sequence) else { return }
            ping.completion(.timeout)
        }
        pings[sequence] = OutstandingPing(sentAt: clock.now, timer: timer, completion: completion)
        send(
            IPv4Packet(
                identification: identification(), protocolNumber: .icmp, source: interface.ip, destination: destination,
                payload: echo.encoded()))
    }

    // MARK: IPv4 out

    /// Sends an IPv4 packet: to its destination if on the subnet, else to the gateway.
    public func send(_ packet: IPv4Packet) {
        let nextHop: IPv4Address
        if packet.destination == .broadcast || packet.destination == interface.broadcast {
            transmit(packet, to: .broadcast)
            return
        } else if interface.isLocal(packet.destination) {
            nextHop = packet.destination
        } else if let gateway = interface.gateway {
            nextHop = gateway
        } else {
            counters.undeliverable += 1
            return
        }
        if let mac = arpCache[nextHop] {
            transmit(packet, to: mac)
            return
        }
        var resolution = resolving[nextHop] ?? Resolution()
        guard resolution.packets.count < arpQueueLimit else {
            counters.unresolvedDrops += 1
            return
        }
        resolution.packets.append(packet)
        let isNew = resolution.attempts == 0
        resolving[nextHop] = resolution
        if isNew { requestARP(nextHop) }
    }

    private func transmit(_ packet: IPv4Packet, to mac: MACAddress) {
        let frame = EthernetFrame(destination: mac, source: interface.mac, etherType: .ipv4, payload: packet.encoded())
        transmit(frame)
    }

    private func transmit(_ frame: EthernetFrame) {
        counters.framesSent += 1
        guard let attached = link else { return }
        attached.link.transmit(frame.encoded(padding: .minimumLength), from: attached.side)
    }

    private func identification() -> UInt16 {
        nextIdentification &+= 1
        return nextIdentification
    }

    // MARK: ARP

    private func requestARP(_ target: IPv4Address) {
        guard var resolution = resolving[target] else { return }
        guard resolution.attempts < arpAttempts else {
            counters.unresolvedDrops += UInt64(resolution.packets.count)
            trace?.record(clock.now, "\(name) arp \(target) unresolved")
            resolving[target] = nil
            return
        }
        resolution.attempts += 1
        resolution.timer = clock.schedule(after: arpRetryInterval) { [self] in requestARP(target) }
        resolving[target] = resolution
        counters.arpRequestsSent += 1
        let arp = ARPPacket(
            operation: .request, senderHardwareAddress: interface.mac, senderProtocolAddress: interface.ip,
            targetHardwareAddress: .zero, targetProtocolAddress: target)
        transmit(EthernetFrame(destination: .broadcast, source: interface.mac, etherType: .arp, payload: arp.encoded()))
    }

    private func receiveARP(_ arp: ARPPacket) {
        let forMe = arp.targetProtocolAddress == interface.ip
        // RFC 826: update an existing entry; add one only when the packet is for us.
        if arp.senderProtocolAddress != .any, forMe || arpCache[arp.senderProtocolAddress] != nil {
            learn(arp.senderProtocolAddress, arp.senderHardwareAddress)
        }
        if forMe, arp.operation == .request {
            counters.arpRepliesSent += 1
            let reply = ARPPacket(
                operation: .reply, senderHardwareAddress: interface.mac, senderProtocolAddress: interface.ip,
                targetHardwareAddress: arp.senderHardwareAddress, targetProtocolAddress: arp.senderProtocolAddress)
            transmit(
                EthernetFrame(
                    destination: arp.senderHardwareAddress, source: interface.mac, etherType: .arp,
                    payload: reply.encoded()))
        }
    }

    private func learn(_ ip: IPv4Address, _ mac: MACAddress) {
        arpCache[ip] = mac
        guard let resolution = resolving.removeValue(forKey: ip) else { return }
        if let timer = resolution.timer { clock.cancel(timer) }
        for packet in resolution.packets { transmit(packet, to: mac) }
    }

    /// Forgets every learnt address (the next packet to each asks ARP again).
    public func flushARPCache() {
        arpCache.removeAll()
    }

    // MARK: IPv4 in

    private func receiveIPv4(_ packet: IPv4Packet) {
        guard packet.destination == interface.ip || packet.destination == .broadcast
            || packet.destination == interface.broadcast
        else {
            counters.framesIgnored += 1
            return
        }
        switch packet.protocolNumber {
        case .icmp:
            guard let echo = try? ICMPEcho(parsing: packet.payload) else {
                counters.malformed += 1
                return
            }
            switch echo.kind {
            case .request:
                send(
                    IPv4Packet(
                        identification: identification(), protocolNumber: .icmp, source: interface.ip,
                        destination: packet.source, payload: echo.reply().encoded()))
            case .reply:
                guard echo.identifier == pingIdentifier, let ping = pings.removeValue(forKey: echo.sequenceNumber)
                else { return }
                clock.cancel(ping.timer)
                ping.completion(.reply(roundTrip: clock.now - ping.sentAt))
            }
        case .udp:
            guard let udp = try? UDPDatagram(parsing: packet) else {
                counters.malformed += 1
                return
            }
            guard let socket = sockets[udp.destinationPort] else {
                counters.undeliverable += 1
                return
            }
            socket.onReceive?(
                ReceivedDatagram(
                    payload: udp.payload, source: packet.source, sourcePort: udp.sourcePort,
                    destinationPort: udp.destinationPort, receivedAt: clock.now))
        default:
            counters.framesIgnored += 1
        }
    }
}
