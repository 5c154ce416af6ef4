import OpenFlow

/// Decides whether an OpenFlow 1.3 message of a virtual network's controller stays inside
/// that network, and rewrites it so that it does. Pure: no state but the network.
///
/// The rules, for a message to switch `dpid`:
///
/// 1. **The switch.** The network must have a port on `dpid`; otherwise everything to that
///    switch is refused (`OFPBRC_EPERM`).
/// 2. **Match (FLOW_MOD, flow/aggregate stats).** The match is intersected with each region
///    of the flowspace (``FlowspaceRegion/intersection(_:)``): a match already inside one region
///    is kept as sent; otherwise each non-empty intersection becomes one flow entry (a match
///    without `vlan_vid`, say, gets the network's VLAN added; a wildcard DELETE becomes a DELETE
///    of the network's flowspace, which removes only flows at least that specific, i.e. only
///    the network's own, since flowspaces are disjoint). No intersection:
///    `OFPFMFC_EPERM` (FLOW_MOD) or `OFPBRC_EPERM` (stats). A region field given twice:
///    `OFPBMC_DUP_FIELD`. `in_port`/`in_phy_port`, when present, must be one of the network's
///    ports on `dpid` (`OFPBMC_EPERM`); when absent the header fields confine the entry.
/// 3. **Actions (apply/write actions of a FLOW_MOD, actions of a PACKET_OUT).** `output` to
///    one of the network's ports on `dpid`, or to `CONTROLLER` or `IN_PORT`, is kept; `FLOOD` and
///    `ALL` become one `output` per network port on `dpid` (except the packet's `in_port` when
///    known): a slice floods only itself, as in FlowVisor. `TABLE` is allowed in PACKET_OUT only.
///    `NORMAL`, `LOCAL`, another network's or a nonexistent port: `OFPBAC_EPERM`. `group`:
///    `OFPBAC_EPERM` (groups are shared switch state). `set_field` on a field that defines the
///    flowspace must write a value inside it; `push_vlan`/`pop_vlan` when the flowspace is
///    defined on `vlan_vid`, and MPLS/PBB push/pop when it is defined on `eth_type`, would move
///    packets out of it: `OFPBAC_EPERM`. Experimenter actions: `OFPBAC_EPERM`.
/// 4. **Instructions.** `goto_table`, `write_metadata`, `clear_actions` are kept (tables are
///    shared, but every entry in every table is confined by rule 2); `meter` and experimenter
///    instructions: `OFPBIC_EPERM`.
/// 5. **Buffers.** A FLOW_MOD's or PACKET_OUT's `buffer_id` must be one the network was given in a PACKET_IN
///    (`OFPBRC_BUFFER_UNKNOWN`). A PACKET_OUT's `in_port` must be a network port on `dpid` or
///    `CONTROLLER` (`OFPBRC_EPERM`); an unbuffered packet's headers must lie in the flowspace
///    (`OFPBRC_EPERM`).
/// 6. **Multipart.** `DESC`, `TABLE`, `GROUP_FEATURES`, `METER_FEATURES` and a read-only
///    `TABLE_FEATURES` are switch-wide and read-only: forwarded. `PORT_DESC` is answered with the
///    network's ports only. `FLOW` is confined by rule 2 and its reply filtered to the entries
///    the network owns (``owns(_:on:)``); `AGGREGATE` is sent as a `FLOW` request and the
///    network's entries summed, so its counts never include another network's flows.
///    `PORT_STATS` of one of its ports, or of `ANY` with the reply filtered to its ports. Groups,
///    meters, queues and experimenter requests: `OFPBRC_EPERM`.
///
/// Flowspaces of different networks are disjoint (``SlicingConfiguration`` checks), so a flow
/// entry is owned by at most one network: the one whose flowspace covers its match.
public struct FlowspacePolicy: Hashable, Sendable {
    public let network: VirtualNetwork
    public let regions: [FlowspaceRegion]
    public let definingFields: Set<FlowspaceRegion.Field>
    private let portsBySwitch: [UInt64: [UInt32]]

    public init(network: VirtualNetwork) {
        self.network = network
        self.regions = network.flowspace.regions
        self.definingFields = network.flowspace.definingFields
        var ports: [UInt64: [UInt32]] = [:]
        for endpoint in network.ports { ports[endpoint.datapathID, default: []].append(endpoint.port) }
        self.portsBySwitch = ports.mapValues { $0.sorted() }
    }

    /// The network's ports on `datapathID`, ascending (empty: not on that switch).
    public func ports(on datapathID: UInt64) -> [UInt32] { portsBySwitch[datapathID] ?? [] }

    public func owns(port: UInt32, on datapathID: UInt64) -> Bool { ports(on: datapathID).contains(port) }

    // MARK: FLOW_MOD

    /// The FLOW_MODs that carry out `flowMod` inside the network (rules 1–4): one, or one per
    /// region the match straddles.
    public func confine(
        _ flowMod: OF13.FlowMod, on datapathID: UInt64, bufferIDs: Set<UInt32> = []
    ) -> Result<[OF13.FlowMod], SlicingViolation> {
        do {
            try checkSwitch(datapathID)
            if flowMod.bufferID != OF13.noBuffer, !bufferIDs.contains(flowMod.bufferID) {
                throw SlicingViolation.bufferUnknown("buffer \(flowMod.bufferID) was not given to \(network.name) in a PACKET_IN")
            }
            try checkInPort(flowMod.match, on: datapathID)
            let isDelete = flowMod.command == .delete || flowMod.command == .deleteStrict
            var instructions = flowMod.instructions
            if !isDelete {
                instructions = WireList(try flowMod.instructions.map { try confine($0, on: datapathID, inPort: inPort(of: flowMod.match)) })
            }
            guard let matches = try confine(flowMod.match, what: "FLOW_MOD") else {
                return .failure(.flowModNotPermitted("the match \(flowMod.match) lies outside \(network.name)'s flowspace (\(network.flowspace))"))
            }
            return .success(
                matches.map { match in
                    var confined = flowMod
                    confined.match = match
                    confined.instructions = instructions
                    return confined
                })
        } catch let violation as SlicingViolation {
            return .failure(violation)
        } catch {
            return .failure(.requestNotPermitted("\(error)"))
        }
    }

    /// `match` inside the flowspace: itself if a region covers it, else its non-empty
    /// intersections with the regions; nil if there are none.
    public func confine(_ match: OF13.Match, what: String = "match") throws(SlicingViolation) -> [OF13.Match]? {
        var seen = Set<FlowspaceRegion.Field>()
        for field in match.fields {
            guard let constraint = FlowspaceRegion.Constraint(field) else { continue }
            guard seen.insert(constraint.field).inserted else {
                throw .duplicateField("\(what): \(constraint.field.name) appears twice")
            }
        }
        if regions.contains(where: { $0.covers(match) }) { return [match] }
        var result: [OF13.Match] = []
        for region in regions {
            if let narrowed = region.intersection(match), !result.contains(narrowed) { result.append(narrowed) }
        }
        return result.isEmpty ? nil : result
    }

    // MARK: PACKET_OUT

    /// `packetOut` inside the network (rules 1, 3, 5); `bufferIDs` are the buffers the network
    /// was shown in its PACKET_INs.
    public func confine(
        _ packetOut: OF13.PacketOut, on datapathID: UInt64, bufferIDs: Set<UInt32> = []
    ) -> Result<OF13.PacketOut, SlicingViolation> {
        do {
            try checkSwitch(datapathID)
            if packetOut.bufferID != OF13.noBuffer, !bufferIDs.contains(packetOut.bufferID) {
                throw SlicingViolation.bufferUnknown(
                    "buffer \(packetOut.bufferID) was not given to \(network.name) in a PACKET_IN")
            }
            if packetOut.inPort != OF13.PortNumber.controller, !owns(port: packetOut.inPort, on: datapathID) {
                throw SlicingViolation.requestNotPermitted(
                    "PACKET_OUT in_port \(portName(packetOut.inPort)) is not a port of \(network.name) on switch \(datapathID)")
            }
            if packetOut.bufferID == OF13.noBuffer {
                guard let fields = PacketFields(frame: packetOut.data), network.flowspace.admits(fields) else {
                    throw SlicingViolation.requestNotPermitted(
                        "PACKET_OUT data lies outside \(network.name)'s flowspace (\(network.flowspace))")
                }
            }
            var confined = packetOut
            let inPort = packetOut.inPort == OF13.PortNumber.controller ? nil : packetOut.inPort
            confined.actions = WireList(try confine(Array(packetOut.actions), on: datapathID, inPort: inPort, allowTable: true))
            return .success(confined)
        } catch let violation as SlicingViolation {
            return .failure(violation)
        } catch {
            return .failure(.requestNotPermitted("\(error)"))
        }
    }

    // MARK: Multipart

    /// What to do with a multipart request (rule 6).
    public enum MultipartPlan: Hashable, Sendable {
        /// Send this request to the switch; pass the reply through `filter`.
        case forward(OF13.MultipartRequest, filter: ReplyFilter)
        /// Answer the controller with this reply; nothing goes to the switch.
        case answer(OF13.MultipartReply)
    }

    /// How a multipart reply is cut down to the network's share.
    public enum ReplyFilter: Hashable, Sendable {
        case none
        /// Keep the flow entries the network owns.
        case flows
        /// Keep the flow entries the network owns and answer their sum as `OFPMP_AGGREGATE`.
        case aggregateOfFlows
        /// Keep the network's ports.
        case ports
    }

    /// `request` confined (rules 1, 2, 6); `switchPorts` are the switch's ports (for PORT_DESC).
    public func confine(
        _ request: OF13.MultipartRequest, on datapathID: UInt64, switchPorts: [SwitchPortDescription] = []
    ) -> Result<MultipartPlan, SlicingViolation> {
        do {
            try checkSwitch(datapathID)
            switch request.body {
            case .desc, .table, .groupFeatures, .meterFeatures:
                return .success(.forward(request, filter: .none))
            case .tableFeatures(let tables) where tables.isEmpty:
                return .success(.forward(request, filter: .none))
            case .portDesc:
                let own = switchPorts.filter { owns(port: $0.portNumber, on: datapathID) }
                return .success(.answer(OF13.MultipartReply(body: .portDesc(WireList(own)))))
            case .flow(let flows), .aggregate(let flows):
                guard flows.outPort == OF13.PortNumber.any || owns(port: flows.outPort, on: datapathID) else {
                    throw SlicingViolation.requestNotPermitted("flow stats out_port \(flows.outPort) is not a port of \(network.name)")
                }
                try checkInPort(flows.match, on: datapathID)
                guard let matches = try confine(flows.match, what: "flow stats") else {
                    throw SlicingViolation.requestNotPermitted(
                        "flow stats for \(flows.match), outside \(network.name)'s flowspace (\(network.flowspace))")
                }
                var narrowed = flows
                if matches.count == 1 { narrowed.match = matches[0] }
                let isAggregate = request.type == .aggregate
                return .success(
                    .forward(OF13.MultipartRequest(flags: request.flags, body: .flow(narrowed)), filter: isAggregate ? .aggregateOfFlows : .flows))
            case .portStats(let port):
                if port == OF13.PortNumber.any { return .success(.forward(request, filter: .ports)) }
                guard owns(port: port, on: datapathID) else {
                    throw SlicingViolation.requestNotPermitted("port stats of port \(portName(port)), not a port of \(network.name)")
                }
                return .success(.forward(request, filter: .none))
            default:
                throw SlicingViolation.requestNotPermitted("\(request.type) is switch-wide state a virtual network may not use")
            }
        } catch let violation as SlicingViolation {
            return .failure(violation)
        } catch {
            return .failure(.requestNotPermitted("\(error)"))
        }
    }

    public typealias SwitchPortDescription = OF13.Port

    /// `reply` cut down by `filter` (possibly to no entries: the part is still sent, since it
    /// may be the one that ends the reply).
    public func filter(_ reply: OF13.MultipartReply, _ filter: ReplyFilter, on datapathID: UInt64) -> OF13.MultipartReply {
        var reply = reply
        switch (filter, reply.body) {
        case (.flows, .flow(let entries)), (.aggregateOfFlows, .flow(let entries)):
            reply.body = .flow(WireList(entries.filter { owns($0.match, on: datapathID) }))
        case (.ports, .portStats(let stats)):
            reply.body = .portStats(WireList(stats.filter { owns(port: $0.portNumber, on: datapathID) }))
        default:
            break
        }
        return reply
    }

    // MARK: What comes from the switch

    /// Whether the network owns a flow entry with this match on `datapathID`: a region covers
    /// it and its `in_port`, if any, is the network's.
    public func owns(_ match: OF13.Match, on datapathID: UInt64) -> Bool {
        if let port = inPort(of: match), !owns(port: port, on: datapathID) { return false }
        return regions.contains { $0.covers(match) }
    }

    /// Whether a PACKET_IN belongs to the network: it arrived on one of its ports (or has no
    /// `in_port`) and its headers lie in the flowspace.
    public func admits(_ packetIn: OF13.PacketIn, on datapathID: UInt64) -> Bool {
        guard !ports(on: datapathID).isEmpty else { return false }
        if let port = packetIn.inPort, !owns(port: port, on: datapathID) { return false }
        guard let fields = PacketFields(frame: packetIn.data) else { return false }
        return network.flowspace.admits(fields)
    }

    // MARK: Rules

    private func checkSwitch(_ datapathID: UInt64) throws(SlicingViolation) {
        guard portsBySwitch[datapathID] != nil else {
            throw .requestNotPermitted("switch \(datapathID) is not part of \(network.name)")
        }
    }

    private func inPort(of match: OF13.Match) -> UInt32? {
        for field in match.fields { if case .inPort(let port, _) = field { return port } }
        return nil
    }

    private func checkInPort(_ match: OF13.Match, on datapathID: UInt64) throws(SlicingViolation) {
        for field in match.fields {
            switch field {
            case .inPort(let port, _), .inPhyPort(let port, _):
                guard owns(port: port, on: datapathID) else {
                    throw .matchNotPermitted("in_port \(portName(port)) is not a port of \(network.name) on switch \(datapathID)")
                }
            default: break
            }
        }
    }

    private func confine(_ instruction: OF13.Instruction, on datapathID: UInt64, inPort: UInt32?) throws(SlicingViolation)
        -> OF13.Instruction
    {
        switch instruction {
        case .applyActions(let actions):
            return .applyActions(WireList(try confine(Array(actions), on: datapathID, inPort: inPort, allowTable: false)))
        case .writeActions(let actions):
            return .writeActions(WireList(try confine(Array(actions), on: datapathID, inPort: inPort, allowTable: false)))
        case .gotoTable, .writeMetadata, .clearActions:
            return instruction
        case .meter:
            throw .instructionNotPermitted("meters are switch-wide state a virtual network may not use")
        case .experimenter, .unknown:
            throw .instructionNotPermitted("instruction type \(instruction.type) is not allowed in a virtual network")
        }
    }

    private func confine(_ actions: [OF13.Action], on datapathID: UInt64, inPort: UInt32?, allowTable: Bool)
        throws(SlicingViolation) -> [OF13.Action]
    {
        var result: [OF13.Action] = []
        for action in actions {
            switch action {
            case .output(let port, let maxLength):
                switch port {
                case OF13.PortNumber.controller, OF13.PortNumber.inPort:
                    result.append(action)
                case OF13.PortNumber.table where allowTable:
                    result.append(action)
                case OF13.PortNumber.flood, OF13.PortNumber.all:
                    for own in ports(on: datapathID) where own != inPort { result.append(.output(port: own, maxLength: maxLength)) }
                default:
                    guard owns(port: port, on: datapathID) else {
                        throw .actionNotPermitted("output to \(portName(port)): not a port of \(network.name) on switch \(datapathID)")
                    }
                    result.append(action)
                }
            case .group:
                throw .actionNotPermitted("groups are switch-wide state a virtual network may not use")
            case .setField(let field):
                if let constraint = FlowspaceRegion.Constraint(field), definingFields.contains(constraint.field) {
                    // The value must be one the flowspace allows for that field (regions that
                    // do not constrain it, such as ARP's for ipv4_dst, do not count).
                    let allowed = regions.contains { region in
                        region.constraint(on: constraint.field).map { $0.admits(constraint.value) } ?? false
                    }
                    guard allowed, constraint.mask == constraint.field.fullMask else {
                        throw .actionNotPermitted("set_field \(constraint) would move packets out of \(network.name)'s flowspace")
                    }
                }
                result.append(action)
            case .pushVLAN, .popVLAN:
                guard !definingFields.contains(.vlanVid) else {
                    throw .actionNotPermitted("\(action) would move packets out of \(network.name)'s flowspace (\(network.flowspace))")
                }
                result.append(action)
            case .pushMPLS, .popMPLS, .pushPBB, .popPBB:
                guard !definingFields.contains(.ethType) else {
                    throw .actionNotPermitted("\(action) would move packets out of \(network.name)'s flowspace (\(network.flowspace))")
                }
                result.append(action)
            case .experimenter, .unknown:
                throw .actionNotPermitted("action type \(action.type) is not allowed in a virtual network")
            default:
                result.append(action)
            }
        }
        return result
    }

    private func portName(_ port: UInt32) -> String {
        switch port {
        case OF13.PortNumber.inPort: "IN_PORT"
        case OF13.PortNumber.table: "TABLE"
        case OF13.PortNumber.normal: "NORMAL"
        case OF13.PortNumber.flood: "FLOOD"
        case OF13.PortNumber.all: "ALL"
        case OF13.PortNumber.controller: "CONTROLLER"
        case OF13.PortNumber.local: "LOCAL"
        case OF13.PortNumber.any: "ANY"
        default: "\(port)"
        }
    }
}
