import NIOCore

extension OF13.Message {
    /// JSON form: the message's body under `body` of the enclosing ``OpenFlowMessage`` object,
    /// its type given by the spec's name (`"type": "OFPT_FLOW_MOD"`).
    static func decode(
        typeName: String, from container: KeyedDecodingContainer<OpenFlowMessage.CodingKeys>
    ) throws -> OF13.Message {
        func body<T: Decodable>(_: T.Type) throws -> T { try container.decode(T.self, forKey: .body) }
        switch typeName {
        case "OFPT_ERROR": return .error(try body(OF13.ErrorMessage.self))
        case "OFPT_ECHO_REQUEST": return .echoRequest(try container.decodeIfPresent(ByteBuffer.self, forKey: .body) ?? ByteBuffer())
        case "OFPT_ECHO_REPLY": return .echoReply(try container.decodeIfPresent(ByteBuffer.self, forKey: .body) ?? ByteBuffer())
        case "OFPT_EXPERIMENTER": return .experimenter(try body(OF13.ExperimenterMessage.self))
        case "OFPT_FEATURES_REQUEST": return .featuresRequest
        case "OFPT_FEATURES_REPLY": return .featuresReply(try body(OF13.FeaturesReply.self))
        case "OFPT_GET_CONFIG_REQUEST": return .getConfigRequest
        case "OFPT_GET_CONFIG_REPLY": return .getConfigReply(try body(OF13.SwitchConfig.self))
        case "OFPT_SET_CONFIG": return .setConfig(try body(OF13.SwitchConfig.self))
        case "OFPT_PACKET_IN": return .packetIn(try body(OF13.PacketIn.self))
        case "OFPT_FLOW_REMOVED": return .flowRemoved(try body(OF13.FlowRemoved.self))
        case "OFPT_PORT_STATUS": return .portStatus(try body(OF13.PortStatus.self))
        case "OFPT_PACKET_OUT": return .packetOut(try body(OF13.PacketOut.self))
        case "OFPT_FLOW_MOD": return .flowMod(try body(OF13.FlowMod.self))
        case "OFPT_GROUP_MOD": return .groupMod(try body(OF13.GroupMod.self))
        case "OFPT_PORT_MOD": return .portMod(try body(OF13.PortMod.self))
        case "OFPT_TABLE_MOD": return .tableMod(try body(OF13.TableMod.self))
        case "OFPT_MULTIPART_REQUEST": return .multipartRequest(try body(OF13.MultipartRequest.self))
        case "OFPT_MULTIPART_REPLY": return .multipartReply(try body(OF13.MultipartReply.self))
        case "OFPT_BARRIER_REQUEST": return .barrierRequest
        case "OFPT_BARRIER_REPLY": return .barrierReply
        case "OFPT_QUEUE_GET_CONFIG_REQUEST": return .queueGetConfigRequest(try body(OF13.QueueGetConfigRequest.self))
        case "OFPT_QUEUE_GET_CONFIG_REPLY": return .queueGetConfigReply(try body(OF13.QueueGetConfigReply.self))
        case "OFPT_ROLE_REQUEST": return .roleRequest(try body(OF13.RoleMessage.self))
        case "OFPT_ROLE_REPLY": return .roleReply(try body(OF13.RoleMessage.self))
        case "OFPT_GET_ASYNC_REQUEST": return .getAsyncRequest
        case "OFPT_GET_ASYNC_REPLY": return .getAsyncReply(try body(OF13.AsyncConfig.self))
        case "OFPT_SET_ASYNC": return .setAsync(try body(OF13.AsyncConfig.self))
        case "OFPT_METER_MOD": return .meterMod(try body(OF13.MeterMod.self))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "\(typeName) is not an OpenFlow 1.3 message type")
        }
    }

    func encodeBody(into container: inout KeyedEncodingContainer<OpenFlowMessage.CodingKeys>) throws {
        switch self {
        case .featuresRequest, .getConfigRequest, .barrierRequest, .barrierReply, .getAsyncRequest: break
        case .echoRequest(let b), .echoReply(let b): try container.encode(b, forKey: .body)
        case .error(let b): try container.encode(b, forKey: .body)
        case .experimenter(let b): try container.encode(b, forKey: .body)
        case .featuresReply(let b): try container.encode(b, forKey: .body)
        case .getConfigReply(let b), .setConfig(let b): try container.encode(b, forKey: .body)
        case .packetIn(let b): try container.encode(b, forKey: .body)
        case .flowRemoved(let b): try container.encode(b, forKey: .body)
        case .portStatus(let b): try container.encode(b, forKey: .body)
        case .packetOut(let b): try container.encode(b, forKey: .body)
        case .flowMod(let b): try container.encode(b, forKey: .body)
        case .groupMod(let b): try container.encode(b, forKey: .body)
        case .portMod(let b): try container.encode(b, forKey: .body)
        case .tableMod(let b): try container.encode(b, forKey: .body)
        case .multipartRequest(let b): try container.encode(b, forKey: .body)
        case .multipartReply(let b): try container.encode(b, forKey: .body)
        case .queueGetConfigRequest(let b): try container.encode(b, forKey: .body)
        case .queueGetConfigReply(let b): try container.encode(b, forKey: .body)
        case .roleRequest(let b), .roleReply(let b): try container.encode(b, forKey: .body)
        case .getAsyncReply(let b), .setAsync(let b): try container.encode(b, forKey: .body)
        case .meterMod(let b): try container.encode(b, forKey: .body)
        }
    }
}
