import Datapath
import NIOCore
import OpenFlow
import OpenFlowNIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The channel handler of one connection of a ``SwitchAgent``: it cuts the received bytes into
/// OpenFlow messages, lets an ``OpenFlowSwitchStateMachine`` negotiate HELLO, then hands every
/// OpenFlow 1.3 message to the agent's datapath.
///
/// Like `OpenFlowControllerHandler` it reads and writes bytes itself
/// (``OpenFlowFrameDecoder/decodeFrame(_:)`` in, `writeOpenFlowMessage` out) and writes the
/// replies to one read in one buffer, so no message is boxed in `NIOAny` or written alone.
final class SwitchAgentHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let agent: SwitchAgent
    private var machine: OpenFlowSwitchStateMachine
    private var context: ChannelHandlerContext?
    /// Received bytes not yet cut into messages.
    private var cumulation: ByteBuffer?
    /// Messages encoded but not yet written.
    private var outgoing: ByteBuffer?
    private var closeReason: OpenFlowCloseReason?
    private var started = false
    private var finished = false
    private var isUp = false
    /// While a read is cut into messages, their replies collect in ``outgoing``.
    private var reading = false

    init(agent: SwitchAgent, datapath: Datapath) {
        self.agent = agent
        // Only HELLO is answered by the machine; the datapath answers the rest, but the
        // machine is configured truthfully all the same.
        self.machine = OpenFlowSwitchStateMachine(
            configuration: .init(
                versions: [OpenFlowVersion.v13], datapathID: datapath.configuration.datapathID,
                tableCount: UInt8(datapath.tableCount), ports: datapath.portList.map(SwitchPort.init)))
    }

    // MARK: ChannelInboundHandler

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Self.unwrapInboundIn(data)
        if var buffer = cumulation, buffer.readableBytes > 0 {
            cumulation = nil  // keep the storage unique while appending
            buffer.writeBuffer(&bytes)
            bytes = buffer
        }
        reading = true
        defer {
            reading = false
            flush()
        }
        while closeReason == nil, self.context != nil {
            let message: OpenFlowMessage
            do {
                guard let decoded = try OpenFlowFrameDecoder.decodeFrame(&bytes) else { break }
                message = decoded
            } catch {
                close(.malformedMessage(error), context: context)
                return
            }
            if isUp, case .of13(let body, let xid) = message {
                agent.received(body, xid: xid)
            } else {
                perform(machine.received(message), context: context)
                if !isUp, let version = machine.negotiatedVersion {
                    isUp = true
                    agent.connected(self, version: version)
                }
            }
        }
        if bytes.readableBytes > 0 {
            bytes.discardReadBytes()
            cumulation = bytes
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let peer = context.channel.remoteAddress.map { "\($0)" } ?? "the controller"
        let reason: OpenFlowCloseReason =
            if let tls = OpenFlowTLSError.closeReason(for: error, peer: peer) {
                tls
            } else if let error = error as? IOError, error.errnoCode == ECONNRESET || error.errnoCode == EPIPE {
                .peerClosed
            } else {
                .channelError("\(error)")
            }
        close(reason, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !finished {
            finished = true
            agent.disconnected(self, reason: closeReason ?? .peerClosed, wasUp: isUp)
        }
        context.fireChannelInactive()
    }

    // MARK: Writing (on the event loop)

    /// Encodes `message` for the next ``flush()``. A message too long for the 16-bit
    /// `ofp_header.length` (a PACKET_IN of a jumbo frame) is dropped: sent with a wrapped
    /// length it would desynchronise the controller's framing.
    func enqueue(_ message: OpenFlowMessage) {
        guard let context, closeReason == nil else { return }
        if outgoing == nil { outgoing = context.channel.allocator.buffer(capacity: 256) }
        let start = outgoing!.writerIndex
        let length = outgoing!.writeOpenFlowMessage(message)
        if length > Int(UInt16.max) { outgoing!.moveWriterIndex(to: start) }
    }

    /// Writes what ``enqueue(_:)`` encoded, in one write; during a read, at its end.
    func flush() {
        guard !reading, let context, let buffer = outgoing else { return }
        outgoing = nil
        guard buffer.readableBytes > 0 else { return }
        context.writeAndFlush(Self.wrapOutboundOut(buffer), promise: nil)
    }

    /// Closes the connection for ``SwitchAgent/stop()``: reported as closed locally.
    func closeLocally() {
        guard let context else { return }
        close(.closedLocally, context: context)
    }

    // MARK: Carrying out the machine's actions

    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        perform(machine.connected(), context: context)
        flush()
    }

    private func perform(_ action: OpenFlowSwitchStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none, .deliver:
            // After HELLO every OpenFlow 1.3 message goes to the datapath, so what the machine
            // delivers is a stray HELLO: nothing to do.
            break
        case .send(let messages):
            for message in messages { enqueue(message) }
        case .close(let reason, let messages):
            for message in messages { enqueue(message) }
            close(reason, context: context)
        }
    }

    private func close(_ reason: OpenFlowCloseReason, context: ChannelHandlerContext) {
        guard closeReason == nil else { return }
        reading = false
        flush()
        closeReason = reason
        context.close(promise: nil)
    }
}
