import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

@_silgen_name("setns") private func systemSetns(_ fd: Int32, _ nstype: Int32) -> Int32

/// `CLONE_NEWNET` of <sched.h> (not exported without _GNU_SOURCE).
private let cloneNewNet: Int32 = 0x4000_0000

/// Kernel sockets made inside a network namespace, for the linux backend's traffic.
///
/// A socket belongs to the namespace it was created in for its whole life, whichever thread
/// uses it later. So the socket is made on a short-lived thread of its own that enters the
/// namespace with `setns(2)` (`/run/netns/NAME`, as `ip netns add` makes it), creates and
/// binds or connects it, and steps back; the sender and receiver then run in this process on
/// ordinary threads. One process, one monotonic clock for send and receive times, no child
/// processes to start, parse or kill. Needs root (CAP_SYS_ADMIN), as the testbed does.
public enum KernelUDPSocket {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ what: String, errno code: Int32 = errno) {
            description = "\(what): \(String(cString: strerror(code)))"
        }
        init(message: String) { description = message }
    }

    /// Runs `body` on a fresh thread inside network namespace `namespace` (nil: this one) and
    /// returns what it returns. Only what `body` creates (sockets) stays in the namespace.
    public static func inNamespace<T: Sendable>(_ namespace: String?, _ body: @escaping @Sendable () throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        let thread = Thread {
            defer { done.signal() }
            box.result = Result {
                guard let namespace else { return try body() }
                let own = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
                guard own >= 0 else { throw Failure("opening /proc/thread-self/ns/net") }
                defer { close(own) }
                let target = open("/run/netns/" + namespace, O_RDONLY | O_CLOEXEC)
                guard target >= 0 else { throw Failure("opening network namespace /run/netns/\(namespace)") }
                defer { close(target) }
                guard systemSetns(target, cloneNewNet) == 0 else { throw Failure("setns into \(namespace)") }
                // The thread ends right after; stepping back keeps it harmless meanwhile.
                defer { _ = systemSetns(own, cloneNewNet) }
                return try body()
            }
        }
        thread.start()
        done.wait()
        return try box.result!.get()
    }

    /// A UDP socket in `namespace` connected to `address`:`port`.
    public static func connected(to address: String, port: UInt16, namespace: String?) throws -> Int32 {
        try inNamespace(namespace) {
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd >= 0 else { throw Failure("socket(AF_INET, SOCK_DGRAM)") }
            var bufferSize: Int32 = 4 << 20
            _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bufferSize, socklen_t(MemoryLayout<Int32>.size))
            var destination = try socketAddress(address, port: port)
            let result = withUnsafePointer(to: &destination) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard result == 0 else {
                let code = errno
                close(fd)
                throw Failure("connect to \(address):\(port) in \(namespace ?? "this namespace")", errno: code)
            }
            return fd
        }
    }

    /// A UDP socket in `namespace` bound to `address`:`port`, with a large receive buffer and
    /// a receive timeout of `timeout`.
    public static func bound(to address: String = "0.0.0.0", port: UInt16, namespace: String?, timeout: TimeAmount) throws -> Int32 {
        try inNamespace(namespace) {
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd >= 0 else { throw Failure("socket(AF_INET, SOCK_DGRAM)") }
            var bufferSize: Int32 = 8 << 20
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufferSize, socklen_t(MemoryLayout<Int32>.size))
            setTimeout(fd, timeout)
            var local = try socketAddress(address, port: port)
            let result = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard result == 0 else {
                let code = errno
                close(fd)
                throw Failure("bind to \(address):\(port) in \(namespace ?? "this namespace")", errno: code)
            }
            return fd
        }
    }

    static func setTimeout(_ fd: Int32, _ timeout: TimeAmount) {
        var value = timeval(tv_sec: Int(timeout.nanoseconds / 1_000_000_000), tv_usec: Int(timeout.nanoseconds % 1_000_000_000 / 1000))
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    static func socketAddress(_ address: String, port: UInt16) throws -> sockaddr_in {
        var result = sockaddr_in()
        result.sin_family = sa_family_t(AF_INET)
        result.sin_port = port.bigEndian
        guard inet_pton(AF_INET, address, &result.sin_addr) == 1 else {
            throw Failure(message: "\"\(address)\" is not an IPv4 address")
        }
        return result
    }

    /// Sleeps for `amount` (nothing if it is not positive).
    static func sleep(_ amount: TimeAmount) {
        guard amount > .zero else { return }
        var request = timespec(tv_sec: Int(amount.nanoseconds / 1_000_000_000), tv_nsec: Int(amount.nanoseconds % 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}

/// A value handed back from another thread (written before a semaphore signal, read after it).
final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// A flag one thread sets and another polls.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
