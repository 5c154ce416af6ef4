import ArgumentParser
import Controller
import Foundation
import Logging
import Migration
import NIOCore
import Northbound
import OpenFlowNIO

/// `vnm controller`: runs vnm's OpenFlow controller with its built-in apps (LLDP topology
/// discovery and host tracking) and prints what it learns; with `--rest`, serves the REST API
/// and the Prometheus metrics (``NorthboundAPI``).
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller",
        abstract: "Run the OpenFlow controller (LLDP topology discovery, host tracking, REST API).",
        discussion: """
            Point switches at it, e.g. ovs-vsctl set-controller br0 tcp:127.0.0.1:6653 (start the
            controller first: Open vSwitch then connects at once). Prints the topology whenever it
            changes. Runs until interrupted. With --rest HOST:PORT it serves the REST API (/v1/switches,
            /v1/links, /v1/hosts, /v1/flows, /v1/paths, /v1/migrations) and Prometheus metrics
            (/metrics); `vnm migrate flows --controller URL` posts migrations to it.
            Logs go to standard error through swift-log, at --log-level.
            """
    )

    @Option(help: "HOST:PORT to listen on for switches (6633 is the legacy port).")
    var listen: String = "0.0.0.0:6653"

    @Option(help: "Port to listen on for switches, on the host of --listen (e.g. --port 6633).")
    var port: Int?

    @Option(help: "HOST:PORT to serve the REST API and /metrics on (off unless given), e.g. 127.0.0.1:8080.")
    var rest: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(help: "Also listen on a Unix socket (Open vSwitch 'unix:PATH' controller targets).")
    var unix: String?

    @Option(help: "LLDP probe interval in milliseconds.")
    var probeInterval: Int = 1000

    @Flag(help: "Log every connection event (--log-level debug).")
    var verbose = false

    @Option(help: "TLS: PEM certificate chain of the controller (with --tls-key and --tls-ca: switches connect with ssl:HOST:PORT).")
    var tlsCert: String?

    @Option(help: "TLS: PEM private key of the controller's certificate.")
    var tlsKey: String?

    @Option(help: "TLS: PEM CA certificates that sign the switches' certificates (switches without one are refused).")
    var tlsCa: String?

    /// The TLS configuration of the TCP listener, if the three TLS options are given.
    func tlsConfiguration() throws -> OpenFlowTLSConfiguration? {
        switch (tlsCert, tlsKey, tlsCa) {
        case (nil, nil, nil): return nil
        case (let cert?, let key?, let ca?):
            return try OpenFlowTLSConfiguration(certificateChainPath: cert, privateKeyPath: key, trustRootsPath: ca)
        default: throw ValidationError("TLS needs all three of --tls-cert, --tls-key and --tls-ca")
        }
    }

    struct AddressError: Error, CustomStringConvertible {
        var description: String
    }

    /// Splits `HOST:PORT` (IPv6 hosts in brackets: `[::1]:6653`); `option` names the option in errors.
    static func parse(listen: String, option: String = "--listen") throws -> (host: String, port: Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port)
        else {
            throw AddressError(description: "\(option) expects HOST:PORT (e.g. 127.0.0.1:6653), got \(listen.debugDescription)")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else {
            throw AddressError(description: "\(option) expects HOST:PORT: the host is missing in \(listen.debugDescription)")
        }
        return (host, port)
    }

    /// The `--log-level` value as a swift-log level.
    static func parse(logLevel: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
            throw AddressError(
                description: "--log-level expects one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), got \(logLevel.debugDescription)")
        }
        return level
    }

    func run() async throws {
        let listenAddress = try Self.parse(listen: listen)
        let host = listenAddress.host
        var port = listenAddress.port
        if let override = self.port {
            guard (0...65535).contains(override) else { throw AddressError(description: "--port expects 0...65535, got \(override)") }
            port = override
        }
        let restAddress = try rest.map { try Self.parse(listen: $0, option: "--rest") }
        let level: Logger.Level = verbose ? .debug : try Self.parse(logLevel: logLevel)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var openFlowLog = Logger(label: "vnm.openflow")
        openFlowLog.logLevel = level
        let metrics = ControllerMetrics(base: PrintOpenFlowLogger(logger: openFlowLog))
        let logger: any OpenFlowLogger = metrics
        // Switches' OFPT_ERRORs reach running migrations (POST /v1/migrations) through the tap.
        let errorTap = FlowMigrationErrorTap()
        let server = OpenFlowServer(logger: logger, inlineApp: errorTap)
        let tls = try tlsConfiguration()
        let bound = try await server.bind(host: host, port: port, tls: tls)
        if let unix { try await server.bind(unixDomainSocketPath: unix) }
        Self.say("vnm controller: listening on \(host):\(bound)\(tls == nil ? "" : " (TLS)")\(unix.map { " and unix:\($0)" } ?? "")")
        var discovery = LLDPDiscovery.Configuration()
        discovery.probeInterval = .milliseconds(Int64(max(50, probeInterval)))
        let runtime = ControllerRuntime(
            server: server, apps: [LLDPDiscovery(configuration: discovery), HostTracker(tableMissPriority: 0)],
            logger: logger)
        var restTask: Task<Void, Never>?
        if let restAddress {
            var restLog = Logger(label: "vnm.northbound")
            restLog.logLevel = level
            let api = NorthboundAPI(runtime: runtime, metrics: metrics, migrationErrorTap: errorTap)
            let app = api.application(host: restAddress.host, port: restAddress.port, logger: restLog) { channel in
                let ip = channel.localAddress?.ipAddress ?? restAddress.host
                let port = channel.localAddress?.port ?? restAddress.port
                Self.say("vnm controller: REST API on http://\(ip.contains(":") ? "[\(ip)]" : ip):\(port)/v1/ and /metrics")
            }
            restTask = Task {
                do { try await app.run() } catch { Self.say("vnm controller: the REST API stopped: \(error)") }
            }
        }
        let reporter = Task {
            var last = ""
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                let topology = await runtime.app(LLDPDiscovery.self)?.topology ?? Topology()
                let hosts = await runtime.app(HostTracker.self)?.hosts.values.map(\.description).sorted() ?? []
                let text = Self.describe(topology, hosts: hosts)
                if text != last {
                    Self.say(text)
                    last = text
                }
            }
        }
        await runtime.run()
        reporter.cancel()
        restTask?.cancel()
    }

    /// Writes a line straight to standard output: a long-running command must show each line
    /// as it happens, also when its output goes to a file (where `print` is block-buffered).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func describe(_ topology: Topology, hosts: [String]) -> String {
        let switches = topology.switches.sorted().map { String($0) }
        let links = topology.links.map(\.description).sorted()
        return "topology: \(switches.count) switches [\(switches.joined(separator: ", "))], "
            + "\(links.count) links [\(links.joined(separator: ", "))], \(hosts.count) hosts [\(hosts.joined(separator: "; "))]"
    }
}
