import NIOCore
import NetworkAddresses
import Packets
import Testing
import Virtualization

@testable import Migration

// MARK: Harness

func preCopyTime(_ seconds: Double) -> NIODeadline { .uptimeNanoseconds(UInt64((seconds * 1e9).rounded())) }

/// The paper's testbed in miniature (Fig. 4a): client → r1 → server, r1 on node A (ports 1 and 2)
/// migrating to node B (same ports) over a separate migration channel.
struct PreCopyTestbed {
    static let clientMAC = MACAddress(0x02, 0xCC, 0, 0, 0, 1)
    static let serverMAC = MACAddress(0x02, 0x5E, 0, 0, 0, 1)
    static let clientIP = IPv4Address(10, 0, 1, 10)
    static let serverIP = IPv4Address(10, 0, 2, 20)

    struct Outcome {
        var statistics: PreCopyStatistics
        var events: [LiveMigrationEvent]
        /// Destination memory identical to the source's (bytes and hash) when it resumed.
        var identicalMemory: Bool?
        var identicalHash: Bool?
        var sent = 0
        var received = 0
        var source: PhysicalNode
        var destination: PhysicalNode
    }

    static func configuration(
        forwarding: ForwardingMode, workload: GuestWorkload, memoryPages: Int
    ) -> VirtualMachineConfiguration {
        VirtualMachineConfiguration(
            router: "r1",
            interfaces: [
                VirtualInterface(name: "eth0", mac: MACAddress(0x02, 0, 0, 0, 1, 1), address: IPv4Address(10, 0, 1, 1), prefixLength: 24),
                VirtualInterface(name: "eth1", mac: MACAddress(0x02, 0, 0, 0, 2, 1), address: IPv4Address(10, 0, 2, 1), prefixLength: 24),
            ],
            forwarding: forwarding, memoryPages: memoryPages, workload: workload, seed: 42)
    }

    static func dataFrame(sequence: UInt32, size: Int = 64) -> ByteBuffer {
        var payload = ByteBuffer()
        payload.writeInteger(sequence)
        payload.writeRepeatingByte(0xAB, count: max(0, size - 46))
        let packet = IPv4Packet(source: clientIP, destination: serverIP,
            udp: UDPDatagram(sourcePort: 5000, destinationPort: 6000, payload: payload))
        return EthernetFrame(destination: MACAddress(0x02, 0, 0, 0, 1, 1), source: clientMAC, etherType: .ipv4,
            payload: packet.encoded()).encoded()
    }

    /// Boots r1 on A, lets it run 0.5 s with traffic at `rate` packets/s, migrates it to B and
    /// keeps the traffic on A until the VM resumes on B, then on B (the link moves at once).
    static func run(
        forwarding: ForwardingMode = .planeSeparated, workload: GuestWorkload = GuestWorkload(),
        memoryPages: Int = 1024, channel: LiveMigrationChannel = LiveMigrationChannel(bandwidth: 12_500_000),
        configuration: PreCopyConfiguration = .init(), rate: Double = 0,
        onEvent: (LiveMigrationEvent, inout PreCopyMigration, inout PhysicalNode, NIODeadline) -> [LiveMigrationEvent] = { _, _, _, _ in [] }
    ) throws -> Outcome {
        var a = PhysicalNode(name: "A")
        var b = PhysicalNode(name: "B")
        let bindings: [Int: InterfaceBinding] = [0: .physical(port: 1), 1: .physical(port: 2)]
        try a.boot(Self.configuration(forwarding: forwarding, workload: workload, memoryPages: memoryPages),
            bindings: bindings, now: preCopyTime(0))
        a.applyRouteUpdate(.add(FIBEntry(prefix: IPv4Address(10, 0, 2, 0), prefixLength: 24, nextHop: nil, interface: 1)),
            router: "r1", now: preCopyTime(0))
        let reply = ARPPacket(operation: .reply, senderHardwareAddress: serverMAC, senderProtocolAddress: serverIP,
            targetHardwareAddress: MACAddress(0x02, 0, 0, 0, 2, 1), targetProtocolAddress: IPv4Address(10, 0, 2, 1))
        _ = a.receive(EthernetFrame(destination: MACAddress(0x02, 0, 0, 0, 2, 1), source: serverMAC, etherType: .arp,
            payload: reply.encoded()).encoded(), on: 2, now: preCopyTime(0))

        var migration = PreCopyMigration(router: "r1", channel: channel, configuration: configuration)
        let start = preCopyTime(0.5)
        var outcome = Outcome(statistics: .init(), events: [], source: a, destination: b)
        var onB = false
        var now = preCopyTime(0)
        var nextPacket: NIODeadline? = rate > 0 ? preCopyTime(0) : nil
        let gap = rate > 0 ? TimeAmount.nanoseconds(Int64(1e9 / rate)) : .seconds(1)
        var started = false
        var steps = 0
        while !migration.isFinished {
            steps += 1
            precondition(steps < 2_000_000, "the migration does not finish")
            let candidates = [
                started ? migration.nextDeadline : start, a.nextDeadline, b.nextDeadline, nextPacket,
            ].compactMap { $0 }
            now = max(now, candidates.min() ?? now)
            _ = a.advance(to: now)
            _ = b.advance(to: now)
            if let due = nextPacket, due <= now {
                let frame = dataFrame(sequence: UInt32(outcome.sent))
                let outputs = onB ? b.receive(frame, on: 1, now: now) : a.receive(frame, on: 1, now: now)
                outcome.sent += 1
                outcome.received += outputs.filter { output in
                    guard let (frame, port) = output.transmitted, port == 2 else { return false }
                    return (try? EthernetFrame(parsing: frame))?.etherType == .ipv4
                }.count
                nextPacket = due + gap
            }
            var events: [LiveMigrationEvent] = []
            if !started, now >= start {
                started = true
                events += migration.start(now: now, on: &a)
            } else if started {
                events += migration.advance(to: now, on: &a)
            }
            var index = 0
            while index < events.count {
                let event = events[index]
                index += 1
                if case .resumedAtDestination = event, let vm = migration.takeMigratedMachine() {
                    let source = a.machine("r1")!
                    outcome.identicalMemory = vm.memory.hasSameContent(as: source.memory)
                    outcome.identicalHash = vm.memory.contentHash == source.memory.contentHash
                    a.evict("r1")
                    try b.admit(vm, bindings: bindings)
                    try b.syncForwardingTable("r1")
                    onB = true
                }
                events += onEvent(event, &migration, &a, now)
            }
            outcome.events += events
        }
        outcome.statistics = migration.statistics
        outcome.source = a
        outcome.destination = b
        return outcome
    }
}

extension TimeAmount {
    var milliseconds: Double { Double(nanoseconds) / 1e6 }
}

// MARK: Tests

@Suite struct PreCopyMigrationTests {
    @Test func theMigratedMemoryIsIdenticalAtTheDestination() throws {
        let outcome = try PreCopyTestbed.run(workload: GuestWorkload(dirtyRate: 3000, workingSetPages: 256))
        #expect(outcome.identicalMemory == true)
        #expect(outcome.identicalHash == true)
        #expect(outcome.statistics.verified == true)
        #expect(outcome.statistics.preCopyRounds >= 2)
        #expect(outcome.destination.machine("r1")?.state == .running)
        #expect(outcome.destination.machine("r1")?.routes.count == 1)
        #expect(outcome.source.machine("r1") == nil)
        // The stages in order.
        let kinds = outcome.events.map { event -> String in
            switch event {
            case .started: "started"
            case .roundCompleted: "round"
            case .stopAndCopy: "stop"
            case .imageReceived: "received"
            case .acknowledged: "ack"
            case .resumedAtDestination: "resumed"
            case .rolledBack: "rolledBack"
            case .lost: "lost"
            }
        }
        #expect(kinds.first == "started")
        #expect(Array(kinds.suffix(4)) == ["stop", "received", "ack", "resumed"])
        #expect(kinds.filter { $0 == "round" }.count == outcome.statistics.preCopyRounds)
    }

    @Test func roundsAreAccountedExactly() throws {
        let channel = LiveMigrationChannel(bandwidth: 10_000_000, latency: .microseconds(200))
        let pages = 512
        let outcome = try PreCopyTestbed.run(workload: .quiet, memoryPages: pages, channel: channel)
        let stats = outcome.statistics
        #expect(stats.preCopyRounds == 1)
        let first = try #require(stats.rounds.first)
        #expect(first.pagesSent == pages && first.pagesSkipped == 0)
        #expect(first.bytes == pages * 4104)
        #expect(first.duration == channel.transmissionTime(pages * 4104))
        #expect(first.dirtyAtEnd == 0)
        #expect(stats.stopReason == .dirtySetSmall)
        #expect(stats.stopAndCopyPages == 0)
        // Stop-and-copy sends only the vCPU state; then acknowledgement and commit, one latency each.
        #expect(stats.downtime == channel.transmissionTime(VCPUState.encodedSize) + .microseconds(600))
        #expect(stats.totalTime == first.duration + stats.downtime!)
        #expect(stats.bytesSent == pages * 4104 + VCPUState.encodedSize)
        #expect(outcome.identicalMemory == true)
    }

    @Test func downtimeGrowsWithTheDirtyRate() throws {
        var downtimes: [Double] = []
        var finalPages: [Int] = []
        for rate in [0.0, 2000, 20000] {
            let outcome = try PreCopyTestbed.run(
                workload: GuestWorkload(dirtyRate: rate, workingSetPages: 512, refreshInterval: nil))
            #expect(outcome.identicalMemory == true)
            downtimes.append(try #require(outcome.statistics.downtime).milliseconds)
            finalPages.append(outcome.statistics.stopAndCopyPages)
        }
        #expect(downtimes[0] < downtimes[1] && downtimes[1] < downtimes[2], "downtimes \(downtimes) ms")
        #expect(finalPages[0] < finalPages[1] && finalPages[1] < finalPages[2], "stop-and-copy pages \(finalPages)")
    }

    @Test func downtimeShrinksWithBandwidth() throws {
        var downtimes: [Double] = []
        for bandwidth in [12_500_000, 125_000_000, 1_250_000_000] {
            let outcome = try PreCopyTestbed.run(
                workload: GuestWorkload(dirtyRate: 20000, workingSetPages: 512, refreshInterval: nil),
                channel: LiveMigrationChannel(bandwidth: bandwidth))
            #expect(outcome.identicalMemory == true)
            downtimes.append(try #require(outcome.statistics.downtime).milliseconds)
        }
        #expect(downtimes[0] > downtimes[1] && downtimes[1] > downtimes[2], "downtimes \(downtimes) ms")
    }

    @Test func forwardingInTheVMLengthensTheDowntimeAndLosesPackets() throws {
        let rate = 5000.0
        let separated = try PreCopyTestbed.run(forwarding: .planeSeparated, rate: rate)
        let standard = try PreCopyTestbed.run(forwarding: .standard, rate: rate)
        #expect(separated.identicalMemory == true && standard.identicalMemory == true)
        let separatedDowntime = try #require(separated.statistics.downtime)
        let standardDowntime = try #require(standard.statistics.downtime)
        #expect(standardDowntime > separatedDowntime, "standard \(standardDowntime.milliseconds) ms, plane-separated \(separatedDowntime.milliseconds) ms")
        #expect(standard.statistics.stopAndCopyPages > separated.statistics.stopAndCopyPages)
        // Plane separation: Domain 0 forwarded every packet, paused VM or not.
        #expect(separated.received == separated.sent)
        // Standard: the packets that came while the VM was paused are lost, about downtime × rate.
        let lost = standard.sent - standard.received
        #expect(lost == standard.source.dataPlane["r1"]?.counters.dataLost)
        let expected = standardDowntime.milliseconds / 1000 * rate
        #expect(abs(Double(lost) - expected) <= 1.5, "lost \(lost), downtime × rate \(expected)")
        #expect(lost > 0)
        // After the move the VM forwards on B with the ARP entry it learnt on A.
        #expect((standard.destination.machine("r1")?.counter(.forwarded) ?? 0) > 0)
    }

    @Test func maxRoundsStopsPreCopy() throws {
        let outcome = try PreCopyTestbed.run(
            workload: GuestWorkload(dirtyRate: 20000, workingSetPages: 512, refreshInterval: nil),
            configuration: PreCopyConfiguration(maxRounds: 1))
        #expect(outcome.statistics.preCopyRounds == 1)
        #expect(outcome.statistics.stopReason == .maxRounds)
        #expect(outcome.identicalMemory == true)
    }

    @Test func aBusyGuestStopsForLackOfProgress() throws {
        let outcome = try PreCopyTestbed.run(
            workload: GuestWorkload(dirtyRate: 50000, workingSetPages: 300, refreshInterval: nil))
        #expect(outcome.statistics.stopReason == .noProgress)
        #expect(outcome.statistics.preCopyRounds < 30)
        let rounds = outcome.statistics.rounds
        #expect(rounds.last!.dirtyAtEnd >= rounds[rounds.count - 2].dirtyAtEnd)
        #expect(outcome.identicalMemory == true)
    }

    @Test func hotPagesAreHeldBack() throws {
        let workload = GuestWorkload(dirtyRate: 30000, workingSetPages: 8, refreshInterval: nil)
        let held = try PreCopyTestbed.run(workload: workload, configuration: PreCopyConfiguration(dirtyThreshold: 0))
        let rounds = held.statistics.rounds
        #expect(rounds.count >= 2)
        #expect(rounds.dropFirst().allSatisfy { $0.pagesHeldBack == 8 })
        #expect(held.identicalMemory == true)
        #expect(held.statistics.stopAndCopyPages >= 8)
    }

    @Test func aBrokenChannelRollsBackToTheSource() throws {
        let outcome = try PreCopyTestbed.run(
            forwarding: .standard, workload: GuestWorkload(dirtyRate: 2000),
            channel: LiveMigrationChannel(bandwidth: 12_500_000, breaksAt: preCopyTime(0.6)), rate: 1000)
        #expect(outcome.events.contains(.rolledBack(at: preCopyTime(0.6), reason: .channelBroken)))
        let vm = try #require(outcome.source.machine("r1"))
        #expect(vm.state == .running)
        #expect(!vm.memory.isDirtyLogEnabled)
        #expect(outcome.destination.machine("r1") == nil)
        #expect(outcome.statistics.resumedAt == nil)
        #expect(outcome.sent == outcome.received)  // it never stopped forwarding
    }

    @Test func aDestinationFailureDuringStopAndCopyResumesTheSource() throws {
        var pausedSeen = false
        let outcome = try PreCopyTestbed.run(workload: GuestWorkload(dirtyRate: 2000)) { event, migration, source, now in
            guard case .stopAndCopy = event else { return [] }
            pausedSeen = source.machine("r1")?.state == .paused
            return migration.fail(.destinationFailed, now: now, on: &source)
        }
        #expect(pausedSeen)
        #expect(outcome.events.last == .rolledBack(at: outcome.statistics.pausedAt!, reason: .destinationFailed))
        let vm = try #require(outcome.source.machine("r1"))
        #expect(vm.state == .running && vm.nextDeadline != nil)
        #expect(outcome.destination.machine("r1") == nil)
    }
}
