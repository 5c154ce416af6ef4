import NetworkAddresses

extension Scenario {
    /// An IPv4 address with a prefix length, `10.0.1.10/24`. For an interface the address is the
    /// interface's own (host bits set); for a flowspace or route it is the network (host bits 0).
    public struct Prefix: Hashable, Sendable {
        public var address: IPv4Address
        public var length: Int

        public init(_ address: IPv4Address, length: Int) {
            self.address = address
            self.length = length
        }

        public init?(parsing text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let address = IPv4Address(parts[0]), let length = Int(parts[1]),
                (0...32).contains(length), parts[1].allSatisfy(\.isNumber)
            else { return nil }
            self.init(address, length: length)
        }

        public var mask: IPv4Address { IPv4Address.mask(prefixLength: length) }
        /// The network this prefix names: the address with its host bits cleared.
        public var network: Prefix { Prefix(IPv4Address(rawValue: address.rawValue & mask.rawValue), length: length) }
        public var hasHostBits: Bool { network.address != address }

        public func contains(_ other: IPv4Address) -> Bool {
            other.rawValue & mask.rawValue == address.rawValue & mask.rawValue
        }

        /// Whether two prefixes share any address.
        public func overlaps(_ other: Prefix) -> Bool {
            let shorter = min(length, other.length)
            let mask = IPv4Address.mask(prefixLength: shorter).rawValue
            return address.rawValue & mask == other.address.rawValue & mask
        }
    }
}

extension Scenario.Prefix: CustomStringConvertible {
    public var description: String { "\(address)/\(length)" }
}

extension Scenario.Prefix: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not an IPv4 prefix")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
