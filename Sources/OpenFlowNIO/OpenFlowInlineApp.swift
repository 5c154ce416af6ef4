import OpenFlow

/// An application that answers messages synchronously on the connection's event loop, before
/// they reach ``OpenFlowServer/events``.
///
/// Handing every PACKET_IN to an `AsyncStream` costs a task switch per message; an inline app
/// (a reactive responder, a learning switch) answers in place, and its replies are flushed once
/// per socket read. It must not block.
public protocol OpenFlowInlineApp: Sendable {
    /// Handles `message` from the switch `datapathID`. Returns the messages to send back (xid
    /// 0 gets a fresh xid), or nil to pass `message` on to the server's events.
    func handle(_ message: OpenFlowMessage, datapathID: UInt64) -> [OpenFlowMessage]?
}
