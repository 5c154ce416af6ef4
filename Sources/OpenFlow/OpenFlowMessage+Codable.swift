import NIOCore

/// JSON form of a message, as printed by `vnm ofp decode --json` and read by `vnm ofp encode`:
///
///     {"version": 4, "xid": 7, "type": "OFPT_FLOW_MOD", "body": {...}}
///
/// `body` is absent for messages without one; payload bytes are base64 strings.
extension OpenFlowMessage: Codable {
    enum CodingKeys: String, CodingKey {
        case version, xid, type, body
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decode(UInt8.self, forKey: .version)
        let xid = try container.decodeIfPresent(UInt32.self, forKey: .xid) ?? 0
        let type = try container.decode(String.self, forKey: .type)
        if type == "OFPT_HELLO" {
            self = .hello(try container.decodeIfPresent(Hello.self, forKey: .body) ?? Hello(), version: version, xid: xid)
            return
        }
        switch version {
        case OF13.version: self = .of13(try OF13.Message.decode(typeName: type, from: container), xid: xid)
        case OF10.version: self = .of10(try OF10.Message.decode(typeName: type, from: container), xid: xid)
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .version, in: container, debugDescription: "version \(version) is not supported (1 or 4)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(xid, forKey: .xid)
        try container.encode(typeName, forKey: .type)
        switch self {
        case .hello(let hello, _, _): try container.encode(hello, forKey: .body)
        case .of10(let message, _): try message.encodeBody(into: &container)
        case .of13(let message, _): try message.encodeBody(into: &container)
        }
    }
}
