import NIOCore
import OpenFlow

/// Idle and hard timeouts (spec 1.3.5 §5.5).
extension Datapath {
    /// When the driver should next call ``expire(now:)``: never later than the next timeout,
    /// possibly earlier (an idle flow that has seen packets since), nil when no flow has one.
    public var nextDeadline: NIODeadline? { timers.first?.deadline }

    /// Removes the flows whose idle or hard timeout has passed at `now`, with FLOW_REMOVED
    /// for those that set `OFPFF_SEND_FLOW_REM`. When both have passed, the reason is the one
    /// that passed first.
    public mutating func expire(now: NIODeadline) -> [DatapathOutput] {
        var outputs: [DatapathOutput] = []
        while let timer = timers.first, timer.deadline <= now {
            _ = timers.pop()
            let t = Int(timer.table)
            guard t < tables.count, let entry = tables[t].entry(at: timer.slot), entry.id == timer.flowID else {
                continue
            }
            let hard = entry.hardTimeout > 0 ? entry.installed + .seconds(Int64(entry.hardTimeout)) : nil
            let idle = entry.idleTimeout > 0 ? entry.lastUsed + .seconds(Int64(entry.idleTimeout)) : nil
            var reason: OF13.FlowRemoved.Reason?
            switch (hard, idle) {
            case (let hard?, let idle?) where hard <= now || idle <= now:
                reason = hard <= idle ? .hardTimeout : .idleTimeout
            case (let hard?, nil) where hard <= now:
                reason = .hardTimeout
            case (nil, let idle?) where idle <= now:
                reason = .idleTimeout
            default:
                break
            }
            if let reason {
                let removed = tables[t].remove(timer.slot)
                if let message = flowRemoved(removed, table: t, reason: reason, now: now) { outputs.append(message) }
            } else if let next = entry.expiry {
                timers.push(TimerHeap.Timer(deadline: next, table: timer.table, slot: timer.slot, flowID: entry.id))
            }
        }
        return outputs
    }
}
