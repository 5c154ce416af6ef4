import ArgumentParser
import Controller
import Foundation
import OpenFlowNIO

/// `vnm slice`: the slicing proxy (FlowVisor style, the paper's second mode of network
/// virtualisation): switches connect to it; it connects to each virtual network's controller
/// and confines what that controller may do to the network's ports and flowspace.
struct SliceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slice",
        abstract: "Run the slicing proxy: one controller per virtual network, confined to its ports and flowspace.",
        discussion: """
            Point switches at --listen (ovs-vsctl set-controller br0 tcp:HOST:PORT). For each switch,
            the proxy connects to the controller of every network with ports on it and shows that
            controller only the network's ports; FLOW_MODs, PACKET_OUTs and stats requests outside the
            network's ports or flowspace are answered with OFPT_ERROR and never reach the switch.
            The --config file is JSON:
              {"networks": [{"name": "red", "flowspace": {"vlan": 10}, "controller": "127.0.0.1:6634",
                             "nodes": [{"name": "r1", "switch": 1, "ports": [1, 3]}],
                             "links": [{"from": "r1", "to": "r2", "ports": ["1:3", "2:3"]}]},
                            {"name": "blue", "flowspace": {"ipv4": ["10.2.0.0/16"]}, ...}]}
            Flowspaces must be disjoint. Runs until interrupted; prints each refusal.
            """
    )

    @Option(help: "HOST:PORT to listen on for switches.")
    var listen: String = "127.0.0.1:6653"

    @Option(help: "The networks' configuration (JSON).")
    var config: String

    @Option(help: "Also listen on a Unix socket (Open vSwitch 'unix:PATH' controller targets).")
    var unix: String?

    func run() async throws {
        let address = try ControllerCommand.parse(listen: listen)
        let tenants = try Self.load(config)
        let proxy = try SlicingProxy(tenants: tenants, logger: PrintOpenFlowLogger(minimumLevel: .warning))
        let bound = try await proxy.bind(host: address.host, port: address.port)
        if let unix { try await proxy.bind(unixDomainSocketPath: unix) }
        ControllerCommand.say("vnm slice: listening for switches on \(address.host):\(bound)\(unix.map { " and unix:\($0)" } ?? "")")
        for tenant in tenants {
            ControllerCommand.say(
                "vnm slice: \(tenant.network.name): \(tenant.network.flowspace), ports \(tenant.network.ports.sorted().map(\.description).joined(separator: " ")), controller \(tenant.controllerHost):\(tenant.controllerPort)")
        }
        let reporter = Task {
            for await event in proxy.events { ControllerCommand.say("vnm slice: \(Self.describe(event))") }
        }
        await proxy.run()
        reporter.cancel()
    }

    struct ConfigError: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads and checks the configuration file; errors name the file and the field.
    static func load(_ path: String) throws -> [SlicingProxy.Tenant] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(description: "--config: cannot read \(path)")
        }
        do {
            return try SlicingConfiguration(json: data).tenants
        } catch {
            throw ConfigError(description: "\(path): \(error)")
        }
    }

    static func describe(_ event: SlicingProxy.Event) -> String {
        switch event {
        case .switchUp(let dpid): "switch \(dpid) up"
        case .switchDown(let dpid): "switch \(dpid) down"
        case .controllerUp(let network, let dpid): "\(network): controller connected for switch \(dpid)"
        case .controllerDown(let network, let dpid, let reason): "\(network): controller for switch \(dpid) closed: \(reason)"
        case .refused(let network, let dpid, let type, let violation): "\(network): refused \(type) to switch \(dpid): \(violation)"
        }
    }
}
