/// The IPv4 Protocol field (RFC 791 §3.1; numbers from the IANA "Assigned Internet Protocol
/// Numbers" registry). A struct so that unknown protocols survive a parse and re-build.
public struct IPProtocol: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let icmp = IPProtocol(rawValue: 1)
    public static let tcp = IPProtocol(rawValue: 6)
    public static let udp = IPProtocol(rawValue: 17)
    /// OSPF (RFC 2328 §A.1).
    public static let ospf = IPProtocol(rawValue: 89)
}

extension IPProtocol: CustomStringConvertible {
    public var description: String { String(rawValue) }
}
