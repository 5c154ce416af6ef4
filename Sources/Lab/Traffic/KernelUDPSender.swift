import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A constant-rate probe flow over a kernel UDP socket (the linux backend's client): packet
/// `n` leaves at ``ConstantRateSchedule``'s time for `n`, carrying a ``ProbePayload`` with the
/// send time on this process's clock (`NIODeadline.now()`), padded to the IP datagram size.
///
/// It runs on a thread of its own; ``start()`` returns at once, ``wait()`` returns the number
/// of sequence numbers used (sent, or failed to send: those count as lost).
public final class KernelUDPSender: @unchecked Sendable {
    public struct Configuration: Sendable, Hashable {
        public var namespace: String?
        public var destination: String
        public var port: UInt16
        /// Packets per second.
        public var rate: Double
        /// IP datagram size in bytes (64 and 1500 in the paper).
        public var datagramSize: Int
        public var duration: TimeAmount
        public var flow: UInt32

        public init(
            namespace: String?, destination: String, port: UInt16, rate: Double, datagramSize: Int, duration: TimeAmount,
            flow: UInt32 = 1
        ) {
            self.namespace = namespace
            self.destination = destination
            self.port = port
            self.rate = rate
            self.datagramSize = datagramSize
            self.duration = duration
            self.flow = flow
        }
    }

    public struct Result: Sendable, Hashable {
        /// Sequence numbers 0..<sent were used.
        public var sent: UInt64
        /// How many of them the kernel refused (ENOBUFS and the like).
        public var sendErrors: UInt64
        public var startedAt: NIODeadline
    }

    public let configuration: Configuration
    private let fd: Int32
    private let payloadSize: Int
    private let done = DispatchSemaphore(value: 0)
    private let stopFlag = StopFlag()
    private var result: Result?

    /// Opens the socket (in the namespace) and checks the configuration; sends nothing yet.
    public init(_ configuration: Configuration) throws {
        self.configuration = configuration
        self.payloadSize = try ProbePayload.payloadSize(forDatagramSize: configuration.datagramSize)
        guard configuration.rate > 0, configuration.rate.isFinite else { throw ProbeError.rateNotPositive(configuration.rate) }
        self.fd = try KernelUDPSocket.connected(
            to: configuration.destination, port: configuration.port, namespace: configuration.namespace)
    }

    deinit { close(fd) }

    /// Starts sending on a thread of its own.
    public func start() {
        let thread = Thread { [self] in
            result = send()
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Stops early (the packets not sent yet are not counted).
    public func stop() { stopFlag.set() }

    /// Waits until the flow has been sent.
    public func wait() -> Result {
        done.wait()
        done.signal()
        return result!
    }

    private func send() -> Result {
        let start = NIODeadline.now()
        var schedule = try! ConstantRateSchedule(start: start, rate: configuration.rate, duration: configuration.duration)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: payloadSize, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        var errors: UInt64 = 0
        while !schedule.isFinished, !stopFlag.isSet {
            let due = schedule.takeDue(now: .now(), limit: 64)
            for sequence in due {
                ProbePayload(flow: configuration.flow, sequence: sequence, sentAt: NIODeadline.now().uptimeNanoseconds)
                    .write(into: buffer)
                if Glibc.send(fd, buffer.baseAddress, payloadSize, 0) < 0 { errors += 1 }
            }
            if due.isEmpty, let next = schedule.nextDeadline {
                KernelUDPSocket.sleep(next - .now())
            }
        }
        return Result(sent: schedule.next, sendErrors: errors, startedAt: start)
    }
}
