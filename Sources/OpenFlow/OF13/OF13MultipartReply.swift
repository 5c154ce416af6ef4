import NIOCore

extension OF13 {
    /// PLACEHOLDER: raw body, to be replaced by the typed structure.
    public struct MultipartReply: OF13MessageBody {
        public var raw: ByteBuffer
        public init(raw: ByteBuffer) { self.raw = raw }
        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> Self {
            Self(raw: reader.readRest())
        }
        public func write(to buffer: inout ByteBuffer) { buffer.writeImmutableBuffer(raw) }
    }
}
