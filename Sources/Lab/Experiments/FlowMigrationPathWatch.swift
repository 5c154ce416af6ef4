import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

@_silgen_name("if_nametoindex") private func systemIfNameToIndex(_ name: UnsafePointer<CChar>) -> UInt32

/// `struct sockaddr_ll` of <netpacket/packet.h>.
private struct LinkLayerAddress {
    var family: UInt16 = 0
    var protocolNumber: UInt16 = 0
    var interfaceIndex: Int32 = 0
    var hardwareType: UInt16 = 0
    var packetType: UInt8 = 0
    var addressLength: UInt8 = 0
    var address: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0)
}

/// Sees when the first probe packet crosses a cable of the new path: a packet socket
/// (`AF_PACKET`, all protocols) on one veth end of that cable, in the switch namespace, that
/// timestamps the first IPv4/UDP datagram to the probe port whose payload is a
/// ``ProbePayload``. It changes nothing on the switches and in the packets, unlike a marker
/// action in the new entries, and its clock is the experiment's: `total_migration_ms` is this
/// time minus the trigger time. (Flow counters of Open vSwitch's userspace datapath are pushed
/// to OpenFlow statistics only by its periodic revalidation, hundreds of milliseconds late.)
public final class FlowMigrationPathWatch: @unchecked Sendable {
    private let fd: Int32
    private let port: UInt16
    private let done = DispatchSemaphore(value: 0)
    private let stopFlag = StopFlag()
    private let lock = NSLock()
    private var first: NIODeadline?
    private var probes: UInt64 = 0

    /// Opens the packet socket on `interface` in `namespace`.
    public init(interface: String, namespace: String?, udpPort: UInt16) throws {
        port = udpPort
        fd = try KernelUDPSocket.inNamespace(namespace) {
            let index = systemIfNameToIndex(interface)
            guard index != 0 else { throw KernelUDPSocket.Failure("no interface \(interface) in \(namespace ?? "this namespace")") }
            let allProtocols = UInt16(0x0003).bigEndian  // ETH_P_ALL
            let fd = socket(AF_PACKET, Int32(SOCK_RAW.rawValue), Int32(allProtocols))
            guard fd >= 0 else { throw KernelUDPSocket.Failure("socket(AF_PACKET)") }
            var address = LinkLayerAddress()
            address.family = UInt16(AF_PACKET)
            address.protocolNumber = allProtocols
            address.interfaceIndex = Int32(index)
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<LinkLayerAddress>.size)) }
            }
            guard result == 0 else {
                let code = errno
                close(fd)
                throw KernelUDPSocket.Failure("binding a packet socket to \(interface)", errno: code)
            }
            KernelUDPSocket.setTimeout(fd, .milliseconds(20))
            return fd
        }
    }

    deinit { close(fd) }

    public func start() {
        Thread { [self] in
            watch()
            done.signal()
        }.start()
    }

    /// When the first probe was seen, and how many were seen in all.
    public func stop() -> (first: NIODeadline?, probes: UInt64) {
        stopFlag.set()
        done.wait()
        done.signal()
        return lock.withLock { (first, probes) }
    }

    /// The first probe so far.
    public var firstSeen: NIODeadline? { lock.withLock { first } }

    private func watch() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 8)
        defer { buffer.deallocate() }
        while !stopFlag.isSet {
            var from = LinkLayerAddress()
            var length = socklen_t(MemoryLayout<LinkLayerAddress>.size)
            let count = withUnsafeMutablePointer(to: &from) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, buffer.baseAddress, buffer.count, 0, $0, &length) }
            }
            let now = NIODeadline.now()
            guard count > 0 else { continue }
            // PACKET_OUTGOING (4): a copy of what this end transmits, not what crosses toward it.
            if from.packetType == 4 { continue }
            if Self.isProbe(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), port: port) {
                lock.withLock {
                    if first == nil { first = now }
                    probes += 1
                }
            }
        }
    }

    /// An Ethernet frame carrying IPv4/UDP to `port` whose payload starts with a probe.
    static func isProbe(_ frame: UnsafeRawBufferPointer, port: UInt16) -> Bool {
        guard frame.count >= 14 + 20 + 8 + ProbePayload.encodedSize else { return false }
        guard frame[12] == 0x08, frame[13] == 0x00 else { return false }
        let ip = 14
        guard frame[ip] >> 4 == 4, frame[ip + 9] == 17 else { return false }
        let udp = ip + Int(frame[ip] & 0x0F) * 4
        guard frame.count >= udp + 8 + ProbePayload.encodedSize else { return false }
        let destination = UInt16(frame[udp + 2]) << 8 | UInt16(frame[udp + 3])
        guard destination == port else { return false }
        return ProbePayload(bytes: UnsafeRawBufferPointer(rebasing: frame[(udp + 8)...])) != nil
    }
}
