import Foundation
import LinuxTestbed
import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Testing

@testable import Controller

/// Runs a blocking testbed call on a thread of its own, so that it never holds one of the
/// (two) cooperative threads the controller needs meanwhile.
/// Sends `count` datagrams each way between hosts `a` and `b` at the same time (kernel sockets in
/// the host namespaces, 1 ms apart) and returns what each end received.
func udpBothWays(
    _ a: TestbedHost, _ b: TestbedHost, ports: (toB: Int, toA: Int), payloads: (toB: String, toA: String), count: Int
) async throws -> (atB: [UDPDatagram], atA: [UDPDatagram]) {
    let (receiverB, receiverA) = try await blocking {
        (try b.startUDPReceiver(port: ports.toB, count: count, idleTimeout: 5),
         try a.startUDPReceiver(port: ports.toA, count: count, idleTimeout: 5))
    }
    async let forward: Void = blocking {
        try a.sendUDP(to: b.ip, port: ports.toB, payload: Array(payloads.toB.utf8), count: count, interval: 0.001)
    }
    async let backward: Void = blocking {
        try b.sendUDP(to: a.ip, port: ports.toA, payload: Array(payloads.toA.utf8), count: count, interval: 0.001)
    }
    _ = try await (forward, backward)
    return try await blocking { (try receiverB.wait(timeout: 30), try receiverA.wait(timeout: 30)) }
}

func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var description: String
}

/// Polls `condition` every 20 ms; returns the seconds it took, throws after `timeout`.
@discardableResult
func waitUntil(_ what: String, timeout: Double = 15, _ condition: () async -> Bool) async throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    while !(await condition()) {
        let elapsed = clock.now - start
        if elapsed > .seconds(timeout) { throw TimedOut(description: "timed out after \(timeout) s waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
    let elapsed = (clock.now - start).components
    return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
}

/// The issue's "done when": the apps against real Open vSwitch bridges.
@Suite("Controller apps on Open vSwitch", .serialized)
struct OpenVSwitchDiscoveryTests {
    static let diamond = diamondCables

    @Test func discoversTheDiamondInstallsAPathAndSeesASwitchLeaveAndReturn() async throws {
        // Throws a TestbedError naming what to install if Open vSwitch is missing: never skips.
        let testbed = try Testbed(name: "ctlapps")
        defer { testbed.tearDown() }

        let (bridges, h1, h2) = try await blocking {
            try testbed.startOpenVSwitch()
            var bridges: [UInt64: Bridge] = [:]
            for dpid: UInt64 in 1...4 { bridges[dpid] = try testbed.addBridge("s\(dpid)", datapathID: dpid, protocols: [.openFlow13]) }
            for ((a, aPort), (b, bPort)) in Self.diamond {
                try testbed.link(bridges[a]!, port: UInt16(aPort), to: bridges[b]!, port: UInt16(bPort))
            }
            let h1 = try testbed.addHost("h1", ip: "10.0.0.1/24", attachedTo: bridges[1]!, port: 1)
            let h2 = try testbed.addHost("h2", ip: "10.0.0.2/24", attachedTo: bridges[4]!, port: 1)
            return (bridges, h1, h2)
        }

        let server = OpenFlowServer(logger: PrintOpenFlowLogger(minimumLevel: .warning))
        let socket = testbed.controllerSocketPath("c0")
        try await server.bind(unixDomainSocketPath: socket)
        let discovery = LLDPDiscovery(configuration: .init(probeInterval: .milliseconds(200), missedProbes: 5))
        let runtime = ControllerRuntime(
            server: server, apps: [discovery, HostTracker(tableMissPriority: 0)], tickInterval: .milliseconds(50),
            logger: PrintOpenFlowLogger(minimumLevel: .warning))
        let running = Task { await runtime.run() }
        do {
            try await scenario(testbed: testbed, runtime: runtime, socket: socket, bridges: bridges, h1: h1, h2: h2)
        } catch {
            running.cancel()
            await server.close()
            throw error
        }
        running.cancel()
        await server.close()
    }

    func scenario(
        testbed: Testbed, runtime: ControllerRuntime, socket: String, bridges: [UInt64: Bridge], h1: TestbedHost,
        h2: TestbedHost
    ) async throws {
        let expectedLinks = Set(Self.diamond.flatMap { [Link(src: $0.0, dst: $0.1), Link(src: $0.1, dst: $0.0)] })
        @Sendable func currentTopology() async -> Topology { await runtime.app(LLDPDiscovery.self)?.topology ?? Topology() }

        // Discovery: exactly 4 switches and 8 directed links.
        try await blocking { for dpid: UInt64 in 1...4 { try testbed.setController(bridges[dpid]!, target: "unix:" + socket) } }
        let discovered = try await waitUntil("4 switches and 8 links") {
            let topology = await currentTopology()
            return topology.switches == [1, 2, 3, 4] && topology.links == expectedLinks
        }
        print("controller: discovered 4 switches and 8 links \(String(format: "%.2f", discovered)) s after set-controller")
        // Still exactly that a few probe periods later (nothing spurious, nothing timing out).
        try await Task.sleep(for: .milliseconds(800))
        let settled = await currentTopology()
        #expect(settled.switches == [1, 2, 3, 4])
        #expect(settled.links == expectedLinks)

        // Hosts announce themselves (their ARP requests reach the controller through the
        // table-miss flow); the pings themselves cannot be answered yet.
        let ip1 = try #require(IPv4Address(h1.ip)), ip2 = try #require(IPv4Address(h2.ip))
        _ = try await blocking { try h1.ping(h2.ip, count: 1, wait: 0.3) }
        _ = try await blocking { try h2.ping(h1.ip, count: 1, wait: 0.3) }
        let tracker = try #require(await runtime.app(HostTracker.self))
        let at1 = try #require(tracker.host(ipv4: ip1)?.location, "h1 learnt: \(tracker.hosts)")
        let at2 = try #require(tracker.host(ipv4: ip2)?.location, "h2 learnt: \(tracker.hosts)")
        #expect(at1 == Endpoint(datapathID: 1, port: 1) && at2 == Endpoint(datapathID: 4, port: 1))

        // Paths both ways, for IPv4 and for ARP to the destination address.
        let topology = await currentTopology()
        let forward = try #require(topology.hops(from: at1, to: at2))
        let backward = try #require(topology.hops(from: at2, to: at1))
        #expect(forward.map(\.datapathID) == [1, 2, 4] && backward.map(\.datapathID) == [4, 2, 1])
        let clock = ContinuousClock()
        let installStart = clock.now
        for (path, destination) in [(forward, ip2), (backward, ip1)] {
            try await runtime.installPath(path, match: [.ethType(0x0800), .ipv4Dst(destination)], priority: 100)
            try await runtime.installPath(path, match: [.ethType(0x0806), .arpTpa(destination)], priority: 100)
        }
        let installTime = clock.now - installStart
        // Forget the unanswered ARP of the learning pings (else the kernel waits for its next
        // retry and the first round trip shows that wait, not the path).
        let ping = try await blocking {
            _ = try h1.exec("ip", "neigh", "flush", "all")
            return try h1.ping(h2.ip, count: 3)
        }
        #expect(ping.allAnswered, "h1 → h2 along the installed path: \(ping)")
        print("controller: 4 paths (12 flows) installed with barriers in \(installTime); ping \(ping) \(ping.roundTripMilliseconds) ms")

        for dpid: UInt64 in [1, 2, 4] {
            let flows = try await blocking { try testbed.dumpFlows(bridges[dpid]!) }
            print("controller: s\(dpid) flows:\n  " + flows.joined(separator: "\n  "))
            let hop = forward.first { $0.datapathID == dpid }!
            #expect(flows.contains { $0.contains("in_port=\(hop.inPort)") && $0.contains("nw_dst=10.0.0.2") && $0.hasSuffix("output:\(hop.outPort)") })
            #expect(flows.contains { $0.contains("arp_tpa=10.0.0.2") })
            #expect(flows.contains { $0.contains("nw_dst=10.0.0.1") && $0.contains("arp") == false })
            #expect(flows.contains { $0.contains("dl_type=0x88cc") && $0.contains("CONTROLLER") })
        }
        // Read back exactly: on every switch, the path flows (priority 100) Open vSwitch holds
        // are the FLOW_MODs that were installed, no more and no fewer.
        var installed: [UInt64: Set<OpenVSwitchFlow>] = [:]
        for (path, destination) in [(forward, ip2), (backward, ip1)] {
            for match: [OXMField] in [[.ethType(0x0800), .ipv4Dst(destination)], [.ethType(0x0806), .arpTpa(destination)]] {
                for part in PathInstaller.flowMods(match: match, path: path, priority: 100) {
                    installed[part.datapathID, default: []].formUnion(part.flowMods.map(OpenVSwitchFlow.init))
                }
            }
        }
        for dpid: UInt64 in 1...4 {
            let held = try await blocking { try testbed.flows(bridges[dpid]!) }.filter { $0.match.contains("priority=100") }
            #expect(Set(held) == installed[dpid, default: []], "s\(dpid) holds \(held), installed \(installed[dpid, default: []])")
        }
        #expect(installed.values.map(\.count).reduce(0, +) == 12)
        let offPath = try await blocking { try testbed.dumpFlows(bridges[3]!) }
        #expect(!offPath.contains { $0.contains("10.0.0.") }, "s3 is off the path: \(offPath)")

        // A UDP stream through the installed path both ways at once, kernel sockets in the host
        // namespaces: 2,000 datagrams each way at up to 1,000 per second, none lost.
        let streamLength = 2_000
        let (atH2, atH1) = try await udpBothWays(
            h1, h2, ports: (toB: 5001, toA: 5002), payloads: (toB: "h1 to h2", toA: "h2 to h1"), count: streamLength)
        #expect(atH2.count == streamLength, "h1 → h2: \(atH2.count) of \(streamLength) received")
        #expect(atH1.count == streamLength, "h2 → h1: \(atH1.count) of \(streamLength) received")
        #expect(atH2.allSatisfy { $0.sourceAddress == h1.ip && $0.text == "h1 to h2" })
        #expect(atH1.allSatisfy { $0.sourceAddress == h2.ip && $0.text == "h2 to h1" })
        print("controller: UDP through the installed path: h1 → h2 \(atH2.count)/\(streamLength), h2 → h1 \(atH1.count)/\(streamLength)")
        // The path flows counted them (s2 carries both directions). Open vSwitch's userspace
        // datapath hands its counters to the flow table every half second or so: poll.
        @Sendable func countedOnS2() throws -> Int {
            try testbed.dumpFlows(bridges[2]!, statistics: true).filter { $0.contains("priority=100,ip,") }
                .compactMap { line -> Int? in
                    line.split(separator: ",").first { $0.contains("n_packets=") }
                        .flatMap { Int($0.split(separator: "=").last ?? "") }
                }.reduce(0, +)
        }
        _ = try? await waitUntil("s2's IPv4 path flows to count both streams", timeout: 5) {
            ((try? await blocking(countedOnS2)) ?? 0) >= 2 * streamLength
        }
        let counted = try await blocking(countedOnS2)
        #expect(counted >= 2 * streamLength, "s2's IPv4 path flows counted \(counted) packets")

        // s2 goes away: switch down, its 4 links gone at once; then it comes back.
        let deleteStart = clock.now
        try await blocking { try testbed.deleteBridge(bridges[2]!) }
        let down = try await waitUntil("s2 down") { await !currentTopology().switches.contains(2) }
        let afterDelete = await currentTopology()
        #expect(afterDelete.switches == [1, 3, 4])
        #expect(afterDelete.links == expectedLinks.filter { $0.source.datapathID != 2 && $0.destination.datapathID != 2 })
        print("controller: s2 deleted → switch down and its links gone \(String(format: "%.3f", down)) s after ovs-vsctl returned (\(clock.now - deleteStart) in all)")

        try await blocking {
            try testbed.addBridge("s2", datapathID: 2, protocols: [.openFlow13])
            try testbed.setController(bridges[2]!, target: "unix:" + socket)
        }
        let back = try await waitUntil("s2 and its links back") {
            let topology = await currentTopology()
            return topology.switches == [1, 2, 3, 4] && topology.links == expectedLinks
        }
        print("controller: s2 re-added → 4 switches and 8 links again \(String(format: "%.2f", back)) s after set-controller")

        // A cable goes down (both veth ends): PORT_STATUS takes its two links away at once, not
        // after the timeout; back up, the next probes find them again.
        let s3s4 = [Link(src: (3, 2), dst: (4, 3)), Link(src: (4, 3), dst: (3, 2))]
        try await blocking { try testbed.setPort(bridges[3]!, 2, up: false) }
        let cut = try await waitUntil("s3–s4 down") { await currentTopology().links == expectedLinks.subtracting(s3s4) }
        #expect(await currentTopology().switches == [1, 2, 3, 4])
        try await blocking { try testbed.setPort(bridges[3]!, 2, up: true) }
        let mended = try await waitUntil("s3–s4 up") { await currentTopology().links == expectedLinks }
        print(
            "controller: s3–s4 cable down → its 2 links gone in \(String(format: "%.3f", cut)) s; up → back in \(String(format: "%.2f", mended)) s"
        )
    }
}
