import NIOCore
import NetworkAddresses
import Substrate

/// A constant-rate UDP probe flow sent from a host of the embedded network, on its clock
/// (virtual or real). Packet `n` is due at `start + n / rate` (``ConstantRateSchedule``) and
/// carries a ``ProbePayload`` with its sequence number and the time it was handed to the
/// network. Sizes are IP datagram sizes (64 and 1500 bytes as in the paper; at least 52).
///
/// On the real clock a loop that falls behind sends the overdue packets in bursts of at most
/// ``Configuration/burstLimit`` and stamps each with the time it really left.
public final class TrafficGenerator {
    public struct Configuration: Hashable, Sendable {
        public var destination: IPv4Address
        public var destinationPort: UInt16
        /// The flow id the receiver probe expects.
        public var flow: UInt32
        /// Packets per second.
        public var rate: Double
        /// IP datagram size in bytes (IPv4 + UDP headers + payload).
        public var datagramSize: Int
        /// Packets to send; nil: until stopped.
        public var count: UInt64?
        /// The source port (0: an ephemeral one).
        public var sourcePort: UInt16
        public var burstLimit: Int
        /// How often ``TrafficGenerator/onProgress`` is called.
        public var progressInterval: TimeAmount

        public init(
            destination: IPv4Address, destinationPort: UInt16 = 9000, flow: UInt32 = 1, rate: Double,
            datagramSize: Int = 64, count: UInt64? = nil, sourcePort: UInt16 = 0, burstLimit: Int = 64,
            progressInterval: TimeAmount = .seconds(1)
        ) {
            self.destination = destination
            self.destinationPort = destinationPort
            self.flow = flow
            self.rate = rate
            self.datagramSize = datagramSize
            self.count = count
            self.sourcePort = sourcePort
            self.burstLimit = burstLimit
            self.progressInterval = progressInterval
        }
    }

    /// How far a flow has got.
    public struct Progress: Hashable, Sendable {
        /// Time since the flow started.
        public var elapsed: TimeAmount
        public var sent: UInt64
        /// Packets due by now that are not sent yet (the sender is behind).
        public var behind: UInt64

        public init(elapsed: TimeAmount, sent: UInt64, behind: UInt64) {
            self.elapsed = elapsed
            self.sent = sent
            self.behind = behind
        }
    }

    public enum SetupError: Error, Equatable, Sendable, CustomStringConvertible {
        case portInUse(host: String, port: UInt16)
        case probe(ProbeError)

        public var description: String {
            switch self {
            case .portInUse(let host, let port): "UDP port \(port) of host '\(host)' is already bound"
            case .probe(let error): error.description
            }
        }
    }

    public let configuration: Configuration
    public let socket: EmbeddedUDPSocket
    public let clock: any SubstrateClock
    public let payloadSize: Int
    /// Packets handed to the network so far.
    public private(set) var sent: UInt64 = 0
    public private(set) var startedAt: NIODeadline?
    public var onProgress: ((Progress) -> Void)?
    /// Called once, when the last packet of a counted flow is sent.
    public var onFinish: (() -> Void)?
    private var schedule: ConstantRateSchedule?
    private var timer: ScheduledEvent?
    private var progressTimer: ScheduledEvent?

    public init(host: EmbeddedHost, configuration: Configuration) throws(SetupError) {
        do {
            payloadSize = try ProbePayload.payloadSize(forDatagramSize: configuration.datagramSize)
            _ = try ConstantRateSchedule(start: .uptimeNanoseconds(0), rate: configuration.rate)
        } catch { throw .probe(error) }
        guard let socket = host.bindUDP(port: configuration.sourcePort) else {
            throw .portInUse(host: host.name, port: configuration.sourcePort)
        }
        self.configuration = configuration
        self.socket = socket
        self.clock = host.clock
    }

    public var isFinished: Bool { schedule?.isFinished ?? false }

    /// Starts the flow now (or at `start`).
    public func start(at start: NIODeadline? = nil) {
        guard schedule == nil else { return }
        let begin = start ?? clock.now
        schedule = try? ConstantRateSchedule(start: begin, rate: configuration.rate, count: configuration.count)
        startedAt = begin
        scheduleNext()
        if onProgress != nil {
            progressTimer = clock.schedule(at: begin + configuration.progressInterval) { [self] in reportProgress() }
        }
    }

    /// Stops sending; `sent` is final.
    public func stop() {
        if let timer { clock.cancel(timer) }
        if let progressTimer { clock.cancel(progressTimer) }
        timer = nil
        progressTimer = nil
        schedule = nil
    }

    /// The progress now.
    public var progress: Progress {
        let now = clock.now
        var behind: UInt64 = 0
        if let schedule, let next = schedule.nextDeadline, next <= now {
            let elapsed = Double((now - schedule.start).nanoseconds) / 1e9
            var due = UInt64(max(0, elapsed * configuration.rate)) + 1
            if let count = schedule.count { due = min(due, count) }
            behind = due > schedule.next ? due - schedule.next : 0
        }
        return Progress(elapsed: startedAt.map { now - $0 } ?? .zero, sent: sent, behind: behind)
    }

    private func reportProgress() {
        onProgress?(progress)
        guard !isFinished, schedule != nil else { return }
        progressTimer = clock.schedule(after: configuration.progressInterval) { [self] in reportProgress() }
    }

    private func scheduleNext() {
        guard let next = schedule?.nextDeadline else {
            timer = nil
            return
        }
        timer = clock.schedule(at: next) { [self] in fire() }
    }

    private func fire() {
        guard var schedule else { return }
        let now = clock.now
        let due = schedule.takeDue(now: now, limit: configuration.burstLimit)
        self.schedule = schedule
        for sequence in due {
            var payload = ByteBuffer()
            payload.reserveCapacity(payloadSize)
            ProbePayload(flow: configuration.flow, sequence: sequence, sentAt: now.uptimeNanoseconds)
                .write(to: &payload, payloadSize: payloadSize)
            socket.send(payload, to: configuration.destination, port: configuration.destinationPort)
            sent += 1
        }
        if schedule.isFinished {
            timer = nil
            if let progressTimer { clock.cancel(progressTimer) }
            progressTimer = nil
            onProgress?(progress)
            onFinish?()
        } else {
            scheduleNext()
        }
    }
}
