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
    /// puts the egress first); returns once the last barrier is answered.
    public func install(_ flows: [PathInstaller.SwitchFlows]) async throws {
        for part in flows {
            guard let connection = connections[part.datapathID] else {
                throw ControllerRuntimeError.notConnected(datapathID: part.datapathID)
            }
            for flowMod in part.flowMods { try await connection.send(.of13(.flowMod(flowMod), xid: 0)) }
            try await connection.barrier()
        }
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
                logger.log(.warning, "controller: ignoring \(info): the apps speak OpenFlow 1.3 only")
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
            await dispatch(.switchUp(info))
        case .switchDisconnected(let datapathID, _):
            if let stale = staleCloses[datapathID] {
                staleCloses[datapathID] = stale > 1 ? stale - 1 : nil
                return
            }
            guard connections.removeValue(forKey: datapathID) != nil else { return }
            await dispatch(.switchDown(datapathID: datapathID))
        case .message(let datapathID, .of13(let message, _)):
            guard connections[datapathID] != nil else { return }
            switch message {
            case .packetIn(let packetIn): await dispatch(.packetIn(datapathID: datapathID, packetIn))
            case .portStatus(let status): await dispatch(.portStatus(datapathID: datapathID, status))
            case .flowRemoved(let removed): await dispatch(.flowRemoved(datapathID: datapathID, removed))
            case .error(let error): logger.log(.warning, "controller: switch \(datapathID) reported \(error)")
            default: break
            }
        case .message, .connectionRejected:
            break
        }
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
                logger.log(.debug, "controller: \(command) failed: \(error)")
            }
        }
    }
}

public enum ControllerRuntimeError: Error, Hashable, Sendable {
    case notConnected(datapathID: UInt64)
}
