import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO

/// The responder app of the controller benchmark (cbench's "reactive" controller): every
/// OpenFlow 1.3 PACKET_IN is answered with one FLOW_MOD matching the packet's `in_port` and
/// destination MAC, output to port 2. The same app runs on os-ken in
/// `Scripts/osken_responder.py`, so the two controllers do the same work per message.
public struct PacketInResponder: OpenFlowInlineApp {
    public init() {}

    /// The same for every answer, so encoded once.
    private static let instructions: WireList<OF13.Instruction> = [.applyActions([.output(port: 2)])]

    public func handle(_ message: OpenFlowMessage, datapathID: UInt64) -> [OpenFlowMessage]? {
        guard case .of13(.packetIn(let packetIn), _) = message else { return nil }
        let data = packetIn.data
        let destination: MACAddress =
            if let high = data.getInteger(at: data.readerIndex, as: UInt16.self),
                let low = data.getInteger(at: data.readerIndex + 2, as: UInt32.self)
            {
                MACAddress(rawValue: UInt64(high) << 32 | UInt64(low))
            } else {
                .zero
            }
        let flowMod = OF13.FlowMod(
            command: .add, priority: 1, bufferID: packetIn.bufferID,
            match: OF13.Match([.inPort(packetIn.inPort ?? 0), .ethDst(destination)]),
            instructions: Self.instructions)
        return [.of13(.flowMod(flowMod), xid: 0)]
    }
}
