import NIOCore

extension OF10 {
    /// `OFPT_VENDOR`, `struct ofp_vendor_header` (spec 1.0.0 §5.5.4): a vendor id and a body
    /// opaque to this codec, kept byte for byte (Open vSwitch's Nicira extensions, vendor
    /// 0x00002320, arrive this way).
    public struct VendorMessage: OF10MessageBody {
        public var vendor: UInt32
        /// Everything after the vendor id.
        public var data: ByteBuffer

        /// `NX_VENDOR_ID`: Nicira, used by Open vSwitch's extensions.
        public static let nicira: UInt32 = 0x0000_2320

        public init(vendor: UInt32, data: ByteBuffer = ByteBuffer()) {
            self.vendor = vendor
            self.data = data
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> VendorMessage {
            VendorMessage(vendor: try reader.readU32("vendor"), data: reader.readRest())
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(vendor)
            buffer.writeImmutableBuffer(data)
        }
    }
}
