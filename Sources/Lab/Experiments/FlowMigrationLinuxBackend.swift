import Controller
import Foundation
import LinuxTestbed
import Migration
import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO

/// The diamond on Open vSwitch in network namespaces (LinuxTestbed), controlled by vnm's own
/// controller over its own connections:
///
/// ```
///          s2                old path: h1 → s1:1→2 → s2:1→2 → s4:2→1 → h2
///  h1 — s1      s4 — h2      new path: h1 → s1:1→3 → s3:1→2 → s4:3→1 → h2
///          s3
/// ```
/// Kernel UDP probes go from h1 (10.0.0.1) to h2 (10.0.0.2) port 5001 (flow 0); flows 1...N-1
/// match the following UDP ports and carry no traffic. Every flow has entries both ways. The
/// hosts know each other's MAC statically, so no ARP crosses the switches. The first probe on
/// the new path is seen by a ``FlowMigrationPathWatch`` on s3's port toward s1.
public final class FlowMigrationLinuxBackend: FlowMigrationBackend, @unchecked Sendable {
    public let name = "linux"
    public static let probePort: UInt16 = 5001
    public static let cables: [((UInt64, UInt16), (UInt64, UInt16))] = [
        ((1, 2), (2, 1)), ((2, 2), (4, 2)), ((4, 3), (3, 2)), ((3, 1), (1, 3)),
    ]
    public static let oldPath = [
        PathHop(datapathID: 1, inPort: 1, outPort: 2), PathHop(datapathID: 2, inPort: 1, outPort: 2),
        PathHop(datapathID: 4, inPort: 2, outPort: 1),
    ]
    public static let newPath = [
        PathHop(datapathID: 1, inPort: 1, outPort: 3), PathHop(datapathID: 3, inPort: 1, outPort: 2),
        PathHop(datapathID: 4, inPort: 3, outPort: 1),
    ]

    public let testbed: Testbed
    private var bridges: [UInt64: Bridge] = [:]
    private var client: TestbedHost?
    private var server: TestbedHost?
    private var openFlowServer: OpenFlowServer?
    private var runtime: ControllerRuntime?
    private var running: Task<Void, Never>?
    private let errorTap = FlowMigrationErrorTap()
    private let log: @Sendable (String) -> Void

    /// Makes the testbed (nothing started yet); `name` labels its run directory.
    public init(name: String = "flowmig", log: @escaping @Sendable (String) -> Void = { _ in }) throws {
        testbed = try Testbed(name: name)
        self.log = log
    }

    /// The flows of the experiment: flow `i` is UDP from the client to the server's port
    /// `probePort + i`, and back from that port.
    public static func flows(_ count: Int, client: IPv4Address, server: IPv4Address) -> [MigratedFlow] {
        (0..<count).map { index in
            let port = probePort &+ UInt16(truncatingIfNeeded: index)
            return MigratedFlow(
                forward: [.ethType(0x0800), .ipProto(17), .ipv4Src(client), .ipv4Dst(server), .udpDst(port)],
                reverse: [.ethType(0x0800), .ipProto(17), .ipv4Src(server), .ipv4Dst(client), .udpSrc(port)])
        }
    }

    public func prepare(flows: Int) async throws -> FlowMigrationRequest {
        guard flows >= 1, flows <= Int(UInt16.max - Self.probePort) else {
            throw FlowMigrationExperimentError("--flows must be between 1 and \(UInt16.max - Self.probePort), not \(flows)")
        }
        let testbed = self.testbed
        let built = try await Self.blocking { () -> ([UInt64: Bridge], TestbedHost, TestbedHost) in
            try testbed.startOpenVSwitch()
            var bridges: [UInt64: Bridge] = [:]
            for dpid: UInt64 in 1...4 {
                bridges[dpid] = try testbed.addBridge("s\(dpid)", datapathID: dpid, protocols: [.openFlow13])
            }
            for ((a, aPort), (b, bPort)) in Self.cables {
                try testbed.link(bridges[a]!, port: aPort, to: bridges[b]!, port: bPort)
            }
            let h1 = try testbed.addHost("h1", ip: "10.0.0.1/24", attachedTo: bridges[1]!, port: 1)
            let h2 = try testbed.addHost("h2", ip: "10.0.0.2/24", attachedTo: bridges[4]!, port: 1)
            try h1.exec("ip", "neigh", "replace", h2.ip, "lladdr", h2.mac, "dev", h1.interface, "nud", "permanent")
            try h2.exec("ip", "neigh", "replace", h1.ip, "lladdr", h1.mac, "dev", h2.interface, "nud", "permanent")
            return (bridges, h1, h2)
        }
        (bridges, client, server) = built

        // The controller first, then set-controller (OVS connects at once; the first
        // controller flushes the tables, so flows come after).
        let openFlowServer = OpenFlowServer(logger: PrintOpenFlowLogger(minimumLevel: .warning), inlineApp: errorTap)
        let socket = testbed.controllerSocketPath("flowmig")
        try await openFlowServer.bind(unixDomainSocketPath: socket)
        let runtime = ControllerRuntime(server: openFlowServer, apps: [], logger: PrintOpenFlowLogger(minimumLevel: .warning))
        self.openFlowServer = openFlowServer
        self.runtime = runtime
        running = Task { await runtime.run() }
        let bridges = self.bridges
        try await Self.blocking {
            for bridge in bridges.values { try testbed.setController(bridge, target: "unix:" + socket) }
        }
        let deadline = NIODeadline.now() + .seconds(15)
        while await runtime.connections.count < 4 {
            guard NIODeadline.now() < deadline else {
                throw FlowMigrationExperimentError("the 4 bridges did not connect to the controller within 15 s")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        guard let clientIP = IPv4Address(built.1.ip), let serverIP = IPv4Address(built.2.ip) else {
            throw FlowMigrationExperimentError("the hosts' addresses \(built.1.ip), \(built.2.ip) are not IPv4")
        }
        log("linux: diamond up (Open vSwitch \(testbed.openVSwitchVersion ?? "?"), testbed \(testbed.prefix))")
        return FlowMigrationRequest(
            flows: Self.flows(flows, client: clientIP, server: serverIP), oldPath: Self.oldPath, newPath: Self.newPath,
            priority: 100, cookie: 0xF10)
    }

    public func installOldPath(_ request: FlowMigrationRequest) async throws {
        guard let runtime else { throw FlowMigrationExperimentError("prepare() first") }
        let connections = await runtime.connections
        var bySwitch: [UInt64: [OF13.FlowMod]] = [:]
        for part in request.installation(of: request.oldPath) { bySwitch[part.datapathID, default: []] += part.flowMods }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for dpid in bridges.keys {
                guard let connection = connections[dpid] else { throw FlowMigrationExperimentError("switch \(dpid) is not connected") }
                let flowMods = bySwitch[dpid] ?? []
                group.addTask {
                    // Everything of ours (cookie) goes, then the old path; the barrier confirms both.
                    try await connection.send(.of13(.flowMod(OF13.FlowMod(
                        cookie: request.cookie, cookieMask: .max, tableID: 0xFF, command: .delete)), xid: 0))
                    for flowMod in flowMods { try await connection.send(.of13(.flowMod(flowMod), xid: 0)) }
                    try await connection.barrier()
                }
            }
            try await group.waitForAll()
        }
    }

    public func run(_ trial: FlowMigrationTrial) async throws -> FlowMigrationTrialResult {
        guard let runtime, let client, let server else { throw FlowMigrationExperimentError("prepare() first") }
        let receiver = try KernelUDPReceiver(namespace: server.namespace, port: Self.probePort)
        let watch = try FlowMigrationPathWatch(interface: "s3-1", namespace: testbed.switchNamespace, udpPort: Self.probePort)
        let sender = try KernelUDPSender(.init(
            namespace: client.namespace, destination: server.ip, port: Self.probePort, rate: trial.rate,
            datagramSize: trial.datagramSize, duration: trial.duration))
        receiver.start()
        watch.start()
        sender.start()
        var report: FlowMigrationReport?
        var trigger: NIODeadline?
        if let plan = trial.plan {
            try await Task.sleep(nanoseconds: UInt64(trial.triggerAfter.nanoseconds))
            let connections = await runtime.connections
            trigger = .now()
            report = await FlowMigrationDriver.run(
                plan, connections: connections, errorTap: errorTap, configuration: trial.executor)
        }
        let sent = await Self.blocking { sender.wait() }
        let probe = await Self.blocking { receiver.stop(after: .milliseconds(300)) }
        let (first, seen) = watch.stop()
        var total: Double?
        if let trigger, let first { total = Double(Int64(first.uptimeNanoseconds) - Int64(trigger.uptimeNanoseconds)) / 1e6 }
        return FlowMigrationTrialResult(
            probe: probe.report(sent: sent.sent), migration: report, totalMigrationMilliseconds: total, newPathProbes: seen)
    }

    public func flowTables() async throws -> [UInt64: [String]] {
        let testbed = self.testbed, bridges = self.bridges
        return try await Self.blocking {
            var tables: [UInt64: [String]] = [:]
            for (dpid, bridge) in bridges { tables[dpid] = try testbed.dumpFlows(bridge) }
            return tables
        }
    }

    public func tearDown() async {
        running?.cancel()
        await openFlowServer?.close()
        running = nil
        let testbed = self.testbed
        await Self.blocking { testbed.tearDown() }
    }

    /// Runs blocking work (testbed commands, thread joins) on a thread of its own, so that it
    /// never holds one of the cooperative threads the controller needs meanwhile.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    static func blocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }
}

/// A flow-migration experiment that cannot go on, and why.
public struct FlowMigrationExperimentError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
