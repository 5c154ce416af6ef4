import NetworkAddresses
import Yams

/// Reads a composed YAML document into a ``Scenario``: checks every key and value, fills in the
/// defaults, resolves names to elements and link endpoints to ports. Sections are read in the
/// order their references need (elements before links, links before paths), not file order.
struct ScenarioReader {
    let root: YAMLField
    let defaultName: String
    var scenario = Scenario(name: "")
    /// Element name → kind, and where its name was written.
    var elements: [String: (kind: Scenario.ElementKind, field: YAMLField)] = [:]
    /// Physical nodes whose interfaces the file lists: links may use only those.
    var declaredInterfaces: Set<String> = []

    init(root: YAMLField, defaultName: String) {
        self.root = root
        self.defaultName = defaultName
    }

    static let topKeys = [
        "name", "description", "duration", "seed", "clock", "switches", "nodes", "hosts", "links", "controller",
        "virtual_networks", "traffic", "migrations", "probes",
    ]

    mutating func read() throws(ScenarioError) -> Scenario {
        if root.isNull {
            throw root.error("the file is empty: expected a scenario (name, switches, hosts, links, ...)")
        }
        let top = try root.mapping(Self.topKeys)
        scenario.name = try top.optional("name")?.name() ?? defaultName
        scenario.description = try top.optional("description")?.text()
        scenario.duration = try top.optional("duration")?.time() ?? .seconds(10)
        scenario.seed = try top.optional("seed")?.uint64() ?? 1
        scenario.clock = try top.optional("clock")?.choice(Scenario.Clock.self) ?? .virtual
        for (index, item) in try (top.optional("switches")?.list() ?? []).enumerated() {
            scenario.switches.append(try readSwitch(item, index: index))
        }
        for (index, item) in try (top.optional("nodes")?.list() ?? []).enumerated() {
            scenario.nodes.append(try readNode(item, index: index))
        }
        for item in try top.optional("hosts")?.list() ?? [] {
            scenario.hosts.append(try readHost(item))
        }
        try readLinks(top.optional("links")?.list() ?? [])
        if let controller = top.optional("controller") { scenario.controller = try readController(controller) }
        var routerNumber = 0
        for item in try top.optional("virtual_networks")?.list() ?? [] {
            scenario.virtualNetworks.append(try readNetwork(item, routerNumber: &routerNumber))
        }
        for (index, item) in try (top.optional("traffic")?.list() ?? []).enumerated() {
            scenario.traffic.append(try readTraffic(item, index: index))
        }
        let migrations = try top.optional("migrations")?.list() ?? []
        try readMigrations(migrations)
        for item in try top.optional("probes")?.list() ?? [] {
            scenario.probes.append(try readProbe(item))
        }
        return scenario
    }

    // MARK: - Physical elements

    private mutating func declare(_ name: String, _ kind: Scenario.ElementKind, at field: YAMLField)
        throws(ScenarioError)
    {
        if let earlier = elements[name] {
            throw field.error(
                "'\(name)' is already the name of a \(earlier.kind.rawValue)"
                    + " (\(earlier.field.path), line \(earlier.field.position.line));"
                    + " switches, nodes and hosts share one namespace")
        }
        elements[name] = (kind, field)
    }

    /// A mapping, or a bare name as shorthand for `{name: NAME}`.
    private func mappingOrName(_ item: YAMLField, _ keys: [String]) throws(ScenarioError) -> (YAMLMapping?, YAMLField) {
        if case .scalar = item.node { return (nil, item) }
        let mapping = try item.mapping(keys)
        return (mapping, try mapping.required("name"))
    }

    static let switchKeys = [
        "name", "dpid", "tables", "openflow", "fail_mode", "flow_mod_delay", "flow_mod_jitter", "reorder_unconfirmed",
    ]

    private mutating func readSwitch(_ item: YAMLField, index: Int) throws(ScenarioError) -> Scenario.Switch {
        let (mapping, nameField) = try mappingOrName(item, Self.switchKeys)
        let name = try nameField.name()
        try declare(name, .switch, at: nameField)
        var result = Scenario.Switch(name: name, dpid: UInt64(index + 1))
        guard let mapping else { return result }
        if let dpid = try mapping.optional("dpid")?.uint64() { result.dpid = dpid }
        if let tables = try mapping.optional("tables")?.int(1...254) { result.tables = tables }
        if let version = mapping.optional("openflow") {
            result.openflow = try version.choice(Scenario.Switch.OpenFlowVersion.self)
        }
        if let mode = mapping.optional("fail_mode") { result.failMode = try mode.choice(Scenario.Switch.FailMode.self) }
        if let delay = try mapping.optional("flow_mod_delay")?.time() { result.flowModDelay = delay }
        if let jitter = try mapping.optional("flow_mod_jitter")?.time() { result.flowModJitter = jitter }
        if let reorder = mapping.optional("reorder_unconfirmed") {
            let text = try reorder.text().lowercased()
            result.reorderUnconfirmed = text == "true" ? 1 : text == "false" ? 0 : try reorder.probability()
        }
        return result
    }

    private mutating func readNode(_ item: YAMLField, index: Int) throws(ScenarioError) -> Scenario.PhysicalNode {
        let (mapping, nameField) = try mappingOrName(item, ["name", "interfaces"])
        let name = try nameField.name()
        try declare(name, .node, at: nameField)
        var node = Scenario.PhysicalNode(name: name)
        if mapping?.has("interfaces") == true { declaredInterfaces.insert(name) }
        for (number, entry) in try (mapping?.optional("interfaces")?.list() ?? []).enumerated() {
            let (fields, interfaceName) = try mappingOrName(entry, ["name", "mac", "ip"])
            var interface = Scenario.PhysicalNode.Interface(
                name: try interfaceName.name(), mac: Self.nodeMAC(node: index, interface: number))
            if let mac = try fields?.optional("mac")?.mac() { interface.mac = mac }
            interface.ip = try fields?.optional("ip")?.prefix()
            if node.interfaces.contains(where: { $0.name == interface.name }) {
                throw interfaceName.error("\(name) already has an interface named \(interface.name)")
            }
            node.interfaces.append(interface)
        }
        return node
    }

    static func nodeMAC(node: Int, interface: Int) -> MACAddress {
        MACAddress(
            0x02, 0x4E, 0x00, UInt8(truncatingIfNeeded: (node + 1) >> 8), UInt8(truncatingIfNeeded: node + 1),
            UInt8(truncatingIfNeeded: interface))
    }

    private mutating func readHost(_ item: YAMLField) throws(ScenarioError) -> Scenario.Host {
        let mapping = try item.mapping(["name", "ip", "mac", "gateway", "vlan"])
        let nameField = try mapping.required("name")
        let name = try nameField.name()
        try declare(name, .host, at: nameField)
        return Scenario.Host(
            name: name, ip: try mapping.required("ip").prefix(), mac: try mapping.optional("mac")?.mac(),
            gateway: try mapping.optional("gateway")?.ipv4(), vlan: try mapping.optional("vlan")?.int(1...4094))
    }

    // MARK: - Links

    /// An endpoint as written: element, and the port or interface if given.
    private struct WrittenEndpoint {
        var field: YAMLField
        var node: String
        var kind: Scenario.ElementKind
        var port: String?
    }

    private func readEndpoint(_ field: YAMLField) throws(ScenarioError) -> WrittenEndpoint {
        var node: String
        var port: String?
        var kindField: YAMLField?
        if case .mapping = field.node {
            let mapping = try field.mapping(["node", "port", "interface", "kind"])
            node = try mapping.required("node").name()
            kindField = mapping.optional("kind")
            let portField = mapping.optional("port")
            let interfaceField = mapping.optional("interface")
            if elements[node]?.kind == .switch {
                port = try portField.map { (f) throws(ScenarioError) in String(try f.int(1...0xFFFF_FF00)) }
            } else {
                port = try interfaceField?.name()
            }
        } else {
            let text = try field.string()
            let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            node = String(parts[0])
            if parts.count == 2 {
                guard !parts[1].isEmpty else {
                    throw field.error("\(field.quoted) has nothing after ':' (use NODE or NODE:PORT)")
                }
                port = String(parts[1])
            }
        }
        guard let element = elements[node] else {
            throw field.error(
                "no switch, node or host is named '\(node)'\(Suggestion.hint(for: node, among: elements.keys.sorted()))"
            )
        }
        if let kindField {
            let kind = try kindField.choice(Scenario.ElementKind.self)
            guard kind == element.kind else {
                throw kindField.error("'\(node)' is a \(element.kind.rawValue), not a \(kind.rawValue)")
            }
        }
        if element.kind == .switch, let port {
            guard let number = UInt32(port), (1...0xFFFF_FF00).contains(number) else {
                throw field.error("'\(port)' is not a port number of switch \(node) (use e.g. \(node):1)")
            }
        }
        if element.kind == .host, let port, port != Scenario.Host.interfaceName {
            throw field.error("host \(node) has one interface, \(Scenario.Host.interfaceName), not '\(port)'")
        }
        return WrittenEndpoint(field: field, node: node, kind: element.kind, port: port)
    }

    static let linkKeys = ["name", "endpoints", "latency", "bandwidth", "queue", "loss", "migration"]

    private mutating func readLinks(_ items: [YAMLField]) throws(ScenarioError) {
        var written: [(mapping: YAMLMapping, ends: [WrittenEndpoint])] = []
        for item in items {
            let mapping = try item.mapping(Self.linkKeys)
            let endpointsField = try mapping.required("endpoints")
            let list = try endpointsField.list()
            guard list.count == 2 else {
                throw endpointsField.error("a link has 2 endpoints, found \(list.count) (use [s1:1, s2:1] or [s1, h1])")
            }
            written.append((mapping, [try readEndpoint(list[0]), try readEndpoint(list[1])]))
        }
        // Ports and interfaces written in the file are taken first; the rest get the lowest free one.
        var usedPorts: [String: Set<UInt32>] = [:]
        for (_, ends) in written {
            for end in ends where end.kind == .switch {
                if let port = end.port.flatMap({ UInt32($0) }) { usedPorts[end.node, default: []].insert(port) }
            }
        }
        var claimedInterfaces: [String: Set<String>] = [:]
        for (_, ends) in written {
            for end in ends where end.kind == .node {
                if let name = end.port { claimedInterfaces[end.node, default: []].insert(name) }
            }
        }
        var names: Set<String> = []
        for (mapping, ends) in written {
            var resolved: [Scenario.Endpoint] = []
            for end in ends {
                switch end.kind {
                case .switch:
                    var port = end.port.flatMap { UInt32($0) } ?? 0
                    if port == 0 {
                        port = 1
                        while usedPorts[end.node, default: []].contains(port) { port += 1 }
                        usedPorts[end.node, default: []].insert(port)
                    }
                    resolved.append(
                        .init(node: end.node, kind: .switch, port: port, interface: "\(end.node)-eth\(port)"))
                case .host:
                    resolved.append(.init(node: end.node, kind: .host, port: 0, interface: Scenario.Host.interfaceName))
                case .node:
                    resolved.append(try resolveNodeInterface(end, claimed: &claimedInterfaces))
                }
            }
            let defaultName = "\(resolved[0].node)-\(resolved[1].node)"
            var name = try mapping.optional("name")?.name() ?? defaultName
            if mapping.optional("name") == nil {
                var counter = 2
                while names.contains(name) {
                    name = "\(defaultName)-\(counter)"
                    counter += 1
                }
            } else if names.contains(name) {
                throw mapping.values["name"]!.error("another link is already named '\(name)'")
            }
            names.insert(name)
            var link = Scenario.Link(name: name, a: resolved[0], b: resolved[1])
            if let latency = try mapping.optional("latency")?.time() { link.latency = latency }
            if let bandwidth = try mapping.optional("bandwidth")?.bitRate() { link.bandwidth = bandwidth }
            if let queue = try mapping.optional("queue")?.int(1...10_000_000) { link.queue = queue }
            if let loss = try mapping.optional("loss")?.probability() { link.loss = loss }
            if let migration = try mapping.optional("migration")?.bool() { link.migration = migration }
            scenario.links.append(link)
        }
    }

    private mutating func resolveNodeInterface(
        _ end: WrittenEndpoint, claimed: inout [String: Set<String>]
    ) throws(ScenarioError) -> Scenario.Endpoint {
        guard let nodeIndex = scenario.nodes.firstIndex(where: { $0.name == end.node }) else {
            throw end.field.error("no physical node is named '\(end.node)'")
        }
        var node = scenario.nodes[nodeIndex]
        let declared = declaredInterfaces.contains(end.node)
        let name: String
        if let written = end.port {
            if !node.interfaces.contains(where: { $0.name == written }) {
                if declared {
                    let names = node.interfaces.map(\.name)
                    throw end.field.error(
                        "\(end.node) has no interface '\(written)' (it has \(names.joined(separator: ", ")))"
                            + Suggestion.hint(for: written, among: names))
                }
                node.interfaces.append(
                    .init(name: written, mac: Self.nodeMAC(node: nodeIndex, interface: node.interfaces.count)))
            }
            name = written
        } else if let free = node.interfaces.first(where: { !claimed[end.node, default: []].contains($0.name) }) {
            name = free.name
            claimed[end.node, default: []].insert(name)
        } else {
            if declared {
                throw end.field.error("every interface of \(end.node) is already linked; declare another or name one")
            }
            var number = node.interfaces.count
            while claimed[end.node, default: []].contains("eth\(number)") { number += 1 }
            name = "eth\(number)"
            claimed[end.node, default: []].insert(name)
            node.interfaces.append(
                .init(name: name, mac: Self.nodeMAC(node: nodeIndex, interface: node.interfaces.count)))
        }
        scenario.nodes[nodeIndex] = node
        let port = UInt32(node.interfaces.firstIndex { $0.name == name }!)
        return .init(node: end.node, kind: .node, port: port, interface: name)
    }

    // MARK: - Controller

    private func readController(_ field: YAMLField) throws(ScenarioError) -> Scenario.Controller {
        let mapping = try field.mapping(["listen", "apps"])
        var controller = Scenario.Controller()
        controller.listen = try mapping.optional("listen")?.hostPort()
        if let apps = mapping.optional("apps") { controller.apps = try readApps(apps) }
        return controller
    }

    private func readApps(_ field: YAMLField) throws(ScenarioError) -> [String] {
        var apps: [String] = []
        for item in try field.list() {
            let app = try item.name()
            guard Scenario.Controller.knownApps.contains(app) else {
                throw item.error(
                    "unknown app '\(app)'\(Suggestion.hint(for: app, among: Scenario.Controller.knownApps))"
                        + " (known apps: \(Scenario.Controller.knownApps.joined(separator: ", ")))")
            }
            apps.append(app)
        }
        return apps
    }

    // MARK: - Virtual networks

    static let networkKeys = [
        "name", "mode", "flowspace", "apps", "controller", "hosts", "paths", "initial_path", "nodes", "links",
        "routers",
    ]

    private func readNetwork(_ item: YAMLField, routerNumber: inout Int) throws(ScenarioError)
        -> Scenario.VirtualNetwork
    {
        let mapping = try item.mapping(Self.networkKeys)
        var network = Scenario.VirtualNetwork(name: try mapping.required("name").name())
        if let mode = mapping.optional("mode") { network.mode = try mode.choice(Scenario.VirtualNetwork.Mode.self) }
        if let flowspace = mapping.optional("flowspace") {
            let fields = try flowspace.mapping(["vlan", "prefixes"])
            network.flowspace.vlan = try fields.optional("vlan")?.int(1...4094)
            for prefix in try fields.optional("prefixes")?.list() ?? [] {
                network.flowspace.prefixes.append(try prefix.prefix())
            }
        }
        network.controller = try mapping.optional("controller")?.hostPort()
        network.hosts = try mapping.optional("hosts")?.names() ?? []
        if let paths = mapping.optional("paths") {
            if case .mapping(let pairs) = paths.node {
                // The short form: `NAME: [hop, hop, ...]`.
                for (key, value) in pairs {
                    let keyField = paths.child(key, key.string ?? "?")
                    let hopsField = paths.child(value, key.string ?? "?")
                    let base = paths.path + "[\(network.paths.count)]"
                    root.sources.map.record(base, keyField.position)
                    for (hop, hopField) in try hopsField.list().enumerated() {
                        root.sources.map.record(base + ".nodes[\(hop)]", hopField.position)
                    }
                    network.paths.append(.init(name: try keyField.name(), nodes: try hopsField.names()))
                }
            } else {
                for entry in try paths.list() {
                    let fields = try entry.mapping(["name", "nodes"])
                    network.paths.append(
                        .init(name: try fields.required("name").name(), nodes: try fields.required("nodes").names()))
                }
            }
        }
        for entry in try mapping.optional("nodes")?.list() ?? [] {
            let fields = try entry.mapping(["name", "on"])
            network.nodes.append(.init(name: try fields.required("name").name(), on: try fields.required("on").name()))
        }
        for entry in try mapping.optional("links")?.list() ?? [] {
            let fields = try entry.mapping(["name", "between", "path"])
            let betweenField = try fields.required("between")
            let between = try betweenField.names()
            guard between.count == 2 else {
                throw betweenField.error("a virtual link joins 2 ends, found \(between.count)")
            }
            let name = try fields.optional("name")?.name() ?? "\(between[0])-\(between[1])"
            let pathField = try fields.required("path")
            let path: String
            if case .sequence = pathField.node {
                path = name
                if network.paths.contains(where: { $0.name == name }) {
                    throw pathField.error(
                        "the network already has a path named '\(name)'; name the link or the path differently")
                }
                let pathIndex = network.paths.count
                network.paths.append(.init(name: name, nodes: try pathField.names()))
                // An inline path's hops are reported where they were written.
                let base = item.path + ".paths[\(pathIndex)]"
                root.sources.map.record(base, pathField.position)
                for (hop, hopField) in try pathField.list().enumerated() {
                    root.sources.map.record(base + ".nodes[\(hop)]", hopField.position)
                }
            } else {
                path = try pathField.name()
            }
            network.links.append(.init(name: name, between: between, path: path))
        }
        for entry in try mapping.optional("routers")?.list() ?? [] {
            network.routers.append(try readRouter(entry, number: routerNumber))
            routerNumber += 1
        }
        // The paths of virtual links are theirs, not candidates for the network's flows.
        let flowPaths = network.paths.filter { path in !network.links.contains { $0.path == path.name } }
        network.initialPath = try mapping.optional("initial_path")?.name() ?? flowPaths.first?.name
        if let apps = mapping.optional("apps") {
            network.apps = try readApps(apps)
        } else if network.mode == .apps && !flowPaths.isEmpty {
            network.apps = ["client-server-flows"]
        }
        return network
    }

    private func readRouter(_ item: YAMLField, number: Int) throws(ScenarioError) -> Scenario.VirtualRouter {
        let mapping = try item.mapping(["name", "on", "router_id", "interfaces", "ospf", "vm"])
        let name = try mapping.required("name").name()
        let on = try mapping.required("on").name()
        var interfaces: [Scenario.VirtualRouter.Interface] = []
        let interfacesField = try mapping.required("interfaces")
        for (index, entry) in try interfacesField.list().enumerated() {
            let fields = try entry.mapping(["name", "address", "mac", "attach", "cost"])
            let mac = MACAddress(
                0x02, 0x52, 0x00, UInt8(truncatingIfNeeded: (number + 1) >> 8), UInt8(truncatingIfNeeded: number + 1),
                UInt8(truncatingIfNeeded: index))
            interfaces.append(
                .init(
                    name: try fields.optional("name")?.name() ?? "eth\(index)",
                    address: try fields.required("address").prefix(),
                    mac: try fields.optional("mac")?.mac() ?? mac, attach: try fields.required("attach").name(),
                    cost: try fields.optional("cost")?.int(1...65535) ?? 10))
        }
        guard !interfaces.isEmpty else { throw interfacesField.error("a router needs at least one interface") }
        let highest = interfaces.map(\.address.address).max()!
        var router = Scenario.VirtualRouter(
            name: name, on: on, routerID: try mapping.optional("router_id")?.ipv4() ?? highest, interfaces: interfaces)
        if let ospf = mapping.optional("ospf") {
            let fields = try ospf.mapping(["area", "hello", "dead", "retransmit", "transmit_delay"])
            let hello = try fields.optional("hello")?.time() ?? .seconds(1)
            router.ospf = Scenario.OSPFTimers(
                area: try fields.optional("area")?.ipv4() ?? .any, hello: hello,
                dead: try fields.optional("dead")?.time(),
                retransmit: try fields.optional("retransmit")?.time() ?? .seconds(1),
                transmitDelay: try fields.optional("transmit_delay")?.time() ?? .seconds(1))
        }
        if let vm = mapping.optional("vm") {
            let fields = try vm.mapping(["memory", "dirty_rate", "hot_set"])
            if let memory = try fields.optional("memory")?.byteCount() { router.vm.memory = memory }
            if let rate = try fields.optional("dirty_rate")?.int(0...100_000_000) { router.vm.dirtyRate = rate }
            if let hot = try fields.optional("hot_set")?.byteCount() { router.vm.hotSet = hot }
        }
        return router
    }

    // MARK: - Traffic, migrations, probes

    private func readTraffic(_ item: YAMLField, index: Int) throws(ScenarioError) -> Scenario.TrafficFlow {
        let mapping = try item.mapping(["name", "from", "to", "rate", "size", "start", "duration", "port", "network"])
        let start = try mapping.optional("start")?.time() ?? .zero
        var flow = Scenario.TrafficFlow(
            name: try mapping.optional("name")?.name() ?? "flow\(index + 1)", from: try mapping.required("from").name(),
            to: try mapping.required("to").name(), rate: try mapping.required("rate").packetRate(),
            start: start,
            duration: try mapping.optional("duration")?.time()
                ?? Scenario.TimeSpan(nanoseconds: max(0, scenario.duration.nanoseconds - start.nanoseconds)),
            port: try mapping.optional("port")?.int(1...65535) ?? 5001,
            network: try mapping.optional("network")?.name())
        if let size = try mapping.optional("size")?.byteCount() { flow.size = size }
        if flow.network == nil {
            let holding = scenario.virtualNetworks.filter { $0.hosts.contains(flow.from) && $0.hosts.contains(flow.to) }
            if holding.count == 1 { flow.network = holding[0].name }
        }
        return flow
    }

    private mutating func readMigrations(_ items: [YAMLField]) throws(ScenarioError) {
        var written: [(at: Scenario.TimeSpan, item: YAMLField, mapping: YAMLMapping)] = []
        for item in items {
            let mapping = try item.mapping(["at", "flows", "router"])
            let at = try mapping.required("at").time()
            switch (mapping.optional("flows"), mapping.optional("router")) {
            case (nil, nil): throw item.error("a migration needs 'flows' or 'router'")
            case (.some, .some(let router)):
                throw router.error("a migration moves either flows or a router, not both: write two")
            default: written.append((at, item, mapping))
            }
        }
        // Defaults that depend on what moved before (the current path or node) follow time order.
        var currentPath: [String: String] = [:]
        for network in scenario.virtualNetworks { currentPath[network.name] = network.initialPath }
        var currentNode: [String: String] = [:]
        for network in scenario.virtualNetworks {
            for router in network.routers { currentNode[router.name] = router.on }
        }
        var migrations: [Scenario.Migration?] = Array(repeating: nil, count: written.count)
        let order = written.indices.sorted { (written[$0].at, $0) < (written[$1].at, $1) }
        for index in order {
            let (at, _, mapping) = written[index]
            if let flows = mapping.optional("flows") {
                let fields = try flows.mapping(["network", "from", "to", "algorithm", "count", "drain", "timeout"])
                let network: String
                if let named = try fields.optional("network")?.name() {
                    network = named
                } else if scenario.virtualNetworks.count == 1 {
                    network = scenario.virtualNetworks[0].name
                } else {
                    let names = scenario.virtualNetworks.map(\.name).joined(separator: ", ")
                    throw flows.error(
                        "missing required key 'network' (the scenario has \(scenario.virtualNetworks.count)"
                            + " virtual networks: \(names))"
                    )
                }
                let toField = try fields.required("to")
                guard let from = try fields.optional("from")?.name() ?? currentPath[network] else {
                    throw flows.error("missing required key 'from' (network '\(network)' has no initial path)")
                }
                var migration = Scenario.FlowMigration(network: network, from: from, to: try toField.name())
                if let algorithm = fields.optional("algorithm") {
                    migration.algorithm = try algorithm.choice(Scenario.FlowMigration.Algorithm.self)
                }
                migration.count = try fields.optional("count")?.int(1...10_000_000)
                if let drain = try fields.optional("drain")?.time() { migration.drain = drain }
                if let timeout = try fields.optional("timeout")?.time() { migration.timeout = timeout }
                currentPath[network] = migration.to
                migrations[index] = Scenario.Migration(at: at, .flows(migration))
            } else if let routerField = mapping.optional("router") {
                let fields = try routerField.mapping([
                    "network", "router", "from", "to", "scheme", "bandwidth", "max_rounds", "stop_pages",
                ])
                let nameField = try fields.required("router")
                let name = try nameField.name()
                let allRouters = scenario.virtualNetworks.flatMap { $0.routers.map(\.name) }
                guard let owner = scenario.virtualNetworks.first(where: { $0.router(named: name) != nil }) else {
                    throw nameField.error(
                        "no virtual router is named '\(name)'\(Suggestion.hint(for: name, among: allRouters))")
                }
                let from = try fields.optional("from")?.name() ?? currentNode[name] ?? owner.router(named: name)!.on
                let to = try fields.required("to").name()
                let link = scenario.links.first { $0.migration && Set([$0.a.node, $0.b.node]) == Set([from, to]) }
                var migration = Scenario.RouterMigration(
                    network: try fields.optional("network")?.name() ?? owner.name, router: name, from: from, to: to,
                    bandwidth: link?.bandwidth ?? .gigabits(1))
                if let scheme = fields.optional("scheme") {
                    migration.scheme = try scheme.choice(Scenario.RouterMigration.Scheme.self)
                }
                if let bandwidth = try fields.optional("bandwidth")?.bitRate() { migration.bandwidth = bandwidth }
                if let rounds = try fields.optional("max_rounds")?.int(1...1000) { migration.maxRounds = rounds }
                if let pages = try fields.optional("stop_pages")?.int(0...100_000_000) { migration.stopPages = pages }
                currentNode[name] = to
                migrations[index] = Scenario.Migration(at: at, .router(migration))
            }
        }
        scenario.migrations = migrations.compactMap { $0 }
    }

    private func readProbe(_ item: YAMLField) throws(ScenarioError) -> Scenario.Probe {
        let mapping = try item.mapping(["name", "interval", "flow", "ping", "adjacency", "link"])
        let kinds = ["flow", "ping", "adjacency", "link"].filter { mapping.has($0) }
        guard kinds.count == 1 else {
            throw item.error(
                kinds.isEmpty
                    ? "a probe needs one of flow, ping, adjacency, link"
                    : "a probe watches one thing, found \(kinds.joined(separator: " and "))")
        }
        let target: Scenario.Probe.Target
        let label: String
        switch kinds[0] {
        case "flow":
            label = try mapping.required("flow").name()
            target = .flow(label)
        case "ping":
            let fields = try mapping.required("ping").mapping(["from", "to"])
            let from = try fields.required("from").name()
            let to = try fields.required("to").name()
            label = "\(from)-\(to)"
            target = .ping(from: from, to: to)
        case "adjacency":
            label = try mapping.required("adjacency").name()
            target = .adjacency(router: label)
        default:
            label = try mapping.required("link").name()
            target = .link(label)
        }
        return Scenario.Probe(
            name: try mapping.optional("name")?.name() ?? "\(kinds[0])-\(label)", target: target,
            interval: try mapping.optional("interval")?.time() ?? .milliseconds(100))
    }
}
