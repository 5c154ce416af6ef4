/// The start of an 8-byte-aligned TLV: `struct ofp_action_header` (OF1.0 and OF1.3) and
/// `struct ofp_instruction` share it: a 16-bit type, then a 16-bit length that counts the
/// header and the padding and must be a multiple of 8 (spec 1.3.5 §7.2.4, §7.2.5).
struct AlignedTLV {
    let type: UInt16
    let length: Int
    /// The bytes after the 4-byte header.
    var body: WireReader
    private let lengthField: StaticString

    /// Reads the header and takes the rest of the TLV as `body`.
    init(
        _ reader: inout WireReader, type typeField: StaticString, length lengthField: StaticString,
        body bodyField: StaticString
    ) throws(OpenFlowError) {
        self.type = try reader.readU16(typeField)
        self.length = Int(try reader.readU16(lengthField))
        guard length >= 8, length % 8 == 0 else {
            throw reader.error(.badLength, lengthField, "\(length) is not a multiple of 8 of at least 8")
        }
        self.body = try reader.subReader(length - 4, bodyField)
        self.lengthField = lengthField
    }

    /// Throws unless the TLV has the fixed size its type requires.
    func expect(_ size: Int) throws(OpenFlowError) {
        guard length == size else { throw body.error(.badLength, lengthField, "\(length), expected \(size)") }
    }
}
