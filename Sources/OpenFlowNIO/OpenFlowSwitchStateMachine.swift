import NIOCore
import OpenFlow

/// The switch's side of an OpenFlow connection, minimal: enough to complete the handshake of
/// spec 1.3.5 §6.3.1 with a controller and to keep the connection alive (§6.3.2).
///
/// It exists so that the controller's ``OpenFlowConnectionStateMachine`` can be tested back to
/// back against an independent implementation of the other end, and so that scripted switches
/// in tests behave like real ones; the software switch (`Datapath`) will grow from it.
/// It answers HELLO, ECHO_REQUEST, FEATURES_REQUEST, GET_CONFIG_REQUEST, SET_CONFIG, the
/// `OFPMP_PORT_DESC` multipart request and BARRIER_REQUEST itself, and delivers everything else.
public struct OpenFlowSwitchStateMachine: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// Versions offered. A switch offering only OF1.0 sends a bare OF1.0 HELLO (no bitmap),
        /// as OpenFlow 1.0 switches do.
        public var versions: Set<UInt8>
        public var datapathID: UInt64
        public var tableCount: UInt8
        public var bufferCount: UInt32
        /// `enum ofp_capabilities` bits.
        public var capabilities: UInt32
        public var ports: [SwitchPort]

        public init(
            versions: Set<UInt8> = [OpenFlowVersion.v10, OpenFlowVersion.v13], datapathID: UInt64,
            tableCount: UInt8 = 254, bufferCount: UInt32 = 0, capabilities: UInt32 = 0b111, ports: [SwitchPort] = []
        ) {
            self.versions = versions
            self.datapathID = datapathID
            self.tableCount = tableCount
            self.bufferCount = bufferCount
            self.capabilities = capabilities
            self.ports = ports
        }
    }

    public enum Action: Hashable, Sendable {
        case none
        case send([OpenFlowMessage])
        /// A message for the switch's own logic (a FLOW_MOD, a PACKET_OUT, ...).
        case deliver(OpenFlowMessage)
        case close(OpenFlowCloseReason, sending: [OpenFlowMessage])
    }

    private enum State {
        case idle
        case awaitingHello
        case connected(version: UInt8)
        case closed(OpenFlowCloseReason)
    }

    public var configuration: Configuration
    private var state: State = .idle
    private var nextXID: UInt32 = 1

    /// The `ofp_switch_config` last set by the controller.
    public private(set) var switchConfig = OF13.SwitchConfig(flags: 0, missSendLength: 128)
    /// How many FEATURES_REQUESTs were answered.
    public private(set) var featuresRequests = 0

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    public var negotiatedVersion: UInt8? {
        if case .connected(let version) = state { version } else { nil }
    }

    public var closeReason: OpenFlowCloseReason? {
        if case .closed(let reason) = state { reason } else { nil }
    }

    public mutating func allocateXID() -> UInt32 {
        let xid = nextXID
        nextXID = nextXID == .max ? 1 : nextXID + 1
        return xid
    }

    /// The transport is connected: send our HELLO.
    public mutating func connected() -> Action {
        guard case .idle = state else { return .none }
        state = .awaitingHello
        let top = configuration.versions.max() ?? OpenFlowVersion.v13
        let hello = top == OpenFlowVersion.v10 ? Hello() : Hello(versions: configuration.versions)
        return .send([.hello(hello, version: top, xid: allocateXID())])
    }

    public mutating func received(_ message: OpenFlowMessage) -> Action {
        switch state {
        case .idle, .closed:
            return .none
        case .awaitingHello:
            switch message {
            case .hello(let hello, let version, let xid):
                let top = configuration.versions.max() ?? OpenFlowVersion.v13
                guard
                    let negotiated = OpenFlowVersion.negotiate(
                        ours: configuration.versions, ourHeaderVersion: top, theirs: hello, theirHeaderVersion: version),
                    OpenFlowVersion.supported.contains(negotiated)
                else {
                    let reason = OpenFlowCloseReason.helloFailed(peerHeaderVersion: version, peerVersions: hello.versionBitmap?.sorted())
                    let error: OpenFlowMessage =
                        version >= OpenFlowVersion.v13
                        ? .of13(.error(OF13.ErrorMessage(type: .helloFailed, code: 0)), xid: xid)
                        : .of10(.error(OF10.ErrorMessage(type: .helloFailed, code: 0)), xid: xid)
                    state = .closed(reason)
                    return .close(reason, sending: [error])
                }
                state = .connected(version: negotiated)
                return .none
            default:
                let reason = OpenFlowCloseReason.unexpectedMessage(type: message.typeName, version: message.version, phase: "before HELLO")
                state = .closed(reason)
                return .close(reason, sending: [])
            }
        case .connected(let version):
            guard message.version == version else {
                let reason = OpenFlowCloseReason.versionMismatch(negotiated: version, received: message.version, type: message.typeName)
                state = .closed(reason)
                return .close(reason, sending: [])
            }
            return version == OpenFlowVersion.v13 ? answer13(message) : answer10(message)
        }
    }

    private mutating func answer13(_ message: OpenFlowMessage) -> Action {
        guard case .of13(let body, let xid) = message else { return .deliver(message) }
        switch body {
        case .echoRequest(let data):
            return .send([.of13(.echoReply(data), xid: xid)])
        case .featuresRequest:
            featuresRequests += 1
            let reply = OF13.FeaturesReply(
                datapathID: configuration.datapathID, bufferCount: configuration.bufferCount,
                tableCount: configuration.tableCount,
                capabilities: OF13.FeaturesReply.Capabilities(rawValue: configuration.capabilities))
            return .send([.of13(.featuresReply(reply), xid: xid)])
        case .setConfig(let config):
            switchConfig = config
            return .none
        case .getConfigRequest:
            return .send([.of13(.getConfigReply(switchConfig), xid: xid)])
        case .multipartRequest(let request) where request.type == .portDesc:
            let ports = WireList(configuration.ports.map(\.of13))
            return .send([.of13(.multipartReply(OF13.MultipartReply(body: .portDesc(ports))), xid: xid)])
        case .barrierRequest:
            return .send([.of13(.barrierReply, xid: xid)])
        default:
            return .deliver(message)
        }
    }

    private mutating func answer10(_ message: OpenFlowMessage) -> Action {
        guard case .of10(let body, let xid) = message else { return .deliver(message) }
        switch body {
        case .echoRequest(let data):
            return .send([.of10(.echoReply(data), xid: xid)])
        case .featuresRequest:
            featuresRequests += 1
            let reply = OF10.FeaturesReply(
                datapathID: configuration.datapathID, bufferCount: configuration.bufferCount,
                tableCount: configuration.tableCount,
                capabilities: OF10.FeaturesReply.Capabilities(rawValue: configuration.capabilities),
                ports: WireList(configuration.ports.compactMap(\.of10)))
            return .send([.of10(.featuresReply(reply), xid: xid)])
        case .setConfig(let config):
            switchConfig = OF13.SwitchConfig(flags: config.flags.rawValue, missSendLength: config.missSendLength)
            return .none
        case .getConfigRequest:
            let config = OF10.SwitchConfig(
                flags: OF10.SwitchConfig.Flags(rawValue: switchConfig.flags), missSendLength: switchConfig.missSendLength)
            return .send([.of10(.getConfigReply(config), xid: xid)])
        case .barrierRequest:
            return .send([.of10(.barrierReply, xid: xid)])
        default:
            return .deliver(message)
        }
    }
}
