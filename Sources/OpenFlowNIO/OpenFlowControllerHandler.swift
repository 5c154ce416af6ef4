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
/// It reads and writes bytes itself: frames are cut with ``OpenFlowFrameDecoder/decodeFrame(_:)``
/// from the received bytes, and outgoing messages are encoded into one buffer per batch. A
/// separate decoder and encoder in the pipeline would box every message in `NIOAny` and make
/// one write per message, which profiling showed to dominate a busy connection.
public final class OpenFlowControllerHandler: ChannelInboundHandler {
    public typealias InboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

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
        /// For the request round-trip observation.
        var requestType = ""
        var sentAt = NIODeadline.uptimeNanoseconds(0)
        /// A confirming barrier (``sendConfirmed(_:promise:)``): the xids of the messages it
        /// confirms, whose `OFPT_ERROR`s are collected in `parts`.
        var confirms: [UInt32] = []
    }

    private var machine: OpenFlowConnectionStateMachine
    private let logger: any OpenFlowLogger
    private let onEvent: @Sendable (Event) -> Void
    private var context: ChannelHandlerContext?
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var closeReason: OpenFlowCloseReason?
    private var pending: [UInt32: PendingRequest] = [:]
    /// xid of a message sent with ``sendConfirmed(_:promise:)`` → xid of its barrier.
    private var confirmedBy: [UInt32: UInt32] = [:]
    private var connection: OpenFlowConnection?
    private var peer = "unknown peer"
    private var started = false
    private var finished = false
    private let inlineApp: (any OpenFlowInlineApp)?
    /// Received bytes not yet cut into messages.
    private var cumulation: ByteBuffer?
    /// Replies of the inline app, written once per read.
    private var pendingReplies: ByteBuffer?

    public init(
        configuration: OpenFlowConnectionStateMachine.Configuration = .init(),
        logger: any OpenFlowLogger = PrintOpenFlowLogger(),
        inlineApp: (any OpenFlowInlineApp)? = nil,
        onEvent: @escaping @Sendable (Event) -> Void
    ) {
        self.machine = OpenFlowConnectionStateMachine(configuration: configuration)
        self.logger = logger
        self.inlineApp = inlineApp
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
        var bytes = Self.unwrapInboundIn(data)
        if var buffer = cumulation, buffer.readableBytes > 0 {
            cumulation = nil  // keep the storage unique while appending
            buffer.writeBuffer(&bytes)
            bytes = buffer
        }
        let now = context.eventLoop.now
        while !finished, self.context != nil {
            let message: OpenFlowMessage
            do {
                guard let decoded = try OpenFlowFrameDecoder.decodeFrame(&bytes) else { break }
                message = decoded
                logger.received(decoded)
            } catch {
                perform(machine.failed(.malformedMessage(error)), context: context)
                return
            }
            perform(machine.received(message, now: now), context: context)
        }
        if bytes.readableBytes > 0 {
            bytes.discardReadBytes()
            cumulation = bytes
        }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        // Replies of an inline app are encoded as messages arrive and written once per read.
        if let replies = pendingReplies {
            pendingReplies = nil
            context.writeAndFlush(Self.wrapOutboundOut(replies), promise: nil)
        }
        context.fireChannelReadComplete()
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let reason: OpenFlowCloseReason =
            if let error = error as? OpenFlowError {
                .malformedMessage(error)
            } else if let tls = OpenFlowTLSError.closeReason(for: error, peer: peer) {
                // A failed TLS handshake (an untrusted or missing certificate) closes this one
                // connection; NIOSSL closes the channel after reporting it.
                tls
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
        logger.sent(stamped)
        context.writeAndFlush(Self.wrapOutboundOut(stamped.encoded), promise: nil)
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
        pending[stamped.xid] = PendingRequest(promise: promise, requestType: stamped.typeName, sentAt: context.eventLoop.now)
        logger.sent(stamped)
        context.writeAndFlush(Self.wrapOutboundOut(stamped.encoded), promise: nil)
    }

    /// Sends `messages` and a barrier behind them in one write, and completes `promise` when
    /// the barrier is answered, with every `OFPT_ERROR` the switch sent about those messages
    /// (matched by xid), in arrival order: empty means the switch applied them all (spec
    /// 1.3.5 §6.2: errors of earlier messages arrive before the BARRIER_REPLY). Those errors
    /// go to the promise, not to the application's events.
    func sendConfirmed(_ messages: [OpenFlowMessage], promise: EventLoopPromise<[OpenFlowMessage]>) {
        guard let context else { return promise.fail(OpenFlowConnectionError.closed(closeReason ?? .closedLocally)) }
        var buffer = context.channel.allocator.buffer(capacity: 128 * (messages.count + 1))
        var xids: [UInt32] = []
        let barrier: OpenFlowMessage
        do {
            for message in messages {
                let stamped = try machine.prepareToSend(message)
                xids.append(stamped.xid)
                buffer.writeOpenFlowMessage(stamped)
                logger.sent(stamped)
            }
            let version = machine.datapath?.version ?? OpenFlowVersion.v13
            barrier = try machine.prepareToSend(
                version == OpenFlowVersion.v13 ? .of13(.barrierRequest, xid: 0) : .of10(.barrierRequest, xid: 0))
        } catch {
            return promise.fail(error)
        }
        buffer.writeOpenFlowMessage(barrier)
        logger.sent(barrier)
        for xid in xids { confirmedBy[xid] = barrier.xid }
        pending[barrier.xid] = PendingRequest(
            promise: promise, requestType: barrier.typeName, sentAt: context.eventLoop.now, confirms: xids)
        context.writeAndFlush(Self.wrapOutboundOut(buffer), promise: nil)
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
        var buffer = context.channel.allocator.buffer(capacity: 128 * messages.count)
        for message in messages {
            buffer.writeOpenFlowMessage(message)
            logger.sent(message)
        }
        context.writeAndFlush(Self.wrapOutboundOut(buffer), promise: nil)
    }

    private func deliver(_ event: OpenFlowConnectionStateMachine.Event, context: ChannelHandlerContext) {
        switch event {
        case .connected(let info):
            let connection = OpenFlowConnection(
                datapath: info, channel: context.channel, handler: NIOLoopBound(self, eventLoop: context.eventLoop))
            self.connection = connection
            let tls = OpenFlowTLSConfiguration.peerDescription(context.pipeline.syncOperations).map { " over \($0)" } ?? ""
            logger.log(.info, "switch up: \(info) from \(peer)\(tls)")
            logger.switchConnected(info)
            onEvent(.connected(connection))
        case .message(let message):
            if !confirmedBy.isEmpty, message.isError, let barrierXID = confirmedBy[message.xid],
                var request = pending[barrierXID]
            {
                request.parts.append(message)
                pending[barrierXID] = request
                return
            }
            if var request = pending[message.xid] {
                if message.isError {
                    pending[message.xid] = nil
                    for xid in request.confirms { confirmedBy[xid] = nil }
                    logger.requestCompleted(
                        requestType: request.requestType, roundTrip: context.eventLoop.now - request.sentAt, succeeded: false)
                    request.promise.fail(OpenFlowConnectionError.switchError(message))
                } else if message.hasMoreToFollow {
                    request.parts.append(message)
                    pending[message.xid] = request
                } else {
                    pending[message.xid] = nil
                    for xid in request.confirms { confirmedBy[xid] = nil }
                    logger.requestCompleted(
                        requestType: request.requestType, roundTrip: context.eventLoop.now - request.sentAt, succeeded: true)
                    request.parts.append(message)
                    request.promise.succeed(request.parts)
                }
                return
            }
            let datapathID = machine.datapath?.datapathID ?? 0
            if let inlineApp, let replies = inlineApp.handle(message, datapathID: datapathID) {
                for reply in replies {
                    guard let stamped = try? machine.prepareToSend(reply) else { continue }
                    logger.sent(stamped)
                    if pendingReplies == nil { pendingReplies = context.channel.allocator.buffer(capacity: 4096) }
                    pendingReplies?.writeOpenFlowMessage(stamped)
                }
                return
            }
            onEvent(.message(datapathID: datapathID, message))
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
        confirmedBy = [:]
        for request in failures.values { request.promise.fail(OpenFlowConnectionError.closed(reason)) }
        logger.connectionClosed(datapathID: connection?.datapathID, reason: reason)
        onEvent(.disconnected(datapathID: connection?.datapathID, peer: peer, reason: reason))
    }

    private func describeConnection() -> String {
        if let connection { "dpid \(connection.datapath.datapathIDString) (\(peer))" } else { "from \(peer)" }
    }
}
