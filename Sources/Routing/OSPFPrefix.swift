import NetworkAddresses

/// An IPv4 destination prefix: a network address (host bits zero) and a prefix length.
public struct OSPFPrefix: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let address: IPv4Address
    public let length: Int

    /// The prefix of `address`/`length`; host bits of `address` are cleared. `length` is clamped to 0...32.
    public init(_ address: IPv4Address, length: Int) {
        let length = max(0, min(32, length))
        self.length = length
        self.address = IPv4Address(rawValue: address.rawValue & IPv4Address.mask(prefixLength: length).rawValue)
    }

    /// The prefix of a network number and mask (as in stub links and summary-LSAs); the length
    /// counts the mask's leading ones.
    public init(network: IPv4Address, mask: IPv4Address) {
        self.init(network, length: mask.rawValue.leadingZeroBitCount == 0 ? (~mask.rawValue).leadingZeroBitCount : 0)
    }

    /// Parses "a.b.c.d/n".
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let address = IPv4Address(parts[0]), let length = Int(parts[1]), (0...32).contains(length)
        else { return nil }
        self.init(address, length: length)
    }

    public var mask: IPv4Address { .mask(prefixLength: length) }

    public func contains(_ host: IPv4Address) -> Bool { host.rawValue & mask.rawValue == address.rawValue }

    public static func < (a: Self, b: Self) -> Bool { (a.address, a.length) < (b.address, b.length) }

    public var description: String { "\(address)/\(length)" }
}
