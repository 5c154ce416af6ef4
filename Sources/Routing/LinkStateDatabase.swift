import NIOCore
import NetworkAddresses
import Packets

/// The area's link-state database (RFC 2328 §12.2): each LSA with the time it was installed,
/// from which its current age follows without a per-second tick.
struct LinkStateDatabase: Sendable {
    struct Entry: Sendable {
        /// As received or originated, with the age it had then.
        var lsa: OSPFv2LSA
        var installedAt: NIODeadline
        /// When this instance was last sent back to a neighbour with an older copy (§13 step 8).
        var lastSentBackAt: NIODeadline?
        /// Whether reaching MaxAge has been flooded already (§14).
        var maxAgeFlooded = false

        func age(at now: NIODeadline) -> UInt16 {
            let elapsed = max(0, (now - installedAt).nanoseconds / 1_000_000_000)
            return UInt16(min(Int64(OSPFv2LSAHeader.maxAge), Int64(lsa.header.age) + elapsed))
        }

        /// The LSA as it stands at `now`.
        func current(at now: NIODeadline) -> OSPFv2LSA { lsa.withAge(age(at: now)) }

        /// When the LSA reaches MaxAge, or nil if it is there.
        var maxAgeDeadline: NIODeadline? {
            guard lsa.header.age < OSPFv2LSAHeader.maxAge else { return nil }
            return installedAt + .seconds(Int64(OSPFv2LSAHeader.maxAge - lsa.header.age))
        }
    }

    private(set) var entries: [OSPFv2LSAHeader.Key: Entry] = [:]

    subscript(key: OSPFv2LSAHeader.Key) -> Entry? {
        get { entries[key] }
        set { entries[key] = newValue }
    }

    /// Installs `lsa` (§13.2); returns whether its contents differ from the instance it
    /// replaces (which is what makes a routing table recalculation necessary).
    @discardableResult
    mutating func install(_ lsa: OSPFv2LSA, now: NIODeadline) -> Bool {
        let old = entries[lsa.key]
        entries[lsa.key] = Entry(lsa: lsa, installedAt: now, maxAgeFlooded: lsa.header.age >= OSPFv2LSAHeader.maxAge)
        guard let old else { return true }
        let oldMaxAge = old.age(at: now) >= OSPFv2LSAHeader.maxAge
        let newMaxAge = lsa.header.age >= OSPFv2LSAHeader.maxAge
        return oldMaxAge != newMaxAge || old.lsa.header.options != lsa.header.options || old.lsa.body != lsa.body
    }

    mutating func remove(_ key: OSPFv2LSAHeader.Key) { entries[key] = nil }

    var sortedKeys: [OSPFv2LSAHeader.Key] { entries.keys.sorted() }

    /// Every LSA at `now`, sorted by key.
    func lsas(at now: NIODeadline) -> [OSPFv2LSA] { sortedKeys.compactMap { entries[$0]?.current(at: now) } }
}
