import Foundation
import Testing

@testable import LinuxTestbed

/// These tests need root and Open vSwitch (CI's `.ci/run` installs `openvswitch-switch`,
/// `ethtool` and `iproute2`). Without them `Testbed(name:)` throws an error that says what is
/// missing, and the tests fail with it: they are never skipped. Serialized: the tests block
/// their thread while programs run, and the cooperative pool has only two threads here.
@Suite("LinuxTestbed", .serialized)
struct TestbedTests {
    /// s1–s2–s4 and s1–s3–s4 (a cycle), h1 on s1 port 1, h2 on s4 port 3.
    ///
    /// Ports: s1: 1 h1, 2 s2, 3 s3 · s2: 1 s1, 2 s4 · s3: 1 s1, 2 s4 · s4: 1 s2, 2 s3, 3 h2.
    struct Diamond {
        var s1, s2, s3, s4: Bridge
        var h1, h2: TestbedHost

        init(_ testbed: Testbed) throws {
            try testbed.startOpenVSwitch()
            s1 = try testbed.addBridge("s1", datapathID: 1)
            s2 = try testbed.addBridge("s2", datapathID: 2)
            s3 = try testbed.addBridge("s3", datapathID: 3)
            s4 = try testbed.addBridge("s4", datapathID: 4)
            try testbed.link(s1, port: 2, to: s2, port: 1)
            try testbed.link(s1, port: 3, to: s3, port: 1)
            try testbed.link(s2, port: 2, to: s4, port: 1)
            try testbed.link(s3, port: 2, to: s4, port: 2)
            h1 = try testbed.addHost("h1", ip: "10.0.0.1/24", attachedTo: s1, port: 1)
            h2 = try testbed.addHost("h2", ip: "10.0.0.2/24", attachedTo: s4, port: 3)
        }

        /// Everything (ARP included) along s1 → s2 → s4 and back, by in_port.
        func installUpperPath(_ testbed: Testbed) throws {
            try testbed.ofctl(s1, "add-flow", "in_port=1,actions=output:2")
            try testbed.ofctl(s1, "add-flow", "in_port=2,actions=output:1")
            try installS2(testbed)
            try testbed.ofctl(s4, "add-flow", "in_port=1,actions=output:3")
            try testbed.ofctl(s4, "add-flow", "in_port=3,actions=output:1")
        }

        func installS2(_ testbed: Testbed) throws {
            try testbed.ofctl(s2, "add-flow", "in_port=1,actions=output:2")
            try testbed.ofctl(s2, "add-flow", "in_port=2,actions=output:1")
        }
    }

    @Test func diamondForwardsPingAndUDPAlongInstalledPath() throws {
        let clock = ContinuousClock()
        let setupStart = clock.now
        let testbed = try Testbed(name: "diamond")
        defer { testbed.tearDown() }
        let net = try Diamond(testbed)
        let setupTime = clock.now - setupStart

        #expect(testbed.openVSwitchVersion?.isEmpty == false)
        #expect(testbed.daemonPIDs.count == 2)
        #expect(testbed.allBridges.map { $0.name } == ["s1", "s2", "s3", "s4"])
        #expect(try testbed.dumpFlows(net.s1).isEmpty, "fail_mode=secure: a new bridge has no flows")

        // No flows: nothing passes.
        let before = try net.h1.ping(net.h2.ip, count: 1, wait: 0.5)
        #expect(before.received == 0)

        try net.installUpperPath(testbed)
        let ping = try net.h1.ping(net.h2.ip, count: 3)
        #expect(ping.allAnswered, "h1 → h2 over s1–s2–s4: \(ping)")

        let receiver = try net.h2.startUDPReceiver(port: 5000, count: 1)
        try net.h1.sendUDP(to: net.h2.ip, port: 5000, text: "vnm over the diamond")
        let datagrams = try receiver.wait(timeout: 15)
        #expect(datagrams.map(\.text) == ["vnm over the diamond"])
        #expect(datagrams.first?.sourceAddress == net.h1.ip)

        let s1Flows = try testbed.dumpFlows(net.s1)
        #expect(s1Flows.count == 2)
        #expect(s1Flows.contains { $0.contains("in_port=1") && $0.contains("actions=output:2") })
        let s2Stats = try testbed.dumpFlows(net.s2, statistics: true)
        #expect(s2Stats.allSatisfy { $0.contains("n_packets=") } && !s2Stats.contains { $0.contains("n_packets=0,") })
        #expect(try testbed.dumpFlows(net.s3).isEmpty)

        // Delete s2 (its flows go with it), re-add it: its cables come back on the same ports.
        try testbed.deleteBridge(net.s2)
        #expect(testbed.allBridges.map { $0.name } == ["s1", "s3", "s4"])
        #expect(try net.h1.ping(net.h2.ip, count: 1, wait: 0.5).received == 0)
        let s2 = try testbed.addBridge("s2", datapathID: 2)
        #expect(try testbed.dumpFlows(s2).isEmpty)
        #expect(try testbed.vsctl("list-ports", "s2").split(separator: "\n") == ["s2-1", "s2-2"])
        try net.installS2(testbed)
        let again = try net.h1.ping(net.h2.ip, count: 3)
        #expect(again.allAnswered, "after re-adding s2: \(again)")

        let prefix = testbed.prefix
        let runDirectory = testbed.runDirectory
        let daemons = testbed.daemonPIDs
        let teardownStart = clock.now
        testbed.tearDown()
        let teardownTime = clock.now - teardownStart
        testbed.tearDown()  // idempotent

        #expect(testbed.leftovers() == [])
        #expect(testbed.tearDownProblems == [])
        #expect(!FileManager.default.fileExists(atPath: runDirectory))
        #expect(daemons.allSatisfy { !Context.isAlive($0) })
        let namespaces = (try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []
        #expect(!namespaces.contains { $0.hasPrefix(prefix) })
        let interfaces = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net")) ?? []
        #expect(!interfaces.contains { $0.hasPrefix(prefix) })
        #expect(throws: TestbedError.self) { try net.h1.ping(net.h2.ip, count: 1) }
        print("diamond (4 bridges, 4 links, 2 hosts): set-up \(setupTime), tear-down \(teardownTime)")
    }
}

extension TestbedTests {
    /// One bridge `s1` with h1 on port 1 and h2 on port 2: the same names and addresses in
    /// every instance.
    static func pair(_ testbed: Testbed) throws -> (Bridge, TestbedHost, TestbedHost) {
        try testbed.startOpenVSwitch()
        let s1 = try testbed.addBridge("s1", datapathID: 1)
        let h1 = try testbed.addHost("h1", ip: "10.0.0.1/24", attachedTo: s1, port: 1)
        let h2 = try testbed.addHost("h2", ip: "10.0.0.2/24", attachedTo: s1, port: 2)
        return (s1, h1, h2)
    }

    @Test func twoTestbedsInParallelDoNotInterfere() throws {
        // Build both at the same time, with identical bridge, host and address names.
        let built = Locked<[Result<(Testbed, Bridge, TestbedHost, TestbedHost), any Error>]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let result = Result { () throws -> (Testbed, Bridge, TestbedHost, TestbedHost) in
                let testbed = try Testbed(name: "parallel")
                do {
                    let (s1, h1, h2) = try Self.pair(testbed)
                    return (testbed, s1, h1, h2)
                } catch {
                    testbed.tearDown()
                    throw error
                }
            }
            built.update { $0.append(result) }
        }
        let results = built.value
        defer { for case let .success((testbed, _, _, _)) in results { testbed.tearDown() } }
        let (a, aSwitch, a1, a2) = try results[0].get()
        let (b, bSwitch, b1, b2) = try results[1].get()

        #expect(a.prefix != b.prefix)
        #expect(a.switchNamespace != b.switchNamespace && a1.namespace != b1.namespace)
        #expect(Set(a.daemonPIDs).isDisjoint(with: b.daemonPIDs))

        // Flows only in a: a forwards, b (same bridge name, same addresses) does not.
        try a.ofctl(aSwitch, "add-flow", "in_port=1,actions=output:2")
        try a.ofctl(aSwitch, "add-flow", "in_port=2,actions=output:1")
        #expect(try a1.ping(a2.ip, count: 2).allAnswered)
        #expect(try b1.ping(b2.ip, count: 1, wait: 0.5).received == 0)
        #expect(try b.dumpFlows(bSwitch).isEmpty)

        try b.ofctl(bSwitch, "add-flow", "actions=flood")
        #expect(try b1.ping(b2.ip, count: 2).allAnswered)

        // Tearing a down leaves b working.
        a.tearDown()
        #expect(a.leftovers() == [])
        #expect(try b1.ping(b2.ip, count: 2).allAnswered)
        #expect(b.daemonPIDs.count == 2)
        b.tearDown()
        #expect(b.leftovers() == [])
    }

    @Test func setupThatFailsMidwayStillCleansUp() throws {
        let made = Locked<Testbed?>(nil)
        let error = #expect(throws: TestbedError.self) {
            try Testbed.withTestbed(name: "broken") { testbed in
                made.update { $0 = testbed }
                let (s1, _, _) = try Self.pair(testbed)
                let s2 = try testbed.addBridge("s2", datapathID: 2)
                try testbed.link(s1, port: 3, to: s2, port: 1)
                try testbed.enableControllerRoute()
                try testbed.addBridge("s3", datapathID: 3, options: ["no_such_column": "1"])
                Issue.record("the bogus bridge option was accepted")
            }
        }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("ovs-vsctl") && text.contains("no_such_column") && text.contains("exit status"), "\(text)")
        let testbed = try #require(made.value)
        #expect(testbed.leftovers() == [], "after a failed set-up")
        #expect(testbed.tearDownProblems == [])
        #expect(!FileManager.default.fileExists(atPath: testbed.runDirectory))
    }

    @Test func badArgumentsAreRejectedBeforeAnythingIsMade() throws {
        #expect(throws: TestbedError.self) { try Testbed(name: "no spaces allowed") }
        try Testbed.withTestbed(name: "args") { testbed in
            #expect(throws: TestbedError.self) { try testbed.addBridge("s1", datapathID: 1) }  // not started
            let (s1, _, _) = try Self.pair(testbed)
            #expect(throws: TestbedError.self) { try testbed.addBridge("a-very-long-bridge-name", datapathID: 9) }
            #expect(throws: TestbedError.self) { try testbed.addHost("h3", ip: "10.0.0.3", attachedTo: s1, port: 3) }
            #expect(throws: TestbedError.self) { try testbed.addHost("h3", ip: "10.0.0.3/24", attachedTo: s1, port: 1) }
            #expect(throws: TestbedError.self) { try testbed.setController(s1, target: "unix:/tmp/elsewhere.sock") }
            #expect(testbed.allHosts.count == 2)
        }
    }

    @Test func failedCommandsAndMissingToolsSayWhatHappened() throws {
        let missing = #expect(throws: TestbedError.self) {
            try Tools.locate("no-such-tool-vnm", package: "openvswitch-switch")
        }
        #expect(missing.map { "\($0)" }?.contains("apt-get install -y openvswitch-switch") == true)

        try Testbed.withTestbed(name: "errors") { testbed in
            let (s1, h1, _) = try Self.pair(testbed)
            let result = try h1.run(["sh", "-c", "echo oops >&2; exit 3"])
            #expect(result.status == 3 && result.stderr == "oops\n")
            let failed = #expect(throws: TestbedError.self) { try result.check() }
            let text = failed.map { "\($0)" } ?? ""
            #expect(text.contains("exit status 3") && text.contains("oops") && text.contains("'echo oops >&2; exit 3'"), "\(text)")

            let ofctl = #expect(throws: TestbedError.self) { try testbed.ofctl(s1, "add-flow", "in_port=1,actions=bogus_action") }
            let ofctlText = ofctl.map { "\($0)" } ?? ""
            #expect(ofctlText.contains("ovs-ofctl -O OpenFlow13 add-flow") && ofctlText.contains("stderr:"), "\(ofctlText)")

            let slow = #expect(throws: TestbedError.self) { try h1.run(["sleep", "5"], timeout: 0.3) }
            #expect(slow.map { "\($0)" }?.contains("did not finish within 0.3 s") == true)
        }
    }
}

/// A value shared between threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
    func update(_ body: (inout Value) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body(&stored)
    }
}

extension TestbedTests {
    /// If the test process dies without `tearDown()`, the watchdog cleans up. A `sleep`
    /// stands in for the test process here.
    @Test func watchdogCleansUpWhenTheTestProcessDies() throws {
        let standIn = try BackgroundProcess.start(
            ["/bin/sleep", "600"], environment: [:], scratch: NSTemporaryDirectory())
        defer { standIn.terminate() }
        let testbed = try Testbed(name: "orphan", watchedProcess: standIn.pid)
        defer { testbed.tearDown() }
        let (s1, _, _) = try Self.pair(testbed)
        try testbed.enableControllerRoute()
        let listener = try testbed.spawn(["/bin/sleep", "600"])
        #expect(testbed.daemonPIDs.count == 2 && listener.isRunning)
        #expect(try testbed.dumpFlows(s1).isEmpty)

        standIn.terminate()
        let deadline = Date().addingTimeInterval(20)
        while !testbed.leftovers().isEmpty && Date() < deadline { usleep(50_000) }
        #expect(testbed.leftovers() == [], "the watchdog should have removed everything")
        #expect(!listener.isRunning)
    }
}

extension TestbedTests {
    /// A stand-in OpenFlow controller: listens (unix path or TCP address, any port), prints
    /// `listening PORT`, accepts one switch, prints `hello <hex>` of its HELLO, answers with an
    /// OF1.3 HELLO and echo replies, until the switch goes.
    static let fakeController = #"""
import socket, struct, sys
kind, where = sys.argv[1], sys.argv[2]
if kind == 'unix':
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); server.bind(where); port = 0
else:
    server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((where, 0)); port = server.getsockname()[1]
server.listen(4)
print('listening %d' % port, flush=True)
conn, _ = server.accept()
buffer, first = b'', True
while True:
    data = conn.recv(65536)
    if not data: break
    buffer += data
    while len(buffer) >= 8:
        version, kind_, length, xid = struct.unpack('!BBHI', buffer[:8])
        if len(buffer) < length: break
        message, buffer = buffer[:length], buffer[length:]
        if first:
            print('hello ' + message.hex(), flush=True); first = False
            conn.sendall(struct.pack('!BBHI', 4, 0, 8, xid))
        elif kind_ == 2:
            conn.sendall(struct.pack('!BBHI', version, 3, length, xid) + message[8:])
"""#

    @Test func bridgesReachAControllerOverUnixSocketsAndTheTCPRoute() throws {
        try Testbed.withTestbed(name: "controller") { testbed in
            try testbed.startOpenVSwitch()
            let s1 = try testbed.addBridge("s1", datapathID: 1)
            let s2 = try testbed.addBridge("s2", datapathID: 2, protocols: [.openFlow13])
            let python = try Tools.python3()

            // unix: a socket in the run directory, reachable from the switch namespace.
            let path = testbed.controllerSocketPath("c0")
            let unixController = try testbed.spawn([python, "-c", Self.fakeController, "unix", path])
            try unixController.waitForOutput(containing: "listening")
            try testbed.ofctl(s1, "add-flow", "priority=5,actions=drop")
            #expect(try testbed.dumpFlows(s1).count == 1)
            try testbed.setController(s1, target: "unix:" + path)
            try unixController.waitForOutput(containing: "hello 04", timeout: 5)
            #expect(try testbed.dumpFlows(s1).isEmpty, "giving a bridge its first controller flushes its flows")

            // tcp: over the veth pair between the root namespace and the switch namespace.
            let route = try testbed.enableControllerRoute()
            #expect(try testbed.enableControllerRoute() == route)
            #expect(route.controllerAddress.hasPrefix("198.1") && route.interface == testbed.prefix + "c")
            #expect(try testbed.runInSwitchNamespace(["ip", "-4", "addr", "show", "ctl0"]).stdout.contains(route.switchAddress))
            let tcpController = try testbed.spawn([python, "-c", Self.fakeController, "tcp", route.controllerAddress])
            try tcpController.waitForOutput(containing: "listening")
            let port = try #require(Int(tcpController.output().split(separator: " ")[1].prefix { $0.isNumber }))
            try testbed.setController(s2, target: route.target(port: port))
            try tcpController.waitForOutput(containing: "hello 04", timeout: 5)

            // Open vSwitch writes is_connected to its database every few seconds only.
            try testbed.waitForController(s1)
            try testbed.waitForController(s2)
            try testbed.removeController(s1)
            #expect(try !testbed.isControllerConnected(s1))
        }
    }
}
