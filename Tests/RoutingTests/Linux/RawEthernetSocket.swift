#if os(Linux)
import Glibc
import NetworkAddresses

/// `struct sockaddr_ll` of <linux/if_packet.h>, which the Glibc module does not import.
struct LinkLayerSocketAddress {
    var family: UInt16 = UInt16(AF_PACKET)
    var protocolNumber: UInt16 = 0
    var interfaceIndex: Int32 = 0
    var hardwareType: UInt16 = 0
    var packetType: UInt8 = 0
    var addressLength: UInt8 = 0
    var address: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0)

    /// ETH_P_ALL: every protocol.
    static let allProtocols: UInt16 = 0x0003
    /// PACKET_OUTGOING: a frame this host sent.
    static let outgoing: UInt8 = 4
}

/// An AF_PACKET raw socket bound to one interface: whole Ethernet frames in and out. The
/// only I/O of the BIRD interoperability test.
final class RawEthernetSocket {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let fd: Int32
    let interfaceIndex: Int32
    let interface: String

    init(interface: String) throws {
        self.interface = interface
        let index = if_nametoindex(interface)
        guard index != 0 else { throw Failure(description: "no interface \(interface)") }
        interfaceIndex = Int32(index)
        let protocolAll = LinkLayerSocketAddress.allProtocols.bigEndian
        fd = socket(AF_PACKET, Int32(SOCK_RAW.rawValue), Int32(protocolAll))
        guard fd >= 0 else { throw Failure(description: "socket(AF_PACKET): \(String(cString: strerror(errno)))") }
        var address = LinkLayerSocketAddress(protocolNumber: protocolAll, interfaceIndex: interfaceIndex)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<LinkLayerSocketAddress>.size))
            }
        }
        guard bound == 0 else {
            close(fd)
            throw Failure(description: "bind to \(interface): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }

    func send(_ frame: [UInt8]) throws {
        let sent = frame.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
        guard sent == frame.count else { throw Failure(description: "send on \(interface): \(String(cString: strerror(errno)))") }
    }

    /// The next frame that arrived from the wire (frames this socket or the host sent are
    /// skipped), or nil if none comes within `timeoutMilliseconds`.
    func receive(timeoutMilliseconds: Int32) -> [UInt8]? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeoutMilliseconds) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var from = LinkLayerSocketAddress()
        var length = socklen_t(MemoryLayout<LinkLayerSocketAddress>.size)
        let count = buffer.withUnsafeMutableBytes { bytes in
            withUnsafeMutablePointer(to: &from) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(fd, bytes.baseAddress, bytes.count, 0, $0, &length)
                }
            }
        }
        guard count > 0, from.packetType != LinkLayerSocketAddress.outgoing else { return nil }
        return Array(buffer[0..<count])
    }
}
#endif
