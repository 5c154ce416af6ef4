import NIOCore
import Substrate

/// The receiving end of a probe flow on a host of the embedded network: a UDP socket whose
/// datagrams go to a ``ProbeReceiver`` with their arrival time on the network's clock.
public final class ProbeSink {
    public let socket: EmbeddedUDPSocket
    public private(set) var receiver: ProbeReceiver

    public init(host: EmbeddedHost, port: UInt16 = 9000, flow: UInt32 = 1) throws(TrafficGenerator.SetupError) {
        guard let socket = host.bindUDP(port: port) else { throw .portInUse(host: host.name, port: port) }
        self.socket = socket
        self.receiver = ProbeReceiver(flow: flow)
        socket.onReceive = { [unowned self] datagram in
            self.receiver.receive(payload: datagram.payload, now: datagram.receivedAt)
        }
    }

    /// Distinct probes received so far.
    public var received: UInt64 { receiver.receivedCount }

    /// The report, given how many packets the sender sent.
    public func report(sent: UInt64) -> ProbeReport { receiver.report(sent: sent) }
}
