import NIOCore

extension OF13 {
    /// `OFPT_PACKET_OUT`, `struct ofp_packet_out` (spec 1.3.5 §7.3.7).
    public struct PacketOut: OF13MessageBody {
        public var bufferID: UInt32
        public var inPort: UInt32
        public var actions: WireList<Action>
        /// The frame when `bufferID` is `OFP_NO_BUFFER`.
        public var data: ByteBuffer

        public init(
            bufferID: UInt32 = OF13.noBuffer, inPort: UInt32 = PortNumber.controller,
            actions: WireList<Action>, data: ByteBuffer = ByteBuffer()
        ) {
            self.bufferID = bufferID
            self.inPort = inPort
            self.actions = actions
            self.data = data
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> PacketOut {
            let bufferID = try reader.readU32("buffer_id")
            let inPort = try reader.readU32("in_port")
            let actionsLength = Int(try reader.readU16("actions_len"))
            try reader.skip(6, "pad")
            let actions = try WireList<Action>(validating: try reader.subReader(actionsLength, "actions"))
            return PacketOut(bufferID: bufferID, inPort: inPort, actions: actions, data: reader.readRest())
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(bufferID)
            buffer.writeInteger(inPort)
            buffer.writeInteger(UInt16(truncatingIfNeeded: actions.byteCount))
            buffer.writeZeros(6)
            actions.write(to: &buffer)
            buffer.writeImmutableBuffer(data)
        }
    }
}
