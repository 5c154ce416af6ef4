import NetworkAddresses

/// An IPv4 prefix such as `10.1.0.0/16`: the addresses whose first `length` bits equal
/// `address`'s. Part of a ``Flowspace``.
public struct IPv4Prefix: Hashable, Sendable, CustomStringConvertible {
    /// The network address (host bits zero).
    public let address: IPv4Address
    public let length: Int

    /// Nil if `length` is not 0...32 or `address` has host bits set.
    public init?(_ address: IPv4Address, length: Int) {
        guard (0...32).contains(length), address.rawValue & ~Self.maskBits(length) == 0 else { return nil }
        self.address = address
        self.length = length
    }

    /// Parses `A.B.C.D/N`; nil if malformed or if host bits are set.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(parts[0]), let length = Int(parts[1]) else { return nil }
        self.init(address, length: length)
    }

    public var mask: UInt32 { Self.maskBits(length) }

    public func contains(_ address: IPv4Address) -> Bool { address.rawValue & mask == self.address.rawValue }

    public func overlaps(_ other: IPv4Prefix) -> Bool {
        let common = Self.maskBits(min(length, other.length))
        return address.rawValue & common == other.address.rawValue & common
    }

    public var description: String { "\(address)/\(length)" }

    static func maskBits(_ length: Int) -> UInt32 {
        length <= 0 ? 0 : UInt32.max << UInt32(32 - min(length, 32))
    }
}
