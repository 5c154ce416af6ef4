import Foundation

/// The slicing proxy's configuration file (JSON): each virtual network's flowspace, ports and
/// controller address.
///
/// ```json
/// {
///   "networks": [
///     { "name": "red",
///       "flowspace": { "vlan": 10 },
///       "controller": "127.0.0.1:6634",
///       "nodes": [ { "name": "r1", "switch": 1, "ports": [1] },
///                  { "name": "r2", "switch": 2, "ports": [1] } ],
///       "links": [ { "from": "r1", "to": "r2", "ports": ["1:3", "2:3"] } ] },
///     { "name": "blue",
///       "flowspace": { "ipv4": ["10.2.0.0/16"] },
///       "controller": "127.0.0.1:6635",
///       "nodes": [ { "name": "b1", "switch": "0x1", "ports": [2] } ] }
///   ]
/// }
/// ```
///
/// `switch` is a datapath id, a number or a string (decimal or `0x` hex); link `ports` are
/// `"DPID:PORT"`. Every error names the field (``SlicingConfigurationError``). The networks'
/// flowspaces must be disjoint and their names unique.
public struct SlicingConfiguration: Hashable, Sendable {
    public var tenants: [SlicingProxy.Tenant]

    public init(tenants: [SlicingProxy.Tenant]) {
        self.tenants = tenants
    }

    public init(json data: Data) throws(SlicingConfigurationError) {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw SlicingConfigurationError(field: "", problem: "not valid JSON: \(error.localizedDescription)")
        }
        guard let object = root as? [String: Any] else { throw SlicingConfigurationError(field: "", problem: "expected a JSON object") }
        guard let networks = object["networks"] as? [Any] else {
            throw SlicingConfigurationError(field: "networks", problem: object["networks"] == nil ? "missing" : "expected a list")
        }
        guard !networks.isEmpty else { throw SlicingConfigurationError(field: "networks", problem: "no networks") }
        var tenants: [SlicingProxy.Tenant] = []
        for (index, item) in networks.enumerated() {
            tenants.append(try Self.tenant(item, at: "networks[\(index)]"))
        }
        try Self.checkDisjoint(tenants.map(\.network))
        self.tenants = tenants
    }

    /// Names unique, flowspaces pairwise disjoint, every network with at least one port.
    public static func checkDisjoint(_ networks: [VirtualNetwork]) throws(SlicingConfigurationError) {
        for (i, a) in networks.enumerated() {
            guard !a.ports.isEmpty else { throw SlicingConfigurationError(field: "networks[\(i)]", problem: "network \(a.name) has no ports") }
            for (j, b) in networks.enumerated() where j > i {
                if a.name == b.name {
                    throw SlicingConfigurationError(field: "networks[\(j)].name", problem: "\(b.name) is already the name of networks[\(i)]")
                }
                if a.flowspace.overlaps(b.flowspace) {
                    throw SlicingConfigurationError(
                        field: "networks[\(j)].flowspace",
                        problem: "\(b.name)'s flowspace (\(b.flowspace)) overlaps \(a.name)'s (\(a.flowspace)); flowspaces must be disjoint")
                }
            }
        }
    }

    private static func tenant(_ item: Any, at path: String) throws(SlicingConfigurationError) -> SlicingProxy.Tenant {
        guard let object = item as? [String: Any] else { throw SlicingConfigurationError(field: path, problem: "expected an object") }
        let known: Set<String> = ["name", "flowspace", "controller", "nodes", "links"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw SlicingConfigurationError(field: "\(path).\(unknown)", problem: "unknown field (known: \(known.sorted().joined(separator: ", ")))")
        }
        let name = try string(object["name"], at: "\(path).name")
        guard !name.isEmpty else { throw SlicingConfigurationError(field: "\(path).name", problem: "empty") }
        let flowspace = try flowspace(object["flowspace"], at: "\(path).flowspace")
        let (host, port) = try address(object["controller"], at: "\(path).controller")
        guard let nodeList = object["nodes"] as? [Any], !nodeList.isEmpty else {
            throw SlicingConfigurationError(field: "\(path).nodes", problem: object["nodes"] == nil ? "missing" : "expected a non-empty list")
        }
        var nodes: [VirtualNetwork.Node] = []
        for (index, item) in nodeList.enumerated() {
            let at = "\(path).nodes[\(index)]"
            guard let node = item as? [String: Any] else { throw SlicingConfigurationError(field: at, problem: "expected an object") }
            let nodeName = try string(node["name"], at: "\(at).name")
            let datapathID = try self.datapathID(node["switch"], at: "\(at).switch")
            guard let ports = node["ports"] as? [Any] else {
                throw SlicingConfigurationError(field: "\(at).ports", problem: node["ports"] == nil ? "missing" : "expected a list of port numbers")
            }
            var numbers: [UInt32] = []
            for (p, value) in ports.enumerated() { numbers.append(try portNumber(value, at: "\(at).ports[\(p)]")) }
            nodes.append(VirtualNetwork.Node(name: nodeName, datapathID: datapathID, ports: numbers))
        }
        var links: [VirtualNetwork.Link] = []
        if let linkValue = object["links"] {
            guard let linkList = linkValue as? [Any] else { throw SlicingConfigurationError(field: "\(path).links", problem: "expected a list") }
            for (index, item) in linkList.enumerated() {
                let at = "\(path).links[\(index)]"
                guard let link = item as? [String: Any] else { throw SlicingConfigurationError(field: at, problem: "expected an object") }
                let from = try string(link["from"], at: "\(at).from")
                let to = try string(link["to"], at: "\(at).to")
                for (field, end) in [("from", from), ("to", to)] where !nodes.contains(where: { $0.name == end }) {
                    throw SlicingConfigurationError(field: "\(at).\(field)", problem: "no node named \(end) in \(name)")
                }
                guard let ports = link["ports"] as? [Any] else {
                    throw SlicingConfigurationError(field: "\(at).ports", problem: "expected a list of \"DPID:PORT\"")
                }
                var endpoints: [Endpoint] = []
                for (p, value) in ports.enumerated() { endpoints.append(try endpoint(value, at: "\(at).ports[\(p)]")) }
                links.append(VirtualNetwork.Link(from: from, to: to, physical: endpoints))
            }
        }
        return SlicingProxy.Tenant(
            network: VirtualNetwork(name: name, flowspace: flowspace, nodes: nodes, links: links), controllerHost: host, controllerPort: port)
    }

    private static func string(_ value: Any?, at path: String) throws(SlicingConfigurationError) -> String {
        guard let value else { throw SlicingConfigurationError(field: path, problem: "missing") }
        guard let text = value as? String else { throw SlicingConfigurationError(field: path, problem: "expected a string") }
        return text
    }

    private static func integer(_ value: Any?) -> Int? {
        if value is String { return nil }
        return value as? Int
    }

    private static func flowspace(_ value: Any?, at path: String) throws(SlicingConfigurationError) -> Flowspace {
        guard let object = value as? [String: Any] else {
            throw SlicingConfigurationError(field: path, problem: value == nil ? "missing" : "expected {\"vlan\": ID} or {\"ipv4\": [\"A.B.C.D/N\", ...]}")
        }
        guard object.count == 1, let key = object.keys.first else {
            throw SlicingConfigurationError(field: path, problem: "expected exactly one of \"vlan\" or \"ipv4\"")
        }
        switch key {
        case "vlan":
            guard let id = integer(object["vlan"]), (1...4094).contains(id) else {
                throw SlicingConfigurationError(field: "\(path).vlan", problem: "expected a VLAN id 1...4094")
            }
            return .vlan(UInt16(id))
        case "ipv4":
            guard let list = object["ipv4"] as? [Any], !list.isEmpty else {
                throw SlicingConfigurationError(field: "\(path).ipv4", problem: "expected a non-empty list of prefixes")
            }
            var prefixes: [IPv4Prefix] = []
            for (index, item) in list.enumerated() {
                guard let text = item as? String, let prefix = IPv4Prefix(text) else {
                    throw SlicingConfigurationError(
                        field: "\(path).ipv4[\(index)]", problem: "\(item) is not a prefix A.B.C.D/N with the host bits zero")
                }
                prefixes.append(prefix)
            }
            return .ipv4(prefixes)
        default:
            throw SlicingConfigurationError(field: "\(path).\(key)", problem: "unknown flowspace kind (use \"vlan\" or \"ipv4\")")
        }
    }

    private static func address(_ value: Any?, at path: String) throws(SlicingConfigurationError) -> (String, Int) {
        let text = try string(value, at: path)
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port),
            colon != text.startIndex
        else {
            throw SlicingConfigurationError(field: path, problem: "\"\(text)\" is not HOST:PORT")
        }
        return (String(text[..<colon]), port)
    }

    private static func datapathID(_ value: Any?, at path: String) throws(SlicingConfigurationError) -> UInt64 {
        if let number = integer(value), number >= 0 { return UInt64(number) }
        if let text = value as? String {
            let parsed = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
            if let parsed { return parsed }
        }
        throw SlicingConfigurationError(field: path, problem: value == nil ? "missing" : "expected a datapath id (a number, or \"0x\" hex)")
    }

    private static func portNumber(_ value: Any?, at path: String) throws(SlicingConfigurationError) -> UInt32 {
        guard let number = integer(value), (1..<0xFFFF_FF00).contains(number) else {
            throw SlicingConfigurationError(field: path, problem: "expected a port number 1...4294967039")
        }
        return UInt32(number)
    }

    private static func endpoint(_ value: Any?, at path: String) throws(SlicingConfigurationError) -> Endpoint {
        guard let text = value as? String, let colon = text.lastIndex(of: ":") else {
            throw SlicingConfigurationError(field: path, problem: "expected \"DPID:PORT\"")
        }
        let datapathID = try datapathID(String(text[..<colon]), at: path)
        let port = try portNumber(Int(text[text.index(after: colon)...]).map { $0 as Any }, at: path)
        return Endpoint(datapathID: datapathID, port: port)
    }
}
