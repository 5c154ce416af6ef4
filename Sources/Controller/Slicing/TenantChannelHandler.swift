import NIOCore
import OpenFlow
import OpenFlowNIO

/// The slicing proxy's connection to one virtual network's controller, on which the proxy
/// plays the switch: it sends HELLO, negotiates OpenFlow 1.3 (spec 1.3.5 §6.3.1), then hands
/// every message to the proxy. Framing is ``OpenFlowFrameDecoder``/``OpenFlowFrameEncoder`` in
/// front of it; a malformed frame reaches ``errorCaught(context:error:)`` and closes this
/// connection only.
final class TenantChannelHandler: ChannelInboundHandler {
    typealias InboundIn = OpenFlowMessage
    typealias OutboundOut = OpenFlowMessage

    enum Event: Sendable {
        case ready
        case message(OpenFlowMessage)
        case closed(reason: String)
    }

    private let report: @Sendable (Event) -> Void
    private var negotiated = false
    private var closeReason: String?
    private var reported = false

    init(report: @escaping @Sendable (Event) -> Void) {
        self.report = report
    }

    func channelActive(context: ChannelHandlerContext) {
        let hello = OpenFlowMessage.hello(Hello(versions: [OpenFlowVersion.v13]), version: OpenFlowVersion.v13, xid: 1)
        context.writeAndFlush(Self.wrapOutboundOut(hello), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = Self.unwrapInboundIn(data)
        guard closeReason == nil else { return }
        if negotiated {
            report(.message(message))
            return
        }
        guard case .hello(let hello, let version, let xid) = message else {
            close(context: context, reason: "\(message.typeName) before HELLO")
            return
        }
        guard
            OpenFlowVersion.negotiate(
                ours: [OpenFlowVersion.v13], ourHeaderVersion: OpenFlowVersion.v13, theirs: hello, theirHeaderVersion: version)
                == OpenFlowVersion.v13
        else {
            let error = OpenFlowMessage.of13(.error(OF13.ErrorMessage(type: .helloFailed, code: 0)), xid: xid)
            context.writeAndFlush(Self.wrapOutboundOut(error), promise: nil)
            close(context: context, reason: "the controller does not speak OpenFlow 1.3 (HELLO version \(version))")
            return
        }
        negotiated = true
        report(.ready)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close(context: context, reason: error is OpenFlowError ? "malformed message: \(error)" : "\(error)")
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !reported {
            reported = true
            report(.closed(reason: closeReason ?? "the controller closed the connection"))
        }
        context.fireChannelInactive()
    }

    private func close(context: ChannelHandlerContext, reason: String) {
        guard closeReason == nil else { return }
        closeReason = reason
        context.close(promise: nil)
    }
}
