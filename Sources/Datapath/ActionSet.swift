/// The action set a packet carries through the pipeline (spec 1.3.5 §5.10): at most one
/// action of each type (a set-field per field), written by write-actions, emptied by
/// clear-actions, and executed when the pipeline ends.
struct ActionSet: Hashable, Sendable {
    var popVLAN = false
    var pushVLAN: UInt16?
    var decNwTTL = false
    var setNwTTL: UInt8?
    var setFields: [FieldWrite] = []
    var queue: UInt32?
    var group: UInt32?
    var output: (port: UInt32, maxLength: UInt16)?

    var isEmpty: Bool {
        !popVLAN && pushVLAN == nil && !decNwTTL && setNwTTL == nil && setFields.isEmpty && queue == nil
            && group == nil && output == nil
    }

    /// Write-actions: each action replaces the one of its type already in the set.
    mutating func write(_ actions: [PacketAction]) {
        for action in actions {
            switch action {
            case .output(let port, let maxLength): output = (port, maxLength)
            case .group(let g): group = g
            case .setQueue(let q): queue = q
            case .pushVLAN(let ethertype): pushVLAN = ethertype
            case .popVLAN: popVLAN = true
            case .setNwTTL(let ttl): setNwTTL = ttl
            case .decNwTTL: decNwTTL = true
            case .setField(let write):
                if let i = setFields.firstIndex(where: { $0.field == write.field }) {
                    setFields[i] = write
                } else {
                    setFields.append(write)
                }
            }
        }
    }

    /// The set as an action list in the order of spec 1.3.5 §5.10: pop, push-VLAN,
    /// decrement TTL, set (set-nw-ttl, then set-fields), qos, then group, or else output.
    /// (Copy-TTL, MPLS and PBB actions are refused when the flow is installed.)
    var orderedActions: [PacketAction] {
        var actions: [PacketAction] = []
        if popVLAN { actions.append(.popVLAN) }
        if let pushVLAN { actions.append(.pushVLAN(ethertype: pushVLAN)) }
        if decNwTTL { actions.append(.decNwTTL) }
        if let setNwTTL { actions.append(.setNwTTL(setNwTTL)) }
        for write in setFields { actions.append(.setField(write)) }
        if let queue { actions.append(.setQueue(queue)) }
        if let group {
            actions.append(.group(group))
        } else if let output {
            actions.append(.output(port: output.port, maxLength: output.maxLength))
        }
        return actions
    }

    /// A write-actions list may hold each action type once (a set-field once per field):
    /// spec 1.3.5 §5.10 leaves duplicates to the switch, which refuses them.
    static func checkWritable(_ actions: [PacketAction]) throws(DatapathError) {
        var kinds = Set<Int>()
        for action in actions {
            let kind: Int
            switch action {
            case .output: kind = 0
            case .group: kind = 1
            case .setQueue: kind = 2
            case .pushVLAN: kind = 3
            case .popVLAN: kind = 4
            case .setNwTTL: kind = 5
            case .decNwTTL: kind = 6
            case .setField(let w): kind = 100 + Int(w.field)
            }
            guard kinds.insert(kind).inserted else {
                throw DatapathError(.badAction, 7, "write_actions holds two actions of one type")  // OFPBAC_TOO_MANY
            }
        }
    }

    static func == (a: ActionSet, b: ActionSet) -> Bool {
        a.popVLAN == b.popVLAN && a.pushVLAN == b.pushVLAN && a.decNwTTL == b.decNwTTL && a.setNwTTL == b.setNwTTL
            && a.setFields == b.setFields && a.queue == b.queue && a.group == b.group
            && a.output?.port == b.output?.port && a.output?.maxLength == b.output?.maxLength
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(orderedActions)
    }
}
