import Foundation
import LinuxTestbed
import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Testing

@testable import Controller

/// The slicing proxy with real Open vSwitch as the switch: one bridge shared by blue
/// (10.2.0.0/16, hosts h1 and h2 on ports 1 and 2), run by vnm's learning switch behind the
/// proxy, and red (VLAN 10, port 3), whose controller tries to read, change and delete blue's
/// flows.
@Suite("Slicing proxy on Open vSwitch", .serialized)
struct SlicingProxyOpenVSwitchTests {
    static let blue = VirtualNetwork(
        name: "blue", flowspace: .ipv4([IPv4Prefix("10.2.0.0/16")!]),
        nodes: [.init(name: "b1", datapathID: 0x51, ports: [1, 2])])
    static let red = VirtualNetwork(name: "red", flowspace: .vlan(10), nodes: [.init(name: "r1", datapathID: 0x51, ports: [3])])

    @Test func blueRunsALearningSwitchThroughTheProxyAndRedCannotTouchItsFlows() async throws {
        // Throws a TestbedError naming what to install if Open vSwitch is missing: never skips.
        let testbed = try Testbed(name: "slicing-ovs")
        defer { testbed.tearDown() }
        let (bridge, h1, h2) = try await blocking {
            try testbed.startOpenVSwitch()
            let bridge = try testbed.addBridge("slicing1", datapathID: 0x51, protocols: [.openFlow13])
            let h1 = try testbed.addHost("h1", ip: "10.2.0.1/16", attachedTo: bridge, port: 1)
            let h2 = try testbed.addHost("h2", ip: "10.2.0.2/16", attachedTo: bridge, port: 2)
            try testbed.addHost("h3", ip: "10.1.0.3/16", attachedTo: bridge, port: 3)
            return (bridge, h1, h2)
        }

        // Blue's controller: vnm's runtime with the learning switch, on loopback TCP.
        let blueServer = OpenFlowServer(logger: PrintOpenFlowLogger(minimumLevel: .error))
        let bluePort = try await blueServer.bind(host: "127.0.0.1", port: 0)
        let runtime = ControllerRuntime(
            server: blueServer, apps: [LearningSwitch(configuration: .init(idleTimeout: 60))], logger: PrintOpenFlowLogger(minimumLevel: .error))
        let blueRunning = Task { await runtime.run() }
        // Red's controller: a bare OpenFlowServer driven by the test.
        let red = try await TenantController.start()
        let proxy = try SlicingProxy(
            tenants: [
                .init(network: Self.blue, controllerHost: "127.0.0.1", controllerPort: bluePort),
                .init(network: Self.red, controllerHost: "127.0.0.1", controllerPort: red.port),
            ], logger: PrintOpenFlowLogger(minimumLevel: .error))
        let socket = testbed.controllerSocketPath("slicing-proxy")
        try await proxy.bind(unixDomainSocketPath: socket)
        let proxyRunning = Task { await proxy.run() }
        func cleanUp() async {
            await proxy.close()
            proxyRunning.cancel()
            await blueServer.close()
            blueRunning.cancel()
            await red.stop()
        }
        do {
            try await blocking { try testbed.setController(bridge, target: "unix:" + socket) }
            try await scenario(testbed: testbed, bridge: bridge, runtime: runtime, red: red, h1: h1, h2: h2)
        } catch {
            await cleanUp()
            throw error
        }
        await cleanUp()
    }

    func scenario(testbed: Testbed, bridge: Bridge, runtime: ControllerRuntime, red: TenantController, h1: TestbedHost, h2: TestbedHost)
        async throws
    {
        try await waitUntil("blue's controller sees the bridge") { await runtime.connections.count == 1 }
        let b = try #require(await runtime.connections[0x51])
        #expect(b.datapath.ports.map(\.number) == [1, 2], "blue sees its two ports only")
        try await b.barrier()
        try await isolation(testbed: testbed, bridge: bridge, red: red, h1: h1, h2: h2)
    }

    /// Blue's traffic crosses the proxy; red can neither read, change nor delete blue's flows.
    func isolation(testbed: Testbed, bridge: Bridge, red: TenantController, h1: TestbedHost, h2: TestbedHost) async throws {
        let r = try await red.connection("red")
        #expect(r.datapath.ports.map(\.number) == [3])

        // Blue's learning switch works through the proxy: ARP, ping and UDP both ways.
        let ping = try await blocking { try h1.ping(h2.ip, count: 3, wait: 2) }
        #expect(ping.allAnswered, "h1 → h2 through the proxy: \(ping)")
        let count = 300
        let (atH2, atH1) = try await udpBothWays(h1, h2, ports: (toB: 6101, toA: 6102), payloads: (toB: "blue 1→2", toA: "blue 2→1"), count: count)
        #expect(atH2.count == count && atH1.count == count, "UDP through the proxy: \(atH2.count), \(atH1.count) of \(count)")
        let blueFlows = try await blocking { try testbed.dumpFlows(bridge) }
        #expect(blueFlows.count >= 4, "table-miss (IPv4 and ARP) and learnt flows: \(blueFlows)")
        // Every flow blue's app made is confined to blue's flowspace (untagged, 10.2/16).
        #expect(blueFlows.allSatisfy { $0.contains("vlan_tci=0x0000/0x1fff") || $0.contains("vlan_tci=0x0000,") }, "\(blueFlows)")
        #expect(blueFlows.allSatisfy { $0.contains("10.2.0.0/16") }, "\(blueFlows)")

        // Red cannot read blue's flows: its view of the table is empty, and asking by match is refused.
        let redView = flowEntries(try await r.requestAll(.of13(.multipartRequest(OF13.MultipartRequest(body: .flow(OF13.FlowStatsRequest()))), xid: 0)))
        #expect(redView.isEmpty, "red sees \(redView)")
        let read = await refusal {
            _ = try await r.requestAll(
                .of13(.multipartRequest(OF13.MultipartRequest(body: .flow(OF13.FlowStatsRequest(match: .ordered([.ethType(0x0800), .vlanVid(0)]))))), xid: 0))
        }
        #expect(read?.type == .badRequest && read?.code == 5)
        // Cannot change them: a flow on blue's port, or over blue's packets, is refused.
        let onBluePort = try await r.sendConfirmed([.of13(.flowMod(addFlow([.inPort(1)], [output(3)], priority: 60000)), xid: 0)])
        #expect(onBluePort.count == 1, "\(onBluePort)")
        let hijack = try await r.sendConfirmed([
            .of13(.flowMod(addFlow([.vlanVid(0), .ethType(0x0800), .ipv4Dst(IPv4Address("10.2.0.2")!)], [output(3)], priority: 60000)), xid: 0)
        ])
        #expect(hijack.count == 1, "\(hijack)")
        // A flow for "IPv4 to 10.2.0.2" without a VLAN is taken, but confined to red's VLAN:
        // blue's untagged packets to h2 do not match it.
        let confined = try await r.sendConfirmed([
            .of13(.flowMod(addFlow([.ethType(0x0800), .ipv4Dst(IPv4Address("10.2.0.2")!)], [output(3)], priority: 60000)), xid: 0)
        ])
        #expect(confined.isEmpty, "\(confined)")
        let withRed = try await blocking { try testbed.dumpFlows(bridge) }
        #expect(withRed.contains { $0.contains("priority=60000") && $0.contains("dl_vlan=10") }, "\(withRed)")
        let past = try await blocking { try h1.ping(h2.ip, count: 2, wait: 2) }
        #expect(past.allAnswered, "blue's pings are not caught by red's flow: \(past)")
        // Cannot delete them: red's delete-all removes red's flows only.
        #expect(try await r.sendConfirmed([.of13(.flowMod(addFlow([.inPort(3)], [output(OF13.PortNumber.controller)], priority: 5)), xid: 0)]).isEmpty)
        #expect(try await r.sendConfirmed([.of13(.flowMod(deleteFlows()), xid: 0)]).isEmpty)
        let after = try await blocking { try testbed.dumpFlows(bridge) }
        #expect(Set(blueFlows).isSubset(of: Set(after)), "blue's flows after red's delete-all: \(after)")
        #expect(!after.contains { $0.contains("in_port=3") || $0.contains("dl_vlan=10") }, "red's own flows are gone: \(after)")

        // And blue's traffic still flows.
        let again = try await blocking { try h1.ping(h2.ip, count: 2, wait: 2) }
        #expect(again.allAnswered, "after red's attempts: \(again)")
    }

    /// The same with os-ken (Scripts/osken_learning_switch.py, Ryu's simple_switch_13) as
    /// blue's controller: a controller that knows nothing of slicing.
    @Test func blueRunsOsKensLearningSwitchThroughTheProxy() async throws {
        let testbed = try Testbed(name: "slicing-osk")
        defer { testbed.tearDown() }
        let (bridge, h1, h2) = try await blocking {
            try testbed.startOpenVSwitch()
            let bridge = try testbed.addBridge("slicing2", datapathID: 0x51, protocols: [.openFlow13])
            let h1 = try testbed.addHost("h1", ip: "10.2.0.1/16", attachedTo: bridge, port: 1)
            let h2 = try testbed.addHost("h2", ip: "10.2.0.2/16", attachedTo: bridge, port: 2)
            try testbed.addHost("h3", ip: "10.1.0.3/16", attachedTo: bridge, port: 3)
            return (bridge, h1, h2)
        }
        let oskenPort = try freeTCPPort()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Scripts/osken_learning_switch.py").path
        // Fails (does not skip) if python3 or os-ken is missing: the process exits at once.
        let osken = try testbed.spawn(["python3", script, String(oskenPort)])
        defer { osken.terminate(grace: 0.2) }
        let red = try await TenantController.start()
        let proxy = try SlicingProxy(
            tenants: [
                .init(network: Self.blue, controllerHost: "127.0.0.1", controllerPort: oskenPort),
                .init(network: Self.red, controllerHost: "127.0.0.1", controllerPort: red.port),
            ], logger: PrintOpenFlowLogger(minimumLevel: .error))
        let events = Seen<SlicingProxy.Event>()
        let socket = testbed.controllerSocketPath("slicing-osk")
        try await proxy.bind(unixDomainSocketPath: socket)
        let proxyRunning = Task { await proxy.run() }
        let recording = Task { for await event in proxy.events { events.append(event) } }
        func cleanUp() async {
            await proxy.close()
            proxyRunning.cancel()
            recording.cancel()
            await red.stop()
        }
        do {
            try await blocking { try testbed.setController(bridge, target: "unix:" + socket) }
            try await waitUntil("os-ken connected through the proxy", timeout: 60) {
                if !osken.isRunning { return true }
                return events.all.contains(.controllerUp(network: "blue", datapathID: 0x51))
            }
            #expect(osken.isRunning, "os-ken exited: \(osken.errorOutput().suffix(2000))")
            // Its table-miss is in once a flow with the CONTROLLER action shows up.
            try await waitUntil("os-ken's table-miss flows") {
                ((try? await blocking { try testbed.dumpFlows(bridge) }) ?? []).filter { $0.contains("CONTROLLER") }.count >= 2
            }
            try await isolation(testbed: testbed, bridge: bridge, red: red, h1: h1, h2: h2)
        } catch {
            await cleanUp()
            throw error
        }
        await cleanUp()
    }
}

/// A TCP port on 127.0.0.1 that nobody was listening on a moment ago.
func freeTCPPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw TimedOut(description: "no free TCP port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
