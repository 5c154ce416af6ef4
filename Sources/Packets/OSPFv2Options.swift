/// The OSPFv2 Options field (RFC 2328 §A.2), carried in Hello, Database Description and
/// LSA headers. Bits this codec does not name are kept as they are.
public struct OSPFv2Options: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// MT (RFC 4915; the old T bit of TOS routing).
    public static let multiTopology = OSPFv2Options(rawValue: 0x01)
    /// E: the area accepts AS-external-LSAs (not a stub area). Hello packets must agree on it
    /// (§10.5), so every router in a normal area sets it.
    public static let externalRouting = OSPFv2Options(rawValue: 0x02)
    /// MC: multicast extensions (RFC 1584).
    public static let multicast = OSPFv2Options(rawValue: 0x04)
    /// N/P: NSSA (RFC 3101).
    public static let nssa = OSPFv2Options(rawValue: 0x08)
    /// L: an LLS data block follows the packet (RFC 5613).
    public static let linkLocalSignaling = OSPFv2Options(rawValue: 0x10)
    /// DC: demand circuits (RFC 1793).
    public static let demandCircuits = OSPFv2Options(rawValue: 0x20)
    /// O: opaque LSAs (RFC 5250).
    public static let opaque = OSPFv2Options(rawValue: 0x40)
    /// DN: down bit (RFC 4576).
    public static let down = OSPFv2Options(rawValue: 0x80)
}
