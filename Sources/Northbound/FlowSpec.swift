import OpenFlow

/// The body of `POST /v1/flows`: one flow for one switch, read into an `OFPFC_ADD` FLOW_MOD.
///
///     {"dpid": "0x1", "table_id": 0, "priority": 100, "cookie": "0x2a",
///      "idle_timeout": 0, "hard_timeout": 0, "flags": ["send_flow_rem"],
///      "match": {"in_port": 1, "eth_type": "0x0800", "ipv4_dst": "10.0.0.2"},
///      "actions": [{"type": "output", "port": 2}], "outputs": [3, "controller"], "goto_table": 1}
///
/// Only `dpid` is required: the defaults are table 0, priority 32768 (`OFP_DEFAULT_PRIORITY`),
/// cookie 0, no timeouts, no flags, match everything, no actions (drop). `outputs` is
/// shorthand for output actions after `actions`; `actions` and `outputs` become one
/// apply-actions instruction, `goto_table` a goto-table instruction.
public struct FlowSpec: Hashable, Sendable {
    public var datapathID: UInt64
    public var flowMod: OF13.FlowMod

    static let flagNames: [(String, OF13.FlowMod.Flags)] = [
        ("send_flow_rem", .sendFlowRemoved), ("check_overlap", .checkOverlap), ("reset_counts", .resetCounts),
        ("no_pkt_counts", .noPacketCounts), ("no_byt_counts", .noByteCounts),
    ]

    public init(datapathID: UInt64, flowMod: OF13.FlowMod) {
        self.datapathID = datapathID
        self.flowMod = flowMod
    }

    init(json: JSONValue) throws(APIError) {
        var object = try JSONObjectReader(json, path: "")
        guard let dpid = object.value("dpid") else { throw .badRequest(field: "dpid", "is required") }
        datapathID = try DatapathID.parse(dpid, field: "dpid")
        var flowMod = OF13.FlowMod(command: .add)
        flowMod.tableID = try object.unsigned("table_id", UInt8.self) ?? 0
        guard flowMod.tableID < 0xFF else { throw .badRequest(field: "table_id", "must be 0...254 (255 means all tables)") }
        flowMod.priority = try object.unsigned("priority", UInt16.self) ?? 0x8000
        flowMod.cookie = try object.unsigned("cookie", UInt64.self) ?? 0
        flowMod.idleTimeout = try object.unsigned("idle_timeout", UInt16.self) ?? 0
        flowMod.hardTimeout = try object.unsigned("hard_timeout", UInt16.self) ?? 0
        flowMod.flags = try Self.flags(try object.array("flags") ?? [], path: "flags")
        if let match = object.value("match") { flowMod.match = OF13.Match(try MatchJSON.fields(match, path: "match")) }
        var actions = try ActionJSON.actions(try object.array("actions") ?? [], path: "actions")
        for (index, port) in (try object.array("outputs") ?? []).enumerated() {
            actions.append(.output(port: try ActionJSON.port(port, field: "outputs[\(index)]"), maxLength: 0xFFFF))
        }
        var instructions: [OF13.Instruction] = []
        if !actions.isEmpty { instructions.append(.applyActions(WireList(actions))) }
        if let table = try object.unsigned("goto_table", UInt8.self) {
            guard table > flowMod.tableID, table < 0xFF else {
                throw .badRequest(field: "goto_table", "must be a later table than table_id \(flowMod.tableID) (spec 1.3.5 §5.1)")
            }
            instructions.append(.gotoTable(table))
        }
        flowMod.instructions = WireList(instructions)
        try object.finish()
        self.flowMod = flowMod
    }

    static func flags(_ values: [JSONValue], path: String) throws(APIError) -> OF13.FlowMod.Flags {
        var flags: OF13.FlowMod.Flags = []
        for (index, value) in values.enumerated() {
            let field = "\(path)[\(index)]"
            let name = try value.string(field: field)
            guard let flag = flagNames.first(where: { $0.0 == name }) else {
                throw .badRequest(field: field, "unknown flag \(name.debugDescription) (one of \(flagNames.map(\.0).joined(separator: ", ")))")
            }
            flags.insert(flag.1)
        }
        return flags
    }

    static func json(flags: OF13.FlowMod.Flags) -> JSONValue {
        .array(flagNames.filter { flags.contains($0.1) }.map { .string($0.0) })
    }

    /// The flow as the API writes it (also the shape of each entry of `GET /v1/flows`, which
    /// adds counters): instructions other than apply-actions and goto-table are listed as text
    /// in `other_instructions`.
    static func json(
        tableID: UInt8, priority: UInt16, cookie: UInt64, idleTimeout: UInt16, hardTimeout: UInt16,
        flags: OF13.FlowMod.Flags, match: OF13.Match, instructions: WireList<OF13.Instruction>
    ) -> [String: JSONValue] {
        var object: [String: JSONValue] = [
            "table_id": .integer(UInt64(tableID)), "priority": .integer(UInt64(priority)),
            "cookie": .string(DatapathID.format(cookie)), "idle_timeout": .integer(UInt64(idleTimeout)),
            "hard_timeout": .integer(UInt64(hardTimeout)), "flags": json(flags: flags), "match": MatchJSON.json(match),
        ]
        var actions: [JSONValue] = []
        var others: [JSONValue] = []
        for instruction in instructions {
            switch instruction {
            case .applyActions(let list): actions += list.map(ActionJSON.json)
            case .gotoTable(let table): object["goto_table"] = .integer(UInt64(table))
            default: others.append(.string("\(instruction)"))
            }
        }
        object["actions"] = .array(actions)
        if !others.isEmpty { object["other_instructions"] = .array(others) }
        return object
    }

    /// What `POST /v1/flows` answers (201): the flow as installed, with its switch.
    var json: JSONValue {
        var object = Self.json(
            tableID: flowMod.tableID, priority: flowMod.priority, cookie: flowMod.cookie, idleTimeout: flowMod.idleTimeout,
            hardTimeout: flowMod.hardTimeout, flags: flowMod.flags, match: flowMod.match, instructions: flowMod.instructions)
        object["dpid"] = .string(DatapathID.format(datapathID))
        return .object(object)
    }
}
