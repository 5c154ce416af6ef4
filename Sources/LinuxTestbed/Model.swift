/// An OpenFlow version a bridge speaks, by its Open vSwitch name.
public enum OpenFlowProtocol: String, Sendable, Hashable, CaseIterable, Comparable {
    case openFlow10 = "OpenFlow10"
    case openFlow11 = "OpenFlow11"
    case openFlow12 = "OpenFlow12"
    case openFlow13 = "OpenFlow13"
    case openFlow14 = "OpenFlow14"
    case openFlow15 = "OpenFlow15"

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// An Open vSwitch bridge of a testbed (an OpenFlow switch on the userspace datapath).
public struct Bridge: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let datapathID: UInt64
    public let protocols: [OpenFlowProtocol]
    /// The bridge's management socket: `ovs-ofctl ... <command> <this path>` talks to it
    /// directly, whatever controller the bridge has.
    public let managementSocket: String

    /// The version `ovs-ofctl -O` uses for this bridge: the highest it speaks.
    public var ofctlProtocol: OpenFlowProtocol { protocols.max() ?? .openFlow13 }

    /// The datapath ID as Open vSwitch writes it (16 hex digits).
    public var datapathIDHex: String {
        let hex = String(datapathID, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }

    public var description: String { name }
}

/// One bridge-to-bridge cable: a veth pair in the switch namespace, one end a port of each bridge.
public struct Link: Sendable, Hashable, CustomStringConvertible {
    public let a: String
    public let aPort: UInt16
    public let b: String
    public let bPort: UInt16
    /// The veth end plugged into `a` (and `b`), in the switch namespace.
    public let aInterface: String
    public let bInterface: String

    public var description: String { "\(a):\(aPort)–\(b):\(bPort)" }
}

/// The route from the root namespace to the switch namespace that `tcp:` controller targets
/// use: a veth pair with a /30 out of 198.18.0.0/15 (the benchmarking range, used only here).
/// A controller in the test process listens on `controllerAddress` (or 0.0.0.0) and the
/// bridges are pointed at `target(port:)`.
public struct ControllerRoute: Sendable, Hashable {
    /// The root-namespace end's address: where the controller listens.
    public let controllerAddress: String
    /// The switch-namespace end's address: where the switches' connections come from.
    public let switchAddress: String
    /// The root-namespace end's interface name.
    public let interface: String

    /// `tcp:<controllerAddress>:<port>`, for `Testbed.setController`.
    public func target(port: Int) -> String { "tcp:\(controllerAddress):\(port)" }
}

/// What `TestbedHost.ping` saw.
public struct PingResult: Sendable, CustomStringConvertible {
    public var transmitted: Int
    public var received: Int
    /// Round-trip times of the answered requests, in milliseconds.
    public var roundTripMilliseconds: [Double]

    public var allAnswered: Bool { transmitted > 0 && received == transmitted }
    public var description: String { "\(received)/\(transmitted) answered" }
}

/// One UDP datagram a `UDPReceiver` got.
public struct UDPDatagram: Sendable, Hashable {
    public var sourceAddress: String
    public var sourcePort: Int
    public var payload: [UInt8]
    public var text: String { String(decoding: payload, as: UTF8.self) }
}
