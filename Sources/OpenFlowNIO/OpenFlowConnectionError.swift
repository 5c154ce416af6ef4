import OpenFlow

/// Why an application's send or request on an ``OpenFlowConnection`` failed.
public enum OpenFlowConnectionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The switch is not up yet (handshake not complete).
    case notConnected
    /// The connection is closed, for this reason.
    case closed(OpenFlowCloseReason)
    /// The message is of another version than the connection's.
    case versionMismatch(connection: UInt8, message: UInt8)
    /// HELLO is sent by the connection itself, never by the application.
    case notAllowed(String)
    /// The switch answered the request with `OFPT_ERROR` carrying the request's xid.
    case switchError(OpenFlowMessage)

    public var description: String {
        switch self {
        case .notConnected: "the switch is not connected yet"
        case .closed(let reason): "connection closed: \(reason)"
        case .versionMismatch(let connection, let message):
            "message is \(OpenFlowVersion.name(message)), connection is \(OpenFlowVersion.name(connection))"
        case .notAllowed(let type): "\(type) cannot be sent by the application"
        case .switchError(let message): "switch answered with \(message)"
        }
    }
}
