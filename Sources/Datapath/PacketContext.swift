import NIOCore

/// A packet on its way through the pipeline: its bytes, its key, where its headers are,
/// and the pipeline state the spec attaches to it (action set, metadata in the key, the
/// table and cookie of the last flow it matched, for PACKET_IN).
struct PacketContext: Sendable {
    var data: ByteBuffer
    var key: FlowKey
    var layout: PacketLayout
    var actionSet = ActionSet()
    /// The queue set by set-queue (recorded on the output, not modelled further).
    var queue: UInt32?
    var tableID: UInt8 = 0
    var cookie: UInt64 = 0
    /// Whether the last flow matched was a table-miss flow: its output to CONTROLLER is a
    /// PACKET_IN with reason `OFPR_NO_MATCH` (spec 1.3.5 §7.4.1).
    var fromTableMiss = false

    init(frame: ByteBuffer, inPort: UInt32, metadata: UInt64 = 0, tunnelID: UInt64 = 0) {
        data = frame
        layout = PacketLayout()
        key = FlowKey(frame: frame, inPort: inPort, metadata: metadata, tunnelID: tunnelID, layout: &layout)
    }

    var inPort: UInt32 { key.inPort }

    /// Extracts the key again after the bytes changed, keeping the pipeline fields.
    mutating func rekey() {
        key = FlowKey(
            frame: data, inPort: key.inPort, metadata: key.metadata, tunnelID: key.tunnelID, layout: &layout)
    }
}
