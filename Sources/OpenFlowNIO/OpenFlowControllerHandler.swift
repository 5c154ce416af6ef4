import NIOCore
import OpenFlow

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The channel handler of the controller's end of an OpenFlow connection (layer 4 of the
/// swift-nio-ssh layering): it feeds messages, errors and the clock to an
/// ``OpenFlowConnectionStateMachine`` and carries out what it returns. All protocol decisions
/// live in the state machine; this class only writes, closes, keeps one timer, and matches
/// replies to the application's requests by xid.
///
/// Time is read from `eventLoop.now`, so under NIO's `EmbeddedEventLoop` the machine runs on
/// that loop's virtual clock (`advanceTime(by:)`), the same as the timer.
///
/// Pipeline: `ByteToMessageHandler(OpenFlowFrameDecoder())`, `MessageToByteHandler(OpenFlowFrameEncoder())`,
/// then this handler.
public final class OpenFlowControllerHandler: ChannelInboundHandler {
    public typealias InboundIn = OpenFlowMessage
    public typealias OutboundOut = OpenFlowMessage

    /// What the handler reports. Called on the channel's event loop.
    public enum Event: Sendable {
        case connected(OpenFlowConnection)
        case message(datapathID: UInt64, OpenFlowMessage)
        /// The connection closed. `datapathID` is nil if the switch never came up.
        case disconnected(datapathID: UInt64?, peer: String, reason: OpenFlowCloseReason)
    }

    private struct PendingRequest {
        var promise: EventLoopPromise<[OpenFlowMessage]>
        var parts: [OpenFlowMessage] = []
    }

    private var machine: OpenFlowConnectionStateMachine
    private let logger: any OpenFlowLogger
    private let onEvent: @Sendable (Event) -> Void
    private var context: ChannelHandlerContext?
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var closeReason: OpenFlowCloseReason?
    private var pending: [UInt32: PendingRequest] = [:]
    private var connection: OpenFlowConnection?
    private var peer = "unknown peer"
    private var started = false
    private var finished = false

    public init(
        configuration: OpenFlowConnectionStateMachine.Configuration = .init(),
        logger: any OpenFlowLogger = PrintOpenFlowLogger(),
        onEvent: @escaping @Sendable (Event) -> Void
    ) {
        self.machine = OpenFlowConnectionStateMachine(configuration: configuration)
        self.logger = logger
        self.onEvent = onEvent
    }

    // MARK: ChannelInboundHandler

    public func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start(context: context) }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = Self.unwrapInboundIn(data)
        perform(machine.received(message, now: context.eventLoop.now), context: context)
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let reason: OpenFlowCloseReason =
            if let error = error as? OpenFlowError {
                .malformedMessage(error)
            } else if let error = error as? IOError, error.errnoCode == ECONNRESET || error.errnoCode == EPIPE {
                // A reset is the peer going away (closing with unread data does it), not a fault.
                .peerClosed
            } else {
                .channelError("\(error)")
            }
        perform(machine.failed(reason), context: context)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        if closeReason == nil, !finished {
            logger.log(.info, "OpenFlow connection \(describeConnection()) closed by peer")
        }
        finish(reason: closeReason ?? .peerClosed)
        context.fireChannelInactive()
    }

    // MARK: Application requests (on the event loop)

    /// Stamps and writes `message`; returns the xid it was sent with.
    func send(_ message: OpenFlowMessage) throws(OpenFlowConnectionError) -> UInt32 {
        guard let context else { throw .closed(closeReason ?? .closedLocally) }
        let stamped = try machine.prepareToSend(message)
        context.writeAndFlush(Self.wrapOutboundOut(stamped), promise: nil)
        return stamped.xid
    }

    /// Sends `message` and completes `promise` with its reply (all parts of a multipart reply),
    /// or fails it with ``OpenFlowConnectionError/switchError(_:)`` if the switch answers
    /// `OFPT_ERROR` with the same xid.
    func request(_ message: OpenFlowMessage, promise: EventLoopPromise<[OpenFlowMessage]>) {
        guard let context else { return promise.fail(OpenFlowConnectionError.closed(closeReason ?? .closedLocally)) }
        let stamped: OpenFlowMessage
        do {
            stamped = try machine.prepareToSend(message)
        } catch {
            return promise.fail(error)
        }
        pending[stamped.xid] = PendingRequest(promise: promise)
        context.writeAndFlush(Self.wrapOutboundOut(stamped), promise: nil)
    }

    func close() {
        guard let context else { return }
        perform(machine.failed(.closedLocally), context: context)
    }

    // MARK: Carrying out actions

    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        peer = context.channel.remoteAddress.map { "\($0)" } ?? "unix socket peer"
        perform(machine.connected(now: context.eventLoop.now), context: context)
    }

    private func perform(_ action: OpenFlowConnectionStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .send(let messages):
            write(messages, context: context)
        case .deliver(let event):
            deliver(event, context: context)
        case .sendAndDeliver(let messages, let events):
            write(messages, context: context)
            for event in events { deliver(event, context: context) }
        case .close(let reason, let messages):
            if closeReason == nil { closeReason = reason }
            let level: OpenFlowLogLevel = reason == .closedLocally || reason == .peerClosed ? .info : .warning
            logger.log(level, "closing OpenFlow connection \(describeConnection()): \(reason)")
            write(messages, context: context)
            context.close(promise: nil)
            return
        }
        rescheduleTimer(context: context)
    }

    private func write(_ messages: [OpenFlowMessage], context: ChannelHandlerContext) {
        guard !messages.isEmpty else { return }
        for message in messages { context.write(Self.wrapOutboundOut(message), promise: nil) }
        context.flush()
    }

    private func deliver(_ event: OpenFlowConnectionStateMachine.Event, context: ChannelHandlerContext) {
        switch event {
        case .connected(let info):
            let connection = OpenFlowConnection(
                datapath: info, channel: context.channel, handler: NIOLoopBound(self, eventLoop: context.eventLoop))
            self.connection = connection
            logger.log(.info, "switch up: \(info) from \(peer)")
            onEvent(.connected(connection))
        case .message(let message):
            if var request = pending[message.xid] {
                if message.isError {
                    pending[message.xid] = nil
                    request.promise.fail(OpenFlowConnectionError.switchError(message))
                } else if message.hasMoreToFollow {
                    request.parts.append(message)
                    pending[message.xid] = request
                } else {
                    pending[message.xid] = nil
                    request.parts.append(message)
                    request.promise.succeed(request.parts)
                }
                return
            }
            onEvent(.message(datapathID: machine.datapath?.datapathID ?? 0, message))
        }
    }

    /// One timer, at the machine's next deadline. Deadlines only move later as messages
    /// arrive, so a timer that fires early costs one no-op call, and is re-armed from there;
    /// only an earlier deadline needs the timer replaced.
    private func rescheduleTimer(context: ChannelHandlerContext) {
        guard let next = machine.nextDeadline else {
            timer?.cancel()
            timer = nil
            timerDeadline = nil
            return
        }
        if let current = timerDeadline, current <= next { return }
        timer?.cancel()
        timerDeadline = next
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: next) { [self] in
            timer = nil
            timerDeadline = nil
            guard let context = self.context else { return }
            perform(machine.timerFired(now: context.eventLoop.now), context: context)
        }
    }

    private func finish(reason: OpenFlowCloseReason) {
        guard !finished else { return }
        finished = true
        timer?.cancel()
        timer = nil
        machine.closed(reason)
        let failures = pending
        pending = [:]
        for request in failures.values { request.promise.fail(OpenFlowConnectionError.closed(reason)) }
        onEvent(.disconnected(datapathID: connection?.datapathID, peer: peer, reason: reason))
    }

    private func describeConnection() -> String {
        if let connection { "dpid \(connection.datapath.datapathIDString) (\(peer))" } else { "from \(peer)" }
    }
}
