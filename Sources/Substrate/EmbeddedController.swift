import Controller
import NIOCore
import OpenFlow
import OpenFlowNIO

/// An OpenFlow controller in the same process and on the same clock as the embedded
/// switches. It hosts ``ControllerApp``s exactly as ``ControllerRuntime`` does (switch
/// messages become ``ControllerEvent``s; announcements reach every app before any command is
/// sent; a periodic `tick`; a `barrier` command holds the app's later messages to that switch
/// until the reply), and offers a raw API to other drivers: send any message with a chosen
/// xid, and see every message from the switches with the time it arrived.
public final class EmbeddedController {
    /// A message from a switch, as the raw hook sees it.
    public struct SwitchMessage: Hashable, Sendable {
        public var datapathID: UInt64
        public var message: OF13.Message
        public var xid: UInt32
        public var receivedAt: NIODeadline
    }

    private struct Handshake {
        var featuresXID: UInt32
        var portDescXID: UInt32
        var features: OF13.FeaturesReply?
        var ports: [OF13.Port] = []
    }

    /// Per switch: app messages held behind an unanswered barrier.
    private struct Outbox {
        var waitingFor: UInt32?
        var held: [(OF13.Message, UInt32)] = []
    }

    public let clock: any SubstrateClock
    public private(set) var apps: [any ControllerApp]
    public let tickInterval: TimeAmount
    public var trace: EventTrace?
    /// Switches whose handshake finished (the apps saw `switchUp`).
    public private(set) var connected: [UInt64: DatapathInfo] = [:]
    /// Every message from a switch, with `now`, before the controller acts on it.
    public var onSwitchMessage: ((SwitchMessage) -> Void)?
    /// Every event given to the apps (after the switch messages that caused it).
    public var onEvent: ((ControllerEvent, NIODeadline) -> Void)?
    /// OFPT_ERROR messages received, in order.
    public private(set) var errors: [(datapathID: UInt64, error: OF13.ErrorMessage, xid: UInt32)] = []
    private var channels: [UInt64: ControlChannel] = [:]
    private var handshakes: [UInt64: Handshake] = [:]
    private var outboxes: [UInt64: Outbox] = [:]
    private var barrierWaiters: [UInt32: () -> Void] = [:]
    /// xids of the controller's own requests count from here; raw senders choose theirs.
    private var nextInternalXID: UInt32 = 0x8000_0000
    private var tickTimer: ScheduledEvent?

    public init(apps: [any ControllerApp] = [], tickInterval: TimeAmount = .milliseconds(100), clock: any SubstrateClock)
    {
        self.apps = apps
        self.tickInterval = tickInterval
        self.clock = clock
    }

    /// The first app of type `A`, as it is now.
    public func app<A: ControllerApp>(_ type: A.Type = A.self) -> A? {
        for app in apps { if let app = app as? A { return app } }
        return nil
    }

    /// Adds an app; it sees events from now on (switches already up are announced to it).
    public func add(_ app: any ControllerApp) {
        apps.append(app)
        let index = apps.count - 1
        for info in connected.values.sorted(by: { $0.datapathID < $1.datapathID }) {
            let commands = apps[index].handle(.switchUp(info), now: clock.now)
            execute(commands.filter { if case .announce = $0 { false } else { true } })
        }
    }

    /// Starts the periodic `tick` (LLDP probes and link timeouts run on it).
    public func start() {
        guard tickTimer == nil else { return }
        scheduleTick()
    }

    /// Stops the tick.
    public func stop() {
        if let tickTimer { clock.cancel(tickTimer) }
        tickTimer = nil
    }

    private func scheduleTick() {
        tickTimer = clock.schedule(after: tickInterval) { [self] in
            scheduleTick()
            dispatch(.tick)
        }
    }

    // MARK: switches

    /// Opens a control channel to `switch` with one-way `latency`, and starts the handshake
    /// (FEATURES_REQUEST, then the port list by OFPMP_PORT_DESC); the apps see `switchUp`
    /// when both replies are in.
    @discardableResult
    public func connect(_ sw: EmbeddedSwitch, latency: TimeAmount = .zero) -> ControlChannel {
        sw.channel?.close()
        let channel = ControlChannel(switch: sw, controller: self, latency: latency, clock: clock)
        channel.trace = trace
        sw.channel = channel
        channels[sw.datapathID] = channel
        let handshake = Handshake(featuresXID: internalXID(), portDescXID: internalXID())
        handshakes[sw.datapathID] = handshake
        channel.sendToSwitch(.featuresRequest, xid: handshake.featuresXID)
        channel.sendToSwitch(
            .multipartRequest(OF13.MultipartRequest(body: .portDesc)), xid: handshake.portDescXID)
        return channel
    }

    func closed(_ channel: ControlChannel) {
        let datapathID = channel.datapathID
        guard channels[datapathID] === channel else { return }
        channels[datapathID] = nil
        handshakes[datapathID] = nil
        outboxes[datapathID] = nil
        if connected.removeValue(forKey: datapathID) != nil { dispatch(.switchDown(datapathID: datapathID)) }
    }

    func receive(_ message: OF13.Message, xid: UInt32, from channel: ControlChannel) {
        let datapathID = channel.datapathID
        guard channels[datapathID] === channel else { return }
        let now = clock.now
        onSwitchMessage?(SwitchMessage(datapathID: datapathID, message: message, xid: xid, receivedAt: now))
        switch message {
        case .featuresReply(let reply) where handshakes[datapathID]?.featuresXID == xid:
            handshakes[datapathID]?.features = reply
            finishHandshake(datapathID)
        case .multipartReply(let reply) where handshakes[datapathID]?.portDescXID == xid:
            if case .portDesc(let ports) = reply.body { handshakes[datapathID]?.ports += ports.elements }
            if !reply.flags.contains(.replyMore) {
                handshakes[datapathID]?.portDescXID = 0
                finishHandshake(datapathID)
            }
        case .barrierReply:
            if let waiter = barrierWaiters.removeValue(forKey: xid) { waiter() }
            if outboxes[datapathID]?.waitingFor == xid { releaseHeld(datapathID) }
        case .error(let error):
            errors.append((datapathID, error, xid))
            trace?.record(now, "ctl error from \(datapathID) xid=\(xid) \(error)")
        case .packetIn(let packetIn) where connected[datapathID] != nil:
            dispatch(.packetIn(datapathID: datapathID, packetIn))
        case .portStatus(let status) where connected[datapathID] != nil:
            dispatch(.portStatus(datapathID: datapathID, status))
        case .flowRemoved(let removed) where connected[datapathID] != nil:
            dispatch(.flowRemoved(datapathID: datapathID, removed))
        default:
            break
        }
    }

    private func finishHandshake(_ datapathID: UInt64) {
        guard let handshake = handshakes[datapathID], let features = handshake.features,
            handshake.portDescXID == 0
        else { return }
        handshakes[datapathID] = nil
        let info = DatapathInfo(features, ports: handshake.ports.map(SwitchPort.init))
        connected[datapathID] = info
        dispatch(.switchUp(info))
    }

    // MARK: apps

    /// Gives `event` to every app (and what they announce), then carries out their commands.
    public func dispatch(_ event: ControllerEvent) {
        let now = clock.now
        var queue = [event]
        var commands: [ControllerCommand] = []
        var next = 0
        while next < queue.count {
            let event = queue[next]
            next += 1
            onEvent?(event, now)
            for index in apps.indices {
                for command in apps[index].handle(event, now: now) {
                    if case .announce(let announced) = command { queue.append(announced) } else { commands.append(command) }
                }
            }
        }
        execute(commands)
    }

    private func execute(_ commands: [ControllerCommand]) {
        for command in commands {
            switch command {
            case .send(let datapathID, let message):
                sendHeld(message, xid: internalXID(), to: datapathID)
            case .barrier(let datapathID):
                guard channels[datapathID] != nil else { continue }
                let xid = internalXID()
                sendHeld(.barrierRequest, xid: xid, to: datapathID)
                if outboxes[datapathID]?.waitingFor == nil {
                    outboxes[datapathID, default: Outbox()].waitingFor = xid
                }
            case .announce:
                break
            }
        }
    }

    /// Sends now, or holds the message behind an unanswered app barrier to that switch.
    private func sendHeld(_ message: OF13.Message, xid: UInt32, to datapathID: UInt64) {
        guard let channel = channels[datapathID] else { return }
        if outboxes[datapathID]?.waitingFor != nil {
            outboxes[datapathID]!.held.append((message, xid))
        } else {
            channel.sendToSwitch(message, xid: xid)
        }
    }

    private func releaseHeld(_ datapathID: UInt64) {
        guard var outbox = outboxes[datapathID], let channel = channels[datapathID] else { return }
        outbox.waitingFor = nil
        var index = 0
        while index < outbox.held.count {
            let (message, xid) = outbox.held[index]
            index += 1
            channel.sendToSwitch(message, xid: xid)
            if case .barrierRequest = message {
                outbox.waitingFor = xid
                break
            }
        }
        outbox.held.removeFirst(index)
        outboxes[datapathID] = outbox
    }

    // MARK: raw API

    /// A fresh xid from the controller's own range (0x80000000 and up).
    public func internalXID() -> UInt32 {
        defer { nextInternalXID = nextInternalXID == .max ? 0x8000_0000 : nextInternalXID + 1 }
        return nextInternalXID
    }

    /// Sends `message` with `xid` to switch `datapathID` at once (apps' barriers do not hold
    /// it back). Returns false if the switch has no channel.
    @discardableResult
    public func send(_ message: OF13.Message, xid: UInt32, to datapathID: UInt64) -> Bool {
        guard let channel = channels[datapathID] else { return false }
        channel.sendToSwitch(message, xid: xid)
        return true
    }

    /// Sends a BARRIER_REQUEST to `datapathID`; `completion` runs when its reply arrives.
    public func barrier(_ datapathID: UInt64, completion: @escaping () -> Void) {
        let xid = internalXID()
        barrierWaiters[xid] = completion
        if !send(.barrierRequest, xid: xid, to: datapathID) { barrierWaiters[xid] = nil }
    }

    /// Installs flows switch after switch, each switch's FLOW_MODs followed by a barrier
    /// whose reply releases the next switch's (as ``ControllerRuntime/install(_:)``);
    /// `completion` runs after the last reply.
    public func install(_ flows: [PathInstaller.SwitchFlows], completion: @escaping () -> Void = {}) {
        guard let first = flows.first else {
            completion()
            return
        }
        for flowMod in first.flowMods { send(.flowMod(flowMod), xid: internalXID(), to: first.datapathID) }
        barrier(first.datapathID) { [self] in install(Array(flows.dropFirst()), completion: completion) }
    }
}
