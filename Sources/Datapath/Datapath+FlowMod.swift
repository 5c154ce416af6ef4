import NIOCore
import OpenFlow

/// FLOW_MOD (spec 1.3.5 §6.4, §7.3.4.1).
extension Datapath {
    mutating func flowMod(_ mod: OF13.FlowMod, now: NIODeadline) throws(DatapathError) -> [DatapathOutput] {
        switch mod.command {
        case .add:
            try addFlow(mod, now: now)
            return []
        case .modify, .modifyStrict:
            try modifyFlows(mod, strict: mod.command == .modifyStrict)
            return []
        case .delete, .deleteStrict:
            return try deleteFlows(mod, strict: mod.command == .deleteStrict, now: now)
        default:
            throw .badCommand("command \(mod.command.rawValue)")
        }
    }

    private func checkTable(_ tableID: UInt8) throws(DatapathError) {
        guard Int(tableID) < tables.count else {
            throw .flowModBadTable("table \(tableID) (the datapath has \(tables.count))")
        }
    }

    /// Groups and meters the instructions name must exist.
    private func checkReferences(_ program: FlowProgram) throws(DatapathError) {
        try checkReferences(program.applyActions ?? [])
        try checkReferences(program.writeActions ?? [])
        if let meter = program.meter, meters[meter] == nil {
            throw .unknownMeter("meter \(meter) does not exist")
        }
    }

    /// ADD: a flow with the same match and priority is replaced, keeping its counters unless
    /// `OFPFF_RESET_COUNTS`; with `OFPFF_CHECK_OVERLAP`, a flow of the same priority that some
    /// packet could match as well is an error.
    private mutating func addFlow(_ mod: OF13.FlowMod, now: NIODeadline) throws(DatapathError) {
        guard mod.bufferID == OF13.noBuffer else {
            throw .bufferUnknown("buffer \(mod.bufferID): this datapath buffers nothing")
        }
        try checkTable(mod.tableID)
        let match = try FlowMatch(mod.match)
        let program = try FlowProgram(mod.instructions, tableID: mod.tableID, tableCount: tables.count)
        try checkReferences(program)
        let t = Int(mod.tableID)
        if mod.flags.contains(.checkOverlap) {
            for slot in tables[t].slots {
                let other = tables[t][slot]
                if other.priority == mod.priority, other.match.overlaps(match) {
                    throw .overlap("overlaps \(other.ofMatch) at priority \(mod.priority)")
                }
            }
        }
        var packetCount: UInt64 = 0
        var byteCount: UInt64 = 0
        if let old = tables[t].find(match, priority: mod.priority) {
            let replaced = tables[t].remove(old)
            if !mod.flags.contains(.resetCounts) {
                packetCount = replaced.packetCount
                byteCount = replaced.byteCount
            }
        }
        let entry = FlowEntry(
            id: nextFlowID, match: match, ofMatch: mod.match, priority: mod.priority, cookie: mod.cookie,
            idleTimeout: mod.idleTimeout, hardTimeout: mod.hardTimeout, flags: mod.flags,
            instructions: mod.instructions, program: program, packetCount: packetCount, byteCount: byteCount,
            installed: now, lastUsed: now)
        nextFlowID += 1
        let slot = tables[t].insert(entry)
        if let expiry = entry.expiry {
            timers.push(TimerHeap.Timer(deadline: expiry, table: UInt8(t), slot: slot, flowID: entry.id))
        }
    }

    /// The flows a MODIFY, DELETE or statistics request selects in table `t`: strictly (same
    /// match and priority) or not (every flow at least as specific as the match), with the
    /// cookie, `out_port` and `out_group` filters.
    func selectFlows(
        table t: Int, match: FlowMatch, strict: Bool, priority: UInt16, cookie: UInt64, cookieMask: UInt64,
        outPort: UInt32 = OF13.PortNumber.any, outGroup: UInt32 = OF13.GroupNumber.any
    ) -> [Int32] {
        let candidates: [Int32]
        if strict {
            candidates = tables[t].find(match, priority: priority).map { [$0] } ?? []
        } else {
            candidates = tables[t].slots.filter { tables[t][$0].match.isCovered(by: match) }
        }
        return candidates.filter { slot in
            let entry = tables[t][slot]
            return entry.cookie & cookieMask == cookie & cookieMask
                && (outPort == OF13.PortNumber.any || entry.program.outputs(to: outPort))
                && (outGroup == OF13.GroupNumber.any || entry.program.usesGroup(outGroup))
        }
    }

    /// MODIFY and MODIFY_STRICT change the instructions of the selected flows, leaving
    /// cookie, timeouts, flags and (unless `OFPFF_RESET_COUNTS`) counters; in 1.3 a modify
    /// that selects nothing adds nothing.
    private mutating func modifyFlows(_ mod: OF13.FlowMod, strict: Bool) throws(DatapathError) {
        try checkTable(mod.tableID)
        let match = try FlowMatch(mod.match)
        let program = try FlowProgram(mod.instructions, tableID: mod.tableID, tableCount: tables.count)
        try checkReferences(program)
        let t = Int(mod.tableID)
        for slot in selectFlows(
            table: t, match: match, strict: strict, priority: mod.priority, cookie: mod.cookie,
            cookieMask: mod.cookieMask)
        {
            tables[t][slot].instructions = mod.instructions
            tables[t][slot].program = program
            if mod.flags.contains(.resetCounts) {
                tables[t][slot].packetCount = 0
                tables[t][slot].byteCount = 0
            }
        }
    }

    /// DELETE and DELETE_STRICT, in one table or all (`OFPTT_ALL`), with FLOW_REMOVED for
    /// flows that asked for it.
    private mutating func deleteFlows(_ mod: OF13.FlowMod, strict: Bool, now: NIODeadline) throws(DatapathError)
        -> [DatapathOutput]
    {
        if mod.tableID != OF13.TableNumber.all { try checkTable(mod.tableID) }
        let match = try FlowMatch(mod.match)
        let range = mod.tableID == OF13.TableNumber.all ? 0..<tables.count : Int(mod.tableID)..<Int(mod.tableID) + 1
        var outputs: [DatapathOutput] = []
        for t in range {
            for slot in selectFlows(
                table: t, match: match, strict: strict, priority: mod.priority, cookie: mod.cookie,
                cookieMask: mod.cookieMask, outPort: mod.outPort, outGroup: mod.outGroup)
            {
                let entry = tables[t].remove(slot)
                if let removed = flowRemoved(entry, table: t, reason: .delete, now: now) { outputs.append(removed) }
            }
        }
        return outputs
    }

    /// FLOW_REMOVED (spec 1.3.5 §7.4.2) for a flow that set `OFPFF_SEND_FLOW_REM`.
    func flowRemoved(_ entry: FlowEntry, table: Int, reason: OF13.FlowRemoved.Reason, now: NIODeadline)
        -> DatapathOutput?
    {
        guard entry.flags.contains(.sendFlowRemoved), wants(asyncConfig.flowRemovedMask, reason: reason.rawValue)
        else { return nil }
        let duration = Self.duration(from: entry.installed, to: now)
        return .message(
            .flowRemoved(
                OF13.FlowRemoved(
                    cookie: entry.cookie, priority: entry.priority, reason: reason, tableID: UInt8(table),
                    durationSec: duration.seconds, durationNsec: duration.nanoseconds,
                    idleTimeout: entry.idleTimeout, hardTimeout: entry.hardTimeout,
                    packetCount: entry.packetCount, byteCount: entry.byteCount, match: entry.ofMatch)),
            xid: 0)
    }

    /// A duration as OpenFlow's seconds and nanoseconds.
    static func duration(from start: NIODeadline, to end: NIODeadline) -> (seconds: UInt32, nanoseconds: UInt32) {
        let nanoseconds = max(0, (end - start).nanoseconds)
        return (UInt32(clamping: nanoseconds / 1_000_000_000), UInt32(nanoseconds % 1_000_000_000))
    }
}
