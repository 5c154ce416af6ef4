/// The knobs of the pre-copy algorithm (Clark et al., NSDI 2005 §3–4; defaults after Xen's
/// `xc_domain_save`).
public struct PreCopyConfiguration: Hashable, Sendable {
    /// The most pre-copy rounds before stop-and-copy (Xen: 30).
    public var maxRounds: Int
    /// Stop when at most this many pages remain dirty (Xen: 50).
    public var dirtyThreshold: Int
    /// A page written at least this many times during a round is hot, part of the writable
    /// working set: it is held back, not sent in the next round (nil: send every dirty page).
    public var hotWriteThreshold: UInt32?
    /// Stop when this many times the memory has been sent (Xen: 3).
    public var maxTransferFactor: Double
    /// Pages read and sent at once (Xen sends batches of up to 1024).
    public var batchPages: Int
    /// Bytes each page carries besides its 4 KiB: its page number.
    public var perPageOverhead: Int

    public init(
        maxRounds: Int = 30, dirtyThreshold: Int = 50, hotWriteThreshold: UInt32? = 16, maxTransferFactor: Double = 3,
        batchPages: Int = 256, perPageOverhead: Int = 8
    ) {
        precondition(maxRounds >= 1, "PreCopyConfiguration: maxRounds must be at least 1, not \(maxRounds)")
        precondition(dirtyThreshold >= 0, "PreCopyConfiguration: negative dirtyThreshold \(dirtyThreshold)")
        precondition(batchPages >= 1, "PreCopyConfiguration: batchPages must be at least 1, not \(batchPages)")
        precondition(maxTransferFactor > 0, "PreCopyConfiguration: maxTransferFactor must be positive")
        self.maxRounds = maxRounds
        self.dirtyThreshold = dirtyThreshold
        self.hotWriteThreshold = hotWriteThreshold
        self.maxTransferFactor = maxTransferFactor
        self.batchPages = batchPages
        self.perPageOverhead = perPageOverhead
    }
}
