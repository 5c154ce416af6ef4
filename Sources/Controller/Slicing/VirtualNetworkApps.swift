import NIOCore
import OpenFlow
import OpenFlowNIO

/// The paper's first mode of network virtualisation (§2.2): one controller, and one set of
/// apps per virtual network. This app holds the sets and stands between them and the
/// ``ControllerRuntime``:
///
/// - **Events in.** Each network's apps see only their share: `switchUp` of a switch the
///   network uses, with the port list cut down to its ports; `switchDown` of such a switch;
///   a PACKET_IN that ``FlowspacePolicy/admits(_:on:)``; a FLOW_REMOVED whose match the
///   network owns; PORT_STATUS of its ports; `linkUp`/`linkDown` whose two ends are its ports;
///   every `tick`.
/// - **Commands out.** FLOW_MOD and PACKET_OUT are confined by the same ``FlowspacePolicy`` as
///   the slicing proxy's (rewritten or refused); BARRIER_REQUEST and barriers pass to the
///   network's switches; anything else is refused. A refused command is dropped and kept in
///   ``refusals`` (in this mode there is no connection to send an `OFPT_ERROR` on).
/// - **Announcements** stay inside the network that made them: they go to its own apps only.
public struct VirtualNetworkApps: ControllerApp {
    /// One virtual network and its apps.
    public struct Slice: Sendable {
        public var network: VirtualNetwork
        public var apps: [any ControllerApp]
        /// Buffer ids this network saw in PACKET_INs (the most recent ones).
        var bufferIDs: [UInt32] = []

        public init(network: VirtualNetwork, apps: [any ControllerApp]) {
            self.network = network
            self.apps = apps
        }
    }

    /// A command of a network's app that was not carried out.
    public struct Refusal: Hashable, Sendable {
        public var network: String
        public var command: ControllerCommand
        public var violation: SlicingViolation
    }

    public private(set) var slices: [Slice]
    public private(set) var refusals: [Refusal] = []
    private let policies: [FlowspacePolicy]

    /// Throws ``SlicingConfigurationError`` if flowspaces overlap or names repeat.
    public init(_ slices: [Slice]) throws(SlicingConfigurationError) {
        try SlicingConfiguration.checkDisjoint(slices.map(\.network))
        self.slices = slices
        self.policies = slices.map { FlowspacePolicy(network: $0.network) }
    }

    /// The first app of type `A` in network `name`, as it is now.
    public func app<A: ControllerApp>(_ type: A.Type = A.self, in name: String) -> A? {
        guard let slice = slices.first(where: { $0.network.name == name }) else { return nil }
        for app in slice.apps { if let app = app as? A { return app } }
        return nil
    }

    public mutating func handle(_ event: ControllerEvent, now: NIODeadline) -> [ControllerCommand] {
        var commands: [ControllerCommand] = []
        for index in slices.indices {
            guard let local = view(of: event, for: index) else { continue }
            for command in run(local, in: index, now: now) {
                commands.append(contentsOf: confine(command, for: index))
            }
        }
        return commands
    }

    /// `event` as network `index` sees it; nil if it is none of its business.
    private mutating func view(of event: ControllerEvent, for index: Int) -> ControllerEvent? {
        let policy = policies[index]
        switch event {
        case .switchUp(var info):
            guard !policy.ports(on: info.datapathID).isEmpty else { return nil }
            info.ports = info.ports.filter { policy.owns(port: $0.number, on: info.datapathID) }
            return .switchUp(info)
        case .switchDown(let datapathID):
            return policy.ports(on: datapathID).isEmpty ? nil : event
        case .packetIn(let datapathID, let packetIn):
            guard policy.admits(packetIn, on: datapathID) else { return nil }
            if packetIn.bufferID != OF13.noBuffer {
                slices[index].bufferIDs.append(packetIn.bufferID)
                if slices[index].bufferIDs.count > 1_024 { slices[index].bufferIDs.removeFirst() }
            }
            return event
        case .portStatus(let datapathID, let status):
            return policy.owns(port: status.port.portNumber, on: datapathID) ? event : nil
        case .flowRemoved(let datapathID, let removed):
            return policy.owns(removed.match, on: datapathID) ? event : nil
        case .linkUp(let link), .linkDown(let link):
            let ends = [link.source, link.destination]
            return ends.allSatisfy { policy.owns(port: $0.port, on: $0.datapathID) } ? event : nil
        case .tick:
            return event
        }
    }

    /// Runs network `index`'s apps on `event` and the announcements they make among
    /// themselves; returns their other commands.
    private mutating func run(_ event: ControllerEvent, in index: Int, now: NIODeadline) -> [ControllerCommand] {
        var queue = [event]
        var commands: [ControllerCommand] = []
        var next = 0
        while next < queue.count {
            let event = queue[next]
            next += 1
            for app in slices[index].apps.indices {
                for command in slices[index].apps[app].handle(event, now: now) {
                    if case .announce(let announced) = command { queue.append(announced) } else { commands.append(command) }
                }
            }
        }
        return commands
    }

    private mutating func confine(_ command: ControllerCommand, for index: Int) -> [ControllerCommand] {
        let policy = policies[index]
        let name = slices[index].network.name
        switch command {
        case .send(let datapathID, .flowMod(let flowMod)):
            switch policy.confine(flowMod, on: datapathID, bufferIDs: Set(slices[index].bufferIDs)) {
            case .success(let flowMods): return flowMods.map { .send(datapathID: datapathID, .flowMod($0)) }
            case .failure(let violation): return refuse(command, name, violation)
            }
        case .send(let datapathID, .packetOut(let packetOut)):
            switch policy.confine(packetOut, on: datapathID, bufferIDs: Set(slices[index].bufferIDs)) {
            case .success(let confined): return [.send(datapathID: datapathID, .packetOut(confined))]
            case .failure(let violation): return refuse(command, name, violation)
            }
        case .send(let datapathID, .barrierRequest), .barrier(let datapathID):
            guard !policy.ports(on: datapathID).isEmpty else {
                return refuse(command, name, .requestNotPermitted("switch \(datapathID) is not part of \(name)"))
            }
            return [command]
        case .send(_, let message):
            return refuse(command, name, .requestNotPermitted("\(message.typeName) is not available to a virtual network's app"))
        case .announce:
            return []
        }
    }

    private mutating func refuse(_ command: ControllerCommand, _ network: String, _ violation: SlicingViolation) -> [ControllerCommand] {
        refusals.append(Refusal(network: network, command: command, violation: violation))
        if refusals.count > 1_000 { refusals.removeFirst(refusals.count - 1_000) }
        return []
    }
}
