/// A hash map from ``MaskedKey`` to a flow slot and its priority: open addressing with
/// linear probing over a power-of-two table, indexed by the key's precomputed hash.
///
/// It exists because a `Dictionary` would hash that hash again with SipHash on every probe
/// and copy 136-byte keys while probing; profiling showed both, and then cache misses, to
/// dominate forwarding. Here a probe reads one 16-byte entry (hash, slot, priority); the key
/// is compared once, when a hash agrees, and only in the words its mask uses.
struct MaskedKeyTable: Sendable {
    private struct Entry: Sendable {
        /// 0 marks an empty position (no key hashes to 0).
        var hash: UInt64
        var value: Int32
        var tag: UInt16
    }

    private var entries: [Entry]
    /// The key words the mask uses (`words`), `width` per position.
    private var keys: [UInt64]
    private let words: [Int]
    private var width: Int { words.count }
    private var mask: Int
    private(set) var count = 0

    /// A table for keys under `keyMask`: words the mask leaves out are not stored.
    init(keyMask: SIMD16<UInt64>, capacity: Int = 8) {
        var size = 8
        while size < capacity * 2 { size <<= 1 }
        words = (0..<16).filter { keyMask[$0] != 0 }
        entries = Array(repeating: Entry(hash: 0, value: -1, tag: 0), count: size)
        keys = Array(repeating: 0, count: size * words.count)
        mask = size - 1
    }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    private func home(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash ^ (hash >> 32)) & mask }

    @inline(__always)
    private func keyMatches(_ i: Int, _ key: MaskedKey) -> Bool {
        let base = i &* width
        for (k, w) in words.enumerated() where keys[base &+ k] != key.words[w] { return false }
        return true
    }

    @inline(__always)
    private func position(of key: MaskedKey) -> (index: Int, found: Bool) {
        var i = home(key.hash)
        while true {
            let hash = entries[i].hash
            if hash == 0 { return (i, false) }
            if hash == key.hash, keyMatches(i, key) { return (i, true) }
            i = (i &+ 1) & mask
        }
    }

    /// The slot and priority stored for `key`.
    @inline(__always)
    func find(_ key: MaskedKey) -> (value: Int32, tag: UInt16)? {
        let (i, found) = position(of: key)
        return found ? (entries[i].value, entries[i].tag) : nil
    }

    subscript(key: MaskedKey) -> Int32? { find(key)?.value }

    /// Sets or (with nil) removes the value of `key`.
    mutating func set(_ key: MaskedKey, _ value: Int32?, tag: UInt16 = 0) {
        guard let value else {
            remove(key)
            return
        }
        if (count + 1) * 4 > entries.count * 3 { grow() }
        let (i, found) = position(of: key)
        if !found {
            entries[i].hash = key.hash
            for (k, w) in words.enumerated() { keys[i * width + k] = key.words[w] }
            count += 1
        }
        entries[i].value = value
        entries[i].tag = tag
    }

    private mutating func move(_ from: Int, to: Int) {
        entries[to] = entries[from]
        for k in 0..<width { keys[to * width + k] = keys[from * width + k] }
        entries[from].hash = 0
    }

    private mutating func remove(_ key: MaskedKey) {
        let (i, found) = position(of: key)
        guard found else { return }
        entries[i].hash = 0
        count -= 1
        // Backward-shift the cluster after the hole so every key stays reachable.
        var hole = i
        var j = (i + 1) & mask
        while entries[j].hash != 0 {
            let want = home(entries[j].hash)
            // Move the entry at j into the hole unless its home lies in (hole, j].
            if (j - want) & mask >= (j - hole) & mask {
                move(j, to: hole)
                hole = j
            }
            j = (j + 1) & mask
        }
    }

    private mutating func grow() {
        let (oldEntries, oldKeys) = (entries, keys)
        let size = oldEntries.count * 2
        entries = Array(repeating: Entry(hash: 0, value: -1, tag: 0), count: size)
        keys = Array(repeating: 0, count: size * width)
        mask = size - 1
        count = 0
        for i in oldEntries.indices where oldEntries[i].hash != 0 {
            var full = SIMD16<UInt64>.zero
            for (k, w) in words.enumerated() { full[w] = oldKeys[i * width + k] }
            set(MaskedKey(words: full, hash: oldEntries[i].hash), oldEntries[i].value, tag: oldEntries[i].tag)
        }
    }

    mutating func removeAll() {
        guard count > 0 else { return }
        for i in entries.indices { entries[i].hash = 0 }
        count = 0
    }
}
