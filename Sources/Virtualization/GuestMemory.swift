import NIOCore

/// A guest's physical memory: `pageCount` pages of 4 KiB in one contiguous buffer, with the
/// log-dirty tracking of Xen's shadow page tables (`XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY`,
/// `_PEEK`, `_CLEAN`).
///
/// Every guest write goes through `store`/`write`, which, while the dirty log is enabled, set
/// the page's bit in the dirty bitmap and count the write in the page's write counter; a page
/// written many times between two cleans is part of the writable working set (Clark et al.
/// 2005 §3.2). Writes that restore pages received from a migration (`restore(page:from:)`)
/// are not guest writes and are not logged.
///
/// Integers are little-endian, as on x86. An access outside the memory is a guest bug and
/// stops the program with a message naming the offset and the memory size.
public struct GuestMemory: Sendable {
    public static let pageSize = 4096
    public static let pageShift = 12

    public let pageCount: Int
    private var bytes: [UInt8]
    private var dirty: DirtyBitmap
    private var writeCounters: [UInt32]
    /// Whether writes are being logged (Xen's log-dirty mode).
    public private(set) var isDirtyLogEnabled = false

    /// Zero-filled memory of `pageCount` pages.
    public init(pageCount: Int) {
        precondition(pageCount > 0, "GuestMemory: page count must be positive, not \(pageCount)")
        self.pageCount = pageCount
        bytes = [UInt8](repeating: 0, count: pageCount << Self.pageShift)
        dirty = DirtyBitmap(pageCount: pageCount)
        writeCounters = [UInt32](repeating: 0, count: pageCount)
    }

    public var byteCount: Int { pageCount << Self.pageShift }

    // MARK: Guest access

    public func load<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        check(offset, MemoryLayout<T>.size)
        return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }

    /// Stores `value` at `offset` (little-endian) and logs the page(s) it touches.
    public mutating func store<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        check(offset, MemoryLayout<T>.size)
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self) }
        logWrite(offset, MemoryLayout<T>.size)
    }

    /// Copies `source` to `offset` and logs every page it touches.
    public mutating func write(_ source: UnsafeRawBufferPointer, at offset: Int) {
        guard source.count > 0 else { return }
        check(offset, source.count)
        bytes.withUnsafeMutableBytes { target in
            target.baseAddress!.advanced(by: offset).copyMemory(from: source.baseAddress!, byteCount: source.count)
        }
        logWrite(offset, source.count)
    }

    public mutating func write(_ source: [UInt8], at offset: Int) {
        source.withUnsafeBytes { write($0, at: offset) }
    }

    /// Copies the readable bytes of `buffer` (a packet, say) to `offset`.
    public mutating func write(_ buffer: ByteBuffer, at offset: Int) {
        buffer.withUnsafeReadableBytes { write($0, at: offset) }
    }

    /// Copies `count` bytes from `offset`.
    public func read(at offset: Int, count: Int) -> [UInt8] {
        check(offset, count)
        return Array(bytes[offset..<offset + count])
    }

    // MARK: Pages

    /// A copy of page `index`.
    public func page(_ index: Int) -> [UInt8] {
        read(at: pageOffset(index), count: Self.pageSize)
    }

    /// Calls `body` with the bytes of page `index`, without copying them.
    public func withPage<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let start = pageOffset(index)
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<start + Self.pageSize])) }
    }

    /// Replaces page `index` with `source` (exactly one page) without logging: the receiving end
    /// of a migration filling in a page.
    public mutating func restore(page index: Int, from source: UnsafeRawBufferPointer) {
        precondition(source.count == Self.pageSize, "GuestMemory.restore: \(source.count) bytes is not one page")
        let start = pageOffset(index)
        bytes.withUnsafeMutableBytes { target in
            target.baseAddress!.advanced(by: start).copyMemory(from: source.baseAddress!, byteCount: Self.pageSize)
        }
    }

    // MARK: Dirty log

    /// Starts logging writes, from an empty log (`SHADOW_OP_ENABLE_LOGDIRTY`).
    public mutating func enableDirtyLog() {
        isDirtyLogEnabled = true
        resetLog()
    }

    /// Stops logging and forgets the log (`SHADOW_OP_OFF`).
    public mutating func disableDirtyLog() {
        isDirtyLogEnabled = false
        resetLog()
    }

    /// The pages written since the last clean, leaving the log as it is (`SHADOW_OP_PEEK`).
    public func peekDirtyLog() -> DirtyBitmap { dirty }

    /// Whether page `index` was written since the last clean.
    public func isDirty(_ index: Int) -> Bool { dirty.contains(index) }

    /// The number of pages written since the last clean.
    public var dirtyPageCount: Int { dirty.count }

    /// Writes to page `index` since the last clean.
    public func writeCount(ofPage index: Int) -> UInt32 { writeCounters[index] }

    /// Hands back the log and the write counters and clears both (`SHADOW_OP_CLEAN`).
    public mutating func cleanDirtyLog() -> DirtyLogSnapshot {
        let snapshot = DirtyLogSnapshot(dirty: dirty, writeCounts: writeCounters)
        resetLog()
        return snapshot
    }

    // MARK: Content

    /// A 64-bit FNV-1a-style hash of the whole memory, word by word: equal memories hash
    /// equal, and a single changed byte changes the hash.
    public var contentHash: UInt64 {
        bytes.withUnsafeBytes { raw in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            let words = raw.count / 8
            for w in 0..<words {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: w << 3, as: UInt64.self)) &* 0x0000_0100_0000_01B3
                hash ^= hash >> 29
            }
            return hash
        }
    }

    /// Whether two memories hold the same bytes (the dirty logs do not count).
    public func hasSameContent(as other: GuestMemory) -> Bool { bytes == other.bytes }

    // MARK: Private

    private mutating func resetLog() {
        dirty.removeAll()
        for i in writeCounters.indices { writeCounters[i] = 0 }
    }

    private mutating func logWrite(_ offset: Int, _ count: Int) {
        guard isDirtyLogEnabled else { return }
        let first = offset >> Self.pageShift
        let last = (offset + count - 1) >> Self.pageShift
        for page in first...last {
            dirty.insert(page)
            writeCounters[page] &+= 1
        }
    }

    private func pageOffset(_ index: Int) -> Int {
        precondition(index >= 0 && index < pageCount, "GuestMemory: page \(index) outside 0..<\(pageCount)")
        return index << Self.pageShift
    }

    private func check(_ offset: Int, _ count: Int) {
        precondition(
            offset >= 0 && count >= 0 && offset + count <= bytes.count,
            "GuestMemory: \(count) bytes at offset \(offset) outside the \(bytes.count)-byte memory")
    }
}
