import NetworkAddresses
import OpenFlow

/// The body of `POST /v1/paths`: carry the packets that `match` selects from `src` to `dst`
/// along the shortest discovered path, one flow per hop, egress first, each switch confirmed
/// by a barrier before the previous hop is written.
///
///     {"src": {"host": "10.0.0.1"}, "dst": {"dpid": "0x4", "port_no": 1},
///      "match": {"eth_type": "0x0800", "ipv4_dst": "10.0.0.2"},
///      "priority": 100, "cookie": "0x7", "idle_timeout": 0, "hard_timeout": 0, "table_id": 0}
///
/// An endpoint is a host the controller has seen (`{"host": "10.0.0.1"}` or its MAC address),
/// or a switch port (`{"dpid": "0x1", "port_no": 1}`). Every hop's flow matches `in_port`
/// plus `match` (default: everything).
public struct PathRequest: Hashable, Sendable {
    public enum EndpointSpec: Hashable, Sendable {
        case ipv4(IPv4Address)
        case mac(MACAddress)
        case port(datapathID: UInt64, port: UInt32)
    }

    public var source: EndpointSpec
    public var destination: EndpointSpec
    public var match: [OXMField]
    public var priority: UInt16
    public var cookie: UInt64
    public var idleTimeout: UInt16
    public var hardTimeout: UInt16
    public var tableID: UInt8

    init(json: JSONValue) throws(APIError) {
        var object = try JSONObjectReader(json, path: "")
        guard let src = try object.object("src") else { throw .badRequest(field: "src", "is required") }
        guard let dst = try object.object("dst") else { throw .badRequest(field: "dst", "is required") }
        source = try Self.endpoint(src)
        destination = try Self.endpoint(dst)
        match = try object.value("match").map { v throws(APIError) in try MatchJSON.fields(v, path: "match") } ?? []
        priority = try object.unsigned("priority", UInt16.self) ?? 0x8000
        cookie = try object.unsigned("cookie", UInt64.self) ?? 0
        idleTimeout = try object.unsigned("idle_timeout", UInt16.self) ?? 0
        hardTimeout = try object.unsigned("hard_timeout", UInt16.self) ?? 0
        tableID = try object.unsigned("table_id", UInt8.self) ?? 0
        guard tableID < 0xFF else { throw .badRequest(field: "table_id", "must be 0...254") }
        try object.finish()
    }

    private static func endpoint(_ reader: JSONObjectReader) throws(APIError) -> EndpointSpec {
        var object = reader
        let result: EndpointSpec
        if let host = try object.string("host") {
            if let address = IPv4Address(host) {
                result = .ipv4(address)
            } else if let mac = MACAddress(host) {
                result = .mac(mac)
            } else {
                throw .badRequest(field: object.path("host"), "expected an IPv4 or MAC address, got \(host.debugDescription)")
            }
            if object.has("dpid") || object.has("port_no") {
                throw .badRequest(field: object.path("host"), "give either host or dpid and port_no, not both")
            }
        } else if let dpid = object.value("dpid") {
            let datapathID = try DatapathID.parse(dpid, field: object.path("dpid"))
            guard let raw = object.value("port_no") else { throw .badRequest(field: object.path("port_no"), "is required with dpid") }
            let port = try raw.unsigned(UInt32.self, field: object.path("port_no"))
            guard port < OF13.PortNumber.max else { throw .badRequest(field: object.path("port_no"), "must be a physical port (below 0xffffff00)") }
            result = .port(datapathID: datapathID, port: port)
        } else {
            throw .badRequest(field: object.path, "expected {\"host\": address} or {\"dpid\": ..., \"port_no\": ...}")
        }
        try object.finish()
        return result
    }
}
