import NIOCore
import OpenFlow
import OpenFlowNIO

/// The paper's NOX application (§3, Fig. 4(b)): when the virtual network starts, it installs a
/// flow from the client to the server and one back, along the network's path.
///
/// "Starts" means every switch on the path is up; the flows go out then, egress switch first
/// in each direction (``PathInstaller``), followed by a barrier per switch. A switch that
/// reconnects later (and so may have lost its table) gets its share again. Run it alone in a
/// ``ControllerRuntime`` or as one network's app in ``VirtualNetworkApps`` (mode a), or behind
/// the slicing proxy (mode b) in the network's own controller.
public struct ClientServerApp: ControllerApp {
    public struct Configuration: Hashable, Sendable {
        /// The path from the client to the server: first hop's `inPort` is the client's port,
        /// last hop's `outPort` the server's.
        public var path: [PathHop]
        /// The fields (besides `in_port`) of the client → server flow, e.g. `eth_type`, `ipv4_src`,
        /// `ipv4_dst`.
        public var toServer: [OXMField]
        /// The fields of the server → client flow.
        public var toClient: [OXMField]
        public var priority: UInt16
        public var cookie: UInt64

        public init(path: [PathHop], toServer: [OXMField], toClient: [OXMField], priority: UInt16 = 0x8000, cookie: UInt64 = 0xC5) {
            self.path = path
            self.toServer = toServer
            self.toClient = toClient
            self.priority = priority
            self.cookie = cookie
        }

        /// The same path walked from the server back to the client.
        public var reversePath: [PathHop] {
            path.reversed().map { PathHop(datapathID: $0.datapathID, inPort: $0.outPort, outPort: $0.inPort) }
        }
    }

    public let configuration: Configuration
    /// The path's switches that are up.
    public private(set) var up: Set<UInt64> = []
    /// Whether the network has started (every switch was up at once) and the flows were sent.
    public private(set) var started = false

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    public var switches: Set<UInt64> { Set(configuration.path.map(\.datapathID)) }

    /// Both directions' FLOW_MODs, grouped by switch, egress first in each direction.
    public var flows: [PathInstaller.SwitchFlows] {
        PathInstaller.flowMods(
            match: configuration.toServer, path: configuration.path, priority: configuration.priority, cookie: configuration.cookie)
            + PathInstaller.flowMods(
                match: configuration.toClient, path: configuration.reversePath, priority: configuration.priority,
                cookie: configuration.cookie)
    }

    public mutating func handle(_ event: ControllerEvent, now: NIODeadline) -> [ControllerCommand] {
        switch event {
        case .switchUp(let info) where switches.contains(info.datapathID):
            up.insert(info.datapathID)
            if started { return commands(for: [info.datapathID]) }
            guard up == switches else { return [] }
            started = true
            return commands(for: switches)
        case .switchDown(let datapathID):
            up.remove(datapathID)
            return []
        default:
            return []
        }
    }

    private func commands(for datapathIDs: Set<UInt64>) -> [ControllerCommand] {
        var commands: [ControllerCommand] = []
        for part in flows where datapathIDs.contains(part.datapathID) {
            commands += part.flowMods.map { .send(datapathID: part.datapathID, .flowMod($0)) }
            commands.append(.barrier(datapathID: part.datapathID))
        }
        return commands
    }
}
