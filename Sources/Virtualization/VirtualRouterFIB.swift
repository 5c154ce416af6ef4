import NetworkAddresses

/// A virtual router's forwarding table: longest-prefix match over one hash table per prefix
/// length, probing only the lengths in use, longest first (at most 33 probes, usually a few).
public struct VirtualRouterFIB: Hashable, Sendable {
    private var byLength: [[UInt32: FIBEntry]] = Array(repeating: [:], count: 33)
    /// Bit `l` set when some prefix of length `l` is present.
    private var lengthsInUse: UInt64 = 0
    public private(set) var count = 0

    public init() {}

    public init(_ entries: some Sequence<FIBEntry>) {
        for entry in entries { insert(entry) }
    }

    /// Adds or replaces the route to the entry's prefix.
    public mutating func insert(_ entry: FIBEntry) {
        if byLength[entry.prefixLength].updateValue(entry, forKey: entry.prefix.rawValue) == nil { count += 1 }
        lengthsInUse |= 1 << UInt64(entry.prefixLength)
    }

    @discardableResult
    public mutating func remove(prefix: IPv4Address, prefixLength: Int) -> FIBEntry? {
        guard (0...32).contains(prefixLength) else { return nil }
        let key = prefix.rawValue & IPv4Address.mask(prefixLength: prefixLength).rawValue
        guard let removed = byLength[prefixLength].removeValue(forKey: key) else { return nil }
        count -= 1
        if byLength[prefixLength].isEmpty { lengthsInUse &= ~(1 << UInt64(prefixLength)) }
        return removed
    }

    public mutating func apply(_ update: RouteUpdate) {
        switch update {
        case .add(let entry): insert(entry)
        case .withdraw(let prefix, let length): remove(prefix: prefix, prefixLength: length)
        case .replaceAll(let entries): self = VirtualRouterFIB(entries)
        }
    }

    /// The route with the longest prefix containing `destination`.
    public func lookup(_ destination: IPv4Address) -> FIBEntry? {
        var lengths = lengthsInUse
        while lengths != 0 {
            let length = 63 - lengths.leadingZeroBitCount
            lengths &= ~(1 << UInt64(length))
            let key = destination.rawValue & IPv4Address.mask(prefixLength: length).rawValue
            if let entry = byLength[length][key] { return entry }
        }
        return nil
    }

    /// Every route, longest prefixes first, then by prefix.
    public var entries: [FIBEntry] {
        byLength.reversed().flatMap { $0.values.sorted { $0.prefix < $1.prefix } }
    }
}
