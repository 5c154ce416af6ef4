import Datapath
import Foundation
import NIOCore
import NIOPosix
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Packets
import Substrate
import Testing

/// A list that any thread may append to (the packet sink and the server's events).
final class Recorder<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Element] = []

    func append(_ item: Element) { lock.withLock { items.append(item) } }
    var all: [Element] { lock.withLock { items } }
}

/// A frame the agent's packet sink was given.
struct EmittedFrame: Sendable, Hashable {
    var frame: ByteBuffer
    var port: UInt32
}

struct TimedOut: Error, CustomStringConvertible {
    var description: String
}

/// Polls `probe` every 20 ms until it returns a value, for up to `seconds`.
func eventually<T>(
    _ what: String, within seconds: Double = 10, _ probe: () async throws -> T?
) async throws -> T {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if let value = try await probe() { return value }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TimedOut(description: "timed out after \(seconds) s waiting for \(what)")
}

func mac(_ n: UInt64) -> MACAddress { MACAddress(rawValue: 0x0200_0000_0000 | n) }

/// A UDP/IPv4 frame from `mac(src)` to `mac(dst)`.
func udpFrame(src: UInt64 = 1, dst: UInt64 = 2, payload: String = "hello") -> ByteBuffer {
    let udp = UDPDatagram(sourcePort: 1234, destinationPort: 80, payload: ByteBuffer(string: payload))
    let packet = IPv4Packet(source: IPv4Address("10.0.0.1")!, destination: IPv4Address("10.0.0.2")!, udp: udp)
    return EthernetFrame(destination: mac(dst), source: mac(src), etherType: .ipv4, payload: packet.encoded()).encoded()
}

/// A datapath with ports 1…`ports`, up.
func makeDatapath(datapathID: UInt64, ports: Int = 4) -> Datapath {
    var datapath = Datapath(configuration: Datapath.Configuration(datapathID: datapathID))
    for port in 1...UInt32(ports) { _ = datapath.addPort(number: port, now: .now()) }
    return datapath
}

func flowMod(
    priority: UInt16, _ match: [OXMField], output port: UInt32, hard: UInt16 = 0, flags: OF13.FlowMod.Flags = []
) -> OF13.Message {
    .flowMod(
        OF13.FlowMod(
            cookie: 0, cookieMask: 0, tableID: 0, command: .add, idleTimeout: 0, hardTimeout: hard, priority: priority,
            outPort: OF13.PortNumber.any, outGroup: OF13.GroupNumber.any, flags: flags, match: OF13.Match(match),
            instructions: WireList([.applyActions(WireList([.output(port: port)]))])))
}

/// The flows of table 0 as FLOW_STATS report them, asked of a copy of `datapath`.
func flowStats(_ datapath: Datapath) -> [OF13.FlowStats] {
    var copy = datapath
    let request = OF13.Message.multipartRequest(OF13.MultipartRequest(body: .flow(OF13.FlowStatsRequest())))
    return copy.handle(request, xid: 1, now: .now()).flatMap { output -> [OF13.FlowStats] in
        if case .message(.multipartReply(let reply), _) = output, case .flow(let stats) = reply.body {
            return Array(stats)
        }
        return []
    }
}

/// A logger that keeps quiet (the tests check events, not log lines).
struct QuietLogger: OpenFlowLogger {
    func log(_ level: OpenFlowLogLevel, _ message: String) {}
}
