import NIOCore
import OpenFlow
import OpenFlowNIO

/// The one part of the controller that does I/O: turns an ``OpenFlowServer``'s events into
/// ``ControllerEvent``s for the apps, adds a periodic `tick`, and carries out the apps'
/// ``ControllerCommand``s over the switches' connections.
///
/// Every app sees every event, in the order of `apps`; announcements an event causes are
/// handled by all apps before any command is sent, so the apps' state never lags what they
/// told each other. Only OpenFlow 1.3 switches are handed to the apps.
public actor ControllerRuntime {
    public private(set) var apps: [any ControllerApp]
    /// The connected OpenFlow 1.3 switches.
    public private(set) var connections: [UInt64: OpenFlowConnection] = [:]
    /// The connected OpenFlow 1.3 switches as the handshake found them, with their ports kept
    /// up to date from PORT_STATUS (added, changed, deleted).
    public private(set) var datapaths: [UInt64: DatapathInfo] = [:]
    /// When each connected switch came up (by ``init(server:apps:tickInterval:clock:logger:)``'s clock).
    public private(set) var connectedSince: [UInt64: NIODeadline] = [:]
    /// Per switch, closes still to come from connections that a newer one replaced.
    private var staleCloses: [UInt64: Int] = [:]
    private let server: OpenFlowServer
    private let tickInterval: TimeAmount
    private let clock: @Sendable () -> NIODeadline
    private let logger: any OpenFlowLogger

    public init(
        server: OpenFlowServer, apps: [any ControllerApp], tickInterval: TimeAmount = .milliseconds(100),
        clock: @escaping @Sendable () -> NIODeadline = { .now() }, logger: any OpenFlowLogger = PrintOpenFlowLogger()
    ) {
        self.server = server
        self.apps = apps
        self.tickInterval = tickInterval
        self.clock = clock
        self.logger = logger
    }

    /// Handles the server's events and ticks until the server closes (its event stream ends)
    /// or the task is cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            let interval = Duration.nanoseconds(tickInterval.nanoseconds)
            group.addTask { [self] in
                while !Task.isCancelled {
                    do { try await Task.sleep(for: interval) } catch { return }
                    await dispatch(.tick)
                }
            }
            for await event in server.events {
                if Task.isCancelled { break }
                await handle(event)
            }
            group.cancelAll()
        }
    }

    /// The first app of type `A`, as it is now (a copy: apps are values).
    public func app<A: ControllerApp>(_ type: A.Type = A.self) -> A? {
        for app in apps { if let app = app as? A { return app } }
        return nil
    }

    /// Gives `event` to every app (and the announcements it causes), then carries out the
    /// commands.
    public func dispatch(_ event: ControllerEvent) async {
        await execute(decide(event, now: clock()))
    }

    /// Sends each switch's FLOW_MODs followed by a barrier, switch after switch in the given
    /// order (``PathInstaller/flowMods(match:path:priority:cookie:idleTimeout:hardTimeout:tableID:)``
    /// puts the egress first); returns once the last barrier is answered. If a switch answers
    /// one of its FLOW_MODs with `OFPT_ERROR`, stops there and throws
    /// ``ControllerRuntimeError/switchError(datapathID:_:)``: the switches before it keep their
    /// flows, the ones after it were not touched.
    public func install(_ flows: [PathInstaller.SwitchFlows]) async throws {
        for part in flows {
            guard let connection = connections[part.datapathID] else {
                throw ControllerRuntimeError.notConnected(datapathID: part.datapathID)
            }
            let errors = try await connection.sendConfirmed(part.flowMods.map { .of13(.flowMod($0), xid: 0) })
            if !errors.isEmpty { throw ControllerRuntimeError.switchError(datapathID: part.datapathID, errors) }
        }
    }

    /// The connection of switch `datapathID`; throws ``ControllerRuntimeError/notConnected(datapathID:)``.
    public func connection(_ datapathID: UInt64) throws(ControllerRuntimeError) -> OpenFlowConnection {
        guard let connection = connections[datapathID] else { throw .notConnected(datapathID: datapathID) }
        return connection
    }

    /// ``install(_:)`` of the flows for `match` along `path`.
    public func installPath(_ path: [PathHop], match: [OXMField], priority: UInt16 = 0x8000, cookie: UInt64 = 0)
        async throws
    {
        try await install(PathInstaller.flowMods(match: match, path: path, priority: priority, cookie: cookie))
    }

    private func handle(_ event: OpenFlowServer.Event) async {
        switch event {
        case .switchConnected(let info, let connection):
            guard info.version == OpenFlowVersion.v13 else {
                logger.log(
                    .warning, "controller: ignoring a switch: the apps speak OpenFlow 1.3 only",
                    metadata: ["dpid": info.datapathIDString, "version": OpenFlowVersion.name(info.version)])
                return
            }
            if connections[info.datapathID] != nil {
                // A new connection of a switch whose old one has not reported its close yet
                // (events of different connections are not ordered): the apps see the old one
                // go first, and its late close must not take the new one down.
                staleCloses[info.datapathID, default: 0] += 1
                await dispatch(.switchDown(datapathID: info.datapathID))
            }
            connections[info.datapathID] = connection
            datapaths[info.datapathID] = info
            connectedSince[info.datapathID] = clock()
            await dispatch(.switchUp(info))
        case .switchDisconnected(let datapathID, _):
            if let stale = staleCloses[datapathID] {
                staleCloses[datapathID] = stale > 1 ? stale - 1 : nil
                return
            }
            guard connections.removeValue(forKey: datapathID) != nil else { return }
            datapaths[datapathID] = nil
            connectedSince[datapathID] = nil
            await dispatch(.switchDown(datapathID: datapathID))
        case .message(let datapathID, .of13(let message, _)):
            guard connections[datapathID] != nil else { return }
            switch message {
            case .packetIn(let packetIn): await dispatch(.packetIn(datapathID: datapathID, packetIn))
            case .portStatus(let status):
                update(datapathID, with: status)
                await dispatch(.portStatus(datapathID: datapathID, status))
            case .flowRemoved(let removed): await dispatch(.flowRemoved(datapathID: datapathID, removed))
            case .error(let error):
                logger.log(
                    .warning, "controller: switch reported an error",
                    metadata: ["dpid": dpidHex(datapathID), "error": "\(error)"])
            default: break
            }
        case .message, .connectionRejected:
            break
        }
    }

    /// Keeps ``datapaths``' port list current.
    private func update(_ datapathID: UInt64, with status: OF13.PortStatus) {
        guard var info = datapaths[datapathID] else { return }
        let port = SwitchPort(status.port)
        info.ports.removeAll { $0.number == port.number }
        if status.reason != .delete {
            info.ports.append(port)
            info.ports.sort { $0.number < $1.number }
        }
        datapaths[datapathID] = info
    }

    private func decide(_ event: ControllerEvent, now: NIODeadline) -> [ControllerCommand] {
        var queue = [event]
        var commands: [ControllerCommand] = []
        var next = 0
        while next < queue.count {
            let event = queue[next]
            next += 1
            for index in apps.indices {
                for command in apps[index].handle(event, now: now) {
                    if case .announce(let announced) = command { queue.append(announced) } else { commands.append(command) }
                }
            }
        }
        return commands
    }

    private func execute(_ commands: [ControllerCommand]) async {
        for command in commands {
            do {
                switch command {
                case .send(let datapathID, let message):
                    try await connections[datapathID]?.send(.of13(message, xid: 0))
                case .barrier(let datapathID):
                    try await connections[datapathID]?.barrier()
                case .announce:
                    break
                }
            } catch {
                logger.log(.debug, "controller: a command failed", metadata: ["command": "\(command)", "error": "\(error)"])
            }
        }
    }
}

public enum ControllerRuntimeError: Error, Hashable, Sendable, CustomStringConvertible {
    case notConnected(datapathID: UInt64)
    /// The switch answered messages sent to it with these `OFPT_ERROR`s.
    case switchError(datapathID: UInt64, [OpenFlowMessage])

    public var description: String {
        switch self {
        case .notConnected(let datapathID): "switch \(dpidHex(datapathID)) is not connected"
        case .switchError(let datapathID, let errors):
            "switch \(dpidHex(datapathID)) answered with \(errors.map { "\($0)" }.joined(separator: "; "))"
        }
    }
}

/// A datapath id as Open vSwitch prints it (16 hex digits).
private func dpidHex(_ datapathID: UInt64) -> String {
    let hex = String(datapathID, radix: 16)
    return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
}
