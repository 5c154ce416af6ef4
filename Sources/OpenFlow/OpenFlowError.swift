/// What went wrong while decoding an OpenFlow message, and where.
///
/// Every decoding failure names the message (`OFPT_FLOW_MOD`), the field
/// (`match.oxm.length`) and the byte offset from the first byte of the OpenFlow header, so
/// that a malformed message from a real switch can be found in a capture.
public struct OpenFlowError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// Fewer bytes than the structure needs.
        case truncated
        /// A length field that disagrees with the data, or is not aligned as the spec says.
        case badLength
        /// A value the spec does not allow (an unknown command, a reserved bit, ...).
        case badValue
        /// A message of a version this codec does not speak.
        case badVersion
        /// A message, action, instruction or field type this codec does not know.
        case badType
    }

    public var kind: Kind
    /// The spec's name of the message being decoded (`OFPT_FLOW_MOD`), or `ofp_header`.
    public var message: String
    /// The field being read when decoding failed, as a path (`match.oxm[2].length`).
    public var field: String
    /// Offset in bytes from the first byte of the OpenFlow header.
    public var offset: Int
    /// Extra explanation, e.g. the value that was found.
    public var detail: String

    public init(_ kind: Kind, message: String, field: String, offset: Int, detail: String = "") {
        self.kind = kind
        self.message = message
        self.field = field
        self.offset = offset
        self.detail = detail
    }

    public var description: String {
        let what = detail.isEmpty ? "" : ": \(detail)"
        return "\(message): \(kind.rawValue) \(field) at offset \(offset)\(what)"
    }
}
