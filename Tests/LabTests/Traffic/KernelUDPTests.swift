import NIOCore
import Testing

@testable import Lab

/// The kernel-socket sender and receiver over loopback (no namespace: this process's own).
@Suite("Kernel UDP probes", .serialized)
struct KernelUDPTests {
    @Test func aConstantRateFlowOverLoopbackArrivesWhole() throws {
        let port = UInt16.random(in: 40_000..<60_000)
        let receiver = try KernelUDPReceiver(namespace: nil, port: port)
        let sender = try KernelUDPSender(.init(
            namespace: nil, destination: "127.0.0.1", port: port, rate: 2000, datagramSize: 64, duration: .milliseconds(500)))
        receiver.start()
        sender.start()
        let sent = sender.wait()
        let report = receiver.stop(after: .milliseconds(100)).report(sent: sent.sent)
        #expect(sent.sent == 1000)
        #expect(sent.sendErrors == 0)
        #expect(report.received == 1000 && report.lost == 0 && report.duplicates == 0, "\(report)")
        #expect(report.latencyP50Milliseconds.map { $0 >= 0 && $0 < 50 } == true)
        // 2000 packets/s: half a millisecond apart, so no gap of a second.
        #expect(report.longestGapMilliseconds < 200)
    }

    @Test func largeDatagramsCarryTheirSize() throws {
        let port = UInt16.random(in: 40_000..<60_000)
        let receiver = try KernelUDPReceiver(namespace: nil, port: port)
        let sender = try KernelUDPSender(.init(
            namespace: nil, destination: "127.0.0.1", port: port, rate: 1000, datagramSize: 1500, duration: .milliseconds(100)))
        receiver.start()
        sender.start()
        let sent = sender.wait()
        let report = receiver.stop(after: .milliseconds(100)).report(sent: sent.sent)
        #expect(sent.sent == 100 && report.received == 100)
    }

    @Test func badSettingsAndMissingNamespacesSaySo() {
        #expect(throws: ProbeError.datagramTooSmall(40, minimum: 52)) {
            try KernelUDPSender(.init(namespace: nil, destination: "127.0.0.1", port: 9, rate: 1, datagramSize: 40, duration: .seconds(1)))
        }
        do {
            _ = try KernelUDPReceiver(namespace: "flowmig-no-such-namespace", port: 9)
            Issue.record("a missing namespace must throw")
        } catch {
            #expect("\(error)".contains("/run/netns/flowmig-no-such-namespace"))
        }
        do {
            _ = try KernelUDPSender(.init(namespace: nil, destination: "ten.0.0.1", port: 9, rate: 1, datagramSize: 64, duration: .seconds(1)))
            Issue.record("a bad address must throw")
        } catch {
            #expect("\(error)".contains("ten.0.0.1"))
        }
    }
}
