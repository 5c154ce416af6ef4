import NIOCore
import OpenFlow
import OpenFlowNIO

/// Runs a ``FlowMigrationExecutor`` against real switches over vnm's own OpenFlow connections
/// (e.g. ``ControllerRuntime/connections``), with the real clock. The only code of flow
/// migration that does I/O.
///
/// One task sends every message in the executor's order (across switches too); a barrier is
/// sent as a request whose reply (or error, or the connection's end) comes back to
/// the executor as an event. `OFPT_ERROR`s about FLOW_MODs reach it through a
/// ``FlowMigrationErrorTap`` installed as the server's inline app; without one, errors still
/// surface as rollbacks only if they make a barrier fail.
public enum FlowMigrationDriver {
    enum Event: Sendable {
        case barrierReplied(UInt64, UInt32)
        case error(UInt64, UInt32, OF13.ErrorMessage)
        case lost(UInt64)
        case timer
    }

    /// Executes `plan`; returns when the executor has finished (completed or rolled back).
    public static func run(
        _ plan: FlowMigrationPlan, connections: [UInt64: OpenFlowConnection], errorTap: FlowMigrationErrorTap?,
        configuration: FlowMigrationExecutor.Configuration = .init(),
        clock: @escaping @Sendable () -> NIODeadline = { .now() }
    ) async -> FlowMigrationReport {
        let (events, sink) = AsyncStream.makeStream(of: Event.self)
        let token = errorTap?.addListener { datapathID, xid, error in sink.yield(.error(datapathID, xid, error)) }
        defer { if let token { errorTap?.removeListener(token) } }

        var executor = FlowMigrationExecutor(plan: plan, configuration: configuration)
        var timer: Task<Void, Never>?
        var timerDeadline: NIODeadline?
        let (outbox, post) = AsyncStream.makeStream(of: (UInt64, [FlowMigrationExecutor.Outgoing]).self)

        return await withTaskGroup(of: Void.self) { group in
            // One sender for all switches: messages leave in exactly the executor's order, also
            // across switches (the paper's order is an order of sending).
            group.addTask {
                var dead = Set<UInt64>()
                for await (datapathID, batch) in outbox where !dead.contains(datapathID) {
                    guard let connection = connections[datapathID] else {
                        dead.insert(datapathID)
                        sink.yield(.lost(datapathID))
                        continue
                    }
                    do {
                        for outgoing in batch {
                            guard outgoing.isBarrier else {
                                try await connection.send(.of13(outgoing.message, xid: outgoing.xid))
                                continue
                            }
                            let xid = outgoing.xid
                            // The reply is awaited apart, so later batches are not held up. The
                            // request may be written after some of them: it then confirms more
                            // than its step, never less.
                            Task {
                                do {
                                    _ = try await connection.request(.of13(.barrierRequest, xid: xid))
                                    sink.yield(.barrierReplied(datapathID, xid))
                                } catch OpenFlowConnectionError.switchError(let message) {
                                    if case .of13(.error(let error), _) = message { sink.yield(.error(datapathID, xid, error)) }
                                } catch {
                                    sink.yield(.lost(datapathID))
                                }
                            }
                        }
                    } catch {
                        dead.insert(datapathID)
                        sink.yield(.lost(datapathID))
                    }
                }
            }

            func perform(_ actions: [FlowMigrationExecutor.Action]) -> FlowMigrationReport? {
                var finished: FlowMigrationReport?
                for action in actions {
                    switch action {
                    case .send(let datapathID, let messages): post.yield((datapathID, messages))
                    case .finished(let report): finished = report
                    }
                }
                if let deadline = executor.nextDeadline, deadline != timerDeadline {
                    timer?.cancel()
                    timerDeadline = deadline
                    timer = Task {
                        let wait = deadline - clock()
                        if wait > .zero { try? await Task.sleep(nanoseconds: UInt64(wait.nanoseconds)) }
                        if !Task.isCancelled { sink.yield(.timer) }
                    }
                }
                return finished
            }

            var result = perform(executor.start(now: clock()))
            if result == nil {
                for await event in events {
                    let now = clock()
                    let actions: [FlowMigrationExecutor.Action]
                    switch event {
                    case .barrierReplied(let datapathID, let xid):
                        actions = executor.barrierReplied(datapathID: datapathID, xid: xid, now: now)
                    case .error(let datapathID, let xid, let error):
                        actions = executor.errorReceived(datapathID: datapathID, xid: xid, error: error, now: now)
                    case .lost(let datapathID):
                        actions = executor.connectionLost(datapathID: datapathID, now: now)
                    case .timer:
                        timerDeadline = nil
                        actions = executor.timerFired(now: now)
                    }
                    if let report = perform(actions) {
                        result = report
                        break
                    }
                }
            }
            timer?.cancel()
            post.finish()
            sink.finish()
            return result ?? executor.report ?? FlowMigrationReport(
                algorithm: plan.algorithm, outcome: .rollbackFailed, reason: "the driver stopped early", flows: plan.flowCount,
                flowMods: 0, barriers: 0, confirmedMilliseconds: nil, finishedMilliseconds: 0, phases: [], rollbackPhases: [])
        }
    }
}
