import Foundation
import LinuxTestbed
import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Testing

@testable import Controller

/// The learning switch app on three Open vSwitch bridges in a line (no loops: it floods):
/// h1 — s1 — s2 — s3 — h2.
@Suite("Learning switch on Open vSwitch", .serialized)
struct OpenVSwitchLearningSwitchTests {
    @Test func twoHostsPingAndExchangeUDPThroughALineOfLearningSwitches() async throws {
        // Throws a TestbedError naming what to install if Open vSwitch is missing: never skips.
        let testbed = try Testbed(name: "tls-learning")
        defer { testbed.tearDown() }
        let (bridges, h1, h2) = try await blocking {
            try testbed.startOpenVSwitch()
            var bridges: [Bridge] = []
            for dpid: UInt64 in 1...3 { bridges.append(try testbed.addBridge("s\(dpid)", datapathID: dpid, protocols: [.openFlow13])) }
            try testbed.link(bridges[0], port: 2, to: bridges[1], port: 1)
            try testbed.link(bridges[1], port: 2, to: bridges[2], port: 1)
            let h1 = try testbed.addHost("h1", ip: "10.0.1.1/24", attachedTo: bridges[0], port: 1)
            let h2 = try testbed.addHost("h2", ip: "10.0.1.2/24", attachedTo: bridges[2], port: 2)
            return (bridges, h1, h2)
        }

        let server = OpenFlowServer(logger: PrintOpenFlowLogger(minimumLevel: .warning))
        let socket = testbed.controllerSocketPath("c0")
        try await server.bind(unixDomainSocketPath: socket)
        let configuration = LearningSwitch.Configuration(idleTimeout: 30)
        let runtime = ControllerRuntime(
            server: server, apps: [LearningSwitch(configuration: configuration)], tickInterval: .milliseconds(100),
            logger: PrintOpenFlowLogger(minimumLevel: .warning))
        let running = Task { await runtime.run() }
        do {
            try await scenario(testbed: testbed, runtime: runtime, socket: socket, bridges: bridges, h1: h1, h2: h2, configuration: configuration)
        } catch {
            running.cancel()
            await server.close()
            throw error
        }
        running.cancel()
        await server.close()
    }

    func scenario(
        testbed: Testbed, runtime: ControllerRuntime, socket: String, bridges: [Bridge], h1: TestbedHost, h2: TestbedHost,
        configuration: LearningSwitch.Configuration
    ) async throws {
        try await blocking { for bridge in bridges { try testbed.setController(bridge, target: "unix:" + socket) } }
        try await waitUntil("3 switches up") { await runtime.connections.count == 3 }
        // The table-miss flows are in (the app sent them on switch up; a barrier each confirms).
        for connection in await runtime.connections.values { try await connection.barrier() }

        // The first ping floods its ARP request along the line; the answers are learnt.
        let ping = try await blocking { try h1.ping(h2.ip, count: 3, wait: 2) }
        #expect(ping.allAnswered, "h1 → h2 through the learning switches: \(ping)")
        let mac1 = try #require(MACAddress(h1.mac)), mac2 = try #require(MACAddress(h2.mac))
        let learnt = try #require(await runtime.app(LearningSwitch.self))
        #expect(learnt.port(of: mac1, on: 1) == 1 && learnt.port(of: mac2, on: 1) == 2)
        #expect(learnt.port(of: mac1, on: 2) == 1 && learnt.port(of: mac2, on: 2) == 2)
        #expect(learnt.port(of: mac1, on: 3) == 1 && learnt.port(of: mac2, on: 3) == 2)

        // Each switch holds the two learnt flows, with the idle timeout, and the table-miss.
        for bridge in bridges {
            let flows = try await blocking { try testbed.flows(bridge) }
            let toH2 = OF13.FlowMod(
                cookie: configuration.cookie, idleTimeout: configuration.idleTimeout, priority: configuration.priority,
                match: .ordered([.inPort(1), .ethSrc(mac1), .ethDst(mac2)]),
                instructions: [.applyActions([.output(port: 2, maxLength: 0)])])
            let toH1 = OF13.FlowMod(
                cookie: configuration.cookie, idleTimeout: configuration.idleTimeout, priority: configuration.priority,
                match: .ordered([.inPort(2), .ethSrc(mac2), .ethDst(mac1)]),
                instructions: [.applyActions([.output(port: 1, maxLength: 0)])])
            let learntFlows = flows.filter { $0.match.contains("priority=\(configuration.priority)") }
            #expect(Set(learntFlows) == [OpenVSwitchFlow(toH2), OpenVSwitchFlow(toH1)], "\(bridge) holds \(flows)")
            #expect(flows.contains { $0.match.contains("priority=0") && $0.actions == "CONTROLLER:65535" }, "\(bridge): \(flows)")
        }

        // UDP both ways at once through the learnt flows: 1,000 datagrams each way, none lost.
        let count = 1_000
        let (got2, got1) = try await udpBothWays(
            h1, h2, ports: (toB: 6001, toA: 6002), payloads: (toB: "learnt 1→2", toA: "learnt 2→1"), count: count)
        #expect(got2.count == count && got2.allSatisfy { $0.sourceAddress == h1.ip }, "h1 → h2: \(got2.count) of \(count)")
        #expect(got1.count == count && got1.allSatisfy { $0.sourceAddress == h2.ip }, "h2 → h1: \(got1.count) of \(count)")
        print("learning switch: ping \(ping); UDP h1 → h2 \(got2.count)/\(count), h2 → h1 \(got1.count)/\(count)")

        // The cable s2–s3 goes down: s2 forgets h2 and deletes the flow through that port.
        try await blocking { try testbed.setPort(bridges[1], 2, up: false) }
        try await waitUntil("s2 forgets h2") { await runtime.app(LearningSwitch.self)?.port(of: mac2, on: 2) == nil }
        try await waitUntil("s2's flow to h2 deleted") {
            let flows = (try? await blocking { try testbed.flows(bridges[1]) }) ?? []
            return !flows.contains { $0.actions == "output:2" }
        }
        #expect(await runtime.app(LearningSwitch.self)?.port(of: mac1, on: 2) == 1, "h1 is still known on s2")
        let cut = try await blocking { try h1.ping(h2.ip, count: 1, wait: 0.5) }
        #expect(cut.received == 0, "no way through a cut cable: \(cut)")
        // Back up: flooding finds h2 again.
        try await blocking { try testbed.setPort(bridges[1], 2, up: true) }
        let again = try await blocking {
            var result = try h1.ping(h2.ip, count: 1, wait: 1)
            for _ in 0..<5 where !result.allAnswered { result = try h1.ping(h2.ip, count: 1, wait: 1) }
            return result
        }
        #expect(again.allAnswered, "after the cable is back: \(again)")
        #expect(await runtime.app(LearningSwitch.self)?.port(of: mac2, on: 2) == 2)
    }
}
