import NIOCore
import NetworkAddresses
import Packets
import Testing
import Virtualization

@testable import Migration

/// r1 on node A (ports 1 and 2; port 3 to the migration link) migrating to node B (same ports),
/// with the pure ``RouterMigration`` and no network: the test hands frames to the nodes itself.
struct RouterMigrationHarness {
    static let tunnel: TunnelID = "t"
    static let macA = MACAddress(0x02, 0xAA, 0, 0, 0, 3)
    static let macB = MACAddress(0x02, 0xBB, 0, 0, 0, 3)
    static let bindings: [Int: InterfaceBinding] = [0: .physical(port: 1), 1: .physical(port: 2)]

    var a = PhysicalNode(name: "A")
    var b = PhysicalNode(name: "B")
    var migration: RouterMigration
    var log: [RouterMigration.Output] = []
    var now = preCopyTime(0)

    init(scheme: RouterMigrationScheme, vmForwarding: ForwardingMode? = nil, channel: LiveMigrationChannel = .gigabit) throws {
        try a.boot(
            PreCopyTestbed.configuration(
                forwarding: vmForwarding ?? scheme.forwarding, workload: GuestWorkload(dirtyRate: 500), memoryPages: 512),
            bindings: Self.bindings, now: now)
        a.applyRouteUpdate(
            .add(FIBEntry(prefix: IPv4Address(10, 0, 2, 0), prefixLength: 24, nextHop: nil, interface: 1)), router: "r1",
            now: now)
        let reply = ARPPacket(
            operation: .reply, senderHardwareAddress: PreCopyTestbed.serverMAC, senderProtocolAddress: PreCopyTestbed.serverIP,
            targetHardwareAddress: MACAddress(0x02, 0, 0, 0, 2, 1), targetProtocolAddress: IPv4Address(10, 0, 2, 1))
        _ = a.receive(
            EthernetFrame(
                destination: MACAddress(0x02, 0, 0, 0, 2, 1), source: PreCopyTestbed.serverMAC, etherType: .arp,
                payload: reply.encoded()
            ).encoded(), on: 2, now: now)
        let ipA = IPv4Address(172, 16, 0, 1)
        let ipB = IPv4Address(172, 16, 0, 2)
        migration = RouterMigration(
            .init(
                router: "r1", scheme: scheme, destinationBindings: Self.bindings,
                sourceTunnel: .init(id: Self.tunnel, localAddress: ipA, localMAC: Self.macA, remoteAddress: ipB, remoteMAC: Self.macB, port: 3),
                destinationTunnel: .init(id: Self.tunnel, localAddress: ipB, localMAC: Self.macB, remoteAddress: ipA, remoteMAC: Self.macA, port: 3),
                channel: channel, oldDataPlaneLinger: .milliseconds(50)))
    }

    /// An OSPF packet from the neighbour on r1's interface 0 (multicast, as on a point-to-point link).
    static func controlFrame(_ identification: UInt16) -> ByteBuffer {
        var payload = ByteBuffer()
        payload.writeInteger(UInt32(0x0201_0000))
        let packet = IPv4Packet(
            identification: identification, timeToLive: 1, protocolNumber: .ospf, source: IPv4Address(10, 0, 1, 2),
            destination: IPv4Address(224, 0, 0, 5), payload: payload)
        return EthernetFrame(
            destination: MACAddress(0x01, 0x00, 0x5E, 0, 0, 5), source: PreCopyTestbed.clientMAC, etherType: .ipv4,
            payload: packet.encoded()
        ).encoded()
    }

    mutating func start(at time: NIODeadline) throws {
        now = time
        _ = a.advance(to: now)
        log += try migration.start(now: now, source: &a, destination: &b)
    }

    /// Runs the migration deadline by deadline; `onOutput` sees each output as it comes.
    mutating func run(onOutput: (RouterMigration.Output, inout RouterMigrationHarness) -> Void = { _, _ in }) {
        var steps = 0
        while !migration.isFinished, let next = migration.nextDeadline {
            steps += 1
            precondition(steps < 1_000_000, "the migration does not finish")
            now = max(now, next)
            _ = a.advance(to: now)
            _ = b.advance(to: now)
            let outputs = migration.advance(to: now, source: &a, destination: &b)
            log += outputs
            for output in outputs { onOutput(output, &self) }
        }
    }

    var sourceOutputs: [NodeOutput] { log.compactMap { if case .source(let o) = $0 { o } else { nil } } }
    var destinationOutputs: [NodeOutput] { log.compactMap { if case .destination(let o) = $0 { o } else { nil } } }
}

@Suite struct RouterMigrationTests {
    @Test func planeSeparatedBuffersControlForwardsDataAndTunnelsInOrder() throws {
        var h = try RouterMigrationHarness(scheme: .planeSeparated)
        try h.start(at: preCopyTime(0.1))
        var forwardedWhilePaused = 0
        var resumed = false
        var delivered: [UInt16] = []
        h.run { output, h in
            switch output {
            case .source(let sent):
                guard let (frame, port) = sent.transmitted, port == 3 else { break }
                for output in h.b.receive(frame, on: 3, now: h.now) {
                    guard let (inner, router, interface) = output.delivered else { continue }
                    #expect(router == "r1" && interface == 0)
                    if let ip = try? IPv4Packet(parsing: try EthernetFrame(parsing: inner).payload) {
                        delivered.append(ip.identification)
                    }
                }
            case .migration(.stopAndCopy):
                // The VM is paused: its control packets are held, its data still forwarded.
                #expect(h.a.machine("r1")?.state == .paused)
                for id: UInt16 in 1...3 {
                    #expect(h.a.receive(RouterMigrationHarness.controlFrame(id), on: 1, now: h.now).isEmpty)
                }
                let out = h.a.receive(PreCopyTestbed.dataFrame(sequence: 1), on: 1, now: h.now)
                forwardedWhilePaused = out.filter { $0.transmitted?.port == 2 }.count
            case .resumed:
                resumed = true
                #expect(h.b.machine("r1")?.state == .running)
                #expect(h.a.machine("r1") == nil)
                // The new node built the router's table from the RIB in the VM's memory.
                #expect(h.b.dataPlane["r1"]?.fib.count == 1)
                #expect(h.b.dataPlane["r1"]?.bindings == RouterMigrationHarness.bindings)
                // The old data plane still forwards until the links have moved.
                let out = h.a.receive(PreCopyTestbed.dataFrame(sequence: 2), on: 1, now: h.now)
                #expect(out.contains { $0.transmitted?.port == 2 })
            default: break
            }
        }
        #expect(resumed)
        #expect(forwardedWhilePaused == 1)
        #expect(h.migration.phase == .completed)
        #expect(h.migration.controlBufferHighWater == 3)
        // The buffered packets went through the tunnel, in order, and came out at B to the VM.
        #expect(h.sourceOutputs.compactMap(\.transmitted).filter { $0.port == 3 }.count == 3)
        #expect(delivered == [1, 2, 3])
        // Gratuitous ARP from B on both interfaces; A's share removed once the linger is over.
        #expect(h.destinationOutputs.compactMap(\.transmitted).map(\.port).sorted() == [1, 2])
        #expect(h.a.dataPlane["r1"] == nil)
        #expect(h.a.dataPlane.tunnels.isEmpty && h.b.dataPlane.tunnels.isEmpty)
        #expect(h.migration.sourceCounters?.controlBuffered == 3)
        #expect(h.migration.sourceCounters?.controlLost == 0)
        #expect(h.migration.sourceCounters?.forwarded == 2)
    }

    @Test func standardLosesWhatArrivesWhileThePausedVMShouldForwardIt() throws {
        var h = try RouterMigrationHarness(scheme: .standard)
        try h.start(at: preCopyTime(0.1))
        var lostCounters: DataPlaneCounters?
        h.run { output, h in
            guard case .migration(.stopAndCopy) = output else { return }
            #expect(h.a.receive(RouterMigrationHarness.controlFrame(1), on: 1, now: h.now).isEmpty)
            #expect(h.a.receive(PreCopyTestbed.dataFrame(sequence: 1), on: 1, now: h.now).isEmpty)
            lostCounters = h.a.dataPlane["r1"]?.counters
        }
        #expect(lostCounters?.dataLost == 1)
        #expect(lostCounters?.controlLost == 1)
        #expect(h.migration.phase == .completed)
        // Nothing is left on A to forward; the VM forwards on B.
        #expect(h.a.dataPlane["r1"] == nil)
        #expect(h.sourceOutputs.isEmpty)
        let out = h.b.receive(PreCopyTestbed.dataFrame(sequence: 2), on: 1, now: h.now)
        #expect(out.contains { $0.transmitted?.port == 2 })
        #expect(h.destinationOutputs.compactMap(\.transmitted).map(\.port).sorted() == [1, 2])
    }

    @Test func aFailureWhilePausedDeliversTheBufferedControlToTheSourceVM() throws {
        var h = try RouterMigrationHarness(scheme: .planeSeparated)
        try h.start(at: preCopyTime(0.1))
        h.run { output, h in
            guard case .migration(.stopAndCopy) = output else { return }
            _ = h.a.receive(RouterMigrationHarness.controlFrame(7), on: 1, now: h.now)
            _ = h.a.receive(RouterMigrationHarness.controlFrame(8), on: 1, now: h.now)
            h.log += h.migration.fail(.destinationFailed, now: h.now, source: &h.a, destination: &h.b)
        }
        #expect(h.migration.phase == .rolledBack(.destinationFailed))
        let delivered = h.sourceOutputs.compactMap(\.delivered)
        #expect(delivered.count == 2)
        #expect(
            delivered.compactMap { try? IPv4Packet(parsing: try EthernetFrame(parsing: $0.frame).payload).identification }
                == [7, 8])
        #expect(h.a.machine("r1")?.state == .running)
        #expect(h.a.dataPlane["r1"]?.controlPath == .vm)
        #expect(h.a.dataPlane.tunnels.isEmpty && h.b.dataPlane.tunnels.isEmpty)
        #expect(h.b.machine("r1") == nil && h.b.dataPlane["r1"] == nil)
        // Control packets reach the VM again.
        #expect(!h.a.receive(RouterMigrationHarness.controlFrame(9), on: 1, now: h.now).isEmpty)
    }

    @Test func aBrokenChannelRollsBackBeforeThePause() throws {
        var h = try RouterMigrationHarness(
            scheme: .planeSeparated, channel: LiveMigrationChannel(bandwidth: 1_000_000, breaksAt: preCopyTime(0.2)))
        try h.start(at: preCopyTime(0.1))
        h.run()
        #expect(h.migration.phase == .rolledBack(.channelBroken))
        #expect(h.a.machine("r1")?.state == .running)
        #expect(h.migration.statistics.pausedAt == nil)
        #expect(h.a.receive(PreCopyTestbed.dataFrame(sequence: 1), on: 1, now: h.now).contains { $0.transmitted?.port == 2 })
    }

    @Test func aMigrationThatCannotWorkIsRefusedWithTheReason() throws {
        var mismatched = try RouterMigrationHarness(scheme: .planeSeparated, vmForwarding: .standard)
        do {
            try mismatched.start(at: preCopyTime(0.1))
            Issue.record("a standard VM was migrated as plane-separated")
        } catch {
            #expect("\(error)".contains("plane-separated"))
        }
        var occupied = try RouterMigrationHarness(scheme: .standard)
        try occupied.b.boot(
            PreCopyTestbed.configuration(forwarding: .standard, workload: .quiet, memoryPages: 512), now: preCopyTime(0))
        do {
            try occupied.start(at: preCopyTime(0.1))
            Issue.record("a destination that already hosts r1 was accepted")
        } catch {
            #expect("\(error)".contains("already hosts"))
        }
    }
}
