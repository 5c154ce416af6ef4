import OpenFlow

/// The JSON form of OpenFlow 1.3 actions (spec 1.3.5 §7.2.5): one object per action, named by
/// `type`:
///
///     {"type": "output", "port": 2}            {"type": "output", "port": "controller", "max_len": 65535}
///     {"type": "set_field", "field": "eth_dst", "value": "02:00:00:00:00:02"}
///     {"type": "push_vlan", "ethertype": "0x8100"}   {"type": "pop_vlan"}
///     {"type": "group", "group_id": 1}    {"type": "set_queue", "queue_id": 1}
///     {"type": "set_nw_ttl", "ttl": 64}   {"type": "dec_nw_ttl"}   {"type": "set_mpls_ttl", "ttl": 1}
///     {"type": "dec_mpls_ttl"}  {"type": "push_mpls", "ethertype": "0x8847"}  {"type": "pop_mpls", "ethertype": "0x0800"}
///     {"type": "copy_ttl_out"}  {"type": "copy_ttl_in"}  {"type": "push_pbb", "ethertype": "0x88e7"}  {"type": "pop_pbb"}
///
/// A port is a number or a reserved name: `in_port`, `table`, `normal`, `flood`, `all`,
/// `controller`, `local`, `any` (written back the same way).
enum ActionJSON {
    static let reservedPorts: [(String, UInt32)] = [
        ("in_port", OF13.PortNumber.inPort), ("table", OF13.PortNumber.table), ("normal", OF13.PortNumber.normal),
        ("flood", OF13.PortNumber.flood), ("all", OF13.PortNumber.all), ("controller", OF13.PortNumber.controller),
        ("local", OF13.PortNumber.local), ("any", OF13.PortNumber.any),
    ]

    static func port(_ value: JSONValue, field: String) throws(APIError) -> UInt32 {
        if case .string(let text) = value, let reserved = reservedPorts.first(where: { $0.0 == text.lowercased() }) {
            return reserved.1
        }
        do {
            return try value.unsigned(UInt32.self, field: field)
        } catch {
            throw .badRequest(
                field: field,
                "expected a port number or one of \(reservedPorts.map(\.0).joined(separator: ", ")), got \(value.kindDescription)")
        }
    }

    static func json(port: UInt32) -> JSONValue {
        if let reserved = reservedPorts.first(where: { $0.1 == port }) { return .string(reserved.0) }
        return .integer(UInt64(port))
    }

    static func actions(_ values: [JSONValue], path: String) throws(APIError) -> [OF13.Action] {
        var actions: [OF13.Action] = []
        for (index, value) in values.enumerated() {
            actions.append(try action(value, path: "\(path)[\(index)]"))
        }
        return actions
    }

    static func action(_ value: JSONValue, path: String) throws(APIError) -> OF13.Action {
        var object = try JSONObjectReader(value, path: path)
        guard let type = try object.string("type") else { throw .badRequest(field: object.path("type"), "is required") }
        func ethertype(_ defaultValue: UInt16?) throws(APIError) -> UInt16 {
            if let value = try object.unsigned("ethertype", UInt16.self) { return value }
            guard let defaultValue else { throw .badRequest(field: object.path("ethertype"), "is required") }
            return defaultValue
        }
        let action: OF13.Action
        switch type {
        case "output":
            guard let raw = object.value("port") else { throw .badRequest(field: object.path("port"), "is required") }
            let number = try port(raw, field: object.path("port"))
            action = .output(port: number, maxLength: try object.unsigned("max_len", UInt16.self) ?? 0xFFFF)
        case "set_field":
            guard let name = try object.string("field") else { throw .badRequest(field: object.path("field"), "is required") }
            guard let raw = object.value("value") else { throw .badRequest(field: object.path("value"), "is required") }
            let fields = try MatchJSON.fields(.object([name: raw]), path: path)
            guard let field = fields.first, field.basic?.mask == nil else {
                throw .badRequest(field: object.path("value"), "set_field takes an unmasked value")
            }
            action = .setField(field)
        case "push_vlan": action = .pushVLAN(ethertype: try ethertype(0x8100))
        case "pop_vlan": action = .popVLAN
        case "push_mpls": action = .pushMPLS(ethertype: try ethertype(0x8847))
        case "pop_mpls": action = .popMPLS(ethertype: try ethertype(nil))
        case "push_pbb": action = .pushPBB(ethertype: try ethertype(0x88E7))
        case "pop_pbb": action = .popPBB
        case "group": action = .group(try object.require("group_id", UInt32.self))
        case "set_queue": action = .setQueue(try object.require("queue_id", UInt32.self))
        case "set_nw_ttl": action = .setNwTTL(try object.require("ttl", UInt8.self))
        case "dec_nw_ttl": action = .decNwTTL
        case "set_mpls_ttl": action = .setMPLSTTL(try object.require("ttl", UInt8.self))
        case "dec_mpls_ttl": action = .decMPLSTTL
        case "copy_ttl_out": action = .copyTTLOut
        case "copy_ttl_in": action = .copyTTLIn
        default:
            throw .badRequest(field: object.path("type"), "unknown action type \(type.debugDescription)")
        }
        try object.finish()
        return action
    }

    static func json(_ action: OF13.Action) -> JSONValue {
        func hex(_ v: UInt16) -> JSONValue {
            let text = String(v, radix: 16)
            return .string("0x" + String(repeating: "0", count: max(0, 4 - text.count)) + text)
        }
        switch action {
        case .output(let port, let maxLength):
            var object: [String: JSONValue] = ["type": "output", "port": json(port: port)]
            if port == OF13.PortNumber.controller { object["max_len"] = .integer(UInt64(maxLength)) }
            return .object(object)
        case .setField(let field):
            guard case .object(let match) = MatchJSON.json(OF13.Match([field])), let first = match.first else {
                return .object(["type": "set_field", "raw": .string("\(field)")])
            }
            return .object(["type": "set_field", "field": .string(first.key), "value": first.value])
        case .pushVLAN(let ethertype): return .object(["type": "push_vlan", "ethertype": hex(ethertype)])
        case .popVLAN: return .object(["type": "pop_vlan"])
        case .pushMPLS(let ethertype): return .object(["type": "push_mpls", "ethertype": hex(ethertype)])
        case .popMPLS(let ethertype): return .object(["type": "pop_mpls", "ethertype": hex(ethertype)])
        case .pushPBB(let ethertype): return .object(["type": "push_pbb", "ethertype": hex(ethertype)])
        case .popPBB: return .object(["type": "pop_pbb"])
        case .group(let id): return .object(["type": "group", "group_id": .integer(UInt64(id))])
        case .setQueue(let id): return .object(["type": "set_queue", "queue_id": .integer(UInt64(id))])
        case .setNwTTL(let ttl): return .object(["type": "set_nw_ttl", "ttl": .integer(UInt64(ttl))])
        case .decNwTTL: return .object(["type": "dec_nw_ttl"])
        case .setMPLSTTL(let ttl): return .object(["type": "set_mpls_ttl", "ttl": .integer(UInt64(ttl))])
        case .decMPLSTTL: return .object(["type": "dec_mpls_ttl"])
        case .copyTTLOut: return .object(["type": "copy_ttl_out"])
        case .copyTTLIn: return .object(["type": "copy_ttl_in"])
        case .experimenter(let id, let body):
            return .object(["type": "experimenter", "experimenter": .integer(UInt64(id)), "body_length": .integer(UInt64(body.readableBytes))])
        case .unknown(let type, let body):
            return .object(["type": "unknown", "type_number": .integer(UInt64(type)), "body_length": .integer(UInt64(body.readableBytes))])
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}
