import NIOCore
import OpenFlow

/// GROUP_MOD (spec 1.3.5 §6.5, §7.3.4.2).
extension Datapath {
    mutating func groupMod(_ mod: OF13.GroupMod, now: NIODeadline) throws(DatapathError) -> [DatapathOutput] {
        switch mod.command {
        case .add, .modify:
            guard mod.groupID <= OF13.GroupNumber.max else { throw .invalidGroup("group \(mod.groupID) is reserved") }
            let exists = groups[mod.groupID] != nil
            if mod.command == .add, exists { throw .groupExists("group \(mod.groupID)") }
            if mod.command == .modify, !exists { throw .unknownGroup("group \(mod.groupID)") }
            let group = try Group(mod, now: now)
            for chained in group.chainedGroups {
                guard groups[chained] != nil else { throw .badOutGroup("group \(chained) does not exist") }
                guard !reaches(chained, mod.groupID) else {
                    throw .groupLoop("group \(mod.groupID) would reach itself through group \(chained)")
                }
            }
            var installed = group
            if let old = groups[mod.groupID] {
                // MODIFY keeps the group's counters and age, not its buckets' counters.
                installed.packetCount = old.packetCount
                installed.byteCount = old.byteCount
                installed.created = old.created
            }
            groups[mod.groupID] = installed
            return []
        case .delete:
            let doomed = mod.groupID == OF13.GroupNumber.all ? Array(groups.keys) : [mod.groupID]
            if mod.groupID != OF13.GroupNumber.all {
                for (id, group) in groups where id != mod.groupID && group.chainedGroups.contains(mod.groupID) {
                    throw .chainedGroup("group \(id) forwards to group \(mod.groupID)")
                }
            }
            var outputs: [DatapathOutput] = []
            for id in doomed where groups.removeValue(forKey: id) != nil {
                // Flows that forward to a deleted group go with it (spec 1.3.5 §6.5).
                for t in tables.indices {
                    for slot in tables[t].slots where tables[t][slot].program.usesGroup(id) {
                        let entry = tables[t].remove(slot)
                        if let removed = flowRemoved(entry, table: t, reason: .groupDelete, now: now) {
                            outputs.append(removed)
                        }
                    }
                }
            }
            return outputs
        default:
            throw .badGroupCommand("command \(mod.command.rawValue)")
        }
    }

    /// Whether group `from` reaches group `target` by chaining.
    private func reaches(_ from: UInt32, _ target: UInt32) -> Bool {
        var seen: Set<UInt32> = []
        var stack = [from]
        while let id = stack.popLast() {
            if id == target { return true }
            guard seen.insert(id).inserted, let group = groups[id] else { continue }
            stack.append(contentsOf: group.chainedGroups)
        }
        return false
    }

    /// The number of flows and groups that forward to group `id` directly.
    func referenceCount(_ id: UInt32) -> Int {
        var count = 0
        for table in tables {
            for slot in table.slots where table[slot].program.usesGroup(id) { count += 1 }
        }
        for group in groups.values where group.chainedGroups.contains(id) { count += 1 }
        return count
    }
}
