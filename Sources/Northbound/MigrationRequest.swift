import Controller
import Migration
import NIOCore
import OpenFlow

/// The body of `POST /v1/migrations`: move flows from the path they follow to a new one with
/// one of the ``FlowMigrationAlgorithm``s, through the controller's own connections.
///
///     {"flows": [{"match": {"eth_type": "0x0800", "ip_proto": 17, "ipv4_src": "10.0.0.1",
///                           "ipv4_dst": "10.0.0.2", "udp_dst": 5001},
///                 "reverse": true}],
///      "old_path": [{"dpid": "0x1", "in_port": 1, "out_port": 2}, {"dpid": "0x2", "in_port": 1, "out_port": 2},
///                   {"dpid": "0x4", "in_port": 2, "out_port": 1}],
///      "new_path": [{"dpid": "0x1", "in_port": 1, "out_port": 3}, {"dpid": "0x3", "in_port": 1, "out_port": 2},
///                   {"dpid": "0x4", "in_port": 3, "out_port": 1}],
///      "algorithm": "consistent", "drain_ms": 20, "priority": 100, "cookie": "0xf10", "table_id": 0}
///
/// - `flows` (or one flow as `match` with `reverse` beside it): a flow's `match` has the OXM
///   fields (``MatchJSON``) that pick its packets out in the forward direction, without
///   `in_port` (every hop adds its own). `reverse` is the reverse direction's match, or `true`
///   for the mirror image (sources and destinations swapped), or absent for a one-way flow.
/// - `new_path`: hops ingress first, as ``PathHop``s. `old_path` likewise; when absent the
///   controller traces it from the switches' flow tables, starting where the new path starts
///   and following each entry's output along the links it discovered.
/// - `algorithm`: `paper`, `consistent` (default), `bulk` or `delete-first`; `drain_ms`
///   (default 20), `batch_size` (bulk, default 1000), `barrier_timeout_ms` (default: the API's
///   switch timeout); `priority` (default 0x8000), `cookie` (0), `table_id` (0) of the
///   flows' entries, as ``PathInstaller`` installs them.
public struct MigrationRequest: Hashable, Sendable {
    public var flows: [MigratedFlow]
    public var oldPath: [PathHop]?
    public var newPath: [PathHop]
    public var algorithm: FlowMigrationAlgorithm
    public var drainMilliseconds: Double
    public var batchSize: Int
    public var barrierTimeoutMilliseconds: Double?
    public var priority: UInt16
    public var cookie: UInt64
    public var tableID: UInt8

    init(json: JSONValue) throws(APIError) {
        var object = try JSONObjectReader(json, path: "")
        if let list = try object.array("flows") {
            guard !object.has("match"), !object.has("reverse") else {
                throw .badRequest(field: "match", "give either flows or one flow's match (and reverse), not both")
            }
            guard !list.isEmpty else { throw .badRequest(field: "flows", "must name at least one flow") }
            var flows: [MigratedFlow] = []
            for (index, item) in list.enumerated() {
                var flow = try JSONObjectReader(item, path: "flows[\(index)]")
                flows.append(try Self.flow(&flow))
                try flow.finish()
            }
            self.flows = flows
        } else if object.has("match") {
            flows = [try Self.flow(&object)]
        } else {
            throw .badRequest(field: "flows", "is required (or one flow's match)")
        }
        guard let new = try object.array("new_path") else { throw .badRequest(field: "new_path", "is required") }
        newPath = try Self.path(new, field: "new_path")
        oldPath = try object.array("old_path").map { v throws(APIError) in try Self.path(v, field: "old_path") }
        if let name = try object.string("algorithm") {
            guard let algorithm = FlowMigrationAlgorithm(rawValue: name) else {
                throw .badRequest(
                    field: "algorithm",
                    "unknown algorithm \(name.debugDescription) (\(FlowMigrationAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            self.algorithm = algorithm
        } else {
            algorithm = .consistent
        }
        drainMilliseconds = try Self.milliseconds(object.value("drain_ms"), field: "drain_ms") ?? 20
        barrierTimeoutMilliseconds = try Self.milliseconds(object.value("barrier_timeout_ms"), field: "barrier_timeout_ms")
        if let timeout = barrierTimeoutMilliseconds, timeout <= 0 {
            throw .badRequest(field: "barrier_timeout_ms", "must be more than 0")
        }
        let batch = try object.unsigned("batch_size", UInt32.self) ?? 1000
        guard batch >= 1 else { throw .badRequest(field: "batch_size", "must be at least 1") }
        batchSize = Int(batch)
        priority = try object.unsigned("priority", UInt16.self) ?? 0x8000
        cookie = try object.unsigned("cookie", UInt64.self) ?? 0
        tableID = try object.unsigned("table_id", UInt8.self) ?? 0
        guard tableID < 0xFF else { throw .badRequest(field: "table_id", "must be 0...254") }
        try object.finish()
    }

    /// The request for the planner, once the old path is known.
    func flowMigrationRequest(oldPath: [PathHop]) -> FlowMigrationRequest {
        FlowMigrationRequest(
            flows: flows, oldPath: oldPath, newPath: newPath, priority: priority, cookie: cookie, tableID: tableID)
    }

    var plannerOptions: FlowMigrationPlanner.Options {
        FlowMigrationPlanner.Options(drainInterval: .nanoseconds(Int64(drainMilliseconds * 1e6)), batchSize: batchSize)
    }

    /// One flow's `match` and `reverse` from `object` (the body itself or an item of `flows`).
    private static func flow(_ object: inout JSONObjectReader) throws(APIError) -> MigratedFlow {
        guard let raw = object.value("match") else { throw .badRequest(field: object.path("match"), "is required") }
        let forward = try fields(raw, path: object.path("match"))
        var reverse: [OXMField]?
        switch object.value("reverse") {
        case nil, .bool(false)?: reverse = nil
        case .bool(true)?: reverse = mirrored(forward)
        case let value?: reverse = try fields(value, path: object.path("reverse"))
        }
        return MigratedFlow(forward: forward, reverse: reverse)
    }

    /// A match without `in_port` (each hop has its own).
    private static func fields(_ raw: JSONValue, path: String) throws(APIError) -> [OXMField] {
        let fields = try MatchJSON.fields(raw, path: path)
        if fields.contains(where: { if case .inPort = $0 { true } else { false } }) {
            throw .badRequest(field: path + ".in_port", "a migrated flow's match has no in_port: each hop of the paths gives its own")
        }
        return fields
    }

    /// The match of the way back: sources and destinations swapped.
    static func mirrored(_ fields: [OXMField]) -> [OXMField] {
        fields.map { field in
            switch field {
            case .ethSrc(let v, let m): .ethDst(v, mask: m)
            case .ethDst(let v, let m): .ethSrc(v, mask: m)
            case .ipv4Src(let v, let m): .ipv4Dst(v, mask: m)
            case .ipv4Dst(let v, let m): .ipv4Src(v, mask: m)
            case .ipv6Src(let v, let m): .ipv6Dst(v, mask: m)
            case .ipv6Dst(let v, let m): .ipv6Src(v, mask: m)
            case .tcpSrc(let v, let m): .tcpDst(v, mask: m)
            case .tcpDst(let v, let m): .tcpSrc(v, mask: m)
            case .udpSrc(let v, let m): .udpDst(v, mask: m)
            case .udpDst(let v, let m): .udpSrc(v, mask: m)
            case .sctpSrc(let v, let m): .sctpDst(v, mask: m)
            case .sctpDst(let v, let m): .sctpSrc(v, mask: m)
            default: field
            }
        }
    }

    /// `[{"dpid": ..., "in_port": ..., "out_port": ...}, ...]`.
    private static func path(_ list: [JSONValue], field: String) throws(APIError) -> [PathHop] {
        guard !list.isEmpty else { throw .badRequest(field: field, "must have at least one hop") }
        var hops: [PathHop] = []
        for (index, item) in list.enumerated() {
            var hop = try JSONObjectReader(item, path: "\(field)[\(index)]")
            guard let dpid = hop.value("dpid") else { throw .badRequest(field: hop.path("dpid"), "is required") }
            let datapathID = try DatapathID.parse(dpid, field: hop.path("dpid"))
            let inPort = try hop.require("in_port", UInt32.self)
            let outPort = try hop.require("out_port", UInt32.self)
            for (name, port) in [("in_port", inPort), ("out_port", outPort)] where port == 0 || port >= OF13.PortNumber.max {
                throw .badRequest(field: hop.path(name), "must be a physical port (1 to 0xfffffeff)")
            }
            try hop.finish()
            hops.append(PathHop(datapathID: datapathID, inPort: inPort, outPort: outPort))
        }
        return hops
    }

    /// A non-negative number of milliseconds (integer or fraction).
    private static func milliseconds(_ value: JSONValue?, field: String) throws(APIError) -> Double? {
        switch value {
        case nil: return nil
        case .integer(let n)?: return Double(n)
        case .double(let d)? where d >= 0 && d.isFinite: return d
        case let other?: throw .badRequest(field: field, "expected a number of milliseconds (0 or more), got \(other.kindDescription)")
        }
    }
}
