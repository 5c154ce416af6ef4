import Controller
import NIOCore
import OpenFlow

/// Turns a ``FlowMigrationRequest`` into a ``FlowMigrationPlan`` (pure).
///
/// Each direction's entries are compared hop by hop, keyed by switch and in port:
/// - in both paths with the same output: untouched (a shared prefix or suffix);
/// - in both with another output: **modify** — a divergence switch, Fig. 3's node 1 ("the first
///   common switch between the new and the old path"); paths that diverge and rejoin several
///   times have one per divergence;
/// - only in the new path: **add** (the new switches, and each switch where the new path
///   rejoins the old one, which receives the flow on another port);
/// - only in the old path: **delete**.
///
/// The phases add → modify → delete are the paper's. No entry of the new path is reachable
/// before its divergence switch is redirected, so once the adds are confirmed every
/// redirection lands on installed entries; once the redirections are confirmed no new packet
/// reaches an old-only entry, and after the drain interval no packet is left in flight there.
public enum FlowMigrationPlanner {
    public struct Options: Hashable, Sendable {
        /// Time between the last redirection's confirmation and the old entries' deletion, for
        /// packets already past the divergence switch on the old path.
        public var drainInterval: TimeAmount
        /// Flows per batch of ``FlowMigrationAlgorithm/bulk``.
        public var batchSize: Int
        /// ``FlowMigrationAlgorithm/deleteFirst``: time between the old path's removal and the
        /// new path's installation (nil: the drain interval, the same wait the right order has).
        public var deleteFirstGap: TimeAmount?

        public init(drainInterval: TimeAmount = .milliseconds(20), batchSize: Int = 1000, deleteFirstGap: TimeAmount? = nil) {
            self.drainInterval = drainInterval
            self.batchSize = batchSize
            self.deleteFirstGap = deleteFirstGap
        }
    }

    public static func plan(
        _ request: FlowMigrationRequest, algorithm: FlowMigrationAlgorithm, options: Options = Options()
    ) throws(FlowMigrationPlanError) -> FlowMigrationPlan {
        guard !request.flows.isEmpty else { throw .noFlows }
        guard options.batchSize > 0 else { throw .badOption("the bulk batch size must be at least 1, not \(options.batchSize)") }
        guard options.drainInterval >= .zero else { throw .badOption("the drain interval cannot be negative") }
        try validate(request)
        let directions: [FlowMigrationDirection] =
            request.flows.contains { $0.reverse != nil } ? [.forward, .reverse] : [.forward]
        var diffs: [FlowMigrationDirection: PathDiff] = [:]
        for direction in directions {
            diffs[direction] = try PathDiff(
                old: direction.hops(of: request.oldPath), new: direction.hops(of: request.newPath), direction: direction)
        }
        func changes(_ kind: FlowMigrationChange.Kind, flows: Range<Int>, round: Int? = nil) -> [FlowMigrationChange] {
            // Per switch, so that each switch's share goes out in one run; switches in path order.
            var bySwitch: [UInt64: [FlowMigrationChange]] = [:]
            var order: [UInt64] = []
            for direction in directions {
                guard let diff = diffs[direction] else { continue }
                let hops = diff.hops(kind, round: round)
                for index in flows {
                    let flow = request.flows[index]
                    guard let fields = direction == .forward ? flow.forward : flow.reverse else { continue }
                    for hop in hops {
                        let change = FlowMigrationChange(
                            kind: kind, datapathID: hop.datapathID, direction: direction, flow: index,
                            match: .ordered([.inPort(hop.inPort)] + fields), oldOutput: hop.oldOutput,
                            newOutput: hop.newOutput, priority: request.priority, cookie: request.cookie,
                            tableID: request.tableID)
                        if bySwitch[hop.datapathID] == nil { order.append(hop.datapathID) }
                        bySwitch[hop.datapathID, default: []].append(change)
                    }
                }
            }
            return order.flatMap { bySwitch[$0] ?? [] }
        }
        let all = 0..<request.flows.count
        let rounds = directions.map { diffs[$0]?.modifyRounds.count ?? 0 }.max() ?? 0
        var steps: [FlowMigrationStep] = []
        func append(_ step: FlowMigrationStep) {
            if !step.changes.isEmpty { steps.append(step) }
        }
        /// The index a new step's dependency on "the latest step" points to, if any.
        var latest: [Int] { steps.isEmpty ? [] : [steps.count - 1] }

        switch algorithm {
        case .paper:
            append(FlowMigrationStep(kind: .add, changes: changes(.add, flows: all), confirmed: false))
            append(FlowMigrationStep(kind: .modify, changes: changes(.modify, flows: all), dependencies: latest, confirmed: false))
            append(FlowMigrationStep(kind: .delete, changes: changes(.delete, flows: all), dependencies: latest, confirmed: false))
            return FlowMigrationPlan(algorithm: algorithm, steps: steps, confirmAtEnd: true, flowCount: request.flows.count)
        case .consistent:
            append(FlowMigrationStep(kind: .add, changes: changes(.add, flows: all), confirmed: true))
            for round in 0..<rounds {
                append(FlowMigrationStep(
                    kind: .modify, batch: round, changes: changes(.modify, flows: all, round: round),
                    dependencies: latest, confirmed: true))
            }
            append(FlowMigrationStep(
                kind: .delete, changes: changes(.delete, flows: all), dependencies: latest, delay: options.drainInterval,
                confirmed: true))
        case .bulk:
            var start = 0
            var batch = 0
            while start < request.flows.count {
                let flows = start..<min(start + options.batchSize, request.flows.count)
                // A batch's adds follow the previous batch's confirmed adds, so that batch b+1's
                // adds, batch b's redirections and batch b-1's deletions are in flight together
                // and a barrier never waits behind the whole migration.
                let previousAdd = steps.lastIndex { $0.kind == .add }
                append(FlowMigrationStep(
                    kind: .add, batch: batch, changes: changes(.add, flows: flows), dependencies: previousAdd.map { [$0] } ?? [],
                    confirmed: true))
                for round in 0..<rounds {
                    append(FlowMigrationStep(
                        kind: .modify, batch: batch, changes: changes(.modify, flows: flows, round: round),
                        dependencies: latest, confirmed: true))
                }
                append(FlowMigrationStep(
                    kind: .delete, batch: batch, changes: changes(.delete, flows: flows), dependencies: latest,
                    delay: options.drainInterval, confirmed: true))
                start = flows.upperBound
                batch += 1
            }
        case .deleteFirst:
            append(FlowMigrationStep(kind: .delete, changes: changes(.delete, flows: all), confirmed: true))
            append(FlowMigrationStep(
                kind: .add, changes: changes(.add, flows: all), dependencies: latest,
                delay: options.deleteFirstGap ?? options.drainInterval, confirmed: true))
            for round in 0..<rounds {
                append(FlowMigrationStep(
                    kind: .modify, batch: round, changes: changes(.modify, flows: all, round: round),
                    dependencies: latest, confirmed: true))
            }
        }
        return FlowMigrationPlan(algorithm: algorithm, steps: steps, confirmAtEnd: false, flowCount: request.flows.count)
    }

    static func validate(_ request: FlowMigrationRequest) throws(FlowMigrationPlanError) {
        guard let oldFirst = request.oldPath.first, let oldLast = request.oldPath.last else { throw .emptyPath(which: "old") }
        guard let newFirst = request.newPath.first, let newLast = request.newPath.last else { throw .emptyPath(which: "new") }
        guard oldFirst.datapathID == newFirst.datapathID, oldFirst.inPort == newFirst.inPort else {
            throw .differentIngress(old: oldFirst, new: newFirst)
        }
        guard oldLast.datapathID == newLast.datapathID, oldLast.outPort == newLast.outPort else {
            throw .differentEgress(old: oldLast, new: newLast)
        }
    }
}

/// One direction's hops compared by (switch, in port).
struct PathDiff {
    struct Key: Hashable {
        var datapathID: UInt64
        var inPort: UInt32
    }

    struct Hop: Hashable {
        var datapathID: UInt64
        var inPort: UInt32
        var oldOutput: UInt32?
        var newOutput: UInt32?
    }

    var adds: [Hop] = []
    var deletes: [Hop] = []
    /// Redirections in rounds: one round when every mix of redirected and not-yet-redirected
    /// divergence switches is loop-free, else one divergence switch per round in an order that
    /// keeps each intermediate state loop-free.
    var modifyRounds: [[Hop]] = []

    init(old: [PathHop], new: [PathHop], direction: FlowMigrationDirection) throws(FlowMigrationPlanError) {
        let oldOut = try Self.outputs(old, which: "old")
        let newOut = try Self.outputs(new, which: "new")
        // Where each switch port leads (the next hop's key), from both paths.
        var cables: [Key: Key] = [:]
        for path in [old, new] {
            for (hop, next) in zip(path, path.dropFirst()) {
                let from = Key(datapathID: hop.datapathID, inPort: hop.outPort)
                let to = Key(datapathID: next.datapathID, inPort: next.inPort)
                if let known = cables[from], known != to {
                    throw .inconsistentCabling(datapathID: hop.datapathID, port: hop.outPort)
                }
                cables[from] = to
            }
        }
        var modifies: [Hop] = []
        for hop in new {
            let key = Key(datapathID: hop.datapathID, inPort: hop.inPort)
            switch oldOut[key] {
            case nil: adds.append(Hop(datapathID: hop.datapathID, inPort: hop.inPort, oldOutput: nil, newOutput: hop.outPort))
            case hop.outPort: break
            case let previous?:
                modifies.append(Hop(datapathID: hop.datapathID, inPort: hop.inPort, oldOutput: previous, newOutput: hop.outPort))
            }
        }
        for hop in old where newOut[Key(datapathID: hop.datapathID, inPort: hop.inPort)] == nil {
            deletes.append(Hop(datapathID: hop.datapathID, inPort: hop.inPort, oldOutput: hop.outPort, newOutput: nil))
        }
        guard !modifies.isEmpty else { return }
        let ingress = Key(datapathID: new[0].datapathID, inPort: new[0].inPort)
        let graph = Walk(oldOut: oldOut, newOut: newOut, cables: cables, ingress: ingress)
        if graph.unionIsAcyclic() {
            modifyRounds = [modifies]
            return
        }
        guard let order = graph.loopFreeOrder(modifies) else { throw .noLoopFreeOrder(direction: direction) }
        modifyRounds = order.map { [$0] }
    }

    func hops(_ kind: FlowMigrationChange.Kind, round: Int?) -> [Hop] {
        switch kind {
        case .add: adds
        case .delete: deletes
        case .modify:
            if let round { round < modifyRounds.count ? modifyRounds[round] : [] } else { modifyRounds.flatMap { $0 } }
        }
    }

    private static func outputs(_ path: [PathHop], which: String) throws(FlowMigrationPlanError) -> [Key: UInt32] {
        var result: [Key: UInt32] = [:]
        for hop in path {
            let key = Key(datapathID: hop.datapathID, inPort: hop.inPort)
            guard result[key] == nil else { throw .loopingPath(which: which, datapathID: hop.datapathID, inPort: hop.inPort) }
            result[key] = hop.outPort
        }
        return result
    }

    /// Where packets go when each entry is either the old or the new one.
    struct Walk {
        var oldOut: [Key: UInt32]
        var newOut: [Key: UInt32]
        var cables: [Key: Key]
        var ingress: Key

        /// No cycle among all entries of both paths: then any mix of old and new entries at the
        /// divergence switches forwards every packet to the egress.
        func unionIsAcyclic() -> Bool {
            var state: [Key: Int] = [:]  // 1 on the stack, 2 finished
            func visit(_ key: Key) -> Bool {
                if state[key] == 2 { return true }
                if state[key] == 1 { return false }
                state[key] = 1
                for output in Set([oldOut[key], newOut[key]].compactMap { $0 }) {
                    if let next = cables[Key(datapathID: key.datapathID, inPort: output)], !visit(next) { return false }
                }
                state[key] = 2
                return true
            }
            return visit(ingress)
        }

        /// True if a packet entering at the ingress, with the divergence switches in `redirected`
        /// using their new entries and the others their old ones, leaves at the egress.
        func reachesEgress(redirected: Set<Key>, modified: Set<Key>) -> Bool {
            var key = ingress
            var visited = Set<Key>()
            while true {
                guard visited.insert(key).inserted else { return false }
                let output: UInt32?
                if modified.contains(key) {
                    output = redirected.contains(key) ? newOut[key] : oldOut[key]
                } else {
                    output = newOut[key] ?? oldOut[key]
                }
                guard let output else { return false }
                guard let next = cables[Key(datapathID: key.datapathID, inPort: output)] else { return true }
                key = next
            }
        }

        /// An order of redirecting one divergence switch at a time in which every state in
        /// between is loop-free (depth-first over the orders; there are few divergences).
        func loopFreeOrder(_ modifies: [PathDiff.Hop]) -> [PathDiff.Hop]? {
            let keys = modifies.map { Key(datapathID: $0.datapathID, inPort: $0.inPort) }
            let modified = Set(keys)
            func search(_ done: [Int]) -> [Int]? {
                if done.count == keys.count { return done }
                for index in keys.indices where !done.contains(index) {
                    let redirected = Set((done + [index]).map { keys[$0] })
                    if reachesEgress(redirected: redirected, modified: modified), let found = search(done + [index]) {
                        return found
                    }
                }
                return nil
            }
            guard reachesEgress(redirected: [], modified: modified) else { return nil }
            return search([]).map { $0.map { modifies[$0] } }
        }
    }
}
