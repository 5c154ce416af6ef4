import NIOCore
import Virtualization

/// Pre-copy live migration of a VM (Clark et al., "Live Migration of Virtual Machines",
/// NSDI 2005), sans-I/O: the driver calls ``advance(to:source:)`` by ``nextDeadline`` with the
/// source VM, after running the source node's vCPUs up to the same `now`.
///
/// 1. **Pre-copy.** The dirty log is turned on. Round 1 sends every page; each later round sends
///    the pages dirtied during the previous one. Pages go in batches at the channel's bandwidth,
///    read when the batch leaves; a page the guest has dirtied again since the round began is
///    skipped (the next round sends it), and hot pages, written at least
///    ``PreCopyConfiguration/hotWriteThreshold`` times in a round, are held back until they cool
///    down or until stop-and-copy.
/// 2. **Stop-and-copy** when the dirty set is at most the threshold, after the maximum number of
///    rounds, when a round did not shrink the dirty set, or past the transfer limit: the VM is
///    paused and the remaining dirty pages and the vCPU state are sent.
/// 3. **Commitment.** When the image has arrived the destination acknowledges it; the source,
///    on receiving the acknowledgement one latency later, discards its copy.
/// 4. **Activation.** The commit reaches the destination one latency later and the VM resumes
///    there. Downtime is pause → resume.
///
/// A failure of the destination or of the channel before commitment rolls back: the VM runs on
/// the source again (resumed if paused) and its dirty log is turned off.
public struct PreCopyMigration: Sendable {
    public enum Phase: Hashable, Sendable {
        case notStarted
        case preCopy(round: Int)
        case stopAndCopy
        case awaitingAcknowledgement
        case committing
        case completed
        case rolledBack(LiveMigrationFailure)
        case lost(LiveMigrationFailure)
    }

    /// Pages in flight on the channel.
    private struct Transfer: Sendable {
        var arrival: NIODeadline
        var pages: [Int]
        var contents: [UInt8]
        var vcpu: [UInt8]?
    }

    public let router: VirtualRouterID
    public let channel: LiveMigrationChannel
    public let configuration: PreCopyConfiguration
    public private(set) var phase = Phase.notStarted
    public private(set) var statistics = PreCopyStatistics()

    private var machineConfiguration: VirtualMachineConfiguration?
    private var destinationMemory: GuestMemory?
    private var migrated: VirtualMachine?
    private var channelFreeAt = NIODeadline.uptimeNanoseconds(0)
    private var inFlight: [Transfer] = []
    private var inFlightHead = 0

    private var round = 0
    private var toSend: [Int] = []
    private var cursor = 0
    private var roundStart = NIODeadline.uptimeNanoseconds(0)
    private var roundSent = 0
    private var roundSkipped = 0
    private var roundBytes = 0
    private var heldBack: DirtyBitmap?
    private var previousDirty: Int?
    private var sourceHashAtPause: UInt64?
    private var acknowledgementAt: NIODeadline?
    private var commitArrivesAt: NIODeadline?

    public init(router: VirtualRouterID, channel: LiveMigrationChannel, configuration: PreCopyConfiguration = .init()) {
        self.router = router
        self.channel = channel
        self.configuration = configuration
    }

    public var isFinished: Bool {
        switch phase {
        case .completed, .rolledBack, .lost: true
        default: false
        }
    }

    /// When ``advance(to:source:)`` must next be called.
    public var nextDeadline: NIODeadline? {
        var candidates: [NIODeadline] = []
        switch phase {
        case .notStarted, .completed, .rolledBack, .lost: return nil
        case .preCopy: candidates.append(channelFreeAt)
        case .stopAndCopy, .awaitingAcknowledgement: break
        case .committing: break
        }
        if inFlightHead < inFlight.count { candidates.append(inFlight[inFlightHead].arrival) }
        if let acknowledgementAt { candidates.append(acknowledgementAt) }
        if let commitArrivesAt { candidates.append(commitArrivesAt) }
        if let breaksAt = channel.breaksAt, !isCommitted { candidates.append(breaksAt) }
        return candidates.min()
    }

    /// The VM rebuilt at the destination, once ``LiveMigrationEvent/resumedAtDestination(at:)``
    /// has been reported (handed out once).
    public mutating func takeMigratedMachine() -> VirtualMachine? {
        defer { migrated = nil }
        return migrated
    }

    // MARK: Driving

    /// Starts migrating `source` at `now`: dirty log on, round 1 (every page).
    public mutating func start(now: NIODeadline, source: inout VirtualMachine) -> [LiveMigrationEvent] {
        precondition(phase == .notStarted, "PreCopyMigration of \(router): started twice")
        precondition(source.id == router, "PreCopyMigration of \(router): given VM \(source.id)")
        precondition(source.isRunning, "PreCopyMigration of \(router): the VM is \(source.state), not running")
        source.beginMigration()
        machineConfiguration = source.configuration
        destinationMemory = GuestMemory(pageCount: source.memory.pageCount)
        heldBack = DirtyBitmap(pageCount: source.memory.pageCount)
        statistics.startedAt = now
        channelFreeAt = now
        beginRound(1, pages: Array(0..<source.memory.pageCount), now: now)
        var events: [LiveMigrationEvent] = [.started(at: now)]
        events += advance(to: now, source: &source)
        return events
    }

    /// Does everything due by `now`: sends batches, ends rounds, pauses, delivers, commits, resumes.
    public mutating func advance(to now: NIODeadline, source: inout VirtualMachine) -> [LiveMigrationEvent] {
        var events: [LiveMigrationEvent] = []
        if let breaksAt = channel.breaksAt, breaksAt <= now, !isCommitted, !isFinished, phase != .notStarted {
            return fail(.channelBroken, now: now, source: &source)
        }
        var progressed = true
        while progressed && !isFinished {
            progressed = false
            if inFlightHead < inFlight.count, inFlight[inFlightHead].arrival <= now {
                events += deliver(now: now)
                progressed = true
                continue
            }
            switch phase {
            case .preCopy:
                guard channelFreeAt <= now else { break }
                if cursor < toSend.count {
                    sendBatch(now: now, source: &source)
                    progressed = true
                } else {
                    events += endRound(now: now, source: &source)
                    progressed = true
                }
            case .awaitingAcknowledgement:
                if let at = acknowledgementAt, at <= now {
                    acknowledgementAt = nil
                    source.completeMigration()
                    statistics.acknowledgedAt = now
                    events.append(.acknowledged(at: now))
                    commitArrivesAt = now + channel.latency
                    phase = .committing
                    progressed = true
                }
            case .committing:
                if let at = commitArrivesAt, at <= now {
                    commitArrivesAt = nil
                    events += activate(now: now)
                    progressed = true
                }
            default:
                break
            }
        }
        return events
    }

    /// The destination or the channel failed at `now`. Before commitment the VM runs on the
    /// source again; after, it is lost.
    public mutating func fail(_ reason: LiveMigrationFailure, now: NIODeadline, source: inout VirtualMachine)
        -> [LiveMigrationEvent]
    {
        guard !isFinished, phase != .notStarted else { return [] }
        inFlight = []
        inFlightHead = 0
        destinationMemory = nil
        acknowledgementAt = nil
        commitArrivesAt = nil
        if isCommitted {
            phase = .lost(reason)
            return [.lost(at: now, reason: reason)]
        }
        source.abortMigration(now: now)
        phase = .rolledBack(reason)
        return [.rolledBack(at: now, reason: reason)]
    }

    // MARK: Stages

    private var isCommitted: Bool {
        switch phase {
        case .committing, .completed, .lost: true
        default: false
        }
    }

    private mutating func beginRound(_ number: Int, pages: [Int], now: NIODeadline) {
        round = number
        phase = .preCopy(round: number)
        toSend = pages
        cursor = 0
        roundStart = now
        roundSent = 0
        roundSkipped = 0
        roundBytes = 0
    }

    private mutating func sendBatch(now: NIODeadline, source: inout VirtualMachine) {
        var pages: [Int] = []
        var contents: [UInt8] = []
        pages.reserveCapacity(configuration.batchPages)
        contents.reserveCapacity(configuration.batchPages * GuestMemory.pageSize)
        while cursor < toSend.count, pages.count < configuration.batchPages {
            let page = toSend[cursor]
            cursor += 1
            if source.memory.isDirty(page) {
                roundSkipped += 1  // dirtied again this round: the next round sends it
                continue
            }
            pages.append(page)
            source.memory.withPage(page) { contents.append(contentsOf: $0) }
        }
        guard !pages.isEmpty else { return }
        let bytes = pages.count * (GuestMemory.pageSize + configuration.perPageOverhead)
        transmit(Transfer(arrival: now, pages: pages, contents: contents, vcpu: nil), bytes: bytes, now: now)
        roundSent += pages.count
        roundBytes += bytes
    }

    private mutating func transmit(_ transfer: Transfer, bytes: Int, now: NIODeadline) {
        var transfer = transfer
        channelFreeAt = max(channelFreeAt, now) + channel.transmissionTime(bytes)
        transfer.arrival = channelFreeAt + channel.latency
        inFlight.append(transfer)
        statistics.bytesSent += bytes
        statistics.pagesSent += transfer.pages.count
    }

    private mutating func endRound(now: NIODeadline, source: inout VirtualMachine) -> [LiveMigrationEvent] {
        let snapshot = source.cleanDirtyLog()
        var remaining = snapshot.dirty
        remaining.formUnion(heldBack!)
        let hot = configuration.hotWriteThreshold.map { snapshot.hotPages(threshold: $0) }
            ?? DirtyBitmap(pageCount: remaining.pageCount)
        let heldThisRound = heldBack!.count
        let dirty = remaining.count
        let record = PreCopyRound(
            number: round, pagesSent: roundSent, pagesSkipped: roundSkipped, pagesHeldBack: heldThisRound,
            bytes: roundBytes, started: roundStart, ended: now, dirtyAtEnd: dirty)
        statistics.rounds.append(record)
        var events: [LiveMigrationEvent] = [.roundCompleted(record)]

        let memoryBytes = Double(source.memory.byteCount)
        let reason: PreCopyStopReason? =
            if dirty <= configuration.dirtyThreshold { .dirtySetSmall }
            else if round >= configuration.maxRounds { .maxRounds }
            else if let previousDirty, dirty >= previousDirty { .noProgress }
            else if Double(statistics.bytesSent) >= configuration.maxTransferFactor * memoryBytes { .transferLimit }
            else { nil }
        previousDirty = dirty
        if let reason {
            events += stopAndCopy(now: now, reason: reason, remaining: remaining, source: &source)
        } else {
            var next = remaining
            next.subtract(hot)
            heldBack = remaining
            heldBack!.subtract(next)
            beginRound(round + 1, pages: next.pages, now: now)
        }
        return events
    }

    private mutating func stopAndCopy(
        now: NIODeadline, reason: PreCopyStopReason, remaining: DirtyBitmap, source: inout VirtualMachine
    ) -> [LiveMigrationEvent] {
        source.pause(now: now)
        var final = remaining
        final.formUnion(source.cleanDirtyLog().dirty)
        let pages = final.pages
        var contents: [UInt8] = []
        contents.reserveCapacity(pages.count * GuestMemory.pageSize)
        for page in pages { source.memory.withPage(page) { contents.append(contentsOf: $0) } }
        let vcpu = source.vcpu.encoded()
        let bytes = pages.count * (GuestMemory.pageSize + configuration.perPageOverhead) + vcpu.count
        sourceHashAtPause = source.memory.contentHash
        statistics.pausedAt = now
        statistics.stopReason = reason
        statistics.stopAndCopyPages = pages.count
        statistics.stopAndCopyBytes = bytes
        phase = .stopAndCopy
        transmit(Transfer(arrival: now, pages: pages, contents: contents, vcpu: vcpu), bytes: bytes, now: now)
        return [.stopAndCopy(at: now, reason: reason, pages: pages.count)]
    }

    /// The next transfer reaches the destination: its pages go into the destination's memory.
    private mutating func deliver(now: NIODeadline) -> [LiveMigrationEvent] {
        let transfer = inFlight[inFlightHead]
        inFlightHead += 1
        if inFlightHead == inFlight.count {
            inFlight.removeAll(keepingCapacity: true)
            inFlightHead = 0
        }
        transfer.contents.withUnsafeBytes { raw in
            for (i, page) in transfer.pages.enumerated() {
                let start = i * GuestMemory.pageSize
                destinationMemory!.restore(
                    page: page, from: UnsafeRawBufferPointer(rebasing: raw[start..<start + GuestMemory.pageSize]))
            }
        }
        guard let vcpu = transfer.vcpu else { return [] }
        let verified = destinationMemory!.contentHash == sourceHashAtPause
        statistics.verified = verified
        statistics.imageReceivedAt = now
        pendingVCPU = vcpu
        acknowledgementAt = now + channel.latency
        phase = .awaitingAcknowledgement
        return [.imageReceived(at: now, verified: verified)]
    }

    private var pendingVCPU: [UInt8] = []

    private mutating func activate(now: NIODeadline) -> [LiveMigrationEvent] {
        let image = MachineImage(configuration: machineConfiguration!, memory: destinationMemory!, vcpu: pendingVCPU)
        destinationMemory = nil
        do {
            migrated = try VirtualMachine(image: image, now: now)
        } catch {
            phase = .lost(.destinationFailed)
            return [.lost(at: now, reason: .destinationFailed)]
        }
        statistics.resumedAt = now
        phase = .completed
        return [.resumedAtDestination(at: now)]
    }
}
