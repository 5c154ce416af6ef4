/// What cleaning the dirty log hands back: the pages written since the last clean and how many
/// times each was written (the write counters that tell the writable working set apart).
public struct DirtyLogSnapshot: Hashable, Sendable {
    public var dirty: DirtyBitmap
    /// Writes per page since the last clean, indexed by page number.
    public var writeCounts: [UInt32]

    public init(dirty: DirtyBitmap, writeCounts: [UInt32]) {
        self.dirty = dirty
        self.writeCounts = writeCounts
    }

    /// Pages written at least `threshold` times: hot pages, likely to be written again.
    public func hotPages(threshold: UInt32) -> DirtyBitmap {
        var hot = DirtyBitmap(pageCount: dirty.pageCount)
        dirty.forEachPage { page in
            if writeCounts[page] >= threshold { hot.insert(page) }
        }
        return hot
    }

    /// Total writes recorded.
    public var totalWrites: Int { writeCounts.reduce(0) { $0 + Int($1) } }
}
