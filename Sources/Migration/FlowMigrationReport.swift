/// What an executed flow migration did and when (milliseconds since the trigger, the
/// executor's `start`).
public struct FlowMigrationReport: Hashable, Sendable, Codable {
    public enum Outcome: String, Hashable, Sendable, Codable {
        /// Every step done; the new path carries the flows.
        case completed
        /// A switch refused a change or did not confirm in time; what was installed is undone
        /// and the old path carries the flows.
        case rolledBack = "rolled_back"
        /// The rollback itself could not be confirmed everywhere (a switch is gone or silent).
        case rollbackFailed = "rollback_failed"
    }

    /// When one step went out and when it was done (confirmed, or sent if unconfirmed).
    public struct Phase: Hashable, Sendable, Codable {
        public var name: String
        public var flowMods: Int
        public var sentMilliseconds: Double
        public var doneMilliseconds: Double?

        enum CodingKeys: String, CodingKey {
            case name
            case flowMods = "flow_mods"
            case sentMilliseconds = "sent_ms"
            case doneMilliseconds = "done_ms"
        }
    }

    public var algorithm: FlowMigrationAlgorithm
    public var outcome: Outcome
    /// Why it rolled back (the switch's error, the silent switch), nil when completed.
    public var reason: String?
    public var flows: Int
    /// FLOW_MODs sent, rollback included.
    public var flowMods: Int
    public var barriers: Int
    /// From the trigger until the last confirmation (the last barrier answered), when completed.
    public var confirmedMilliseconds: Double?
    /// From the trigger until the executor finished, whatever the outcome.
    public var finishedMilliseconds: Double
    public var phases: [Phase]
    public var rollbackPhases: [Phase]

    enum CodingKeys: String, CodingKey {
        case algorithm, outcome, reason, flows
        case flowMods = "flow_mods"
        case barriers
        case confirmedMilliseconds = "confirmed_ms"
        case finishedMilliseconds = "finished_ms"
        case phases
        case rollbackPhases = "rollback_phases"
    }
}
