import Migration
import NIOCore
import OpenFlow

/// One flow migration carried out by a ``FlowMigrationExecutor`` through an
/// ``EmbeddedController`` on its clock: sends what the executor asks for, feeds it the barrier
/// replies and errors the switches answer, and fires its timers. Pass the controller's switch
/// messages to ``handle(_:)`` (several migrations may share one controller).
public final class EmbeddedFlowMigration {
    public private(set) var executor: FlowMigrationExecutor
    /// The executor's report, once it has finished.
    public private(set) var report: FlowMigrationReport?
    /// Called once, when the executor finishes.
    public var onFinished: ((FlowMigrationReport) -> Void)?
    private let controller: EmbeddedController
    private var timer: ScheduledEvent?

    public init(plan: FlowMigrationPlan, configuration: FlowMigrationExecutor.Configuration, controller: EmbeddedController) {
        executor = FlowMigrationExecutor(plan: plan, configuration: configuration)
        self.controller = controller
    }

    public var isFinished: Bool { executor.isFinished }

    /// Starts the migration now.
    public func start() { take(executor.start(now: controller.clock.now)) }

    /// Gives the executor a switch's barrier reply or error; ignores anything else.
    public func handle(_ message: EmbeddedController.SwitchMessage) {
        guard !executor.isFinished else { return }
        switch message.message {
        case .barrierReply:
            take(executor.barrierReplied(datapathID: message.datapathID, xid: message.xid, now: message.receivedAt))
        case .error(let error):
            take(
                executor.errorReceived(
                    datapathID: message.datapathID, xid: message.xid, error: error, now: message.receivedAt))
        default:
            break
        }
    }

    private func take(_ actions: [FlowMigrationExecutor.Action]) {
        for action in actions {
            switch action {
            case .send(let datapathID, let messages):
                for outgoing in messages { controller.send(outgoing.message, xid: outgoing.xid, to: datapathID) }
            case .finished(let finished):
                report = finished
                onFinished?(finished)
            }
        }
        if let timer { controller.clock.cancel(timer) }
        timer = nil
        if !executor.isFinished, let deadline = executor.nextDeadline {
            timer = controller.clock.schedule(at: deadline) { [self] in
                timer = nil
                take(executor.timerFired(now: controller.clock.now))
            }
        }
    }
}
