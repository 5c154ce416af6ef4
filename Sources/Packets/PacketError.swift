/// Why a packet could not be parsed, and where.
///
/// Parsers never trap on wire data: every malformed input ends as one of these, naming the
/// protocol layer, the field and the byte offset of that field. The offset counts from the
/// first readable byte of the buffer handed to that layer's parser (so an IPv4 error's offset
/// is relative to the IPv4 header, not to the Ethernet frame that carried it).
public struct PacketError: Error, Hashable, Sendable {
    /// What went wrong.
    public enum Kind: Hashable, Sendable {
        /// The buffer ends before the field does.
        case truncated
        /// A length field is inconsistent with the format or with the bytes present.
        case badLength
        /// A checksum does not verify.
        case badChecksum
        /// A version field holds a version this codec does not speak.
        case badVersion
        /// A field holds a value the format does not allow here.
        case badValue
    }

    public var kind: Kind
    /// The protocol layer: "Ethernet", "802.1Q", "ARP", "IPv4", "ICMP", "UDP", "LLDP", "OSPFv2".
    public var layer: String
    /// The field, as the layer's specification names it.
    public var field: String
    /// Byte offset of the field from the start of the layer's buffer.
    public var offset: Int

    public init(_ kind: Kind, layer: String, field: String, offset: Int) {
        self.kind = kind
        self.layer = layer
        self.field = field
        self.offset = offset
    }
}

extension PacketError: CustomStringConvertible {
    public var description: String { "\(layer) \(field) at byte \(offset): \(kind)" }
}
