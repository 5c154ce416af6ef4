#if os(Linux)
import Glibc
import NIOCore
import NetworkAddresses
import Packets

@testable import Routing

/// Carries an OSPFRouter's packets over a raw Ethernet socket: OSPF in IPv4 in Ethernet to
/// and from 224.0.0.5 (01:00:5e:00:00:05), ARP answered for the router's address. The router
/// stays pure; this is the clock and the wire.
struct OSPFLinuxPeer {
    var router: OSPFRouter
    let socket: RawEthernetSocket
    let interface: String
    let address: IPv4Address
    let mac: MACAddress
    /// Every output of the router, with the time.
    var log: [(NIODeadline, OSPFOutput)] = []
    var framesIn = 0
    var framesOut = 0

    static let allSPFRoutersMAC = MACAddress(0x01, 0x00, 0x5E, 0x00, 0x00, 0x05)

    init(router: OSPFRouter, socket: RawEthernetSocket, interface: String, mac: MACAddress) throws {
        self.router = router
        self.socket = socket
        self.interface = interface
        self.mac = mac
        address = router.configuration.interfaces.first { $0.name == interface }!.address
        try handle(self.router.start(now: .now()))
    }

    /// Runs for at most `seconds`, or until `done` returns true (checked every `every` seconds).
    mutating func run(seconds: Double, checkingEvery every: Double = 1, until done: (inout OSPFLinuxPeer) throws -> Bool) throws -> Bool {
        let end = NIODeadline.now() + .milliseconds(Int64(seconds * 1000))
        var nextCheck = NIODeadline.now()
        while NIODeadline.now() < end {
            let now = NIODeadline.now()
            if let deadline = router.nextDeadline, deadline <= now { try handle(router.tick(now: now)) }
            if now >= nextCheck {
                if try done(&self) { return true }
                nextCheck = now + .milliseconds(Int64(every * 1000))
            }
            let wait = min(router.nextDeadline ?? end, nextCheck, end) - NIODeadline.now()
            let timeout = Int32(max(0, min(wait.nanoseconds / 1_000_000, 200)))
            if let frame = socket.receive(timeoutMilliseconds: timeout) { try handleFrame(frame) }
        }
        return false
    }

    mutating func handleFrame(_ bytes: [UInt8]) throws {
        guard let frame = try? EthernetFrame(parsing: ByteBuffer(bytes: bytes)), frame.source != mac else { return }
        framesIn += 1
        switch frame.etherType {
        case .arp:
            guard let arp = try? ARPPacket(parsing: frame.payload), arp.operation == .request,
                arp.targetProtocolAddress == address
            else { return }
            let reply = ARPPacket(
                operation: .reply, senderHardwareAddress: mac, senderProtocolAddress: address,
                targetHardwareAddress: arp.senderHardwareAddress, targetProtocolAddress: arp.senderProtocolAddress)
            try transmit(EthernetFrame(destination: arp.senderHardwareAddress, source: mac, etherType: .arp, payload: reply.encoded()))
        case .ipv4:
            guard let ip = try? IPv4Packet(parsing: frame.payload), ip.protocolNumber == .ospf,
                ip.destination == OSPFv2Packet.allSPFRouters || ip.destination == address
            else { return }
            do {
                try handle(router.receive(ip.payload, on: interface, from: ip.source, now: .now()))
            } catch {
                log.append((.now(), .discarded(interface: interface, reason: "\(error)")))
            }
        default:
            return
        }
    }

    mutating func handle(_ outputs: [OSPFOutput]) throws {
        for output in outputs {
            log.append((.now(), output))
            guard let transmission = output.transmission else { continue }
            try transmit(
                EthernetFrame(
                    destination: Self.allSPFRoutersMAC, source: mac, etherType: .ipv4, payload: transmission.ipv4Packet.encoded()))
        }
    }

    mutating func transmit(_ frame: EthernetFrame) throws {
        let buffer = frame.encoded()
        try socket.send(buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes)!)
        framesOut += 1
    }
}
#endif
