import NIOCore
import NetworkAddresses
import OpenFlow
import Packets

/// Forwarding speed of ``Datapath`` on one core, for `vnm bench datapath` (not a test).
///
/// A three-table pipeline of 10,000 flows, as a virtual-network switch would hold:
/// - table 0, 1,000 flows: `in_port` and `eth_src` (a host on its port) → write the
///   tenant into metadata, goto 1; table-miss drops;
/// - table 1, 1,000 flows: tenant metadata and `ipv4_dst` /16, UDP → goto 2 (an ACL);
/// - table 2, 8,000 flows: tenant metadata and `ipv4_dst` /32 → output to a port.
/// 64-byte UDP frames from 1,000 hosts to 8,000 destinations go through it, each frame
/// built with `Packets` and fed to ``Datapath/receive(packet:inPort:now:into:)``.
public enum DatapathBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        public var packets: Int
        public var seconds: Double
        public var flows: Int
        public var exactMatchCache: Bool
        public var packetsPerSecond: Double { Double(packets) / seconds }
        public var nanosecondsPerPacket: Double { seconds * 1e9 / Double(packets) }

        public var description: String {
            let rate = (packetsPerSecond / 1e4).rounded() / 100
            return "datapath: \(rate) Mpps (\((nanosecondsPerPacket * 10).rounded() / 10) ns/packet), "
                + "\(flows) flows in 3 tables, 64-byte UDP, exact-match cache \(exactMatchCache ? "on" : "off")"
        }
    }

    static let hosts = 1000
    static let destinations = 8000
    static let ports: UInt32 = 4

    /// The pipeline, and frames with their input ports (frame `i` goes to destination `i`).
    static func setUp(exactMatchCache: Bool) -> (Datapath, [(ByteBuffer, UInt32)]) {
        var datapath = Datapath(
            configuration: Datapath.Configuration(tableCount: 3, exactMatchCacheSize: exactMatchCache ? 65536 : 0))
        let now = NIODeadline.uptimeNanoseconds(0)
        for port in 1...ports { _ = datapath.addPort(number: port, now: now) }
        func add(_ table: UInt8, _ priority: UInt16, _ match: [OXMField], _ instructions: [OF13.Instruction]) {
            let outputs = datapath.handle(
                .flowMod(
                    OF13.FlowMod(
                        tableID: table, priority: priority, match: OF13.Match(match),
                        instructions: WireList(instructions))),
                xid: 0, now: now)
            precondition(outputs.isEmpty, "benchmark flow refused: \(outputs)")
        }
        func hostMAC(_ h: Int) -> MACAddress { MACAddress(rawValue: 0x0200_0000_0000 | UInt64(h)) }
        func tenant(_ h: Int) -> UInt64 { UInt64(h % 10) }
        func port(_ h: Int) -> UInt32 { UInt32(h % 2) + 1 }  // hosts on ports 1-2, destinations behind 3-4
        func destination(_ d: Int) -> IPv4Address { IPv4Address(10, UInt8(d / 250 % 250), UInt8(d % 250), 1) }
        for h in 0..<hosts {
            add(0, 100, [.inPort(port(h)), .ethSrc(hostMAC(h))], [.writeMetadata(tenant(h), mask: 0xFF), .gotoTable(1)])
        }
        add(0, 0, [], [])
        for t in 0..<10 {
            for net in 0..<100 {
                add(
                    1, 100,
                    [.metadata(UInt64(t), mask: 0xFF), .ethType(0x0800), .ipProto(17),
                     .ipv4Dst(IPv4Address(10, UInt8(net), 0, 0), mask: IPv4Address(255, 255, 0, 0))],
                    [.gotoTable(2)])
            }
        }
        for d in 0..<destinations {
            add(
                2, 100, [.metadata(UInt64(d % 10), mask: 0xFF), .ethType(0x0800), .ipv4Dst(destination(d))],
                [.applyActions([.output(port: UInt32(d % 2) + 3)])])
        }
        var frames: [(ByteBuffer, UInt32)] = []
        for d in 0..<destinations {
            // Host h sends to destination d of its own tenant.
            let h = d % 10 + 10 * (d / 10 % (hosts / 10))
            let udp = UDPDatagram(sourcePort: 5000, destinationPort: 9, payload: ByteBuffer(repeating: 0, count: 18))
            let ip = IPv4Packet(source: IPv4Address(192, 168, 0, UInt8(h % 250)), destination: destination(d), udp: udp)
            let frame = EthernetFrame(
                destination: MACAddress(rawValue: 0x0200_0000_FFFF), source: hostMAC(h), etherType: .ipv4,
                payload: ip.encoded())
            frames.append((frame.encoded(padding: .minimumLength), port(h)))
        }
        return (datapath, frames)
    }

    /// Pushes frames through the pipeline for about `seconds` and reports the rate.
    public static func run(seconds: Double, exactMatchCache: Bool = true) -> Result {
        var (datapath, frames) = setUp(exactMatchCache: exactMatchCache)
        var outputs: [DatapathOutput] = []
        outputs.reserveCapacity(16)
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .nanoseconds(Int64(seconds * 1e9))
        var packets = 0
        var sent = 0
        var now = NIODeadline.uptimeNanoseconds(1)
        while clock.now < deadline {
            for (frame, port) in frames {
                outputs.removeAll(keepingCapacity: true)
                datapath.receive(packet: frame, inPort: port, now: now, into: &outputs)
                sent &+= outputs.count
            }
            packets += frames.count
            now = now + .microseconds(1)
        }
        let elapsed = clock.now - start
        precondition(sent == packets, "every benchmark frame must leave by one port (\(sent) of \(packets))")
        return Result(
            packets: packets,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            flows: datapath.flowCount, exactMatchCache: exactMatchCache)
    }
}
