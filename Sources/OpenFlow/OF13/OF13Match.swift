import NIOCore

extension OF13 {
    /// `struct ofp_match` (spec 1.3.5 §7.2.3.1): type `OFPMT_OXM`, a length that counts the
    /// header and the OXM fields but not the trailing padding, and padding to 8 bytes.
    public struct Match: Hashable, Sendable, Codable {
        public var fields: WireList<OXMField>

        public init(_ fields: WireList<OXMField> = []) { self.fields = fields }
        public init(_ fields: [OXMField]) { self.fields = WireList(fields) }

        /// A match on every packet.
        public static let all = Match()

        /// A match with `fields` in prerequisite order (spec 1.3.5 §7.2.3.6: a field's
        /// prerequisites must come before it; Open vSwitch rejects `icmpv4_type` before
        /// `ip_proto` with OFPBMC_BAD_PREREQ). Sorting basic fields by field number gives that
        /// order, because every prerequisite has a lower number than the fields needing it;
        /// fields of other classes keep their order, after the basic ones.
        public static func ordered(_ fields: [OXMField]) -> Match {
            let sorted = fields.enumerated().sorted { a, b in
                let ka = a.element.basic.map { Int($0.field) } ?? 1000
                let kb = b.element.basic.map { Int($0.field) } ?? 1000
                return (ka, a.offset) < (kb, b.offset)
            }
            return Match(sorted.map(\.element))
        }

        /// `OFPMT_OXM`.
        public static let typeOXM: UInt16 = 1

        /// The encoded size including padding.
        public var paddedLength: Int { (4 + fields.byteCount + 7) & ~7 }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> Match {
            let type = try reader.readU16("match.type")
            guard type == typeOXM else {
                throw reader.error(.badValue, "match.type", "\(type), only OFPMT_OXM (1) is defined in 1.3")
            }
            let length = Int(try reader.readU16("match.length"))
            guard length >= 4 else { throw reader.error(.badLength, "match.length", "\(length) < 4") }
            let fields = try WireList<OXMField>(validating: try reader.subReader(length - 4, "match.oxm_fields"))
            try reader.skip((length + 7) / 8 * 8 - length, "match.pad")
            return Match(fields)
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            let length = 4 + fields.byteCount
            var written = buffer.writeInteger(Self.typeOXM) + buffer.writeInteger(UInt16(truncatingIfNeeded: length))
            written += fields.write(to: &buffer)
            written += buffer.writeZeros((length + 7) / 8 * 8 - length)
            return written
        }

        public init(from decoder: any Decoder) throws {
            self.fields = try WireList<OXMField>(from: decoder)
        }

        public func encode(to encoder: any Encoder) throws {
            try fields.encode(to: encoder)
        }
    }
}

extension OF13.Match: CustomStringConvertible {
    public var description: String {
        fields.isEmpty ? "any" : fields.map(\.description).joined(separator: ",")
    }
}
