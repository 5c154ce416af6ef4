import NIOCore
import NetworkAddresses

/// An ARP packet for IPv4 over Ethernet (RFC 826; hardware type 1, protocol type 0x0800).
///
/// The packet is always 28 bytes; anything after them in the parsed buffer (Ethernet padding)
/// is ignored. Other hardware or protocol types are rejected, since nothing in vnm resolves
/// anything but IPv4 on Ethernet.
public struct ARPPacket: Hashable, Sendable {
    /// The `ar$op` field. A struct so that RARP (3, 4) and other codes round-trip too.
    public struct Operation: RawRepresentable, Hashable, Sendable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        public static let request = Operation(rawValue: 1)
        public static let reply = Operation(rawValue: 2)
    }

    public var operation: Operation
    /// `ar$sha`
    public var senderHardwareAddress: MACAddress
    /// `ar$spa`
    public var senderProtocolAddress: IPv4Address
    /// `ar$tha`: ignored in requests, conventionally zero (Linux) or broadcast.
    public var targetHardwareAddress: MACAddress
    /// `ar$tpa`
    public var targetProtocolAddress: IPv4Address

    /// Hardware type Ethernet (RFC 826 `ares_hrd$Ethernet`).
    public static let hardwareTypeEthernet: UInt16 = 1
    public static let length = 28

    public init(
        operation: Operation, senderHardwareAddress: MACAddress, senderProtocolAddress: IPv4Address,
        targetHardwareAddress: MACAddress, targetProtocolAddress: IPv4Address
    ) {
        self.operation = operation
        self.senderHardwareAddress = senderHardwareAddress
        self.senderProtocolAddress = senderProtocolAddress
        self.targetHardwareAddress = targetHardwareAddress
        self.targetProtocolAddress = targetProtocolAddress
    }

    public init(parsing buffer: ByteBuffer) throws(PacketError) {
        let reader = WireReader(buffer, layer: "ARP")
        guard try reader.integer(at: 0, as: UInt16.self, "hardware type") == Self.hardwareTypeEthernet
        else { throw reader.error(.badValue, "hardware type", at: 0) }
        guard try reader.integer(at: 2, as: UInt16.self, "protocol type") == EtherType.ipv4.rawValue
        else { throw reader.error(.badValue, "protocol type", at: 2) }
        guard try reader.integer(at: 4, as: UInt8.self, "hardware length") == 6
        else { throw reader.error(.badLength, "hardware length", at: 4) }
        guard try reader.integer(at: 5, as: UInt8.self, "protocol length") == 4
        else { throw reader.error(.badLength, "protocol length", at: 5) }
        operation = Operation(rawValue: try reader.integer(at: 6, "operation"))
        senderHardwareAddress = try reader.mac(at: 8, "sender hardware address")
        senderProtocolAddress = try reader.ipv4(at: 14, "sender protocol address")
        targetHardwareAddress = try reader.mac(at: 18, "target hardware address")
        targetProtocolAddress = try reader.ipv4(at: 24, "target protocol address")
    }

    /// Writes the 28-byte packet; returns 28.
    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        var written = buffer.writeInteger(Self.hardwareTypeEthernet)
        written += buffer.writeInteger(EtherType.ipv4.rawValue)
        written += buffer.writeInteger(UInt8(6))
        written += buffer.writeInteger(UInt8(4))
        written += buffer.writeInteger(operation.rawValue)
        written += buffer.writeMAC(senderHardwareAddress)
        written += buffer.writeIPv4(senderProtocolAddress)
        written += buffer.writeMAC(targetHardwareAddress)
        written += buffer.writeIPv4(targetProtocolAddress)
        return written
    }

    public func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        write(to: &buffer)
        return buffer
    }
}
