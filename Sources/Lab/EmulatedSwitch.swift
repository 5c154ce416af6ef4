import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO

/// One switch of the controller benchmark, in the manner of cbench: it completes the OpenFlow
/// 1.3 handshake like a real switch (``OpenFlowSwitchStateMachine``), then sends PACKET_INs
/// and counts the controller's FLOW_MOD (or PACKET_OUT) answers.
///
/// After the handshake, answers are counted from their 8-byte headers without decoding them,
/// so that the load generator is cheap next to the controller it measures. In throughput mode
/// up to `window` PACKET_INs are outstanding; in latency mode one, and each round trip is
/// recorded.
final class EmulatedSwitch: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Counters, read on the switch's event loop.
    struct Counters {
        var responses = 0
        var sent = 0
        var latenciesNanoseconds: [Int64] = []
    }

    private var machine: OpenFlowSwitchStateMachine
    private let window: Int
    private let recordLatency: Bool
    private let packetIns: [ByteBuffer]
    private var nextPacketIn = 0
    private var inbound = ByteBuffer()
    private var handshakeDone = false
    private var sending = false
    private var outstanding = 0
    private var sentAt: [NIODeadline] = []
    private var sentAtLastTick = 0
    private var refill: Scheduled<Void>?
    private(set) var counters = Counters()
    /// Only responses that arrive while counting are counted (after the warm-up).
    var counting = false

    init(datapathID: UInt64, window: Int, recordLatency: Bool) {
        let ports = (1...4).map { number in
            SwitchPort(
                number: UInt32(number), name: "eth\(number)",
                hardwareAddress: MACAddress(0x02, 0, 0, 0, UInt8(datapathID & 0xFF), UInt8(number)))
        }
        self.machine = OpenFlowSwitchStateMachine(
            configuration: .init(versions: [OpenFlowVersion.v13], datapathID: datapathID, bufferCount: 256, ports: ports))
        self.window = max(1, window)
        self.recordLatency = recordLatency
        // 64 PACKET_INs with different destination MACs, sent in turn, as cbench varies them.
        self.packetIns = (0..<64).map { index in
            var frame = OpenFlowExamples.frame64
            frame.setInteger(UInt32(index) | UInt32(datapathID & 0xFFFF) << 16, at: 2)
            let message = OpenFlowMessage.of13(
                .packetIn(OF13.PacketIn(bufferID: UInt32(index), match: OF13.Match([.inPort(1)]), data: frame)), xid: 0)
            return message.encoded
        }
    }

    func startSending(context: ChannelHandlerContext) {
        guard !sending else { return }
        sending = true
        scheduleRefill(context: context)
        sendMore(context: context)
    }

    /// If the controller drops PACKET_INs (as os-ken does before its handshake ends), the
    /// window would never reopen: every 10 ms without an answer, forget the outstanding ones.
    private func scheduleRefill(context: ChannelHandlerContext) {
        refill = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(10)) { [self] in
            guard context.channel.isActive else { return }
            if counters.sent == sentAtLastTick {
                outstanding = 0
                sentAt.removeAll(keepingCapacity: true)
                sendMore(context: context)
            }
            sentAtLastTick = counters.sent
            scheduleRefill(context: context)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        perform(machine.connected(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        refill?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Self.unwrapInboundIn(data)
        if inbound.readableBytes == 0 {
            inbound = bytes
        } else {
            inbound.writeBuffer(&bytes)
        }
        while let header = OpenFlowHeader.peek(inbound), inbound.readableBytes >= Int(header.length) {
            let length = Int(header.length)
            if handshakeDone && (header.type == 14 || header.type == 13) && header.version == OF13.version {
                inbound.moveReaderIndex(forwardBy: length)
                answered(context: context)
                continue
            }
            guard let message = try? inbound.readOpenFlowMessage() else {
                context.close(promise: nil)
                return
            }
            perform(machine.received(message), context: context)
            if !handshakeDone && machine.featuresRequests > 0 { handshakeDone = true }
        }
        if inbound.readableBytes == 0 { inbound.clear() } else { inbound.discardReadBytes() }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if sending { sendMore(context: context) }
        context.flush()
    }

    private func answered(context: ChannelHandlerContext) {
        if counting {
            counters.responses += 1
            if recordLatency, let sent = sentAt.first {
                counters.latenciesNanoseconds.append((NIODeadline.now() - sent).nanoseconds)
            }
        }
        if !sentAt.isEmpty { sentAt.removeFirst() }
        if outstanding > 0 { outstanding -= 1 }
    }

    private func sendMore(context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        var wrote = false
        while outstanding < window {
            context.write(Self.wrapOutboundOut(packetIns[nextPacketIn]), promise: nil)
            nextPacketIn = (nextPacketIn + 1) % packetIns.count
            outstanding += 1
            counters.sent += 1
            if recordLatency { sentAt.append(.now()) }
            wrote = true
        }
        if wrote { context.flush() }
    }

    private func perform(_ action: OpenFlowSwitchStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none, .deliver:
            break
        case .send(let messages):
            for message in messages { context.write(Self.wrapOutboundOut(message.encoded), promise: nil) }
            context.flush()
        case .close(_, let messages):
            for message in messages { context.write(Self.wrapOutboundOut(message.encoded), promise: nil) }
            context.close(promise: nil)
        }
    }
}
