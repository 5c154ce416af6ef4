import NIOCore

extension OF10 {
    /// `OFPT_PACKET_OUT`, `struct ofp_packet_out` (spec 1.0.0 §5.3.6): 8 bytes, `actions_len`
    /// bytes of actions, then the frame when `buffer_id` is -1.
    public struct PacketOut: OF10MessageBody {
        public var bufferID: UInt32
        /// The packet's input port, for actions such as `OFPP_IN_PORT` (`OFPP_NONE` if none).
        public var inPort: UInt16
        public var actions: WireList<Action>
        /// The frame when `bufferID` is ``OF10/noBuffer``.
        public var data: ByteBuffer

        public init(
            bufferID: UInt32 = OF10.noBuffer, inPort: UInt16 = PortNumber.none, actions: WireList<Action>,
            data: ByteBuffer = ByteBuffer()
        ) {
            self.bufferID = bufferID
            self.inPort = inPort
            self.actions = actions
            self.data = data
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> PacketOut {
            let bufferID = try reader.readU32("buffer_id")
            let inPort = try reader.readU16("in_port")
            let actionsLength = Int(try reader.readU16("actions_len"))
            guard actionsLength <= reader.remaining else {
                throw reader.error(
                    .badLength, "actions_len", "\(actionsLength), only \(reader.remaining) bytes follow")
            }
            let actions = try WireList<Action>(validating: try reader.subReader(actionsLength, "actions"))
            return PacketOut(bufferID: bufferID, inPort: inPort, actions: actions, data: reader.readRest())
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(bufferID)
            buffer.writeInteger(inPort)
            buffer.writeInteger(UInt16(truncatingIfNeeded: actions.byteCount))
            actions.write(to: &buffer)
            buffer.writeImmutableBuffer(data)
        }
    }
}
