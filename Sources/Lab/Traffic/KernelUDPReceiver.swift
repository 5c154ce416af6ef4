import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The receiving end of a probe flow over a kernel UDP socket (the linux backend's server):
/// every datagram on the port goes to a ``ProbeReceiver`` with its arrival time on this
/// process's clock, the clock the sender stamped it with.
public final class KernelUDPReceiver: @unchecked Sendable {
    private let fd: Int32
    private let done = DispatchSemaphore(value: 0)
    private let stopFlag = StopFlag()
    private var probe: ProbeReceiver

    /// Binds the socket in `namespace` (nil: this one) on `port`; receives nothing yet.
    public init(namespace: String?, port: UInt16, flow: UInt32 = 1) throws {
        fd = try KernelUDPSocket.bound(port: port, namespace: namespace, timeout: .milliseconds(20))
        probe = ProbeReceiver(flow: flow)
    }

    deinit { close(fd) }

    /// Starts receiving on a thread of its own.
    public func start() {
        let thread = Thread { [self] in
            receive()
            done.signal()
        }
        thread.start()
    }

    /// Stops once the socket has been quiet for `quiet` (the last packets drained) and returns
    /// what arrived.
    public func stop(after quiet: TimeAmount = .milliseconds(200)) -> ProbeReceiver {
        KernelUDPSocket.sleep(quiet)
        stopFlag.set()
        done.wait()
        done.signal()
        return probe
    }

    private func receive() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = recv(fd, buffer.baseAddress, buffer.count, 0)
            let now = NIODeadline.now()
            if count >= 0 {
                if let payload = ProbePayload(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<count])) {
                    probe.receive(payload, now: now)
                } else {
                    probe.receive(payload: ByteBuffer(), now: now)
                }
                continue
            }
            // Timeout (EAGAIN) or an interruption: quiet socket, time to look at the flag.
            if stopFlag.isSet { return }
        }
    }
}
