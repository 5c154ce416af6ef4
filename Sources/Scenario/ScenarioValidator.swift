import NetworkAddresses

/// Checks what reading alone cannot: references between sections, uniqueness, addresses inside
/// their prefixes, paths that follow links, migrations that make sense at their time. Errors
/// name the field and, for a scenario read from a file, its line.
struct ScenarioValidator {
    let scenario: Scenario
    let sources: SourceMap

    private func fail(_ field: String, _ message: String) -> ScenarioError { sources.error(field, message) }

    func validate() throws(ScenarioError) {
        try validateMetadata()
        try validateElements()
        try validateLinks()
        try validateNetworks()
        try validateTraffic()
        try validateMigrations()
        try validateProbes()
    }

    private func validateMetadata() throws(ScenarioError) {
        guard scenario.duration > .zero else { throw fail("duration", "must be longer than 0s") }
        guard !scenario.name.isEmpty else { throw fail("name", "is empty") }
    }

    private func validateElements() throws(ScenarioError) {
        var names: [String: String] = [:]
        func declare(_ name: String, _ field: String) throws(ScenarioError) {
            if let earlier = names[name] { throw fail(field, "'\(name)' is already the name of \(earlier)") }
            names[name] = field
        }
        var dpids: [UInt64: Int] = [:]
        for (index, item) in scenario.switches.enumerated() {
            try declare(item.name, "switches[\(index)].name")
            if let earlier = dpids[item.dpid] {
                throw fail(
                    "switches[\(index)].dpid", "dpid \(item.dpid) is already that of \(scenario.switches[earlier].name)"
                )
            }
            dpids[item.dpid] = index
            guard (1...254).contains(item.tables) else { throw fail("switches[\(index)].tables", "must be 1...254") }
            guard (0...1).contains(item.reorderUnconfirmed) else {
                throw fail("switches[\(index)].reorder_unconfirmed", "must be a probability between 0 and 1")
            }
        }
        var macs: [MACAddress: String] = [:]
        func claim(_ mac: MACAddress, _ owner: String, _ field: String) throws(ScenarioError) {
            if let earlier = macs[mac] { throw fail(field, "MAC \(mac) is already used by \(earlier)") }
            macs[mac] = owner
        }
        for (index, node) in scenario.nodes.enumerated() {
            try declare(node.name, "nodes[\(index)].name")
            for (number, interface) in node.interfaces.enumerated() {
                try claim(interface.mac, "\(node.name):\(interface.name)", "nodes[\(index)].interfaces[\(number)].mac")
            }
        }
        var addresses: [IPv4Address: String] = [:]
        for (index, host) in scenario.hosts.enumerated() {
            try declare(host.name, "hosts[\(index)].name")
            try claim(host.mac, host.name, "hosts[\(index)].mac")
            if host.ip.length < 31
                && (host.ip.address == host.ip.network.address
                    || host.ip.address.rawValue | ~host.ip.mask.rawValue == host.ip.address.rawValue)
            {
                throw fail("hosts[\(index)].ip", "\(host.ip) is the network or broadcast address of its prefix")
            }
            if let earlier = addresses[host.ip.address] {
                throw fail("hosts[\(index)].ip", "\(host.ip.address) is already the address of \(earlier)")
            }
            addresses[host.ip.address] = host.name
            if let gateway = host.gateway {
                guard host.ip.contains(gateway), gateway != host.ip.address else {
                    throw fail(
                        "hosts[\(index)].gateway",
                        "\(gateway) is not another address in \(host.name)'s prefix \(host.ip.network)")
                }
            }
        }
        for network in scenario.virtualNetworks {
            for router in network.routers {
                for interface in router.interfaces {
                    let field = interfaceField(network: network.name, router: router.name, interface: interface.name)
                    try claim(interface.mac, "\(router.name):\(interface.name)", field + ".mac")
                }
            }
        }
    }

    private func interfaceField(network: String, router: String, interface: String) -> String {
        let n = scenario.virtualNetworks.firstIndex { $0.name == network }!
        let r = scenario.virtualNetworks[n].routers.firstIndex { $0.name == router }!
        let i = scenario.virtualNetworks[n].routers[r].interfaces.firstIndex { $0.name == interface }!
        return "virtual_networks[\(n)].routers[\(r)].interfaces[\(i)]"
    }

    private func validateLinks() throws(ScenarioError) {
        var used: [Scenario.Endpoint: Int] = [:]
        for (index, link) in scenario.links.enumerated() {
            for (side, end) in link.endpoints.enumerated() {
                let field = "links[\(index)].endpoints[\(side)]"
                guard scenario.kind(of: end.node) == end.kind else {
                    throw fail(field, "no \(end.kind.rawValue) is named '\(end.node)'")
                }
                let key = Scenario.Endpoint(node: end.node, kind: end.kind, port: end.port, interface: end.interface)
                if let earlier = used[key] {
                    let what =
                        end.kind == .switch
                        ? "port \(end.port) of switch \(end.node)"
                        : end.kind == .host
                            ? "host \(end.node) (a host has one interface)"
                            : "interface \(end.interface) of \(end.node)"
                    throw fail(
                        field, "\(what) is already linked by links[\(earlier)] (\(scenario.links[earlier].name))")
                }
                used[key] = index
            }
            if link.a.node == link.b.node {
                throw fail("links[\(index)].endpoints[1]", "the link joins \(link.a.node) to itself")
            }
            if link.migration {
                for (side, end) in link.endpoints.enumerated() where end.kind != .node {
                    throw fail(
                        "links[\(index)].endpoints[\(side)]",
                        "a migration link joins two physical nodes; \(end.node) is a \(end.kind.rawValue)")
                }
            }
            guard link.bandwidth.bitsPerSecond > 0 else {
                throw fail("links[\(index)].bandwidth", "must be more than 0bps")
            }
        }
        for (index, host) in scenario.hosts.enumerated() where scenario.links(of: host.name).isEmpty {
            throw fail("hosts[\(index)]", "host \(host.name) is not linked to anything: add a link to it")
        }
    }

    private func validateNetworks() throws(ScenarioError) {
        var names: [String: Int] = [:]
        var routers: [String: String] = [:]
        var routerIDs: [IPv4Address: String] = [:]
        var addresses: [IPv4Address: String] = [:]
        for host in scenario.hosts { addresses[host.ip.address] = host.name }
        for (n, network) in scenario.virtualNetworks.enumerated() {
            let base = "virtual_networks[\(n)]"
            if let earlier = names[network.name] {
                throw fail(base + ".name", "virtual_networks[\(earlier)] is already named '\(network.name)'")
            }
            names[network.name] = n
            for (k, prefix) in network.flowspace.prefixes.enumerated() where prefix.hasHostBits {
                throw fail(
                    base + ".flowspace.prefixes[\(k)]", "\(prefix) has host bits set (did you mean \(prefix.network)?)")
            }
            for (other, earlier) in scenario.virtualNetworks[..<n].enumerated()
            where earlier.flowspace.overlaps(network.flowspace) {
                throw fail(
                    base + ".flowspace",
                    "overlaps the flowspace of virtual_networks[\(other)] (\(earlier.name)):"
                        + " give each network its own vlan or disjoint prefixes"
                )
            }
            if network.mode == .slice && network.flowspace.vlan == nil && network.flowspace.prefixes.isEmpty {
                throw fail(base + ".flowspace", "a slice needs a flowspace (a vlan, prefixes or both)")
            }
            if network.mode == .apps && network.controller != nil {
                throw fail(base + ".controller", "a network's own controller needs mode: slice")
            }
            for (h, name) in network.hosts.enumerated() {
                guard let host = scenario.host(named: name) else {
                    throw fail(
                        base + ".hosts[\(h)]", "no host is named '\(name)'\(hint(name, scenario.hosts.map(\.name)))")
                }
                if !network.flowspace.prefixes.isEmpty
                    && !network.flowspace.prefixes.contains(where: { $0.contains(host.ip.address) })
                {
                    throw fail(
                        base + ".hosts[\(h)]", "\(name)'s address \(host.ip.address) is outside the network's prefixes")
                }
                if let vlan = network.flowspace.vlan, let hostVLAN = host.vlan, vlan != hostVLAN {
                    throw fail(
                        base + ".hosts[\(h)]", "\(name) tags vlan \(hostVLAN), the network's flowspace is vlan \(vlan)")
                }
            }
            try validatePaths(network, base: base)
            var virtualNames: Set<String> = Set(network.hosts)
            for (i, node) in network.nodes.enumerated() {
                guard virtualNames.insert(node.name).inserted else {
                    throw fail(base + ".nodes[\(i)].name", "'\(node.name)' is already a name in \(network.name)")
                }
                guard let kind = scenario.kind(of: node.on), kind != .host else {
                    throw fail(
                        base + ".nodes[\(i)].on",
                        "no switch or physical node is named '\(node.on)'\(hint(node.on, elementNames))")
                }
            }
            for (r, router) in network.routers.enumerated() {
                let field = base + ".routers[\(r)]"
                guard virtualNames.insert(router.name).inserted, routers[router.name] == nil else {
                    throw fail(field + ".name", "'\(router.name)' is already the name of a virtual router or node")
                }
                routers[router.name] = network.name
                if let earlier = routerIDs[router.routerID] {
                    throw fail(field + ".router_id", "\(router.routerID) is already the router id of \(earlier)")
                }
                routerIDs[router.routerID] = router.name
                guard scenario.kind(of: router.on) == .node else {
                    throw fail(
                        field + ".on",
                        "no physical node is named '\(router.on)'\(hint(router.on, scenario.nodes.map(\.name)))")
                }
                var interfaceNames: Set<String> = []
                for (i, interface) in router.interfaces.enumerated() {
                    let item = field + ".interfaces[\(i)]"
                    guard interfaceNames.insert(interface.name).inserted else {
                        throw fail(item + ".name", "\(router.name) already has an interface named \(interface.name)")
                    }
                    if let earlier = addresses[interface.address.address] {
                        throw fail(
                            item + ".address", "\(interface.address.address) is already the address of \(earlier)")
                    }
                    addresses[interface.address.address] = "\(router.name):\(interface.name)"
                    guard scenario.kind(of: interface.attach) != nil else {
                        throw fail(
                            item + ".attach",
                            "no switch, node or host is named '\(interface.attach)'"
                                + hint(interface.attach, elementNames)
                        )
                    }
                    guard scenario.interface(of: router.on, toward: interface.attach) != nil else {
                        throw fail(
                            item + ".attach",
                            "\(router.on), where \(router.name) runs, has no link to \(interface.attach)")
                    }
                }
                if router.ospf.dead <= router.ospf.hello {
                    throw fail(
                        field + ".ospf.dead",
                        "the dead interval (\(router.ospf.dead)) must be longer than hello (\(router.ospf.hello))")
                }
                if router.ospf.hello <= .zero { throw fail(field + ".ospf.hello", "must be longer than 0s") }
                if router.vm.memory.bytes < Int64(Scenario.VMSpec.pageSize) {
                    throw fail(field + ".vm.memory", "must hold at least one 4KiB page")
                }
                if router.vm.hotSet > router.vm.memory {
                    throw fail(
                        field + ".vm.hot_set", "\(router.vm.hotSet) is more than the VM's memory (\(router.vm.memory))")
                }
            }
            for (l, link) in network.links.enumerated() {
                let field = base + ".links[\(l)]"
                for (side, end) in link.between.enumerated() where !virtualNames.contains(end) {
                    throw fail(
                        field + ".between[\(side)]",
                        "no virtual node, router or host of \(network.name) is named '\(end)'\(hint(end, virtualNames))"
                    )
                }
                guard let path = network.path(named: link.path) else {
                    throw fail(
                        field + ".path",
                        "\(network.name) has no path named '\(link.path)'\(hint(link.path, network.paths.map(\.name)))")
                }
                let places = link.between.map { place(of: $0, in: network) }
                let ends = [path.nodes.first!, path.nodes.last!]
                guard places == ends || places == ends.reversed() else {
                    throw fail(
                        field + ".path",
                        "path \(path.name) runs from \(ends[0]) to \(ends[1]),"
                            + " but the link's ends are on \(places[0]) and \(places[1])"
                    )
                }
            }
        }
    }

    private var elementNames: [String] {
        scenario.switches.map(\.name) + scenario.nodes.map(\.name) + scenario.hosts.map(\.name)
    }

    private func hint(_ word: String, _ candidates: some Sequence<String>) -> String {
        Suggestion.hint(for: word, among: candidates)
    }

    /// The physical element a virtual node, router or host sits on.
    private func place(of name: String, in network: Scenario.VirtualNetwork) -> String {
        if let node = network.nodes.first(where: { $0.name == name }) { return node.on }
        if let router = network.router(named: name) { return router.on }
        return name
    }

    private func validatePaths(_ network: Scenario.VirtualNetwork, base: String) throws(ScenarioError) {
        var names: Set<String> = []
        for (p, path) in network.paths.enumerated() {
            let field = base + ".paths[\(p)]"
            guard names.insert(path.name).inserted else {
                throw fail(field, "\(network.name) already has a path named '\(path.name)'")
            }
            guard path.nodes.count >= 2 else {
                throw fail(field + ".nodes", "a path needs at least 2 elements, found \(path.nodes.count)")
            }
            var seen: Set<String> = []
            for (h, hop) in path.nodes.enumerated() {
                let hopField = field + ".nodes[\(h)]"
                guard let kind = scenario.kind(of: hop) else {
                    throw fail(hopField, "no switch, node or host is named '\(hop)'\(hint(hop, elementNames))")
                }
                guard seen.insert(hop).inserted else { throw fail(hopField, "the path visits \(hop) twice") }
                if kind == .host && h != 0 && h != path.nodes.count - 1 {
                    throw fail(hopField, "\(hop) is a host: hosts can only be the ends of a path")
                }
                if h > 0 && scenario.dataLink(between: path.nodes[h - 1], and: hop) == nil {
                    throw fail(hopField, "no link joins \(path.nodes[h - 1]) and \(hop): a path must follow links")
                }
            }
        }
        if let initial = network.initialPath, network.path(named: initial) == nil {
            throw fail(
                base + ".initial_path",
                "\(network.name) has no path named '\(initial)'\(hint(initial, network.paths.map(\.name)))")
        }
    }

    private func validateTraffic() throws(ScenarioError) {
        var names: Set<String> = []
        for (index, flow) in scenario.traffic.enumerated() {
            let base = "traffic[\(index)]"
            guard names.insert(flow.name).inserted else {
                throw fail(base + ".name", "another flow is already named '\(flow.name)'")
            }
            for (key, name) in [("from", flow.from), ("to", flow.to)] where scenario.host(named: name) == nil {
                throw fail(base + "." + key, "no host is named '\(name)'\(hint(name, scenario.hosts.map(\.name)))")
            }
            guard flow.from != flow.to else {
                throw fail(base + ".to", "a flow goes from one host to another, not to itself")
            }
            guard flow.rate.millipacketsPerSecond > 0 else { throw fail(base + ".rate", "must be more than 0pps") }
            guard Scenario.TrafficFlow.sizes.contains(Int(flow.size.bytes)) else {
                throw fail(base + ".size", "\(flow.size) is outside 64B...9018B (the Ethernet frame without FCS)")
            }
            guard flow.start < scenario.duration else {
                throw fail(
                    base + ".start", "\(flow.start) is not before the end of the scenario (\(scenario.duration))")
            }
            guard flow.start + flow.duration <= scenario.duration else {
                throw fail(
                    base + ".duration",
                    "the flow would end at \(flow.start + flow.duration), after the scenario (\(scenario.duration))")
            }
            if let network = flow.network {
                guard let found = scenario.network(named: network) else {
                    throw fail(
                        base + ".network",
                        "no virtual network is named '\(network)'\(hint(network, scenario.virtualNetworks.map(\.name)))"
                    )
                }
                for name in [flow.from, flow.to] where !found.hosts.contains(name) {
                    throw fail(base + ".network", "\(name) is not a host of virtual network \(network)")
                }
            }
        }
    }

    private func validateMigrations() throws(ScenarioError) {
        var currentPath: [String: String] = [:]
        for network in scenario.virtualNetworks { currentPath[network.name] = network.initialPath }
        var currentNode: [String: String] = [:]
        for network in scenario.virtualNetworks {
            for router in network.routers { currentNode[router.name] = router.on }
        }
        let order = scenario.migrations.indices.sorted {
            (scenario.migrations[$0].at, $0) < (scenario.migrations[$1].at, $1)
        }
        for index in order {
            let migration = scenario.migrations[index]
            let base = "migrations[\(index)]"
            guard migration.at < scenario.duration else {
                throw fail(base + ".at", "\(migration.at) is not before the end of the scenario (\(scenario.duration))")
            }
            switch migration.action {
            case .flows(let flows):
                let field = base + ".flows"
                guard let network = scenario.network(named: flows.network) else {
                    throw fail(
                        field + ".network",
                        "no virtual network is named '\(flows.network)'"
                            + hint(flows.network, scenario.virtualNetworks.map(\.name))
                    )
                }
                let pathNames = network.paths.map(\.name)
                guard let from = network.path(named: flows.from) else {
                    throw fail(
                        field + ".from",
                        "\(network.name) has no path named '\(flows.from)'\(hint(flows.from, pathNames))")
                }
                guard let to = network.path(named: flows.to) else {
                    throw fail(
                        field + ".to", "\(network.name) has no path named '\(flows.to)'\(hint(flows.to, pathNames))")
                }
                guard from.name != to.name else { throw fail(field + ".to", "the flows are already on \(to.name)") }
                guard Set([from.nodes.first!, from.nodes.last!]) == Set([to.nodes.first!, to.nodes.last!]) else {
                    throw fail(
                        field + ".to",
                        "path \(to.name) joins \(to.nodes.first!) and \(to.nodes.last!), path \(from.name) joins"
                            + " \(from.nodes.first!) and \(from.nodes.last!): both must join the same ends"
                    )
                }
                if let current = currentPath[network.name], current != from.name {
                    throw fail(
                        field + ".from",
                        "at \(migration.at) the flows of \(network.name) are on \(current), not \(from.name)")
                }
                currentPath[network.name] = to.name
            case .router(let move):
                let field = base + ".router"
                guard let (network, router) = scenario.router(named: move.router) else {
                    throw fail(field + ".router", "no virtual router is named '\(move.router)'")
                }
                guard network.name == move.network else {
                    throw fail(
                        field + ".network",
                        "\(move.router) belongs to virtual network \(network.name), not \(move.network)")
                }
                guard scenario.kind(of: move.to) == .node else {
                    throw fail(
                        field + ".to",
                        "no physical node is named '\(move.to)'\(hint(move.to, scenario.nodes.map(\.name)))")
                }
                let current = currentNode[move.router] ?? router.on
                guard move.from == current else {
                    throw fail(
                        field + ".from", "at \(migration.at) \(move.router) runs on \(current), not \(move.from)")
                }
                guard move.to != current else { throw fail(field + ".to", "\(move.router) already runs on \(current)") }
                for interface in router.interfaces
                where scenario.interface(of: move.to, toward: interface.attach) == nil {
                    throw fail(
                        field + ".to",
                        "\(move.to) has no link to \(interface.attach),"
                            + " which \(move.router):\(interface.name) is attached to"
                    )
                }
                guard scenario.migrationLink(between: current, and: move.to) != nil else {
                    throw fail(
                        field + ".to",
                        "no migration link joins \(current) and \(move.to) (add a link with migration: true)")
                }
                guard move.bandwidth.bitsPerSecond > 0 else {
                    throw fail(field + ".bandwidth", "must be more than 0bps")
                }
                currentNode[move.router] = move.to
            }
        }
    }

    private func validateProbes() throws(ScenarioError) {
        var names: Set<String> = []
        for (index, probe) in scenario.probes.enumerated() {
            let base = "probes[\(index)]"
            guard names.insert(probe.name).inserted else {
                throw fail(base + ".name", "another probe is already named '\(probe.name)'")
            }
            guard probe.interval > .zero else { throw fail(base + ".interval", "must be longer than 0s") }
            switch probe.target {
            case .flow(let flow):
                guard scenario.traffic.contains(where: { $0.name == flow }) else {
                    throw fail(
                        base + ".flow", "no traffic flow is named '\(flow)'\(hint(flow, scenario.traffic.map(\.name)))")
                }
            case .ping(let from, let to):
                for (key, name) in [("from", from), ("to", to)] where scenario.host(named: name) == nil {
                    throw fail(
                        base + ".ping." + key, "no host is named '\(name)'\(hint(name, scenario.hosts.map(\.name)))")
                }
            case .adjacency(let router):
                guard scenario.router(named: router) != nil else {
                    let all = scenario.virtualNetworks.flatMap { $0.routers.map(\.name) }
                    throw fail(base + ".adjacency", "no virtual router is named '\(router)'\(hint(router, all))")
                }
            case .link(let link):
                guard scenario.link(named: link) != nil else {
                    throw fail(base + ".link", "no link is named '\(link)'\(hint(link, scenario.links.map(\.name)))")
                }
            }
        }
    }
}
