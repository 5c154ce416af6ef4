/// A set of guest page numbers as a bitmap of 64-bit words, the shape of Xen's log-dirty
/// bitmap (`XEN_DOMCTL_SHADOW_OP_CLEAN` hands one back): bit `p % 64` of word `p / 64` is page `p`.
public struct DirtyBitmap: Hashable, Sendable {
    /// The words; bits past `pageCount` are always zero.
    public private(set) var words: [UInt64]
    public let pageCount: Int

    /// An empty bitmap for `pageCount` pages.
    public init(pageCount: Int) {
        precondition(pageCount >= 0, "DirtyBitmap: negative page count \(pageCount)")
        self.pageCount = pageCount
        words = [UInt64](repeating: 0, count: (pageCount + 63) / 64)
    }

    /// Every page set: what the first pre-copy round sends.
    public static func all(pageCount: Int) -> DirtyBitmap {
        var bitmap = DirtyBitmap(pageCount: pageCount)
        for w in bitmap.words.indices { bitmap.words[w] = ~0 }
        bitmap.clearTail()
        return bitmap
    }

    public func contains(_ page: Int) -> Bool {
        guard page >= 0, page < pageCount else { return false }
        return words[page >> 6] & (1 << UInt64(page & 63)) != 0
    }

    public mutating func insert(_ page: Int) {
        precondition(page >= 0 && page < pageCount, "DirtyBitmap: page \(page) outside 0..<\(pageCount)")
        words[page >> 6] |= 1 << UInt64(page & 63)
    }

    public mutating func remove(_ page: Int) {
        guard page >= 0, page < pageCount else { return }
        words[page >> 6] &= ~(1 << UInt64(page & 63))
    }

    public mutating func removeAll() {
        for w in words.indices { words[w] = 0 }
    }

    /// The number of pages set (a population count over the words).
    public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    public mutating func formUnion(_ other: DirtyBitmap) {
        precondition(other.pageCount == pageCount, "DirtyBitmap: union of \(pageCount) and \(other.pageCount) pages")
        for w in words.indices { words[w] |= other.words[w] }
    }

    public func union(_ other: DirtyBitmap) -> DirtyBitmap {
        var result = self
        result.formUnion(other)
        return result
    }

    public mutating func subtract(_ other: DirtyBitmap) {
        precondition(other.pageCount == pageCount, "DirtyBitmap: difference of \(pageCount) and \(other.pageCount) pages")
        for w in words.indices { words[w] &= ~other.words[w] }
    }

    /// The pages set, in ascending order.
    public var pages: [Int] {
        var result: [Int] = []
        result.reserveCapacity(count)
        forEachPage { result.append($0) }
        return result
    }

    /// Calls `body` with each page set, in ascending order, walking only nonzero words.
    public func forEachPage(_ body: (Int) throws -> Void) rethrows {
        for (w, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                try body(w << 6 | bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
    }

    private mutating func clearTail() {
        let tail = pageCount & 63
        if tail != 0, !words.isEmpty { words[words.count - 1] &= (1 << UInt64(tail)) - 1 }
    }
}
