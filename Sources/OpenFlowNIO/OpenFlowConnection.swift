import NIOCore
import OpenFlow

/// The application's handle on one switch that is up: send it messages, ask it things, close
/// it. Safe to use from any thread or task; every call hops to the connection's event loop.
///
/// Transaction ids are assigned here: a message built with xid 0 is given a fresh one, which
/// `send` returns, so that an asynchronous `OFPT_ERROR` can be traced back to it.
public final class OpenFlowConnection: Sendable, CustomStringConvertible {
    /// The switch as the handshake found it.
    public let datapath: DatapathInfo
    private let channel: any Channel
    private let handler: NIOLoopBound<OpenFlowControllerHandler>

    init(datapath: DatapathInfo, channel: any Channel, handler: NIOLoopBound<OpenFlowControllerHandler>) {
        self.datapath = datapath
        self.channel = channel
        self.handler = handler
    }

    public var datapathID: UInt64 { datapath.datapathID }
    /// The negotiated OpenFlow version.
    public var version: UInt8 { datapath.version }
    public var remoteAddress: SocketAddress? { channel.remoteAddress }
    /// Completes when the connection has closed.
    public var closeFuture: EventLoopFuture<Void> { channel.closeFuture }

    public var description: String { "OpenFlowConnection(\(datapath))" }

    /// Sends `message` (xid 0: a fresh xid is assigned); returns the xid it was sent with.
    /// Throws ``OpenFlowConnectionError``.
    @discardableResult
    public func send(_ message: OpenFlowMessage) async throws -> UInt32 {
        let handler = self.handler
        return try await channel.eventLoop.submit { try handler.value.send(message) }.get()
    }

    @discardableResult
    public func send(_ message: OF13.Message) async throws -> UInt32 { try await send(.of13(message, xid: 0)) }

    @discardableResult
    public func send(_ message: OF10.Message) async throws -> UInt32 { try await send(.of10(message, xid: 0)) }

    /// Sends `message` and waits for the reply with the same xid. If the switch answers with
    /// `OFPT_ERROR` instead, throws ``OpenFlowConnectionError/switchError(_:)``; if the connection
    /// closes first, ``OpenFlowConnectionError/closed(_:)``.
    public func request(_ message: OpenFlowMessage) async throws -> OpenFlowMessage {
        let parts = try await requestAll(message)
        return parts[parts.count - 1]
    }

    public func request(_ message: OF13.Message) async throws -> OpenFlowMessage { try await request(.of13(message, xid: 0)) }

    public func request(_ message: OF10.Message) async throws -> OpenFlowMessage { try await request(.of10(message, xid: 0)) }

    /// Like ``request(_:)-(OpenFlowMessage)``, returning every part of a multipart (stats) reply
    /// sent with the "more" flag.
    public func requestAll(_ message: OpenFlowMessage) async throws -> [OpenFlowMessage] {
        let promise = channel.eventLoop.makePromise(of: [OpenFlowMessage].self)
        let handler = self.handler
        channel.eventLoop.execute { handler.value.request(message, promise: promise) }
        return try await promise.futureResult.get()
    }

    /// `OFPT_BARRIER_REQUEST` (spec 1.3.5 §6.2): returns once the switch has processed every
    /// message sent before it. Errors those messages caused arrive, as messages, before this
    /// returns.
    public func barrier() async throws {
        _ = try await request(version == OpenFlowVersion.v13 ? .of13(.barrierRequest, xid: 0) : .of10(.barrierRequest, xid: 0))
    }

    /// Sends `messages` (xid 0: fresh xids) with a barrier behind them, and returns once the
    /// barrier is answered: the switch has then processed them all. Returns the `OFPT_ERROR`s
    /// it sent about them (matched by xid; empty when every message was applied), so that
    /// "installed" is a fact the caller can await. Throws ``OpenFlowConnectionError`` if the
    /// barrier itself fails or the connection closes first.
    public func sendConfirmed(_ messages: [OpenFlowMessage]) async throws -> [OpenFlowMessage] {
        let promise = channel.eventLoop.makePromise(of: [OpenFlowMessage].self)
        let handler = self.handler
        channel.eventLoop.execute { handler.value.sendConfirmed(messages, promise: promise) }
        return try await promise.futureResult.get().filter(\.isError)
    }

    /// An echo round trip with `payload` (§6.3.2); returns the payload echoed back.
    public func echo(_ payload: ByteBuffer = ByteBuffer()) async throws -> ByteBuffer {
        let reply = try await request(
            version == OpenFlowVersion.v13 ? .of13(.echoRequest(payload), xid: 0) : .of10(.echoRequest(payload), xid: 0))
        switch reply {
        case .of13(.echoReply(let data), _), .of10(.echoReply(let data), _): return data
        default: return ByteBuffer()
        }
    }

    /// Closes the connection; the server reports it with reason ``OpenFlowCloseReason/closedLocally``.
    public func close() async {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.close() }
        try? await channel.closeFuture.get()
    }
}
