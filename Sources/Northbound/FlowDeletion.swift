import OpenFlow

/// The body (or, without one, the query) of `DELETE /v1/flows`: an `OFPFC_DELETE` or
/// `OFPFC_DELETE_STRICT` FLOW_MOD (spec 1.3.5 §6.4).
///
///     {"dpid": "0x1", "table_id": 0, "match": {"in_port": 1}, "cookie": "0x2a", "cookie_mask": "0xff",
///      "strict": false, "priority": 100, "out_port": 2}
///
/// Non-strict (the default) removes every flow whose match is as specific as or more specific
/// than `match` (absent: every flow); strict removes the one flow with exactly this match and
/// `priority`. `table_id` defaults to all tables (`"all"` or 255). A `cookie` without
/// `cookie_mask` must match exactly; `out_port` keeps only flows that output there.
/// Query form: `DELETE /v1/flows?dpid=0x1&cookie=0x2a&table_id=0&strict=false`.
public struct FlowDeletion: Hashable, Sendable {
    public var datapathID: UInt64
    public var flowMod: OF13.FlowMod

    init(json: JSONValue) throws(APIError) {
        var object = try JSONObjectReader(json, path: "")
        guard let dpid = object.value("dpid") else { throw .badRequest(field: "dpid", "is required") }
        datapathID = try DatapathID.parse(dpid, field: "dpid")
        let strict = try object.bool("strict") ?? false
        var flowMod = OF13.FlowMod(command: strict ? .deleteStrict : .delete)
        if case .string("all") = object.value("table_id") {
            flowMod.tableID = 0xFF
        } else {
            flowMod.tableID = try object.unsigned("table_id", UInt8.self) ?? 0xFF
        }
        if let match = object.value("match") { flowMod.match = OF13.Match(try MatchJSON.fields(match, path: "match")) }
        if let cookie = try object.unsigned("cookie", UInt64.self) {
            flowMod.cookie = cookie
            flowMod.cookieMask = try object.unsigned("cookie_mask", UInt64.self) ?? .max
        } else if object.has("cookie_mask") {
            throw .badRequest(field: "cookie_mask", "needs a cookie")
        }
        let priority = try object.unsigned("priority", UInt16.self)
        if priority != nil && !strict {
            throw .badRequest(field: "priority", "only a strict delete matches the priority (add \"strict\": true)")
        }
        flowMod.priority = priority ?? 0x8000
        if let port = object.value("out_port") { flowMod.outPort = try ActionJSON.port(port, field: "out_port") }
        try object.finish()
        self.flowMod = flowMod
    }

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "dpid": .string(DatapathID.format(datapathID)),
            "strict": .bool(flowMod.command == .deleteStrict),
            "table_id": flowMod.tableID == 0xFF ? "all" : .integer(UInt64(flowMod.tableID)),
            "match": MatchJSON.json(flowMod.match),
        ]
        if flowMod.cookieMask != 0 {
            object["cookie"] = .string(DatapathID.format(flowMod.cookie))
            object["cookie_mask"] = .string(DatapathID.format(flowMod.cookieMask))
        }
        if flowMod.command == .deleteStrict { object["priority"] = .integer(UInt64(flowMod.priority)) }
        if flowMod.outPort != OF13.PortNumber.any { object["out_port"] = ActionJSON.json(port: flowMod.outPort) }
        return .object(object)
    }
}
