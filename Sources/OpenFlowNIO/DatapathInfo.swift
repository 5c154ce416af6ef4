import OpenFlow

/// What the controller learns about a switch during the handshake: the FEATURES_REPLY
/// (spec 1.3.5 §7.3.1, 1.0.0 §5.3.1) and its ports. OpenFlow 1.0 lists the ports in the
/// FEATURES_REPLY itself; OpenFlow 1.3 moved them to the `OFPMP_PORT_DESC` multipart reply
/// (§7.3.5.6), which the connection asks for before it reports the switch as up.
public struct DatapathInfo: Hashable, Sendable, CustomStringConvertible {
    /// `datapath_id`: the low 48 bits are a MAC address, the top 16 are chosen by the switch.
    public var datapathID: UInt64
    /// The negotiated wire version (``OpenFlowVersion/v10`` or ``OpenFlowVersion/v13``).
    public var version: UInt8
    public var tableCount: UInt8
    public var bufferCount: UInt32
    /// `auxiliary_id` (OF1.3); always 0 for OF1.0, which has no auxiliary connections.
    public var auxiliaryID: UInt8
    /// `enum ofp_capabilities` as sent; bits 0-2, 5 and 6 mean the same in both versions.
    public var capabilities: UInt32
    public var ports: [SwitchPort]

    public init(
        datapathID: UInt64, version: UInt8, tableCount: UInt8, bufferCount: UInt32 = 0, auxiliaryID: UInt8 = 0,
        capabilities: UInt32 = 0, ports: [SwitchPort] = []
    ) {
        self.datapathID = datapathID
        self.version = version
        self.tableCount = tableCount
        self.bufferCount = bufferCount
        self.auxiliaryID = auxiliaryID
        self.capabilities = capabilities
        self.ports = ports
    }

    public init(_ reply: OF13.FeaturesReply, ports: [SwitchPort] = []) {
        self.init(
            datapathID: reply.datapathID, version: OpenFlowVersion.v13, tableCount: reply.tableCount,
            bufferCount: reply.bufferCount, auxiliaryID: reply.auxiliaryID,
            capabilities: reply.capabilities.rawValue, ports: ports)
    }

    public init(_ reply: OF10.FeaturesReply) {
        self.init(
            datapathID: reply.datapathID, version: OpenFlowVersion.v10, tableCount: reply.tableCount,
            bufferCount: reply.bufferCount, capabilities: reply.capabilities.rawValue,
            ports: reply.ports.map(SwitchPort.init))
    }

    /// The datapath id as Open vSwitch prints it (16 hex digits).
    public var datapathIDString: String {
        let hex = String(datapathID, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }

    public var description: String {
        "dpid \(datapathIDString) \(OpenFlowVersion.name(version)) tables=\(tableCount) ports=\(ports)"
    }
}
