import NIOCore

extension OF10.Message {
    /// JSON form: the message's body under `body` of the enclosing ``OpenFlowMessage`` object,
    /// its type given by the spec's name (`"type": "OFPT_FLOW_MOD"`), as for OpenFlow 1.3.
    static func decode(
        typeName: String, from container: KeyedDecodingContainer<OpenFlowMessage.CodingKeys>
    ) throws -> OF10.Message {
        func body<T: Decodable>(_: T.Type) throws -> T { try container.decode(T.self, forKey: .body) }
        func data() throws -> ByteBuffer { try container.decodeIfPresent(ByteBuffer.self, forKey: .body) ?? ByteBuffer() }
        switch typeName {
        case "OFPT_ERROR": return .error(try body(OF10.ErrorMessage.self))
        case "OFPT_ECHO_REQUEST": return .echoRequest(try data())
        case "OFPT_ECHO_REPLY": return .echoReply(try data())
        case "OFPT_VENDOR": return .vendor(try body(OF10.VendorMessage.self))
        case "OFPT_FEATURES_REQUEST": return .featuresRequest
        case "OFPT_FEATURES_REPLY": return .featuresReply(try body(OF10.FeaturesReply.self))
        case "OFPT_GET_CONFIG_REQUEST": return .getConfigRequest
        case "OFPT_GET_CONFIG_REPLY": return .getConfigReply(try body(OF10.SwitchConfig.self))
        case "OFPT_SET_CONFIG": return .setConfig(try body(OF10.SwitchConfig.self))
        case "OFPT_PACKET_IN": return .packetIn(try body(OF10.PacketIn.self))
        case "OFPT_FLOW_REMOVED": return .flowRemoved(try body(OF10.FlowRemoved.self))
        case "OFPT_PORT_STATUS": return .portStatus(try body(OF10.PortStatus.self))
        case "OFPT_PACKET_OUT": return .packetOut(try body(OF10.PacketOut.self))
        case "OFPT_FLOW_MOD": return .flowMod(try body(OF10.FlowMod.self))
        case "OFPT_PORT_MOD": return .portMod(try body(OF10.PortMod.self))
        case "OFPT_STATS_REQUEST": return .statsRequest(try body(OF10.StatsRequest.self))
        case "OFPT_STATS_REPLY": return .statsReply(try body(OF10.StatsReply.self))
        case "OFPT_BARRIER_REQUEST": return .barrierRequest
        case "OFPT_BARRIER_REPLY": return .barrierReply
        case "OFPT_QUEUE_GET_CONFIG_REQUEST": return .queueGetConfigRequest(try body(OF10.QueueGetConfigRequest.self))
        case "OFPT_QUEUE_GET_CONFIG_REPLY": return .queueGetConfigReply(try body(OF10.QueueGetConfigReply.self))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "\(typeName) is not an OpenFlow 1.0 message type")
        }
    }

    func encodeBody(into container: inout KeyedEncodingContainer<OpenFlowMessage.CodingKeys>) throws {
        switch self {
        case .featuresRequest, .getConfigRequest, .barrierRequest, .barrierReply: break
        case .echoRequest(let b), .echoReply(let b): try container.encode(b, forKey: .body)
        case .error(let b): try container.encode(b, forKey: .body)
        case .vendor(let b): try container.encode(b, forKey: .body)
        case .featuresReply(let b): try container.encode(b, forKey: .body)
        case .getConfigReply(let b), .setConfig(let b): try container.encode(b, forKey: .body)
        case .packetIn(let b): try container.encode(b, forKey: .body)
        case .flowRemoved(let b): try container.encode(b, forKey: .body)
        case .portStatus(let b): try container.encode(b, forKey: .body)
        case .packetOut(let b): try container.encode(b, forKey: .body)
        case .flowMod(let b): try container.encode(b, forKey: .body)
        case .portMod(let b): try container.encode(b, forKey: .body)
        case .statsRequest(let b): try container.encode(b, forKey: .body)
        case .statsReply(let b): try container.encode(b, forKey: .body)
        case .queueGetConfigRequest(let b): try container.encode(b, forKey: .body)
        case .queueGetConfigReply(let b): try container.encode(b, forKey: .body)
        }
    }
}
