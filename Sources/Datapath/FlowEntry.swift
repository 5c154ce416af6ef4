import NIOCore
import OpenFlow

/// One flow entry (spec 1.3.5 §5.2): its match, priority, instructions, timeouts, cookie,
/// flags and counters.
struct FlowEntry: Sendable {
    /// Unique over the datapath's life: tells a stale timer or cache entry from a flow that
    /// reuses its slot, and breaks ties between overlapping flows of one priority (the older
    /// flow wins, as in a linear scan of the table in insertion order).
    var id: UInt64
    var match: FlowMatch
    /// The match as the controller sent it, for statistics and FLOW_REMOVED.
    var ofMatch: OF13.Match
    var priority: UInt16
    var cookie: UInt64
    var idleTimeout: UInt16
    var hardTimeout: UInt16
    var flags: OF13.FlowMod.Flags
    var instructions: WireList<OF13.Instruction>
    var program: FlowProgram
    var packetCount: UInt64 = 0
    var byteCount: UInt64 = 0
    var installed: NIODeadline
    var lastUsed: NIODeadline
    /// The next flow of the same tuple bucket (lower priority, or equal and newer), or -1.
    var next: Int32 = -1

    /// What a free slot of a table holds.
    static let free = FlowEntry(
        id: 0, match: .all, ofMatch: .all, priority: 0, cookie: 0, idleTimeout: 0, hardTimeout: 0, flags: [],
        instructions: [], program: FlowProgram(), installed: .uptimeNanoseconds(0), lastUsed: .uptimeNanoseconds(0))

    /// Whether this is the table-miss flow (priority 0, every field wildcarded, §5.4).
    var isTableMiss: Bool { priority == 0 && match.isAll }

    /// The earliest time a timeout could remove the flow, nil if it has none.
    var expiry: NIODeadline? {
        var deadline: NIODeadline?
        if hardTimeout > 0 { deadline = installed + .seconds(Int64(hardTimeout)) }
        if idleTimeout > 0 {
            let idle = lastUsed + .seconds(Int64(idleTimeout))
            deadline = deadline.map { min($0, idle) } ?? idle
        }
        return deadline
    }

    /// Whether `self` ranks before `other` in a lookup: higher priority, then older.
    @inline(__always)
    func ranksBefore(_ other: FlowEntry) -> Bool {
        priority > other.priority || (priority == other.priority && id < other.id)
    }
}
