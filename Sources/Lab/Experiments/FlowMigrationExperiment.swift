import Migration
import NIOCore

/// `vnm experiment flow-migration`: probe traffic through the migrating flow, the migration
/// triggered mid-stream, repeated; and the same traffic without a migration (the baseline) as
/// many times, interleaved, so that loss of the machine itself is seen beside the migration's.
public enum FlowMigrationExperiment {
    public struct Configuration: Sendable, Hashable {
        public var algorithm: FlowMigrationAlgorithm
        /// Packets per second.
        public var rate: Double
        /// IP datagram size in bytes.
        public var datagramSize: Int
        public var flows: Int
        public var repetitions: Int
        public var duration: TimeAmount
        /// When the migration is triggered, after the traffic starts.
        public var triggerAfter: TimeAmount
        public var planner: FlowMigrationPlanner.Options
        public var executor: FlowMigrationExecutor.Configuration
        public var baseline: Bool

        public init(
            algorithm: FlowMigrationAlgorithm, rate: Double = 5000, datagramSize: Int = 64, flows: Int = 1,
            repetitions: Int = 1, duration: TimeAmount = .seconds(2), triggerAfter: TimeAmount? = nil,
            planner: FlowMigrationPlanner.Options = .init(), executor: FlowMigrationExecutor.Configuration = .init(),
            baseline: Bool = true
        ) {
            self.algorithm = algorithm
            self.rate = rate
            self.datagramSize = datagramSize
            self.flows = flows
            self.repetitions = repetitions
            self.duration = duration
            self.triggerAfter = triggerAfter ?? .nanoseconds(duration.nanoseconds / 2)
            self.planner = planner
            self.executor = executor
            self.baseline = baseline
        }

        func validate() throws {
            guard rate > 0, rate.isFinite else { throw FlowMigrationExperimentError("--rate must be more than 0, not \(rate)") }
            _ = try ProbePayload.payloadSize(forDatagramSize: datagramSize)
            guard flows >= 1 else { throw FlowMigrationExperimentError("--flows must be at least 1, not \(flows)") }
            guard repetitions >= 1 else { throw FlowMigrationExperimentError("--repeat must be at least 1, not \(repetitions)") }
            guard duration > .zero, triggerAfter >= .zero, triggerAfter < duration else {
                throw FlowMigrationExperimentError("the trigger must fall inside the traffic's duration")
            }
        }
    }

    /// Runs the experiment on `backend` (prepared here, torn down by the caller). `progress`
    /// hears one line per run.
    public static func run(
        _ configuration: Configuration, on backend: any FlowMigrationBackend, progress: (String) -> Void = { _ in }
    ) async throws -> FlowMigrationResult {
        try configuration.validate()
        let request = try await backend.prepare(flows: configuration.flows)
        let plan = try FlowMigrationPlanner.plan(request, algorithm: configuration.algorithm, options: configuration.planner)
        var runs: [FlowMigrationResult.Run] = []
        var baselines: [FlowMigrationResult.Run] = []
        for repetition in 1...configuration.repetitions {
            if configuration.baseline {
                try await backend.installOldPath(request)
                let result = try await backend.run(trial(configuration, plan: nil))
                baselines.append(FlowMigrationResult.Run(result))
                progress("baseline \(repetition)/\(configuration.repetitions): lost \(result.probe.lost) of \(result.probe.sent)")
            }
            try await backend.installOldPath(request)
            let result = try await backend.run(trial(configuration, plan: plan))
            let run = FlowMigrationResult.Run(result)
            runs.append(run)
            progress(
                "\(configuration.algorithm) \(repetition)/\(configuration.repetitions): lost \(result.probe.lost) of \(result.probe.sent), "
                    + "total \(run.totalMigrationMilliseconds.map { String(format: "%.3f", $0) } ?? "-") ms, "
                    + "confirmed \(run.confirmedMilliseconds.map { String(format: "%.3f", $0) } ?? "-") ms, "
                    + "\(run.outcome ?? "-")")
        }
        return FlowMigrationResult(
            backend: backend.name, configuration: configuration, plannedFlowMods: plan.flowModCount, runs: runs,
            baseline: configuration.baseline ? FlowMigrationResult.Summary(baselines) : nil)
    }

    static func trial(_ configuration: Configuration, plan: FlowMigrationPlan?) -> FlowMigrationTrial {
        FlowMigrationTrial(
            rate: configuration.rate, datagramSize: configuration.datagramSize, duration: configuration.duration,
            triggerAfter: configuration.triggerAfter, plan: plan, executor: configuration.executor)
    }
}
