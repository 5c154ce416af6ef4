import OpenFlow

/// One entry of one flow on one switch that a migration adds, redirects or removes, with what
/// it forwards to before and after. It knows its own FLOW_MOD and the FLOW_MOD that undoes it.
public struct FlowMigrationChange: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// An entry only the new path has (a new switch, or a new in port where paths rejoin).
        case add
        /// An entry both paths have with another output: a divergence switch (Fig. 3's node 1).
        case modify
        /// An entry only the old path has.
        case delete
    }

    public var kind: Kind
    public var datapathID: UInt64
    public var direction: FlowMigrationDirection
    /// Index of the flow in the request.
    public var flow: Int
    /// `in_port` plus the flow's fields, in prerequisite order.
    public var match: OF13.Match
    /// The output before the migration (nil for `add`).
    public var oldOutput: UInt32?
    /// The output after the migration (nil for `delete`).
    public var newOutput: UInt32?
    public var priority: UInt16
    public var cookie: UInt64
    public var tableID: UInt8

    /// The FLOW_MOD that makes the change: ADD, MODIFY_STRICT (instructions replaced, counters
    /// kept, spec 1.3.5 §6.4) or DELETE_STRICT.
    public var flowMod: OF13.FlowMod {
        switch kind {
        case .add: entry(output: newOutput ?? 0, command: .add)
        case .modify: entry(output: newOutput ?? 0, command: .modifyStrict)
        case .delete:
            OF13.FlowMod(
                cookie: cookie, tableID: tableID, command: .deleteStrict, priority: priority, match: match)
        }
    }

    /// The FLOW_MOD that undoes it: an added entry is deleted; a modified or deleted one is put
    /// back with ADD, which restores it whether or not the change reached the switch.
    public var undo: OF13.FlowMod {
        switch kind {
        case .add:
            OF13.FlowMod(cookie: cookie, tableID: tableID, command: .deleteStrict, priority: priority, match: match)
        case .modify, .delete: entry(output: oldOutput ?? 0, command: .add)
        }
    }

    private func entry(output: UInt32, command: OF13.FlowMod.Command) -> OF13.FlowMod {
        OF13.FlowMod(
            cookie: cookie, tableID: tableID, command: command, priority: priority, match: match,
            instructions: [.applyActions([.output(port: output, maxLength: 0)])])
    }
}
