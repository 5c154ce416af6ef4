import NIOCore
import OpenFlow

/// Carries out a ``FlowMigrationPlan`` as pure logic (sans-I/O): events come in as values with
/// the time, and each returns the ``Action``s to take. The same executor runs against real
/// switches (``FlowMigrationDriver``) and in a simulator on a virtual clock.
///
/// Inputs: ``start(now:)``; ``barrierReplied(datapathID:xid:now:)``;
/// ``errorReceived(datapathID:xid:error:now:)`` for an `OFPT_ERROR` carrying the xid of a
/// message it sent; ``connectionLost(datapathID:now:)``; ``timerFired(now:)`` once
/// ``nextDeadline`` has passed.
///
/// Every message it asks for carries an xid it chose (from ``Configuration/firstXID`` on, far
/// above the ones a connection allocates itself), so an error can be traced to its step.
///
/// **Rollback.** An `OFPT_ERROR` for one of its messages, a barrier not answered within
/// ``Configuration/barrierTimeout``, or a lost switch stops the migration. Everything sent so
/// far is undone, confirmed step by step: deleted old entries re-added, divergence switches
/// set back to their old output (both with ADD, which restores the entry whether or not the
/// change had reached the switch), and, after ``Configuration/rollbackDrain``, the new
/// entries deleted. The old path then carries the traffic again.
public struct FlowMigrationExecutor: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// How long a switch may take to answer a barrier.
        public var barrierTimeout: TimeAmount
        /// Wait before a rollback deletes the new entries (packets in flight on the new path).
        public var rollbackDrain: TimeAmount
        public var firstXID: UInt32

        public init(
            barrierTimeout: TimeAmount = .seconds(2), rollbackDrain: TimeAmount = .milliseconds(20),
            firstXID: UInt32 = 0xF100_0000
        ) {
            self.barrierTimeout = barrierTimeout
            self.rollbackDrain = rollbackDrain
            self.firstXID = firstXID
        }
    }

    /// One message to send, with the xid it must carry.
    public struct Outgoing: Hashable, Sendable {
        public var xid: UInt32
        public var message: OF13.Message

        public var isBarrier: Bool {
            if case .barrierRequest = message { return true }
            return false
        }
    }

    public enum Action: Hashable, Sendable {
        /// Send these messages to the switch, in this order. A barrier request among them
        /// expects its reply to come back through ``barrierReplied(datapathID:xid:now:)``.
        case send(datapathID: UInt64, [Outgoing])
        /// The migration is over (completed, rolled back, or failed to roll back).
        case finished(FlowMigrationReport)
    }

    private enum Mode: Equatable {
        case idle, forward, finalBarrier, rollingBack, finished
    }

    private enum Owner: Hashable {
        case forward(Int)
        case rollback(Int)
        case final
    }

    private struct StepState {
        var sentAt: NIODeadline?
        var doneAt: NIODeadline?
        var outstanding: Set<UInt64> = []
    }

    private struct BarrierWait {
        var datapathID: UInt64
        var owner: Owner
        var deadline: NIODeadline
    }

    public let plan: FlowMigrationPlan
    public let configuration: Configuration
    private var mode = Mode.idle
    private var startedAt = NIODeadline.uptimeNanoseconds(0)
    private var rollbackStartedAt = NIODeadline.uptimeNanoseconds(0)
    private var nextXID: UInt32
    private var forward: [StepState]
    private var rollbackSteps: [FlowMigrationStep] = []
    private var rollback: [StepState] = []
    private var finalOutstanding: Set<UInt64> = []
    private var barriers: [UInt32: BarrierWait] = [:]
    /// Which step each sent FLOW_MOD belongs to, by xid.
    private var flowModOwners: [UInt32: Owner] = [:]
    private var flowMods = 0
    private var barrierCount = 0
    private var confirmedAt: NIODeadline?
    private var failure: String?
    private var rollbackFailure: String?
    public private(set) var report: FlowMigrationReport?

    public init(plan: FlowMigrationPlan, configuration: Configuration = Configuration()) {
        self.plan = plan
        self.configuration = configuration
        self.nextXID = configuration.firstXID
        self.forward = Array(repeating: StepState(), count: plan.steps.count)
    }

    public var isFinished: Bool { mode == .finished }

    /// When ``timerFired(now:)`` must be called next: a barrier's timeout or the end of a
    /// drain interval; nil when nothing is waited for.
    public var nextDeadline: NIODeadline? {
        guard mode != .finished, mode != .idle else { return nil }
        var next = barriers.values.map(\.deadline).min()
        let (steps, states) = mode == .rollingBack ? (rollbackSteps, rollback) : (plan.steps, forward)
        if mode == .forward || mode == .rollingBack {
            for index in steps.indices where states[index].sentAt == nil {
                if let ready = readyTime(of: steps[index], states: states) {
                    next = min(next ?? ready, ready)
                }
            }
        }
        return next
    }

    // MARK: Inputs

    public mutating func start(now: NIODeadline) -> [Action] {
        guard mode == .idle else { return [] }
        startedAt = now
        mode = .forward
        return advance(now: now)
    }

    public mutating func barrierReplied(datapathID: UInt64, xid: UInt32, now: NIODeadline) -> [Action] {
        guard let wait = barriers[xid], wait.datapathID == datapathID else { return [] }
        barriers[xid] = nil
        switch wait.owner {
        case .forward(let index):
            forward[index].outstanding.remove(datapathID)
            if forward[index].outstanding.isEmpty, mode == .forward { forward[index].doneAt = now }
        case .rollback(let index):
            rollback[index].outstanding.remove(datapathID)
            if rollback[index].outstanding.isEmpty { rollback[index].doneAt = now }
        case .final:
            finalOutstanding.remove(datapathID)
        }
        return advance(now: now)
    }

    public mutating func errorReceived(
        datapathID: UInt64, xid: UInt32, error: OF13.ErrorMessage, now: NIODeadline
    ) -> [Action] {
        guard mode != .finished, mode != .idle, let owner = flowModOwners[xid] ?? barriers[xid]?.owner else { return [] }
        let what = "switch \(datapathID) answered xid \(String(xid, radix: 16)) with OFPT_ERROR \(error.type) code \(error.code)"
        switch owner {
        case .forward, .final:
            // A second error about the forward plan changes nothing once rolling back.
            return mode == .rollingBack ? [] : abort(what, now: now)
        case .rollback:
            if rollbackFailure == nil { rollbackFailure = what }
            return []
        }
    }

    public mutating func connectionLost(datapathID: UInt64, now: NIODeadline) -> [Action] {
        let involved = plan.datapathIDs.contains(datapathID)
        guard involved else { return [] }
        let what = "the connection to switch \(datapathID) was lost"
        switch mode {
        case .forward, .finalBarrier: return abort(what, now: now)
        case .rollingBack: return finish(.rollbackFailed, rollbackReason: what, now: now)
        case .idle, .finished: return []
        }
    }

    public mutating func timerFired(now: NIODeadline) -> [Action] {
        guard mode != .finished, mode != .idle else { return [] }
        if let overdue = barriers.filter({ $0.value.deadline <= now }).min(by: { $0.key < $1.key }) {
            let late = overdue.value
            let what =
                "switch \(late.datapathID) did not answer barrier \(String(overdue.key, radix: 16)) within \(Self.milliseconds(configuration.barrierTimeout)) ms"
            if case .rollback = late.owner { return finish(.rollbackFailed, rollbackReason: what, now: now) }
            return abort(what, now: now)
        }
        return advance(now: now)
    }

    // MARK: Progress

    private mutating func advance(now: NIODeadline) -> [Action] {
        var actions: [Action] = []
        switch mode {
        case .forward:
            var progressed = true
            while progressed {
                progressed = false
                for index in plan.steps.indices where forward[index].sentAt == nil {
                    guard let ready = readyTime(of: plan.steps[index], states: forward), ready <= now else { continue }
                    actions += send(plan.steps[index], owner: .forward(index), undo: false, now: now)
                    forward[index].sentAt = now
                    if plan.steps[index].confirmed {
                        forward[index].outstanding = Set(plan.steps[index].datapathIDs)
                        if forward[index].outstanding.isEmpty { forward[index].doneAt = now }
                    } else {
                        forward[index].doneAt = now
                    }
                    progressed = true
                }
            }
            guard forward.allSatisfy({ $0.doneAt != nil }) else { return actions }
            if plan.confirmAtEnd && !plan.datapathIDs.isEmpty {
                mode = .finalBarrier
                finalOutstanding = Set(plan.datapathIDs)
                for datapathID in plan.datapathIDs {
                    actions.append(.send(datapathID: datapathID, [barrier(datapathID, owner: .final, now: now)]))
                }
                return actions
            }
            confirmedAt = now
            return actions + finish(.completed, now: now)
        case .finalBarrier:
            guard finalOutstanding.isEmpty else { return [] }
            confirmedAt = now
            return finish(.completed, now: now)
        case .rollingBack:
            var progressed = true
            while progressed {
                progressed = false
                for index in rollbackSteps.indices where rollback[index].sentAt == nil {
                    guard let ready = readyTime(of: rollbackSteps[index], states: rollback), ready <= now else { continue }
                    actions += send(rollbackSteps[index], owner: .rollback(index), undo: true, now: now)
                    rollback[index].sentAt = now
                    rollback[index].outstanding = Set(rollbackSteps[index].datapathIDs)
                    if rollback[index].outstanding.isEmpty { rollback[index].doneAt = now }
                    progressed = true
                }
            }
            guard rollback.allSatisfy({ $0.doneAt != nil }) else { return actions }
            return actions + finish(rollbackFailure == nil ? .rolledBack : .rollbackFailed, now: now)
        case .idle, .finished:
            return []
        }
    }

    /// When `step` may go: its dependencies done (or the start of its run), plus its delay;
    /// nil while one is not done.
    private func readyTime(of step: FlowMigrationStep, states: [StepState]) -> NIODeadline? {
        var latest = mode == .rollingBack ? rollbackStartedAt : startedAt
        for dependency in step.dependencies {
            guard let done = states[dependency].doneAt else { return nil }
            latest = max(latest, done)
        }
        return latest + step.delay
    }

    private mutating func send(_ step: FlowMigrationStep, owner: Owner, undo: Bool, now: NIODeadline) -> [Action] {
        var bySwitch: [UInt64: [Outgoing]] = [:]
        for change in step.changes {
            let xid = allocateXID()
            flowModOwners[xid] = owner
            bySwitch[change.datapathID, default: []].append(
                Outgoing(xid: xid, message: .flowMod(undo ? change.undo : change.flowMod)))
        }
        flowMods += step.changes.count
        return step.datapathIDs.map { datapathID in
            var messages = bySwitch[datapathID] ?? []
            if step.confirmed || undo { messages.append(barrier(datapathID, owner: owner, now: now)) }
            return .send(datapathID: datapathID, messages)
        }
    }

    private mutating func barrier(_ datapathID: UInt64, owner: Owner, now: NIODeadline) -> Outgoing {
        let xid = allocateXID()
        barriers[xid] = BarrierWait(datapathID: datapathID, owner: owner, deadline: now + configuration.barrierTimeout)
        barrierCount += 1
        return Outgoing(xid: xid, message: .barrierRequest)
    }

    private mutating func allocateXID() -> UInt32 {
        let xid = nextXID
        nextXID = nextXID == .max ? configuration.firstXID : nextXID + 1
        return xid
    }

    /// Stops going forward and starts undoing everything sent so far.
    private mutating func abort(_ reason: String, now: NIODeadline) -> [Action] {
        failure = reason
        mode = .rollingBack
        rollbackStartedAt = now
        barriers = [:]
        var sent: [FlowMigrationChange.Kind: [FlowMigrationChange]] = [:]
        for (index, step) in plan.steps.enumerated() where forward[index].sentAt != nil {
            sent[step.kind, default: []] += step.changes
        }
        // Old entries back first, then the divergence switches, then (after a drain) the new
        // entries away: at every point each packet meets an entry that forwards it.
        rollbackSteps = []
        for kind in [FlowMigrationChange.Kind.delete, .modify, .add] {
            guard let changes = sent[kind], !changes.isEmpty else { continue }
            let dependencies = rollbackSteps.isEmpty ? [] : [rollbackSteps.count - 1]
            rollbackSteps.append(FlowMigrationStep(
                kind: kind, changes: Self.grouped(changes), dependencies: dependencies,
                delay: kind == .add ? configuration.rollbackDrain : .zero, confirmed: true))
        }
        rollback = Array(repeating: StepState(), count: rollbackSteps.count)
        if rollbackSteps.isEmpty { return finish(.rolledBack, now: now) }
        return advance(now: now)
    }

    /// Changes ordered by switch (first appearance), keeping each switch's order.
    private static func grouped(_ changes: [FlowMigrationChange]) -> [FlowMigrationChange] {
        var order: [UInt64] = []
        var bySwitch: [UInt64: [FlowMigrationChange]] = [:]
        for change in changes {
            if bySwitch[change.datapathID] == nil { order.append(change.datapathID) }
            bySwitch[change.datapathID, default: []].append(change)
        }
        return order.flatMap { bySwitch[$0] ?? [] }
    }

    private mutating func finish(
        _ outcome: FlowMigrationReport.Outcome, rollbackReason: String? = nil, now: NIODeadline
    ) -> [Action] {
        if let rollbackReason, rollbackFailure == nil { rollbackFailure = rollbackReason }
        mode = .finished
        barriers = [:]
        func ms(_ time: NIODeadline?) -> Double? { time.map { Self.milliseconds($0 - startedAt) } }
        func phases(_ steps: [FlowMigrationStep], _ states: [StepState]) -> [FlowMigrationReport.Phase] {
            steps.indices.compactMap { index in
                guard let sent = ms(states[index].sentAt) else { return nil }
                return .init(
                    name: steps[index].name, flowMods: steps[index].changes.count, sentMilliseconds: sent,
                    doneMilliseconds: ms(states[index].doneAt))
            }
        }
        let reasons = [failure, rollbackFailure.map { "rollback: " + $0 }].compactMap { $0 }
        let report = FlowMigrationReport(
            algorithm: plan.algorithm, outcome: outcome, reason: reasons.isEmpty ? nil : reasons.joined(separator: "; "),
            flows: plan.flowCount, flowMods: flowMods, barriers: barrierCount,
            confirmedMilliseconds: outcome == .completed ? ms(confirmedAt) : nil,
            finishedMilliseconds: Self.milliseconds(now - startedAt),
            phases: phases(plan.steps, forward), rollbackPhases: phases(rollbackSteps, rollback))
        self.report = report
        return [.finished(report)]
    }

    static func milliseconds(_ amount: TimeAmount) -> Double { Double(amount.nanoseconds) / 1e6 }
}
