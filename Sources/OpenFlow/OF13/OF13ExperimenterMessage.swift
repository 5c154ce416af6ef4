import NIOCore

extension OF13 {
    /// `OFPT_EXPERIMENTER`, `struct ofp_experimenter_header` (spec 1.3.5 §7.5.4). The body is
    /// opaque to this codec and kept byte for byte (Open vSwitch's Nicira extensions arrive
    /// this way).
    public struct ExperimenterMessage: OF13MessageBody {
        public var experimenter: UInt32
        public var experimenterType: UInt32
        public var data: ByteBuffer

        public init(experimenter: UInt32, experimenterType: UInt32, data: ByteBuffer = ByteBuffer()) {
            self.experimenter = experimenter
            self.experimenterType = experimenterType
            self.data = data
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> ExperimenterMessage {
            ExperimenterMessage(
                experimenter: try reader.readU32("experimenter"),
                experimenterType: try reader.readU32("exp_type"),
                data: reader.readRest())
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(experimenter)
            buffer.writeInteger(experimenterType)
            buffer.writeImmutableBuffer(data)
        }
    }
}
