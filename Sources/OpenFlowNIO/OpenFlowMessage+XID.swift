import OpenFlow

extension OpenFlowMessage {
    /// The same message with transaction id `xid`.
    public func with(xid: UInt32) -> OpenFlowMessage {
        switch self {
        case .hello(let hello, let version, _): .hello(hello, version: version, xid: xid)
        case .of10(let body, _): .of10(body, xid: xid)
        case .of13(let body, _): .of13(body, xid: xid)
        }
    }

    /// OFPT_ERROR of either version.
    var isError: Bool {
        switch self {
        case .of10(.error, _), .of13(.error, _): true
        default: false
        }
    }

    /// A multipart (OF1.3) or stats (OF1.0) reply with the "more follows" flag set.
    var hasMoreToFollow: Bool {
        switch self {
        case .of13(.multipartReply(let reply), _): reply.flags.contains(.replyMore)
        case .of10(.statsReply(let reply), _): reply.flags.contains(.replyMore)
        default: false
        }
    }
}
