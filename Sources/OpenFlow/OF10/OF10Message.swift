import NIOCore

extension OF10 {
    /// Every OpenFlow 1.0 message but HELLO (which ``OpenFlowMessage`` decodes for every
    /// version), by `enum ofp_type` (spec 1.0.0 §5.1).
    public enum Message: Hashable, Sendable {
        case error(ErrorMessage)
        case echoRequest(ByteBuffer)
        case echoReply(ByteBuffer)
        case vendor(VendorMessage)
        case featuresRequest
        case featuresReply(FeaturesReply)
        case getConfigRequest
        case getConfigReply(SwitchConfig)
        case setConfig(SwitchConfig)
        case packetIn(PacketIn)
        case flowRemoved(FlowRemoved)
        case portStatus(PortStatus)
        case packetOut(PacketOut)
        case flowMod(FlowMod)
        case portMod(PortMod)
        case statsRequest(StatsRequest)
        case statsReply(StatsReply)
        case barrierRequest
        case barrierReply
        case queueGetConfigRequest(QueueGetConfigRequest)
        case queueGetConfigReply(QueueGetConfigReply)

        /// `enum ofp_type`.
        public var type: UInt8 {
            switch self {
            case .error: 1
            case .echoRequest: 2
            case .echoReply: 3
            case .vendor: 4
            case .featuresRequest: 5
            case .featuresReply: 6
            case .getConfigRequest: 7
            case .getConfigReply: 8
            case .setConfig: 9
            case .packetIn: 10
            case .flowRemoved: 11
            case .portStatus: 12
            case .packetOut: 13
            case .flowMod: 14
            case .portMod: 15
            case .statsRequest: 16
            case .statsReply: 17
            case .barrierRequest: 18
            case .barrierReply: 19
            case .queueGetConfigRequest: 20
            case .queueGetConfigReply: 21
            }
        }

        public var typeName: String { "\(Self.typeName(type))" }

        /// The spec's name of a message type number.
        public static func typeName(_ type: UInt8) -> StaticString {
            switch type {
            case 0: "OFPT_HELLO"
            case 1: "OFPT_ERROR"
            case 2: "OFPT_ECHO_REQUEST"
            case 3: "OFPT_ECHO_REPLY"
            case 4: "OFPT_VENDOR"
            case 5: "OFPT_FEATURES_REQUEST"
            case 6: "OFPT_FEATURES_REPLY"
            case 7: "OFPT_GET_CONFIG_REQUEST"
            case 8: "OFPT_GET_CONFIG_REPLY"
            case 9: "OFPT_SET_CONFIG"
            case 10: "OFPT_PACKET_IN"
            case 11: "OFPT_FLOW_REMOVED"
            case 12: "OFPT_PORT_STATUS"
            case 13: "OFPT_PACKET_OUT"
            case 14: "OFPT_FLOW_MOD"
            case 15: "OFPT_PORT_MOD"
            case 16: "OFPT_STATS_REQUEST"
            case 17: "OFPT_STATS_REPLY"
            case 18: "OFPT_BARRIER_REQUEST"
            case 19: "OFPT_BARRIER_REPLY"
            case 20: "OFPT_QUEUE_GET_CONFIG_REQUEST"
            case 21: "OFPT_QUEUE_GET_CONFIG_REPLY"
            default: "OFPT_UNKNOWN"
            }
        }

        /// Decodes the body of a message of type `type`. Fixed-size bodies must fill the
        /// message exactly; unknown types throw `.badType`.
        static func decode(type: UInt8, body: ByteBuffer) throws(OpenFlowError) -> Message {
            var reader = WireReader(body, base: OpenFlowHeader.size, message: typeName(type))
            func read<Body: OF10MessageBody>(_: Body.Type) throws(OpenFlowError) -> Body {
                let value = try Body.read(from: &reader)
                guard reader.isEmpty else {
                    throw reader.error(.badLength, "length", "\(reader.remaining) bytes after the body")
                }
                return value
            }
            func empty() throws(OpenFlowError) {
                guard reader.isEmpty else {
                    throw reader.error(.badLength, "length", "this message has no body, found \(reader.remaining) bytes")
                }
            }
            switch type {
            case 1: return .error(try read(ErrorMessage.self))
            case 2: return .echoRequest(reader.readRest())
            case 3: return .echoReply(reader.readRest())
            case 4: return .vendor(try read(VendorMessage.self))
            case 5: try empty(); return .featuresRequest
            case 6: return .featuresReply(try read(FeaturesReply.self))
            case 7: try empty(); return .getConfigRequest
            case 8: return .getConfigReply(try read(SwitchConfig.self))
            case 9: return .setConfig(try read(SwitchConfig.self))
            case 10: return .packetIn(try read(PacketIn.self))
            case 11: return .flowRemoved(try read(FlowRemoved.self))
            case 12: return .portStatus(try read(PortStatus.self))
            case 13: return .packetOut(try read(PacketOut.self))
            case 14: return .flowMod(try read(FlowMod.self))
            case 15: return .portMod(try read(PortMod.self))
            case 16: return .statsRequest(try read(StatsRequest.self))
            case 17: return .statsReply(try read(StatsReply.self))
            case 18: try empty(); return .barrierRequest
            case 19: try empty(); return .barrierReply
            case 20: return .queueGetConfigRequest(try read(QueueGetConfigRequest.self))
            case 21: return .queueGetConfigReply(try read(QueueGetConfigReply.self))
            default:
                throw OpenFlowError(
                    .badType, message: "ofp_header", field: "type", offset: 1,
                    detail: "\(type) is not an OpenFlow 1.0 message type")
            }
        }

        /// Writes the body (everything after the header).
        func writeBody(to buffer: inout ByteBuffer) {
            switch self {
            case .featuresRequest, .getConfigRequest, .barrierRequest, .barrierReply: break
            case .echoRequest(let data), .echoReply(let data): buffer.writeImmutableBuffer(data)
            case .error(let b): b.write(to: &buffer)
            case .vendor(let b): b.write(to: &buffer)
            case .featuresReply(let b): b.write(to: &buffer)
            case .getConfigReply(let b), .setConfig(let b): b.write(to: &buffer)
            case .packetIn(let b): b.write(to: &buffer)
            case .flowRemoved(let b): b.write(to: &buffer)
            case .portStatus(let b): b.write(to: &buffer)
            case .packetOut(let b): b.write(to: &buffer)
            case .flowMod(let b): b.write(to: &buffer)
            case .portMod(let b): b.write(to: &buffer)
            case .statsRequest(let b): b.write(to: &buffer)
            case .statsReply(let b): b.write(to: &buffer)
            case .queueGetConfigRequest(let b): b.write(to: &buffer)
            case .queueGetConfigReply(let b): b.write(to: &buffer)
            }
        }
    }
}
