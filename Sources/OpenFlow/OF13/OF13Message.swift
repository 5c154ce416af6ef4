import NIOCore

extension OF13 {
    /// Every OpenFlow 1.3 message but HELLO (which ``OpenFlowMessage`` decodes for every
    /// version), by `enum ofp_type` (spec 1.3.5 §7.1).
    public enum Message: Hashable, Sendable {
        case error(ErrorMessage)
        case echoRequest(ByteBuffer)
        case echoReply(ByteBuffer)
        case experimenter(ExperimenterMessage)
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
        case groupMod(GroupMod)
        case portMod(PortMod)
        case tableMod(TableMod)
        case multipartRequest(MultipartRequest)
        case multipartReply(MultipartReply)
        case barrierRequest
        case barrierReply
        case queueGetConfigRequest(QueueGetConfigRequest)
        case queueGetConfigReply(QueueGetConfigReply)
        case roleRequest(RoleMessage)
        case roleReply(RoleMessage)
        case getAsyncRequest
        case getAsyncReply(AsyncConfig)
        case setAsync(AsyncConfig)
        case meterMod(MeterMod)

        /// `enum ofp_type`.
        public var type: UInt8 {
            switch self {
            case .error: 1
            case .echoRequest: 2
            case .echoReply: 3
            case .experimenter: 4
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
            case .groupMod: 15
            case .portMod: 16
            case .tableMod: 17
            case .multipartRequest: 18
            case .multipartReply: 19
            case .barrierRequest: 20
            case .barrierReply: 21
            case .queueGetConfigRequest: 22
            case .queueGetConfigReply: 23
            case .roleRequest: 24
            case .roleReply: 25
            case .getAsyncRequest: 26
            case .getAsyncReply: 27
            case .setAsync: 28
            case .meterMod: 29
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
            case 4: "OFPT_EXPERIMENTER"
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
            case 15: "OFPT_GROUP_MOD"
            case 16: "OFPT_PORT_MOD"
            case 17: "OFPT_TABLE_MOD"
            case 18: "OFPT_MULTIPART_REQUEST"
            case 19: "OFPT_MULTIPART_REPLY"
            case 20: "OFPT_BARRIER_REQUEST"
            case 21: "OFPT_BARRIER_REPLY"
            case 22: "OFPT_QUEUE_GET_CONFIG_REQUEST"
            case 23: "OFPT_QUEUE_GET_CONFIG_REPLY"
            case 24: "OFPT_ROLE_REQUEST"
            case 25: "OFPT_ROLE_REPLY"
            case 26: "OFPT_GET_ASYNC_REQUEST"
            case 27: "OFPT_GET_ASYNC_REPLY"
            case 28: "OFPT_SET_ASYNC"
            case 29: "OFPT_METER_MOD"
            default: "OFPT_UNKNOWN"
            }
        }

        /// Decodes the body of a message of type `type`.
        static func decode(type: UInt8, body: ByteBuffer) throws(OpenFlowError) -> Message {
            var reader = WireReader(body, base: OpenFlowHeader.size, message: typeName(type))
            func read<Body: OF13MessageBody>(_: Body.Type) throws(OpenFlowError) -> Body {
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
            case 4: return .experimenter(try read(ExperimenterMessage.self))
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
            case 15: return .groupMod(try read(GroupMod.self))
            case 16: return .portMod(try read(PortMod.self))
            case 17: return .tableMod(try read(TableMod.self))
            case 18: return .multipartRequest(try read(MultipartRequest.self))
            case 19: return .multipartReply(try read(MultipartReply.self))
            case 20: try empty(); return .barrierRequest
            case 21: try empty(); return .barrierReply
            case 22: return .queueGetConfigRequest(try read(QueueGetConfigRequest.self))
            case 23: return .queueGetConfigReply(try read(QueueGetConfigReply.self))
            case 24: return .roleRequest(try read(RoleMessage.self))
            case 25: return .roleReply(try read(RoleMessage.self))
            case 26: try empty(); return .getAsyncRequest
            case 27: return .getAsyncReply(try read(AsyncConfig.self))
            case 28: return .setAsync(try read(AsyncConfig.self))
            case 29: return .meterMod(try read(MeterMod.self))
            default:
                throw OpenFlowError(
                    .badType, message: "ofp_header", field: "type", offset: 1,
                    detail: "\(type) is not an OpenFlow 1.3 message type")
            }
        }

        /// Writes the body (everything after the header).
        func writeBody(to buffer: inout ByteBuffer) {
            switch self {
            case .featuresRequest, .getConfigRequest, .barrierRequest, .barrierReply, .getAsyncRequest:
                break
            case .echoRequest(let data), .echoReply(let data): buffer.writeImmutableBuffer(data)
            case .error(let b): b.write(to: &buffer)
            case .experimenter(let b): b.write(to: &buffer)
            case .featuresReply(let b): b.write(to: &buffer)
            case .getConfigReply(let b), .setConfig(let b): b.write(to: &buffer)
            case .packetIn(let b): b.write(to: &buffer)
            case .flowRemoved(let b): b.write(to: &buffer)
            case .portStatus(let b): b.write(to: &buffer)
            case .packetOut(let b): b.write(to: &buffer)
            case .flowMod(let b): b.write(to: &buffer)
            case .groupMod(let b): b.write(to: &buffer)
            case .portMod(let b): b.write(to: &buffer)
            case .tableMod(let b): b.write(to: &buffer)
            case .multipartRequest(let b): b.write(to: &buffer)
            case .multipartReply(let b): b.write(to: &buffer)
            case .queueGetConfigRequest(let b): b.write(to: &buffer)
            case .queueGetConfigReply(let b): b.write(to: &buffer)
            case .roleRequest(let b), .roleReply(let b): b.write(to: &buffer)
            case .getAsyncReply(let b), .setAsync(let b): b.write(to: &buffer)
            case .meterMod(let b): b.write(to: &buffer)
            }
        }
    }
}
