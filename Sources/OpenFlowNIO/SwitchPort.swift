import NetworkAddresses
import OpenFlow

/// One port of a switch, the same for both versions: what the controller needs to know from
/// `struct ofp_phy_port` (spec 1.0.0 §5.2.1) and `struct ofp_port` (spec 1.3.5 §7.2.1).
///
/// Port numbers are 32 bits. OpenFlow 1.0's reserved 16-bit numbers (`0xff00` and up:
/// `OFPP_LOCAL` = `0xfffe`, ...) are widened to their OpenFlow 1.3 values (`0xfffffffe`, ...)
/// as Open vSwitch does, so `OFPP_LOCAL` is one number whatever the version.
public struct SwitchPort: Hashable, Sendable, CustomStringConvertible {
    public var number: UInt32
    public var name: String
    public var hardwareAddress: MACAddress
    /// `OFPPC_PORT_DOWN`: administratively down.
    public var isAdminDown: Bool
    /// `OFPPS_LINK_DOWN`: no physical link.
    public var isLinkDown: Bool

    public init(number: UInt32, name: String, hardwareAddress: MACAddress, isAdminDown: Bool = false, isLinkDown: Bool = false) {
        self.number = number
        self.name = name
        self.hardwareAddress = hardwareAddress
        self.isAdminDown = isAdminDown
        self.isLinkDown = isLinkDown
    }

    public init(_ port: OF13.Port) {
        self.init(
            number: port.portNumber, name: port.name, hardwareAddress: port.hardwareAddress,
            isAdminDown: port.config.contains(.portDown), isLinkDown: port.state.contains(.linkDown))
    }

    public init(_ port: OF10.PhysicalPort) {
        self.init(
            number: Self.widen(port.portNumber), name: port.name, hardwareAddress: port.hardwareAddress,
            isAdminDown: port.config.contains(.portDown), isLinkDown: port.state.contains(.linkDown))
    }

    /// An OpenFlow 1.0 port number as a 32-bit one (reserved ports moved to the top).
    public static func widen(_ number: UInt16) -> UInt32 {
        number >= OF10.PortNumber.max ? UInt32(number) | 0xFFFF_0000 : UInt32(number)
    }

    /// A 32-bit port number as an OpenFlow 1.0 one; nil if it does not fit.
    public static func narrow(_ number: UInt32) -> UInt16? {
        if number >= 0xFFFF_FF00 { return UInt16(truncatingIfNeeded: number) }
        return number < UInt32(OF10.PortNumber.max) ? UInt16(number) : nil
    }

    /// The port as OpenFlow 1.3 describes it (a switch-side reply).
    public var of13: OF13.Port {
        OF13.Port(
            portNumber: number, hardwareAddress: hardwareAddress, name: name,
            config: isAdminDown ? .portDown : [], state: isLinkDown ? .linkDown : .live)
    }

    /// The port as OpenFlow 1.0 describes it; nil if its number does not fit 16 bits.
    public var of10: OF10.PhysicalPort? {
        guard let narrow = Self.narrow(number) else { return nil }
        return OF10.PhysicalPort(
            portNumber: narrow, hardwareAddress: hardwareAddress, name: name,
            config: isAdminDown ? .portDown : [], state: isLinkDown ? .linkDown : [])
    }

    public var description: String { "\(number)(\(name))" }
}
