import Foundation
import OpenFlow
import OpenFlowNIO

/// Sees every `OFPT_ERROR` a switch sends, on the connection's event loop, before it reaches
/// the server's events, and hands it to whoever listens (a running ``FlowMigrationDriver``).
///
/// An error about a FLOW_MOD sent with `OpenFlowConnection.send` is not the reply to any
/// request, so the connection passes it on as an ordinary message; ``ControllerRuntime`` only
/// logs those. Give the tap to the ``OpenFlowServer`` as its inline app (wrapping any other
/// inline app in `next`). Because it is called in the order messages arrive, an error caused
/// by a message is reported before the reply to a barrier sent after that message.
public final class FlowMigrationErrorTap: OpenFlowInlineApp, @unchecked Sendable {
    public typealias Listener = @Sendable (_ datapathID: UInt64, _ xid: UInt32, _ error: OF13.ErrorMessage) -> Void

    private let next: (any OpenFlowInlineApp)?
    private let lock = NSLock()
    private var listeners: [Int: Listener] = [:]
    private var nextToken = 0

    public init(next: (any OpenFlowInlineApp)? = nil) {
        self.next = next
    }

    public func handle(_ message: OpenFlowMessage, datapathID: UInt64) -> [OpenFlowMessage]? {
        if case .of13(.error(let error), let xid) = message {
            let current = lock.withLock { Array(listeners.values) }
            for listener in current { listener(datapathID, xid, error) }
        }
        return next?.handle(message, datapathID: datapathID)
    }

    /// Calls `listener` for every error from now on, until ``removeListener(_:)`` with the
    /// returned token.
    public func addListener(_ listener: @escaping Listener) -> Int {
        lock.withLock {
            nextToken += 1
            listeners[nextToken] = listener
            return nextToken
        }
    }

    public func removeListener(_ token: Int) {
        _ = lock.withLock { listeners.removeValue(forKey: token) }
    }
}
