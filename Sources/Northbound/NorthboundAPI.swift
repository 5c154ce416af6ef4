import Controller
import Foundation
import Hummingbird
import Logging
import Migration
import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO

/// The controller's REST API (JSON over HTTP, Hummingbird 2) and its Prometheus endpoint.
///
/// | route | answer |
/// |---|---|
/// | `GET /v1/switches` | the connected OpenFlow 1.3 switches: datapath id, version, ports, connected since |
/// | `GET /v1/links` | the directed links LLDP discovery found |
/// | `GET /v1/hosts` | the hosts seen, with where they are attached |
/// | `GET /v1/flows?dpid=` | the switch's flows, read with `OFPMP_FLOW` |
/// | `POST /v1/flows` | installs a flow (``FlowSpec``); 201 once a barrier confirmed it |
/// | `DELETE /v1/flows` | deletes flows (``FlowDeletion``); 200 once a barrier confirmed it |
/// | `POST /v1/paths` | installs a shortest path (``PathRequest``); 201 with its hops |
/// | `POST /v1/migrations` | moves flows to a new path (``MigrationRequest``); 200 with the ``FlowMigrationReport``, 409 if rolled back |
/// | `GET /metrics` | ``ControllerMetrics`` in the Prometheus text format |
///
/// Errors are ``APIError``s: 400 naming the bad field, 404 for an unknown switch, host or
/// path, 502 with the switch's `OFPT_ERROR`, 504 if the switch does not answer within
/// ``switchTimeout``.
public struct NorthboundAPI: Sendable {
    public let runtime: ControllerRuntime
    public let metrics: ControllerMetrics?
    /// How long one switch may take to answer a request or confirm a change.
    public var switchTimeout: Duration
    /// The OpenFlow server's inline app that passes switches' `OFPT_ERROR`s to running
    /// migrations (`POST /v1/migrations`); without it a refused FLOW_MOD is noticed only if it
    /// makes a barrier fail.
    public let migrationErrorTap: FlowMigrationErrorTap?

    public init(
        runtime: ControllerRuntime, metrics: ControllerMetrics? = nil, switchTimeout: Duration = .seconds(5),
        migrationErrorTap: FlowMigrationErrorTap? = nil
    ) {
        self.runtime = runtime
        self.metrics = metrics
        self.switchTimeout = switchTimeout
        self.migrationErrorTap = migrationErrorTap
    }

    /// The routes, for an `Application` or for HummingbirdTesting.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/v1/switches") { _, _ in await answer { try await switches() } }
        router.get("/v1/links") { _, _ in await answer { try await links() } }
        router.get("/v1/hosts") { _, _ in await answer { try await hosts() } }
        router.get("/v1/flows") { request, _ in await answer { try await flows(request) } }
        router.post("/v1/flows") { request, _ in await answer(status: .created) { try await addFlow(request) } }
        router.delete("/v1/flows") { request, _ in await answer { try await deleteFlows(request) } }
        router.post("/v1/paths") { request, _ in await answer(status: .created) { try await addPath(request) } }
        router.post("/v1/migrations") { request, _ in await migrate(request) }
        router.get("/metrics") { _, _ -> Response in
            guard let metrics else {
                return NorthboundJSON.response(
                    APIError(status: .notFound, code: "not_found", message: "metrics are not kept by this controller").body,
                    status: .notFound)
            }
            var buffer = ByteBuffer()
            buffer.writeString(metrics.exposition())
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: buffer))
        }
        return router
    }

    /// An HTTP server for the API on `host`:`port` (`onServerRunning` is told the bound channel,
    /// useful with port 0).
    public func application(
        host: String, port: Int, logger: Logger = Logger(label: "vnm.northbound"),
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "vnm"),
            onServerRunning: onServerRunning, logger: logger)
    }

    /// Runs `body` and writes its JSON with `status`, or the error it threw.
    private func answer(status: HTTPResponse.Status = .ok, _ body: () async throws -> JSONValue) async -> Response {
        do {
            return NorthboundJSON.response(try await body(), status: status)
        } catch let error as APIError {
            return NorthboundJSON.response(error.body, status: error.status)
        } catch {
            return NorthboundJSON.response(
                APIError(status: .internalServerError, code: "internal", message: "\(error)").body, status: .internalServerError)
        }
    }

    // MARK: Topology

    func switches() async throws -> JSONValue {
        let (datapaths, since, connections) = await (runtime.datapaths, runtime.connectedSince, runtime.connections)
        let now = NIODeadline.now()
        let wallNow = Date()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let list: [JSONValue] = datapaths.keys.sorted().compactMap { dpid in
            guard let info = datapaths[dpid] else { return nil }
            var object: [String: JSONValue] = [
                "dpid": .string(DatapathID.format(dpid)),
                "version": .string(info.version == OpenFlowVersion.v13 ? "1.3" : "1.0"),
                "n_tables": .integer(UInt64(info.tableCount)),
                "n_buffers": .integer(UInt64(info.bufferCount)),
                "capabilities": .integer(UInt64(info.capabilities)),
                "ports": .array(info.ports.sorted { $0.number < $1.number }.map(Self.json(port:))),
            ]
            if let connectedAt = since[dpid] {
                let seconds = Double((now - connectedAt).nanoseconds) / 1e9
                object["connected_since"] = .string(formatter.string(from: wallNow.addingTimeInterval(-seconds)))
                object["connected_seconds"] = .double((seconds * 1000).rounded() / 1000)
            }
            if let peer = connections[dpid]?.remoteAddress { object["peer"] = .string("\(peer)") }
            return .object(object)
        }
        return .object(["switches": .array(list)])
    }

    static func json(port: SwitchPort) -> JSONValue {
        .object([
            "port_no": ActionJSON.json(port: port.number), "name": .string(port.name),
            "hw_addr": .string(port.hardwareAddress.description), "admin_down": .bool(port.isAdminDown),
            "link_down": .bool(port.isLinkDown),
        ])
    }

    static func json(_ endpoint: Endpoint) -> JSONValue {
        .object(["dpid": .string(DatapathID.format(endpoint.datapathID)), "port_no": .integer(UInt64(endpoint.port))])
    }

    func topology() async -> Topology {
        var topology = await runtime.app(LLDPDiscovery.self)?.topology ?? Topology()
        for dpid in await runtime.datapaths.keys { topology.addSwitch(dpid) }
        return topology
    }

    func links() async throws -> JSONValue {
        let links = await topology().links.sorted()
        return .object(["links": .array(links.map { .object(["src": Self.json($0.source), "dst": Self.json($0.destination)]) })])
    }

    func hosts() async throws -> JSONValue {
        let hosts = await runtime.app(HostTracker.self)?.hosts.values.sorted { $0.mac < $1.mac } ?? []
        let now = NIODeadline.now()
        return .object([
            "hosts": .array(
                hosts.map { host in
                    .object([
                        "mac": .string(host.mac.description), "ipv4": host.ipv4.map { JSONValue.string($0.description) } ?? .null,
                        "location": Self.json(host.location),
                        "last_seen_seconds_ago": .double((Double((now - host.lastSeen).nanoseconds) / 1e6).rounded() / 1000),
                    ])
                })
        ])
    }

    // MARK: Flows

    /// The switch's connection, or 404.
    func connection(_ dpid: UInt64, field: String? = "dpid") async throws(APIError) -> OpenFlowConnection {
        guard let connection = await runtime.connections[dpid] else { throw .unknownSwitch(dpid, field: field) }
        return connection
    }

    /// Runs an exchange with switch `dpid` under ``switchTimeout``, mapping what goes wrong to
    /// 502 and 504.
    func exchange<T: Sendable>(with dpid: UInt64?, timeout: Duration? = nil, _ body: @escaping @Sendable () async throws -> T)
        async throws -> T
    {
        let limit = timeout ?? switchTimeout
        do {
            return try await withTimeout(
                limit,
                error: dpid.map { APIError.switchTimeout($0, after: limit) }
                    ?? APIError(status: .gatewayTimeout, code: "switch_timeout", message: "the switches did not answer within \(limit)"),
                body)
        } catch let error as OpenFlowConnectionError {
            guard let dpid else { throw APIError(status: .badGateway, code: "switch_error", message: "\(error)") }
            switch error {
            case .switchError(let message): throw APIError.switchError(dpid, [message])
            case .closed(let reason): throw APIError.switchDisconnected(dpid, "\(reason)")
            default: throw APIError(status: .badGateway, code: "switch_error", message: "\(error)", datapathID: dpid)
            }
        } catch let error as ControllerRuntimeError {
            switch error {
            case .notConnected(let id): throw APIError.unknownSwitch(id, field: nil)
            case .switchError(let id, let messages): throw APIError.switchError(id, messages)
            }
        }
    }

    func flows(_ request: Request) async throws -> JSONValue {
        let query = request.uri.queryParameters
        for (key, _) in query where key != "dpid" && key != "table_id" {
            throw APIError.badRequest(field: String(key), "unknown query parameter (dpid, table_id)")
        }
        let dpid = try DatapathID.parse(query: query["dpid"], field: "dpid")
        var statsRequest = OF13.FlowStatsRequest()
        if let table = query["table_id"] {
            statsRequest.tableID = try JSONValue.string(String(table)).unsigned(UInt8.self, field: "table_id")
        }
        let connection = try await connection(dpid)
        let request = OF13.MultipartRequest(body: .flow(statsRequest))
        let replies = try await exchange(with: dpid) { try await connection.requestAll(.of13(.multipartRequest(request), xid: 0)) }
        var stats: [OF13.FlowStats] = []
        for reply in replies {
            if case .of13(.multipartReply(let multipart), _) = reply, case .flow(let list) = multipart.body {
                stats.append(contentsOf: list)
            }
        }
        stats.sort { ($0.tableID, $1.priority, $0.cookie) < ($1.tableID, $0.priority, $1.cookie) }
        let flows: [JSONValue] = stats.map { stat in
            var object = FlowSpec.json(
                tableID: stat.tableID, priority: stat.priority, cookie: stat.cookie, idleTimeout: stat.idleTimeout,
                hardTimeout: stat.hardTimeout, flags: stat.flags, match: stat.match, instructions: stat.instructions)
            object["packet_count"] = .integer(stat.packetCount)
            object["byte_count"] = .integer(stat.byteCount)
            object["duration_seconds"] = .double(Double(stat.durationSeconds) + Double(stat.durationNanoseconds) / 1e9)
            return .object(object)
        }
        return .object(["dpid": .string(DatapathID.format(dpid)), "flows": .array(flows)])
    }

    func addFlow(_ request: Request) async throws -> JSONValue {
        guard let body = try await NorthboundJSON.body(of: request) else {
            throw APIError.badRequest(field: nil, "a JSON flow is required")
        }
        let spec = try FlowSpec(json: body)
        try await confirm([spec.flowMod], on: spec.datapathID)
        return spec.json
    }

    func deleteFlows(_ request: Request) async throws -> JSONValue {
        let body: JSONValue
        if let json = try await NorthboundJSON.body(of: request) {
            body = json
        } else {
            var object: [String: JSONValue] = [:]
            for (key, value) in request.uri.queryParameters { object[String(key)] = .string(String(value)) }
            body = .object(object)
        }
        let deletion = try FlowDeletion(json: body)
        try await confirm([deletion.flowMod], on: deletion.datapathID)
        return deletion.json
    }

    /// Sends `flowMods` and a barrier; returns when the barrier confirmed them, throws 502 if
    /// the switch refused one.
    func confirm(_ flowMods: [OF13.FlowMod], on dpid: UInt64) async throws {
        let connection = try await connection(dpid)
        let errors = try await exchange(with: dpid) {
            try await connection.sendConfirmed(flowMods.map { .of13(.flowMod($0), xid: 0) })
        }
        if !errors.isEmpty { throw APIError.switchError(dpid, errors) }
    }

    // MARK: Paths

    func addPath(_ request: Request) async throws -> JSONValue {
        guard let body = try await NorthboundJSON.body(of: request) else {
            throw APIError.badRequest(field: nil, "a JSON path request is required")
        }
        let path = try PathRequest(json: body)
        let source = try await resolve(path.source, field: "src")
        let destination = try await resolve(path.destination, field: "dst")
        guard let hops = await topology().hops(from: source, to: destination) else {
            throw APIError(
                status: .notFound, code: "no_path",
                message: "no discovered path from switch \(DatapathID.format(source.datapathID)) to \(DatapathID.format(destination.datapathID))")
        }
        let flows = PathInstaller.flowMods(
            match: path.match, path: hops, priority: path.priority, cookie: path.cookie, idleTimeout: path.idleTimeout,
            hardTimeout: path.hardTimeout, tableID: path.tableID)
        let runtime = self.runtime
        try await exchange(with: nil, timeout: switchTimeout * max(1, flows.count)) { try await runtime.install(flows) }
        return .object([
            "src": Self.json(source), "dst": Self.json(destination),
            "hops": .array(
                hops.map {
                    .object([
                        "dpid": .string(DatapathID.format($0.datapathID)), "in_port": .integer(UInt64($0.inPort)),
                        "out_port": .integer(UInt64($0.outPort)),
                    ])
                }),
            "flow_count": .integer(UInt64(flows.reduce(0) { $0 + $1.flowMods.count })),
        ])
    }

    /// Where an endpoint of a path request is; 404 for an unknown host or switch.
    func resolve(_ spec: PathRequest.EndpointSpec, field: String) async throws(APIError) -> Endpoint {
        switch spec {
        case .port(let dpid, let port):
            guard await runtime.datapaths[dpid] != nil else { throw .unknownSwitch(dpid, field: field + ".dpid") }
            return Endpoint(datapathID: dpid, port: port)
        case .ipv4(let address):
            guard let host = await runtime.app(HostTracker.self)?.host(ipv4: address) else {
                throw APIError(status: .notFound, code: "unknown_host", message: "no host with IPv4 address \(address) has been seen", field: field + ".host")
            }
            return host.location
        case .mac(let mac):
            guard let host = await runtime.app(HostTracker.self)?.hosts[mac] else {
                throw APIError(status: .notFound, code: "unknown_host", message: "no host with MAC address \(mac) has been seen", field: field + ".host")
            }
            return host.location
        }
    }
}
