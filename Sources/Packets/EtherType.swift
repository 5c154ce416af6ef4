/// The 16-bit EtherType that says what an Ethernet frame carries (IEEE 802.3 clause 3.2.6).
///
/// A struct rather than an enum so that any value read off the wire is representable and
/// written back unchanged. Values below 0x0600 are 802.3 length fields (LLC frames), which
/// this module does not decode further.
public struct EtherType: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let ipv4 = EtherType(rawValue: 0x0800)
    public static let arp = EtherType(rawValue: 0x0806)
    /// Customer VLAN tag protocol identifier (IEEE 802.1Q §9.5).
    public static let vlan = EtherType(rawValue: 0x8100)
    public static let ipv6 = EtherType(rawValue: 0x86DD)
    /// IEEE 802.1AB §8.2.
    public static let lldp = EtherType(rawValue: 0x88CC)
}

extension EtherType: CustomStringConvertible {
    public var description: String {
        let hex = String(rawValue, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
