import NIOCore
import NetworkAddresses
import OpenFlow

/// Ports come and go, and go up and down, by the driver's hand; each change is reported to
/// the controller as a PORT_STATUS message (spec 1.3.5 §7.4.3).
extension Datapath {
    /// Adds a port, or replaces the description of an existing one.
    public mutating func addPort(_ port: OF13.Port, now: NIODeadline) -> [DatapathOutput] {
        let existed = ports[port.portNumber] != nil
        if existed {
            ports[port.portNumber]!.description = port
        } else {
            ports[port.portNumber] = DatapathPort(port, now: now)
            portNumbers.append(port.portNumber)
            portNumbers.sort()
        }
        return portStatus(existed ? .modify : .add, port)
    }

    /// Adds port `number`, up, with a name (`port<number>`) and a locally administered
    /// address derived from the datapath id and the number unless given.
    public mutating func addPort(
        number: UInt32, name: String? = nil, hardwareAddress: MACAddress? = nil, now: NIODeadline
    ) -> [DatapathOutput] {
        let address =
            hardwareAddress
            ?? MACAddress(rawValue: 0x0200_0000_0000 | (configuration.datapathID & 0xFFFF) << 24 | UInt64(number & 0xFF_FFFF))
        return addPort(
            OF13.Port(
                portNumber: number, hardwareAddress: address, name: name ?? "port\(number)", state: [.live],
                current: [.rate10GbFD, .copper], supported: [.rate10GbFD, .copper], currentSpeed: 10_000_000,
                maxSpeed: 10_000_000),
            now: now)
    }

    /// Removes a port. Flows that output to it stay (spec 1.3.5 §6.6: they simply drop).
    public mutating func removePort(_ number: UInt32, now: NIODeadline) -> [DatapathOutput] {
        guard let port = ports.removeValue(forKey: number) else { return [] }
        portNumbers.removeAll { $0 == number }
        return portStatus(.delete, port.description)
    }

    /// Sets a port's link up or down (`OFPPS_LINK_DOWN`, `OFPPS_LIVE`): what a cable pull
    /// does. Fast-failover groups see the change on their next packet.
    public mutating func setLink(_ number: UInt32, up: Bool, now: NIODeadline) -> [DatapathOutput] {
        guard ports[number] != nil else { return [] }
        var state = ports[number]!.description.state
        if up {
            state.remove(.linkDown)
            state.insert(.live)
        } else {
            state.insert(.linkDown)
            state.remove(.live)
        }
        guard state != ports[number]!.description.state else { return [] }
        ports[number]!.description.state = state
        return portStatus(.modify, ports[number]!.description)
    }

    /// The description of port `number`.
    public func port(_ number: UInt32) -> OF13.Port? { ports[number]?.description }

    /// The counters of port `number`.
    public func portStatistics(_ number: UInt32) -> OF13.PortStats? { ports[number]?.stats }

    /// Every port, by number.
    public var portList: [OF13.Port] { portNumbers.compactMap { ports[$0]?.description } }

    func portStatus(_ reason: OF13.PortStatus.Reason, _ port: OF13.Port) -> [DatapathOutput] {
        guard wants(asyncConfig.portStatusMask, reason: reason.rawValue) else { return [] }
        return [.message(.portStatus(OF13.PortStatus(reason: reason, port: port)), xid: 0)]
    }

    /// PORT_MOD (spec 1.3.5 §7.3.4.3): changes the config bits under `mask`; the hardware
    /// address must be the port's.
    mutating func portMod(_ mod: OF13.PortMod, now: NIODeadline) throws(DatapathError) -> [DatapathOutput] {
        guard let port = ports[mod.portNumber] else { throw .portModBadPort("port \(mod.portNumber)") }
        guard port.description.hardwareAddress == mod.hardwareAddress else {
            throw .portModBadHardwareAddress("\(mod.hardwareAddress) is not port \(mod.portNumber)'s address")
        }
        let config = OF13.Port.Config(
            rawValue: (port.description.config.rawValue & ~mod.mask.rawValue) | (mod.config.rawValue & mod.mask.rawValue))
        guard config != port.description.config else { return [] }
        ports[mod.portNumber]!.description.config = config
        return portStatus(.modify, ports[mod.portNumber]!.description)
    }
}
