import NIOCore
import OpenFlow

/// The words of a key under one mask, with a hash computed once (a multiply-xorshift over
/// the words; far cheaper than feeding 128 bytes to SipHash). The dictionary then hashes
/// only the 64-bit summary.
struct MaskedKey: Hashable, Sendable {
    let words: SIMD16<UInt64>
    let hash: UInt64

    @inline(__always)
    init(_ words: SIMD16<UInt64>) {
        self.words = words
        var h: UInt64 = 0x243F_6A88_85A3_08D3
        for i in 0..<16 {
            h = (h ^ words[i]) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
        }
        self.hash = h == 0 ? 1 : h  // 0 marks an empty position of a MaskedKeyTable
    }

    init(words: SIMD16<UInt64>, hash: UInt64) {
        self.words = words
        self.hash = hash
    }

    static func == (a: MaskedKey, b: MaskedKey) -> Bool { a.hash == b.hash && a.words == b.words }
    func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}

/// One tuple of the tuple-space search: every flow of a table that has this exact mask,
/// hashed by their masked values.
struct FlowTuple: Sendable {
    var mask: SIMD16<UInt64>
    /// Masked value → the first flow of a chain ordered by (priority desc, id asc).
    var buckets: MaskedKeyTable
    var count = 0
    /// How many flows have each priority, to keep `maxPriority` on removal.
    var priorityCounts: [UInt16: Int] = [:]
    var maxPriority: UInt16 = 0

    init(mask: SIMD16<UInt64>) {
        self.mask = mask
        self.buckets = MaskedKeyTable(keyMask: mask)
    }
}

/// One flow table (spec 1.3.5 §5.2) with tuple-space search (Srinivasan et al., 1999, as in
/// Open vSwitch's classifier): flows grouped by mask, one hash table per mask, tuples probed
/// in descending order of their highest priority, stopping as soon as no remaining tuple can
/// beat the best match found. An exact-match cache in front remembers the result per
/// distinct packet key (masked by the union of the table's masks) until the table changes.
struct FlowTable: Sendable {
    let id: UInt8
    /// Flow entries by slot; a free slot holds ``FlowEntry/free`` (id 0). Not optionals: an
    /// optional's projection copied whole entries on the forwarding path.
    private(set) var entries: [FlowEntry] = []
    private var freeSlots: [Int32] = []
    /// Priority and id by slot, beside `entries` so the search touches no reference counts.
    private var ranks: [(priority: UInt16, id: UInt64)] = []
    private(set) var tuples: [FlowTuple] = []
    private var tupleByMask: [SIMD16<UInt64>: Int] = [:]
    /// Non-empty tuples by descending `maxPriority`; rebuilt lazily.
    private var order: [Int] = []
    private var orderIsStale = false
    private(set) var count = 0
    var lookupCount: UInt64 = 0
    var matchedCount: UInt64 = 0

    /// The exact-match cache: key under `unionMask` → slot (-1: miss).
    private var cache = MaskedKeyTable(keyMask: .zero)
    private var unionMask = SIMD16<UInt64>.zero
    let cacheCapacity: Int

    init(id: UInt8, cacheCapacity: Int = 4096) {
        self.id = id
        self.cacheCapacity = cacheCapacity
    }

    /// What the forwarding path reads and writes of a flow, packed apart from the rest so
    /// that a table of thousands of flows stays in cache (a whole ``FlowEntry`` is over
    /// 400 bytes, its match alone 256).
    struct HotFlow: Sendable {
        var packetCount: UInt64
        var byteCount: UInt64
        var lastUsed: NIODeadline
        var cookie: UInt64
        var program: FlowProgram.Box
        var isTableMiss: Bool

        init(_ entry: FlowEntry) {
            packetCount = entry.packetCount
            byteCount = entry.byteCount
            lastUsed = entry.lastUsed
            cookie = entry.cookie
            program = FlowProgram.Box(entry.program)
            isTableMiss = entry.isTableMiss
        }
    }

    private var hot: [HotFlow] = []

    /// The flow in `slot`, with its current counters.
    subscript(slot: Int32) -> FlowEntry {
        get {
            let i = Int(slot)
            var entry = entries[i]
            entry.packetCount = hot[i].packetCount
            entry.byteCount = hot[i].byteCount
            entry.lastUsed = hot[i].lastUsed
            return entry
        }
        set {
            entries[Int(slot)] = newValue
            hot[Int(slot)] = HotFlow(newValue)
        }
    }

    /// Every flow's slot.
    var slots: [Int32] {
        entries.indices.compactMap { entries[$0].id == 0 ? nil : Int32($0) }
    }

    // MARK: lookup

    /// The highest-priority flow matching `key`, or nil (a table miss).
    @inline(__always)
    mutating func lookup(_ key: FlowKey) -> Int32? {
        if cacheCapacity > 0 {
            let cacheKey = MaskedKey(key.words & unionMask)
            if let slot = cache[cacheKey] { return slot < 0 ? nil : slot }
            let slot = search(key)
            if cache.count >= cacheCapacity { cache.removeAll() }
            cache.set(cacheKey, slot ?? -1)
            return slot
        }
        return search(key)
    }

    /// The tuple-space search itself, without the cache.
    mutating func search(_ key: FlowKey) -> Int32? {
        if orderIsStale { rebuildOrder() }
        var best: Int32 = -1
        var bestPriority = -1
        var bestID: UInt64 = 0
        for t in order {
            let maxPriority = Int(tuples[t].maxPriority)
            if maxPriority < bestPriority { break }
            guard let (slot, tag) = tuples[t].buckets.find(MaskedKey(key.words & tuples[t].mask)) else { continue }
            let priority = Int(tag)
            if priority > bestPriority {
                best = slot
                bestPriority = priority
                bestID = ranks[Int(slot)].id
            } else if priority == bestPriority, ranks[Int(slot)].id < bestID {
                best = slot
                bestID = ranks[Int(slot)].id
            }
        }
        return best < 0 ? nil : best
    }

    private mutating func rebuildOrder() {
        order = tuples.indices.filter { tuples[$0].count > 0 }
        order.sort { tuples[$0].maxPriority > tuples[$1].maxPriority }
        orderIsStale = false
    }

    /// Counts a packet on the flow in `slot` and returns what the pipeline needs of it.
    @inline(__always)
    mutating func hit(_ slot: Int32, bytes: UInt64, now: NIODeadline) -> (
        program: FlowProgram.Box, cookie: UInt64, isTableMiss: Bool
    ) {
        let i = Int(slot)
        hot[i].packetCount &+= 1
        hot[i].byteCount &+= bytes
        hot[i].lastUsed = now
        return (hot[i].program, hot[i].cookie, hot[i].isTableMiss)
    }

    /// The flow in `slot`, if there is one.
    func entry(at slot: Int32) -> FlowEntry? {
        slot >= 0 && Int(slot) < entries.count && entries[Int(slot)].id != 0 ? self[slot] : nil
    }

    // MARK: changes

    /// The slot of the flow with exactly this match and priority.
    func find(_ match: FlowMatch, priority: UInt16) -> Int32? {
        guard let t = tupleByMask[match.mask] else { return nil }
        var slot = tuples[t].buckets[MaskedKey(match.value)] ?? -1
        while slot >= 0 {
            let entry = entries[Int(slot)]
            if entry.priority == priority { return slot }
            if entry.priority < priority { return nil }
            slot = entry.next
        }
        return nil
    }

    /// Adds a flow (the caller has removed any flow with the same match and priority).
    @discardableResult
    mutating func insert(_ entry: FlowEntry) -> Int32 {
        let slot: Int32
        if let free = freeSlots.popLast() {
            slot = free
            entries[Int(slot)] = entry
            hot[Int(slot)] = HotFlow(entry)
            ranks[Int(slot)] = (entry.priority, entry.id)
        } else {
            slot = Int32(entries.count)
            entries.append(entry)
            hot.append(HotFlow(entry))
            ranks.append((entry.priority, entry.id))
        }
        count += 1
        let t: Int
        if let existing = tupleByMask[entry.match.mask] {
            t = existing
        } else {
            t = tuples.count
            tuples.append(FlowTuple(mask: entry.match.mask))
            tupleByMask[entry.match.mask] = t
        }
        let bucket = MaskedKey(entry.match.value)
        // Insert into the bucket's chain, keeping (priority desc, id asc).
        var previous: Int32 = -1
        var cursor = tuples[t].buckets[bucket] ?? -1
        while cursor >= 0, entries[Int(cursor)].ranksBefore(entry) {
            previous = cursor
            cursor = entries[Int(cursor)].next
        }
        entries[Int(slot)].next = cursor
        if previous < 0 {
            tuples[t].buckets.set(bucket, slot, tag: entry.priority)
        } else {
            entries[Int(previous)].next = slot
        }
        tuples[t].count += 1
        tuples[t].priorityCounts[entry.priority, default: 0] += 1
        if tuples[t].count == 1 || entry.priority > tuples[t].maxPriority {
            tuples[t].maxPriority = entry.priority
        }
        orderIsStale = true
        if unionMask | entry.match.mask != unionMask {
            unionMask |= entry.match.mask
            cache = MaskedKeyTable(keyMask: unionMask)
        } else {
            cache.removeAll()
        }
        return slot
    }

    /// Removes the flow in `slot` and returns it.
    @discardableResult
    mutating func remove(_ slot: Int32) -> FlowEntry {
        let entry = self[slot]
        let t = tupleByMask[entry.match.mask]!
        let bucket = MaskedKey(entry.match.value)
        var previous: Int32 = -1
        var cursor = tuples[t].buckets[bucket] ?? -1
        while cursor >= 0, cursor != slot {
            previous = cursor
            cursor = entries[Int(cursor)].next
        }
        if previous < 0 {
            tuples[t].buckets.set(
                bucket, entry.next < 0 ? nil : entry.next,
                tag: entry.next < 0 ? 0 : entries[Int(entry.next)].priority)
        } else {
            entries[Int(previous)].next = entry.next
        }
        tuples[t].count -= 1
        let left = tuples[t].priorityCounts[entry.priority, default: 1] - 1
        tuples[t].priorityCounts[entry.priority] = left == 0 ? nil : left
        if left == 0, entry.priority == tuples[t].maxPriority {
            tuples[t].maxPriority = tuples[t].priorityCounts.keys.max() ?? 0
        }
        orderIsStale = true
        entries[Int(slot)] = .free
        ranks[Int(slot)] = (0, 0)
        freeSlots.append(slot)
        count -= 1
        cache.removeAll()
        return entry
    }
}
