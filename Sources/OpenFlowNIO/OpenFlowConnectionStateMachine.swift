import NIOCore
import OpenFlow

/// The controller's side of one OpenFlow connection, as pure logic (layer 3 of the
/// swift-nio-ssh layering): messages and the time come in as values, and each input returns
/// an ``Action`` saying what to send, what to hand to the application and whether to close.
/// No channel, no clock: tests drive it with explicit times, and the same code runs under the
/// real event loop (``OpenFlowControllerHandler``) and under a simulated clock.
///
/// The phases follow connection setup in spec 1.3.5 §6.3.1:
/// 1. On connect both ends send `OFPT_HELLO`. Ours carries a version bitmap (OF1.0 and OF1.3)
///    and header version 4, so a 1.3 switch negotiates 1.3 and a 1.0-only switch, which
///    ignores the bitmap and answers with header version 1, negotiates 1.0 by the "smaller
///    header version" rule. No common version: we send `OFPET_HELLO_FAILED`/`OFPHFC_INCOMPATIBLE`
///    and close, as §6.3.1 requires.
/// 2. `OFPT_FEATURES_REQUEST`; the reply gives the datapath id (§7.3.1).
/// 3. `OFPT_SET_CONFIG` with `miss_send_len` 0xffff (`OFPCML_NO_BUFFER`: whole packets to the
///    controller, nothing buffered in the switch) and, for OF1.3, an `OFPMP_PORT_DESC` request,
///    since OF1.3 no longer lists ports in the FEATURES_REPLY. When it is answered the switch is
///    up (``Event/connected(_:)``).
///
/// Before the HELLO exchange only HELLO, ERROR and ECHO are legal; anything else is a protocol
/// error that closes the connection. Between HELLO and the switch being up, the switch's
/// asynchronous messages (PACKET_IN, PORT_STATUS, FLOW_REMOVED, experimenter) are legal and are
/// held back, then delivered right after ``Event/connected(_:)``. After negotiation every
/// message must carry the negotiated version.
///
/// Liveness (§6.3.2): echo requests are answered at once. After ``Configuration/echoInterval``
/// without any message from the switch we send an `OFPT_ECHO_REQUEST`; after
/// ``Configuration/livenessTimeout`` without any message the connection is closed. Any
/// message counts as a sign of life, not only echo replies: a busy switch whose replies queue
/// behind PACKET_INs is alive.
public struct OpenFlowConnectionStateMachine: Sendable {
    /// Tunables of one connection.
    public struct Configuration: Hashable, Sendable {
        /// Versions we offer in our HELLO bitmap; the highest is our HELLO's header version.
        public var versions: Set<UInt8>
        /// Silence after which we send an echo request.
        public var echoInterval: TimeAmount
        /// Silence after which the connection is closed.
        public var livenessTimeout: TimeAmount
        /// Time from connect until the switch must be up.
        public var handshakeTimeout: TimeAmount
        /// `miss_send_len` of the SET_CONFIG sent after the FEATURES_REPLY.
        public var missSendLength: UInt16
        /// More than this many messages within ``floodWindow`` closes the connection.
        public var floodLimit: Int
        public var floodWindow: TimeAmount
        /// Asynchronous messages held back before the switch is up, at most.
        public var maximumEarlyMessages: Int

        public init(
            versions: Set<UInt8> = [OpenFlowVersion.v10, OpenFlowVersion.v13],
            echoInterval: TimeAmount = .seconds(5), livenessTimeout: TimeAmount = .seconds(15),
            handshakeTimeout: TimeAmount = .seconds(10), missSendLength: UInt16 = 0xFFFF,
            floodLimit: Int = 200_000, floodWindow: TimeAmount = .seconds(1), maximumEarlyMessages: Int = 4096
        ) {
            self.versions = versions
            self.echoInterval = echoInterval
            self.livenessTimeout = livenessTimeout
            self.handshakeTimeout = handshakeTimeout
            self.missSendLength = missSendLength
            self.floodLimit = floodLimit
            self.floodWindow = floodWindow
            self.maximumEarlyMessages = maximumEarlyMessages
        }
    }

    /// What the application is told.
    public enum Event: Hashable, Sendable {
        /// The switch is up: handshake complete, ports known.
        case connected(DatapathInfo)
        /// A message from the switch that the connection did not consume itself.
        case message(OpenFlowMessage)
    }

    /// What the caller must do after an input, in this order: send, then deliver, then close.
    public enum Action: Hashable, Sendable {
        case none
        /// Write these messages, in order.
        case send([OpenFlowMessage])
        /// Hand this event to the application.
        case deliver(Event)
        /// Write these messages, then hand these events to the application.
        case sendAndDeliver([OpenFlowMessage], [Event])
        /// Write these messages (perhaps none), then close the connection for `reason`.
        case close(OpenFlowCloseReason, sending: [OpenFlowMessage])
    }

    private struct AwaitingFeatures {
        var version: UInt8
        var early: [OpenFlowMessage]
    }

    private struct AwaitingPorts {
        var info: DatapathInfo
        var requestXID: UInt32
        var early: [OpenFlowMessage]
    }

    private enum State {
        /// Not connected yet.
        case idle
        /// Our HELLO is sent; theirs has not arrived.
        case awaitingHello
        /// Version negotiated, FEATURES_REQUEST sent.
        case awaitingFeatures(AwaitingFeatures)
        /// OF1.3: SET_CONFIG and the PORT_DESC request sent.
        case awaitingPorts(AwaitingPorts)
        case established(DatapathInfo)
        case closed(OpenFlowCloseReason)
    }

    public let configuration: Configuration
    private var state: State = .idle
    private var nextXID: UInt32 = 1
    private var connectedAt = NIODeadline.uptimeNanoseconds(0)
    private var lastReceived = NIODeadline.uptimeNanoseconds(0)
    /// When our latest keepalive echo request went out, and its xid.
    private var echoSentAt: NIODeadline?
    private var echoXID: UInt32?
    private var floodWindowStart = NIODeadline.uptimeNanoseconds(0)
    private var floodCount = 0

    /// The version agreed in the HELLO exchange.
    public private(set) var negotiatedVersion: UInt8?

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The switch, once it is up.
    public var datapath: DatapathInfo? {
        if case .established(let info) = state { info } else { nil }
    }

    /// Why the connection was closed, once it is.
    public var closeReason: OpenFlowCloseReason? {
        if case .closed(let reason) = state { reason } else { nil }
    }

    /// The header version of our HELLO: the highest version we offer.
    private var ourHeaderVersion: UInt8 { configuration.versions.max() ?? OpenFlowVersion.v13 }

    /// A fresh transaction id: increasing, wrapping around, never 0 (0 is what a message
    /// built without an xid carries, and some switches treat it as "unsolicited").
    public mutating func allocateXID() -> UInt32 {
        let xid = nextXID
        nextXID = nextXID == .max ? 1 : nextXID + 1
        return xid
    }

    // MARK: Inputs

    /// The transport is connected: send our HELLO.
    public mutating func connected(now: NIODeadline) -> Action {
        guard case .idle = state else { return .none }
        connectedAt = now
        lastReceived = now
        floodWindowStart = now
        state = .awaitingHello
        let hello = Hello(versions: configuration.versions)
        return .send([.hello(hello, version: ourHeaderVersion, xid: allocateXID())])
    }

    /// A message arrived from the switch.
    public mutating func received(_ message: OpenFlowMessage, now: NIODeadline) -> Action {
        switch state {
        case .closed: return .none
        case .idle: return close(.unexpectedMessage(type: message.typeName, version: message.version, phase: "before connect"))
        default: break
        }
        lastReceived = now
        if now - floodWindowStart >= configuration.floodWindow {
            floodWindowStart = now
            floodCount = 0
        }
        floodCount += 1
        if floodCount > configuration.floodLimit {
            return close(.flood(messages: floodCount, window: configuration.floodWindow))
        }

        switch state {
        case .idle, .closed:
            return .none
        case .awaitingHello:
            return receivedBeforeHello(message)
        case .awaitingFeatures(var awaiting):
            if let action = checkVersionAndEcho(message, negotiated: awaiting.version) { return action }
            switch message {
            case .of13(.featuresReply(let reply), _):
                let info = DatapathInfo(reply)
                let setConfig = OpenFlowMessage.of13(
                    .setConfig(OF13.SwitchConfig(flags: 0, missSendLength: configuration.missSendLength)),
                    xid: allocateXID())
                let portsXID = allocateXID()
                state = .awaitingPorts(AwaitingPorts(info: info, requestXID: portsXID, early: awaiting.early))
                return .send([setConfig, .of13(.multipartRequest(OF13.MultipartRequest(body: .portDesc)), xid: portsXID)])
            case .of10(.featuresReply(let reply), _):
                let setConfig = OpenFlowMessage.of10(
                    .setConfig(OF10.SwitchConfig(flags: .fragmentNormal, missSendLength: configuration.missSendLength)),
                    xid: allocateXID())
                return establish(DatapathInfo(reply), early: awaiting.early, sending: [setConfig])
            case .of10(.error, _), .of13(.error, _):
                return close(.peerError(message))
            case _ where Self.isAsynchronous(message):
                if let overflow = hold(message, in: &awaiting.early) { return overflow }
                state = .awaitingFeatures(awaiting)
                return .none
            default:
                return close(.unexpectedMessage(type: message.typeName, version: message.version, phase: "before FEATURES_REPLY"))
            }
        case .awaitingPorts(var awaiting):
            if let action = checkVersionAndEcho(message, negotiated: OpenFlowVersion.v13) { return action }
            switch message {
            case .of13(.multipartReply(let reply), let xid) where xid == awaiting.requestXID:
                if case .portDesc(let ports) = reply.body {
                    awaiting.info.ports.append(contentsOf: ports.map(SwitchPort.init))
                }
                if reply.flags.contains(.replyMore) {
                    state = .awaitingPorts(awaiting)
                    return .none
                }
                return establish(awaiting.info, early: awaiting.early, sending: [])
            case .of13(.error, let xid) where xid == awaiting.requestXID:
                // A switch without OFPMP_PORT_DESC: up, with ports learnt later from PORT_STATUS.
                return establish(awaiting.info, early: awaiting.early, sending: [])
            default:
                // Anything else now belongs to the application (an error about the SET_CONFIG,
                // a PACKET_IN): hold it until the switch is reported up.
                if let overflow = hold(message, in: &awaiting.early) { return overflow }
                state = .awaitingPorts(awaiting)
                return .none
            }
        case .established(let info):
            if let action = checkVersionAndEcho(message, negotiated: info.version) { return action }
            return .deliver(.message(message))
        }
    }

    /// The transport reported an error (a malformed frame, an I/O error): close.
    public mutating func failed(_ reason: OpenFlowCloseReason) -> Action {
        if case .closed = state { return .none }
        return close(reason)
    }

    /// The transport closed (either side). Further inputs are ignored.
    public mutating func closed(_ reason: OpenFlowCloseReason) {
        if case .closed = state { return }
        state = .closed(reason)
    }

    /// When ``timerFired(now:)`` must next be called, or nil if no timer is needed.
    public var nextDeadline: NIODeadline? {
        switch state {
        case .idle, .closed:
            return nil
        case .awaitingHello, .awaitingFeatures, .awaitingPorts:
            let handshake = connectedAt + configuration.handshakeTimeout
            return min(handshake, keepaliveDeadline)
        case .established:
            return keepaliveDeadline
        }
    }

    /// The next echo request (if one is due and we know which version to send it in), or the
    /// liveness limit.
    private var keepaliveDeadline: NIODeadline {
        let liveness = lastReceived + configuration.livenessTimeout
        if negotiatedVersion != nil, !echoOutstanding {
            return min(lastReceived + configuration.echoInterval, liveness)
        }
        return liveness
    }

    /// An echo request went out after the last message arrived.
    private var echoOutstanding: Bool {
        guard let sent = echoSentAt else { return false }
        return sent >= lastReceived
    }

    /// Time passed: enforce the handshake and liveness limits, send a keepalive echo.
    public mutating func timerFired(now: NIODeadline) -> Action {
        switch state {
        case .idle, .closed:
            return .none
        case .awaitingHello, .awaitingFeatures, .awaitingPorts:
            if now >= connectedAt + configuration.handshakeTimeout {
                return close(.handshakeTimeout(now - connectedAt))
            }
        case .established:
            break
        }
        if now >= lastReceived + configuration.livenessTimeout {
            return close(.livenessTimeout(now - lastReceived))
        }
        if let version = negotiatedVersion, !echoOutstanding, now >= lastReceived + configuration.echoInterval {
            let xid = allocateXID()
            echoSentAt = now
            echoXID = xid
            let empty = ByteBuffer()
            return .send([version == OpenFlowVersion.v13 ? .of13(.echoRequest(empty), xid: xid) : .of10(.echoRequest(empty), xid: xid)])
        }
        return .none
    }

    /// Stamps an application message for sending: checks that the switch is up and the
    /// version matches, and gives it a fresh xid if it has none (xid 0).
    public mutating func prepareToSend(_ message: OpenFlowMessage) throws(OpenFlowConnectionError) -> OpenFlowMessage {
        let info: DatapathInfo
        switch state {
        case .established(let established): info = established
        case .closed(let reason): throw .closed(reason)
        default: throw .notConnected
        }
        if case .hello = message { throw .notAllowed("OFPT_HELLO") }
        guard message.version == info.version else {
            throw .versionMismatch(connection: info.version, message: message.version)
        }
        return message.xid == 0 ? message.with(xid: allocateXID()) : message
    }

    // MARK: Helpers

    private mutating func receivedBeforeHello(_ message: OpenFlowMessage) -> Action {
        switch message {
        case .hello(let hello, let version, let xid):
            guard
                let negotiated = OpenFlowVersion.negotiate(
                    ours: configuration.versions, ourHeaderVersion: ourHeaderVersion, theirs: hello,
                    theirHeaderVersion: version),
                OpenFlowVersion.supported.contains(negotiated)
            else {
                let reason = OpenFlowCloseReason.helloFailed(
                    peerHeaderVersion: version, peerVersions: hello.versionBitmap?.sorted())
                return close(reason, sending: [helloFailed(peerVersion: version, xid: xid, text: reason.description)])
            }
            negotiatedVersion = negotiated
            let xid = allocateXID()
            state = .awaitingFeatures(AwaitingFeatures(version: negotiated, early: []))
            return .send([negotiated == OpenFlowVersion.v13 ? .of13(.featuresRequest, xid: xid) : .of10(.featuresRequest, xid: xid)])
        case .of13(.echoRequest(let data), let xid):
            return .send([.of13(.echoReply(data), xid: xid)])
        case .of10(.echoRequest(let data), let xid):
            return .send([.of10(.echoReply(data), xid: xid)])
        case .of13(.echoReply, _), .of10(.echoReply, _):
            return .none
        case .of13(.error, _), .of10(.error, _):
            return close(.peerError(message))
        default:
            return close(.unexpectedMessage(type: message.typeName, version: message.version, phase: "before HELLO"))
        }
    }

    /// After negotiation: the version check, echo requests answered, our keepalive replies
    /// consumed, a second HELLO refused. Nil means the message is for the phase to handle.
    private mutating func checkVersionAndEcho(_ message: OpenFlowMessage, negotiated: UInt8) -> Action? {
        if case .hello = message {
            return close(.unexpectedMessage(type: message.typeName, version: message.version, phase: "after the HELLO exchange"))
        }
        guard message.version == negotiated else {
            return close(.versionMismatch(negotiated: negotiated, received: message.version, type: message.typeName))
        }
        switch message {
        case .of13(.echoRequest(let data), let xid):
            return .send([.of13(.echoReply(data), xid: xid)])
        case .of10(.echoRequest(let data), let xid):
            return .send([.of10(.echoReply(data), xid: xid)])
        case .of13(.echoReply, let xid) where xid == echoXID, .of10(.echoReply, let xid) where xid == echoXID:
            echoXID = nil
            return Action.none
        default:
            return nil
        }
    }

    private mutating func establish(_ info: DatapathInfo, early: [OpenFlowMessage], sending: [OpenFlowMessage]) -> Action {
        state = .established(info)
        if early.isEmpty, sending.isEmpty { return .deliver(.connected(info)) }
        return .sendAndDeliver(sending, [.connected(info)] + early.map(Event.message))
    }

    private mutating func hold(_ message: OpenFlowMessage, in early: inout [OpenFlowMessage]) -> Action? {
        guard early.count < configuration.maximumEarlyMessages else {
            return close(.tooManyEarlyMessages(early.count + 1))
        }
        early.append(message)
        return nil
    }

    private mutating func close(_ reason: OpenFlowCloseReason, sending: [OpenFlowMessage] = []) -> Action {
        state = .closed(reason)
        return .close(reason, sending: sending)
    }

    /// Messages a switch may send on its own initiative (spec 1.3.5 §6.1.2 asynchronous).
    private static func isAsynchronous(_ message: OpenFlowMessage) -> Bool {
        switch message {
        case .of13(.packetIn, _), .of13(.portStatus, _), .of13(.flowRemoved, _), .of13(.experimenter, _),
            .of10(.packetIn, _), .of10(.portStatus, _), .of10(.flowRemoved, _), .of10(.vendor, _):
            true
        default:
            false
        }
    }

    /// `OFPET_HELLO_FAILED`/`OFPHFC_INCOMPATIBLE` with an ASCII explanation, as §6.3.1 asks.
    /// It is written in the lower of the two header versions we can encode, so that the peer
    /// can read it.
    private func helloFailed(peerVersion: UInt8, xid: UInt32, text: String) -> OpenFlowMessage {
        var data = ByteBuffer()
        data.writeString(text)
        if peerVersion >= OpenFlowVersion.v13 {
            return .of13(.error(OF13.ErrorMessage(type: .helloFailed, code: 0, data: data)), xid: xid)
        }
        return .of10(.error(OF10.ErrorMessage(type: .helloFailed, code: OF10.ErrorMessage.HelloFailedCode.incompatible, data: data)), xid: xid)
    }
}
