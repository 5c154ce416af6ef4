import OpenFlow
import OpenFlowNIO

/// The slicing proxy's decisions for one physical switch (layer 3 of the swift-nio-ssh
/// layering: no channel in sight). The switch is shared by the virtual networks that have
/// ports on it; each network's controller sees its own view of it.
///
/// - From a network's controller: ECHO, FEATURES, GET_CONFIG and PORT_DESC are answered here
///   (features as the switch gave them, ports cut down to the network's); SET_CONFIG is kept
///   per network and not sent on (the switch's configuration is shared). FLOW_MOD, PACKET_OUT
///   and multipart requests are confined by ``FlowspacePolicy`` and sent with a proxy xid, or
///   refused with `OFPT_ERROR` (the controller's xid) and nothing sent. BARRIER is sent on, so
///   that a network's barrier still confirms its own earlier messages. Anything else a
///   controller may send but a network may not use (GROUP_MOD, PORT_MOD, TABLE_MOD, METER_MOD,
///   ROLE, ASYNC, experimenter...) is refused with `OFPT_ERROR`; a message only switches send,
///   with `OFPBRC_BAD_TYPE`; a message of another OpenFlow version closes that controller's
///   connection.
/// - From the switch: replies and errors go back to the network whose request they answer,
///   with its xid (multipart replies filtered, aggregates summed from the network's flows);
///   PACKET_IN to the network whose flowspace and ports admit it; FLOW_REMOVED to the network
///   owning the match; PORT_STATUS to the networks owning the port. Nothing else crosses.
public struct SwitchSlicer: Sendable {
    public enum Output: Hashable, Sendable {
        case toSwitch(OpenFlowMessage)
        case toController(network: String, OpenFlowMessage)
        /// Close that controller's connection (the others stay up).
        case closeController(network: String, reason: String)
    }

    /// What a refused message was, for logs and tests.
    public struct Refusal: Hashable, Sendable {
        public var network: String
        public var messageType: String
        public var violation: SlicingViolation
    }

    private struct Pending: Sendable {
        var network: String
        var controllerXID: UInt32
        var filter: FlowspacePolicy.ReplyFilter?
        var aggregate = OF13.AggregateStats()
    }

    private struct Session: Sendable {
        var policy: FlowspacePolicy
        var config = OF13.SwitchConfig(flags: 0, missSendLength: 128)
        /// Buffer ids shown to this network in PACKET_INs (most recent last).
        var bufferIDs: [UInt32] = []
    }

    /// The switch as its handshake found it.
    public private(set) var datapath: DatapathInfo
    private var sessions: [String: Session] = [:]
    /// Requests that get a reply (barrier, multipart), by proxy xid.
    private var pending: [UInt32: Pending] = [:]
    /// Messages that get a reply only when they fail (FLOW_MOD, PACKET_OUT), by proxy xid, in
    /// sending order; forgotten once a later barrier is answered (the switch has then reported
    /// every error about them) or when more than ``oneWayLimit`` are outstanding.
    private var oneWay: [UInt32: Pending] = [:]
    private var oneWayOrder: [UInt32] = []
    private var oneWayHead = 0
    private var nextXID: UInt32 = 0x8000_0000
    /// Every refused message, oldest first (the last 1,000).
    public private(set) var refusals: [Refusal] = []

    static let oneWayLimit = 65_536
    static let bufferLimit = 4_096

    /// `networks`: every network; the ones without a port on this switch are left out.
    public init(datapath: DatapathInfo, networks: [VirtualNetwork]) {
        self.datapath = datapath
        for network in networks where network.datapathIDs.contains(datapath.datapathID) {
            sessions[network.name] = Session(policy: FlowspacePolicy(network: network))
        }
    }

    /// The networks with ports on this switch.
    public var networks: [String] { sessions.keys.sorted() }

    public var datapathID: UInt64 { datapath.datapathID }

    /// The handshake answers a network's controller gets: the FEATURES_REPLY.
    public var featuresReply: OF13.FeaturesReply {
        OF13.FeaturesReply(
            datapathID: datapath.datapathID, bufferCount: datapath.bufferCount, tableCount: datapath.tableCount,
            auxiliaryID: 0, capabilities: OF13.FeaturesReply.Capabilities(rawValue: datapath.capabilities))
    }

    /// The switch's ports that `network` sees.
    public func ports(of network: String) -> [SwitchPort] {
        guard let policy = sessions[network]?.policy else { return [] }
        return datapath.ports.filter { policy.owns(port: $0.number, on: datapathID) }
    }

    // MARK: From a network's controller

    public mutating func fromController(_ network: String, _ message: OpenFlowMessage) -> [Output] {
        guard sessions[network] != nil else { return [] }
        guard case .of13(let body, let xid) = message else {
            return [.closeController(network: network, reason: "\(message.typeName) of \(OpenFlowVersion.name(message.version)) after OpenFlow 1.3 was negotiated")]
        }
        let policy = sessions[network]!.policy
        let reply = { (body: OF13.Message) -> [Output] in [.toController(network: network, .of13(body, xid: xid))] }
        switch body {
        case .echoRequest(let data):
            return reply(.echoReply(data))
        case .echoReply:
            return []
        case .featuresRequest:
            return reply(.featuresReply(featuresReply))
        case .getConfigRequest:
            return reply(.getConfigReply(sessions[network]!.config))
        case .setConfig(let config):
            sessions[network]!.config = config
            return []
        case .barrierRequest:
            return [send(body, for: network, xid: xid, expectingReply: true)]
        case .flowMod(let flowMod):
            switch policy.confine(flowMod, on: datapathID, bufferIDs: Set(sessions[network]!.bufferIDs)) {
            case .success(let flowMods):
                return flowMods.map { send(.flowMod($0), for: network, xid: xid, expectingReply: false) }
            case .failure(let violation):
                return refuse(message, network: network, violation)
            }
        case .packetOut(let packetOut):
            switch policy.confine(packetOut, on: datapathID, bufferIDs: Set(sessions[network]!.bufferIDs)) {
            case .success(let confined):
                return [send(.packetOut(confined), for: network, xid: xid, expectingReply: false)]
            case .failure(let violation):
                return refuse(message, network: network, violation)
            }
        case .multipartRequest(let request):
            switch policy.confine(request, on: datapathID, switchPorts: datapath.ports.map(\.of13)) {
            case .success(.answer(let answer)):
                return reply(.multipartReply(answer))
            case .success(.forward(let request, let filter)):
                return [send(.multipartRequest(request), for: network, xid: xid, expectingReply: true, filter: filter)]
            case .failure(let violation):
                return refuse(message, network: network, violation)
            }
        case .groupMod:
            return refuse(message, network: network, .groupModNotPermitted("groups are switch-wide state a virtual network may not use"))
        case .portMod:
            return refuse(message, network: network, .portModNotPermitted("ports are shared by the virtual networks"))
        case .tableMod:
            return refuse(message, network: network, .tableModNotPermitted("tables are shared by the virtual networks"))
        case .meterMod, .roleRequest, .getAsyncRequest, .setAsync, .queueGetConfigRequest, .experimenter:
            return refuse(message, network: network, .requestNotPermitted("\(body.typeName) is switch-wide state a virtual network may not use"))
        case .error:
            return []
        case .featuresReply, .getConfigReply, .packetIn, .flowRemoved, .portStatus, .multipartReply, .barrierReply,
            .queueGetConfigReply, .roleReply, .getAsyncReply:
            return refuse(message, network: network, .badType("\(body.typeName) is sent by switches, not by controllers"))
        }
    }

    /// The controller of `network` went away: its outstanding requests are forgotten.
    public mutating func controllerDisconnected(_ network: String) {
        pending = pending.filter { $0.value.network != network }
        oneWay = oneWay.filter { $0.value.network != network }
    }

    // MARK: From the switch

    public mutating func fromSwitch(_ message: OpenFlowMessage) -> [Output] {
        guard case .of13(let body, let xid) = message else { return [] }
        if var request = pending[xid] {
            switch body {
            case .multipartReply(let reply):
                let policy = sessions[request.network]?.policy
                let filtered = policy.map { $0.filter(reply, request.filter ?? .none, on: datapathID) } ?? reply
                let last = !reply.flags.contains(.replyMore)
                if last { pending[xid] = nil }
                if request.filter == .aggregateOfFlows {
                    if case .flow(let entries) = filtered.body {
                        for entry in entries {
                            request.aggregate.packetCount &+= entry.packetCount
                            request.aggregate.byteCount &+= entry.byteCount
                            request.aggregate.flowCount &+= 1
                        }
                    }
                    guard last else {
                        pending[xid] = request
                        return []
                    }
                    let aggregate = OF13.MultipartReply(body: .aggregate(request.aggregate))
                    return [.toController(network: request.network, .of13(.multipartReply(aggregate), xid: request.controllerXID))]
                }
                return [.toController(network: request.network, .of13(.multipartReply(filtered), xid: request.controllerXID))]
            case .barrierReply:
                pending[xid] = nil
                forgetOneWay(before: xid)
                return [.toController(network: request.network, .of13(body, xid: request.controllerXID))]
            default:
                pending[xid] = nil
                return [.toController(network: request.network, .of13(body, xid: request.controllerXID))]
            }
        }
        switch body {
        case .error:
            guard let request = oneWay.removeValue(forKey: xid) else { return [] }
            return [.toController(network: request.network, .of13(body, xid: request.controllerXID))]
        case .packetIn(let packetIn):
            var outputs: [Output] = []
            for name in networks where sessions[name]!.policy.admits(packetIn, on: datapathID) {
                if packetIn.bufferID != OF13.noBuffer {
                    sessions[name]!.bufferIDs.append(packetIn.bufferID)
                    if sessions[name]!.bufferIDs.count > Self.bufferLimit { sessions[name]!.bufferIDs.removeFirst() }
                }
                outputs.append(.toController(network: name, message))
            }
            return outputs
        case .flowRemoved(let removed):
            return networks.filter { sessions[$0]!.policy.owns(removed.match, on: datapathID) }
                .map { .toController(network: $0, message) }
        case .portStatus(let status):
            update(with: status)
            return networks.filter { sessions[$0]!.policy.owns(port: status.port.portNumber, on: datapathID) }
                .map { .toController(network: $0, message) }
        default:
            return []
        }
    }

    // MARK: Helpers

    private mutating func send(
        _ body: OF13.Message, for network: String, xid: UInt32, expectingReply: Bool, filter: FlowspacePolicy.ReplyFilter? = nil
    ) -> Output {
        let proxyXID = nextXID
        nextXID = nextXID == .max ? 0x8000_0000 : nextXID + 1
        let entry = Pending(network: network, controllerXID: xid, filter: filter)
        if expectingReply {
            pending[proxyXID] = entry
        } else {
            oneWay[proxyXID] = entry
            oneWayOrder.append(proxyXID)
            if oneWay.count > Self.oneWayLimit, oneWayHead < oneWayOrder.count {
                oneWay[oneWayOrder[oneWayHead]] = nil
                oneWayHead += 1
            }
            compactOneWayOrder()
        }
        return .toSwitch(.of13(body, xid: proxyXID))
    }

    private mutating func forgetOneWay(before xid: UInt32) {
        while oneWayHead < oneWayOrder.count, oneWayOrder[oneWayHead] < xid {
            oneWay[oneWayOrder[oneWayHead]] = nil
            oneWayHead += 1
        }
        compactOneWayOrder()
    }

    private mutating func compactOneWayOrder() {
        if oneWayHead > 1_024, oneWayHead * 2 > oneWayOrder.count {
            oneWayOrder.removeFirst(oneWayHead)
            oneWayHead = 0
        }
    }

    private mutating func refuse(_ message: OpenFlowMessage, network: String, _ violation: SlicingViolation) -> [Output] {
        refusals.append(Refusal(network: network, messageType: message.typeName, violation: violation))
        if refusals.count > 1_000 { refusals.removeFirst(refusals.count - 1_000) }
        return [.toController(network: network, .of13(.error(violation.errorMessage(about: message)), xid: message.xid))]
    }

    /// Keeps the port list current, so PORT_DESC answers stay true.
    private mutating func update(with status: OF13.PortStatus) {
        let port = SwitchPort(status.port)
        datapath.ports.removeAll { $0.number == port.number }
        if status.reason != .delete {
            datapath.ports.append(port)
            datapath.ports.sort { $0.number < $1.number }
        }
    }
}
