import ArgumentParser
import Foundation
import Lab
import Scenario

/// `vnm lab`: scenario files. `validate` checks a file and summarises it, `show` prints the
/// normalised scenario (every default filled in, every port resolved) as text or JSON.
struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Scenario files: check them and show what they describe.",
        discussion: "The format is documented in scenarios/README.md; examples are in scenarios/.",
        subcommands: [Validate.self, Show.self, Run.self]
    )

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a scenario file; print a summary, or the error with its line, column and field.")

        @Argument(help: "The scenario file (YAML, or JSON from 'vnm lab show --json').")
        var file: String

        func run() async throws {
            let scenario = try LabCommand.load(file)
            print(LabCommand.summary(of: scenario))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the normalised scenario: defaults filled in, ports resolved, paths hop by hop.")

        @Argument(help: "The scenario file.")
        var file: String

        @Flag(help: "Print the normalised model as JSON (it loads back as a scenario).")
        var json = false

        func run() async throws {
            let scenario = try LabCommand.load(file)
            print(json ? ScenarioLoader.json(scenario) : LabCommand.describe(scenario))
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a scenario on the embedded substrate: traffic, probes, flow migrations; print what was measured.",
            discussion: """
                Builds the switches, hosts and links in one process, installs each virtual network's initial \
                path, sends the traffic flows and carries out the flow migrations. On the virtual clock (the \
                default) the run is seeded and deterministic and faster than real time: the same file and seed \
                give the same numbers. On the real clock it takes the scenario's duration of wall-clock time and \
                the numbers carry the machine's noise. Router migrations are reported as not supported yet.
                """)

        enum ClockChoice: String, ExpressibleByArgument, CaseIterable {
            case real, virtual
        }

        @Argument(help: "The scenario file.")
        var file: String

        @Option(help: "The clock: virtual (seeded, deterministic, faster than real time) or real; default: the scenario's.")
        var clock: ClockChoice?

        @Option(help: "Overrides the scenario's seed.")
        var seed: UInt64?

        @Flag(help: "Print the result as one JSON object (sorted keys).")
        var json = false

        func run() async throws {
            var scenario = try LabCommand.load(file)
            if let clock { scenario.clock = clock == .real ? .real : .virtual }
            let result: ScenarioRunResult
            let name = scenario.name
            let clockName = scenario.clock.rawValue
            do {
                result = try await ScenarioRunner.run(
                    scenario,
                    options: .init(
                        seed: seed,
                        onProgress: { elapsed, end in
                            let line =
                                name
                                + String(
                                    format: ": %.1f s of %.1f s", Double(elapsed.nanoseconds) / 1e9,
                                    Double(end.nanoseconds) / 1e9) + " (\(clockName) clock)"
                            FileHandle.standardError.write(Data((line + "\n").utf8))
                        }))
            } catch {
                FileHandle.standardError.write(Data(("\(file): \(error)\n").utf8))
                throw ExitCode.failure
            }
            print(json ? Self.jsonText(result) : Self.summary(result))
        }

        static func jsonText(_ result: ScenarioRunResult) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return (try? String(decoding: encoder.encode(result), as: UTF8.self)) ?? "{}"
        }

        static func summary(_ result: ScenarioRunResult) -> String {
            func f(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "-" }
            var lines = [
                "\(result.scenario): ran \(f(result.durationMilliseconds / 1000)) s on the \(result.clock) clock, seed \(result.seed)"
            ]
            for flow in result.flows {
                let r = flow.report
                lines.append(
                    "  flow \(flow.name) (\(flow.from) -> \(flow.to)): sent \(r.sent), received \(r.received), lost \(r.lost), "
                        + "reordered \(r.reordered), longest gap \(f(r.longestGapMilliseconds)) ms, "
                        + "latency p50 \(f(r.latencyP50Milliseconds)) ms, p99 \(f(r.latencyP99Milliseconds)) ms")
            }
            for m in result.migrations {
                var line = "  migration at \(f(m.atMilliseconds)) ms, \(m.kind) \(m.network) \(m.from) -> \(m.to) (\(m.algorithm)): \(m.outcome)"
                if m.kind == "flows" {
                    line += ", total_migration_ms \(f(m.totalMigrationMilliseconds)), confirmed_ms \(f(m.confirmedMilliseconds))"
                    line += ", \(m.flowMods.map(String.init) ?? "-") flow-mods"
                }
                if let reason = m.reason { line += " (\(reason))" }
                lines.append(line)
            }
            for link in result.links {
                let c = link.counters
                lines.append(
                    "  link \(link.name): delivered \(c.delivered), queue drops \(c.queueDrops), loss drops \(c.lossDrops), down drops \(c.downDrops)")
            }
            for ping in result.pings {
                lines.append(
                    "  ping \(ping.name) (\(ping.from) -> \(ping.to)): \(ping.sent) sent, \(ping.replies) replies, "
                        + "\(ping.timeouts) timeouts, rtt min/median/max \(f(ping.rttMinMilliseconds))/"
                        + "\(f(ping.rttMedianMilliseconds))/\(f(ping.rttMaxMilliseconds)) ms")
            }
            for note in result.notes { lines.append("  note: \(note)") }
            return lines.joined(separator: "\n")
        }
    }

    /// Loads the file, or writes the positioned error (`file:line:column: field: message`) alone on
    /// standard error and exits with status 1.
    static func load(_ file: String) throws -> Scenario {
        do {
            return try ScenarioLoader.load(file: file)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode.failure
        }
    }

    static func plural(_ count: Int, _ noun: String, _ nouns: String? = nil) -> String {
        "\(count) \(count == 1 ? noun : nouns ?? noun + "s")"
    }

    /// The counts `vnm lab validate` prints.
    static func summary(of scenario: Scenario) -> String {
        let migrationLinks = scenario.links.filter(\.migration).count
        let routers = scenario.virtualNetworks.reduce(0) { $0 + $1.routers.count }
        let flowMigrations = scenario.migrations.filter { if case .flows = $0.action { true } else { false } }.count
        let switches = plural(scenario.switches.count, "switch", "switches")
        let physical =
            "\(switches), \(plural(scenario.nodes.count, "node")), \(plural(scenario.hosts.count, "host")),"
            + " \(plural(scenario.links.count, "link")) (\(migrationLinks) for migration)"
        let virtual =
            "\(plural(scenario.virtualNetworks.count, "virtual network")), \(plural(routers, "virtual router"))"
        let routerMigrations = scenario.migrations.count - flowMigrations
        let events =
            "\(plural(scenario.traffic.count, "traffic flow")), \(plural(scenario.migrations.count, "migration"))"
            + " (\(flowMigrations) of flows, \(routerMigrations) of routers), \(plural(scenario.probes.count, "probe"))"
        return """
            \(scenario.name): valid
              physical: \(physical)
              virtual: \(virtual)
              \(events)
              duration \(scenario.duration), seed \(scenario.seed), clock \(scenario.clock.rawValue)
            """
    }

    /// The normalised scenario as readable text.
    static func describe(_ scenario: Scenario) -> String {
        var lines = [summary(of: scenario).replacingOccurrences(of: ": valid", with: "")]
        if let text = scenario.description { lines.append("  \(text)") }
        if !scenario.switches.isEmpty { lines.append("switches:") }
        for item in scenario.switches {
            var knobs = [
                "dpid \(item.dpid)", "\(item.tables) tables", "OF\(item.openflow.rawValue)", item.failMode.rawValue,
            ]
            if item.flowModDelay > .zero { knobs.append("flow-mod delay \(item.flowModDelay)") }
            if item.flowModJitter > .zero { knobs.append("jitter \(item.flowModJitter)") }
            if item.reorderUnconfirmed > 0 { knobs.append("reorders unconfirmed \(item.reorderUnconfirmed)") }
            lines.append("  \(item.name): \(knobs.joined(separator: ", "))")
        }
        if !scenario.nodes.isEmpty { lines.append("physical nodes:") }
        for node in scenario.nodes {
            let interfaces = node.interfaces.map { "\($0.name) \($0.mac)\($0.ip.map { " \($0)" } ?? "")" }
            lines.append("  \(node.name): \(interfaces.joined(separator: "; "))")
        }
        if !scenario.hosts.isEmpty { lines.append("hosts:") }
        for host in scenario.hosts {
            var parts = ["\(host.ip)", "mac \(host.mac)"]
            if let gateway = host.gateway { parts.append("gateway \(gateway)") }
            if let vlan = host.vlan { parts.append("vlan \(vlan)") }
            lines.append("  \(host.name): \(parts.joined(separator: ", "))")
        }
        if !scenario.links.isEmpty { lines.append("links:") }
        for link in scenario.links {
            func end(_ e: Scenario.Endpoint) -> String {
                e.kind == .switch ? "\(e.node):\(e.port)" : "\(e.node):\(e.interface)"
            }
            var parts = ["\(link.latency)", "\(link.bandwidth)", "queue \(link.queue)"]
            if link.loss > 0 { parts.append("loss \(link.loss)") }
            if link.migration { parts.append("migration") }
            lines.append("  \(link.name): \(end(link.a)) <-> \(end(link.b)), \(parts.joined(separator: ", "))")
        }
        lines.append(
            "controller: \(scenario.controller.listen ?? "in-process"),"
                + " apps \(scenario.controller.apps.joined(separator: ", "))"
        )
        for network in scenario.virtualNetworks {
            var flowspace: [String] = []
            if let vlan = network.flowspace.vlan { flowspace.append("vlan \(vlan)") }
            flowspace += network.flowspace.prefixes.map(\.description)
            lines.append(
                "virtual network \(network.name) (\(network.mode.rawValue);"
                    + " flowspace \(flowspace.isEmpty ? "any" : flowspace.joined(separator: ", ")))"
            )
            if !network.hosts.isEmpty { lines.append("  hosts: \(network.hosts.joined(separator: ", "))") }
            if !network.apps.isEmpty { lines.append("  apps: \(network.apps.joined(separator: ", "))") }
            if let controller = network.controller { lines.append("  controller: \(controller)") }
            for path in network.paths {
                let hops =
                    scenario.hops(along: path)?.map { hop in
                        hop.kind == .switch
                            ? (hop.ingress.map { "\($0.port)>" } ?? "") + hop.node
                                + (hop.egress.map { ">\($0.port)" } ?? "")
                            : hop.node
                    } ?? path.nodes
                let initial = network.initialPath == path.name ? " (initial)" : ""
                lines.append("  path \(path.name)\(initial): \(hops.joined(separator: " "))")
            }
            for node in network.nodes { lines.append("  node \(node.name) on \(node.on)") }
            for link in network.links {
                lines.append("  link \(link.name): \(link.between.joined(separator: " - ")) over path \(link.path)")
            }
            for router in network.routers {
                lines.append(
                    "  router \(router.name) on \(router.on), id \(router.routerID),"
                        + " VM \(router.vm.memory) dirtying \(router.vm.dirtyRate) pages/s"
                )
                for interface in router.interfaces {
                    let binding = scenario.interface(of: router.on, toward: interface.attach)?.interface ?? "?"
                    lines.append(
                        "    \(interface.name) \(interface.address) \(interface.mac) -> \(interface.attach)"
                            + " (bound to \(router.on):\(binding))"
                    )
                }
            }
        }
        if !scenario.traffic.isEmpty { lines.append("traffic:") }
        for flow in scenario.traffic {
            lines.append(
                "  \(flow.name): \(flow.from) -> \(flow.to) UDP port \(flow.port), \(flow.rate) of \(flow.size)"
                    + " from \(flow.start) for \(flow.duration) (\(flow.packetCount) packets)"
                    + (flow.network.map { ", in \($0)" } ?? "")
            )
        }
        if !scenario.migrations.isEmpty { lines.append("migrations:") }
        for migration in scenario.timeline {
            switch migration.action {
            case .flows(let flows):
                lines.append(
                    "  at \(migration.at): flows of \(flows.network) from \(flows.from) to \(flows.to),"
                        + " \(flows.algorithm.rawValue)"
                )
            case .router(let router):
                lines.append(
                    "  at \(migration.at): router \(router.router) from \(router.from) to \(router.to),"
                        + " \(router.scheme.rawValue), pre-copy at \(router.bandwidth)"
                )
            }
        }
        if !scenario.probes.isEmpty { lines.append("probes:") }
        for probe in scenario.probes {
            let target: String
            switch probe.target {
            case .flow(let flow): target = "receiver of \(flow)"
            case .ping(let from, let to): target = "ping \(from) -> \(to)"
            case .adjacency(let router): target = "OSPF adjacencies of \(router)"
            case .link(let link): target = "counters of link \(link)"
            }
            lines.append("  \(probe.name): \(target) every \(probe.interval)")
        }
        return lines.joined(separator: "\n")
    }
}
