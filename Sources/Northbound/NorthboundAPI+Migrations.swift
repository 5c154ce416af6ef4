import Controller
import Foundation
import Hummingbird
import Migration
import NIOCore
import OpenFlow
import OpenFlowNIO

/// `POST /v1/migrations`: plans a ``MigrationRequest`` and carries it out with
/// ``FlowMigrationDriver`` over the controller's connections; answers when the executor has
/// finished.
///
/// | outcome | status | body |
/// |---|---|---|
/// | completed | 200 | the ``FlowMigrationReport`` (`outcome`, `flow_mods`, `barriers`, `confirmed_ms`, `phases`, ...) plus `old_path`, `new_path` |
/// | rolled back | 409 | the same, with `error: "migration_rolled_back"` and `message`: why (the switch's error, the silent switch); the old path carries the flows |
/// | rollback failed | 502 | the same, with `error: "migration_rollback_failed"` |
///
/// Bad bodies are 400s naming the field (`new_path[1].out_port`, `flows[0].match.udp_dst`,
/// `algorithm`); a switch of either path that is not connected is a 404 naming its hop; an old
/// path that cannot be traced (no `old_path` given) is a 409 `old_path_unknown`.
extension NorthboundAPI {
    func migrate(_ request: Request) async -> Response {
        do {
            guard let body = try await NorthboundJSON.body(of: request) else {
                throw APIError.badRequest(field: nil, "a JSON migration request is required")
            }
            let migration = try MigrationRequest(json: body)
            return try await migrate(migration)
        } catch let error as APIError {
            return NorthboundJSON.response(error.body, status: error.status)
        } catch {
            return NorthboundJSON.response(
                APIError(status: .internalServerError, code: "internal", message: "\(error)").body, status: .internalServerError)
        }
    }

    /// Carries out `migration`; the answer as described above.
    func migrate(_ migration: MigrationRequest) async throws -> Response {
        let connections = await runtime.connections
        for (name, path) in [("new_path", migration.newPath), ("old_path", migration.oldPath ?? [])] {
            for (index, hop) in path.enumerated() where connections[hop.datapathID] == nil {
                throw APIError.unknownSwitch(hop.datapathID, field: "\(name)[\(index)].dpid")
            }
        }
        let oldPath: [PathHop]
        if let given = migration.oldPath {
            oldPath = given
        } else {
            oldPath = try await traceOldPath(migration, connections: connections)
        }
        let plan: FlowMigrationPlan
        do {
            plan = try FlowMigrationPlanner.plan(
                migration.flowMigrationRequest(oldPath: oldPath), algorithm: migration.algorithm,
                options: migration.plannerOptions)
        } catch {
            throw APIError.badRequest(field: Self.field(of: error, newPathLength: migration.newPath.count), error.description)
        }
        let timeout = migration.barrierTimeoutMilliseconds.map { TimeAmount.nanoseconds(Int64($0 * 1e6)) }
            ?? .nanoseconds(switchTimeout.components.seconds * 1_000_000_000 + switchTimeout.components.attoseconds / 1_000_000_000)
        let configuration = FlowMigrationExecutor.Configuration(
            barrierTimeout: timeout, rollbackDrain: migration.plannerOptions.drainInterval,
            firstXID: MigrationXIDs.shared.next())
        let report = await FlowMigrationDriver.run(
            plan, connections: connections, errorTap: migrationErrorTap, configuration: configuration)

        var answer = try Self.json(report)
        answer["old_path"] = Self.json(oldPath)
        answer["new_path"] = Self.json(migration.newPath)
        let status: HTTPResponse.Status
        switch report.outcome {
        case .completed:
            status = .ok
        case .rolledBack:
            status = .conflict
            answer["status"] = .integer(UInt64(status.code))
            answer["error"] = .string("migration_rolled_back")
            answer["message"] = .string(
                "the migration was rolled back and the old path carries the flows: \(report.reason ?? "no reason given")")
        case .rollbackFailed:
            status = .badGateway
            answer["status"] = .integer(UInt64(status.code))
            answer["error"] = .string("migration_rollback_failed")
            answer["message"] = .string(
                "the migration failed and its rollback could not be confirmed everywhere: \(report.reason ?? "no reason given")")
        }
        return NorthboundJSON.response(JSONValue.object(answer), status: status)
    }

    /// The field of the request a planning error is about.
    static func field(of error: FlowMigrationPlanError, newPathLength: Int) -> String? {
        switch error {
        case .noFlows: "flows"
        case .emptyPath(let which), .loopingPath(let which, _, _): "\(which)_path"
        case .differentIngress: "new_path[0]"
        case .differentEgress: "new_path[\(max(0, newPathLength - 1))]"
        case .inconsistentCabling, .noLoopFreeOrder: "new_path"
        case .badOption: "drain_ms"
        }
    }

    static func json(_ report: FlowMigrationReport) throws -> [String: JSONValue] {
        let data = try JSONEncoder().encode(report)
        guard case .object(let object) = try JSONDecoder().decode(JSONValue.self, from: data) else { return [:] }
        return object
    }

    static func json(_ path: [PathHop]) -> JSONValue {
        .array(
            path.map {
                .object([
                    "dpid": .string(DatapathID.format($0.datapathID)), "in_port": .integer(UInt64($0.inPort)),
                    "out_port": .integer(UInt64($0.outPort)),
                ])
            })
    }

    /// The path the first flow follows now: from where the new path enters, each switch's entry
    /// for the flow (its fields plus `in_port`, at the request's priority and table) gives the
    /// output port, and the discovered link on that port the next switch; it ends at the new
    /// path's last switch and out port.
    func traceOldPath(_ migration: MigrationRequest, connections: [UInt64: OpenFlowConnection]) async throws -> [PathHop] {
        guard let first = migration.newPath.first, let last = migration.newPath.last, let flow = migration.flows.first else {
            throw APIError.badRequest(field: "new_path", "must have at least one hop")
        }
        var links: [Endpoint: Endpoint] = [:]
        for link in await topology().links { links[link.source] = link.destination }
        func unknown(_ message: String) -> APIError {
            APIError(
                status: .conflict, code: "old_path_unknown",
                message: "cannot trace the old path from the flow tables (\(message)); give old_path", field: "old_path")
        }
        var hops: [PathHop] = []
        var at = Endpoint(datapathID: first.datapathID, port: first.inPort)
        while true {
            guard hops.count < 64, !hops.contains(where: { $0.datapathID == at.datapathID && $0.inPort == at.port }) else {
                throw unknown("the flow's entries loop at switch \(DatapathID.format(at.datapathID)) port \(at.port)")
            }
            guard let connection = connections[at.datapathID] else { throw APIError.unknownSwitch(at.datapathID, field: "old_path") }
            let wanted = Set([OXMField.inPort(at.port)] + flow.forward)
            let statsRequest = OF13.MultipartRequest(
                body: .flow(OF13.FlowStatsRequest(tableID: migration.tableID, match: .ordered(Array(wanted)))))
            let dpid = at.datapathID
            let replies = try await exchange(with: dpid) { try await connection.requestAll(.of13(.multipartRequest(statsRequest), xid: 0)) }
            var output: UInt32?
            for reply in replies {
                guard case .of13(.multipartReply(let multipart), _) = reply, case .flow(let list) = multipart.body else { continue }
                for entry in list.elements
                where entry.priority == migration.priority && entry.tableID == migration.tableID
                    && Set(entry.match.fields.elements) == wanted
                {
                    for instruction in entry.instructions.elements {
                        guard case .applyActions(let actions) = instruction else { continue }
                        for action in actions.elements { if case .output(let port, _) = action { output = port } }
                    }
                }
            }
            guard let output else {
                throw unknown("switch \(DatapathID.format(dpid)) has no entry for the flow from port \(at.port) at priority \(migration.priority)")
            }
            hops.append(PathHop(datapathID: dpid, inPort: at.port, outPort: output))
            if dpid == last.datapathID && output == last.outPort { return hops }
            guard let next = links[Endpoint(datapathID: dpid, port: output)] else {
                throw unknown("switch \(DatapathID.format(dpid)) sends the flow out of port \(output), which leads to no discovered switch")
            }
            at = next
        }
    }
}

/// Xid ranges for concurrent migrations: each gets its own block of 2^16, so that an
/// `OFPT_ERROR` is traced to the migration (and step) that caused it.
final class MigrationXIDs: @unchecked Sendable {
    static let shared = MigrationXIDs()
    private let lock = NSLock()
    private var block: UInt32 = 0

    func next() -> UInt32 {
        lock.withLock {
            defer { block = (block + 1) % 0x0E00 }
            return 0xF100_0000 &+ block << 16
        }
    }
}
