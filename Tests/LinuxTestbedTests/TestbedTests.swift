import Foundation
import Testing

@testable import LinuxTestbed

/// These tests need root and Open vSwitch (CI's `.ci/run` installs `openvswitch-switch`,
/// `ethtool` and `iproute2`). Without them `Testbed(name:)` throws an error that says what is
/// missing, and the tests fail with it: they are never skipped.
@Suite("LinuxTestbed")
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
