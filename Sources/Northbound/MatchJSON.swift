import NetworkAddresses
import OpenFlow

/// The JSON form of an OpenFlow 1.3 match (spec 1.3.5 §7.2.3): an object from OXM field names
/// (Table 12, lower case: `in_port`, `eth_type`, `ipv4_dst`, ...) to values.
///
///     {"in_port": 1, "eth_type": "0x0800", "ipv4_dst": "10.0.0.2",
///      "ipv4_src": {"value": "10.0.0.0", "mask": "255.255.255.0"}, "eth_dst": "02:00:00:00:00:01"}
///
/// Integers may be numbers or decimal/`"0x"` strings; addresses are strings. A masked field is
/// `{"value": ..., "mask": ...}`, or for addresses `"value/mask"` (IPv4 also `"10.0.0.0/24"`).
/// Written back, bit-pattern fields (`metadata`, `eth_type`, `vlan_vid`, `ipv6_flabel`,
/// `tunnel_id`, `ipv6_exthdr`) are `"0x"` strings, other integers numbers.
enum MatchJSON {
    private static let macFields: Set<UInt8> = [3, 4, 24, 25, 32, 33]
    private static let ipv4Fields: Set<UInt8> = [11, 12, 22, 23]
    private static let ipv6Fields: Set<UInt8> = [26, 27, 31]
    private static let hexFields: Set<UInt8> = [2, 5, 6, 28, 38, 39]

    /// The fields of the match object at `path`, in prerequisite order.
    static func fields(_ value: JSONValue, path: String) throws(APIError) -> [OXMField] {
        let object = try JSONObjectReader(value, path: path)
        var fields: [OXMField] = []
        for (name, raw) in object.fields.sorted(by: { $0.key < $1.key }) {
            let fieldPath = object.path(name)
            guard let basic = OXMField.basicFields.first(where: { $0.name == name }) else {
                throw .badRequest(field: fieldPath, "unknown match field (fields are OXM names such as in_port, eth_type, ipv4_dst)")
            }
            var rawValue = raw
            var rawMask: JSONValue?
            if case .object = raw {
                var inner = try JSONObjectReader(raw, path: fieldPath)
                guard let v = inner.value("value") else { throw .badRequest(field: inner.path("value"), "is required") }
                rawValue = v
                rawMask = inner.value("mask")
                try inner.finish()
            } else if case .string(let text) = raw, !ipv6Fields.contains(basic.field), let slash = text.firstIndex(of: "/") {
                rawValue = .string(String(text[..<slash]))
                rawMask = .string(String(text[text.index(after: slash)...]))
            }
            let parsedValue = try parse(rawValue, field: basic.field, path: fieldPath)
            var parsedMask: OXMField.Value?
            if let rawMask {
                guard basic.isMaskable else { throw .badRequest(field: fieldPath, "\(name) cannot be masked") }
                if ipv4Fields.contains(basic.field), case .string(let text) = rawMask, let length = Int(text), (0...32).contains(length) {
                    parsedMask = .ipv4(IPv4Address(rawValue: length == 0 ? 0 : UInt32.max << (32 - UInt32(length))))
                } else {
                    parsedMask = try parse(rawMask, field: basic.field, path: fieldPath + ".mask")
                }
            }
            guard let field = OXMField(basicField: basic.field, value: parsedValue, mask: parsedMask) else {
                throw .badRequest(field: fieldPath, "out of range for \(name) (\(basic.width * 8) bits)")
            }
            fields.append(field)
        }
        return OF13.Match.ordered(fields).fields.elements
    }

    private static func parse(_ value: JSONValue, field: UInt8, path: String) throws(APIError) -> OXMField.Value {
        if macFields.contains(field) {
            guard case .string(let text) = value, let mac = MACAddress(text) else {
                throw .badRequest(field: path, "expected a MAC address string (aa:bb:cc:dd:ee:ff), got \(value.kindDescription)")
            }
            return .mac(mac)
        }
        if ipv4Fields.contains(field) {
            guard case .string(let text) = value, let address = IPv4Address(text) else {
                throw .badRequest(field: path, "expected an IPv4 address string, got \(value.kindDescription)")
            }
            return .ipv4(address)
        }
        if ipv6Fields.contains(field) {
            guard case .string(let text) = value, let address = IPv6Address(text) else {
                throw .badRequest(field: path, "expected an IPv6 address string, got \(value.kindDescription)")
            }
            return .ipv6(address)
        }
        return .integer(try value.unsigned(UInt64.self, field: path))
    }

    /// The match as a JSON object.
    static func json(_ match: OF13.Match) -> JSONValue {
        var object: [String: JSONValue] = [:]
        var others: [JSONValue] = []
        for field in match.fields {
            guard let basic = field.basic else {
                others.append(.string("\(field)"))
                continue
            }
            let width = OXMField.basicFields[Int(basic.field)].width
            let value = json(basic.value, field: basic.field, width: width)
            if let mask = basic.mask {
                object[field.name] = .object(["value": value, "mask": json(mask, field: basic.field, width: width)])
            } else {
                object[field.name] = value
            }
        }
        if !others.isEmpty { object["other_fields"] = .array(others) }
        return .object(object)
    }

    private static func json(_ value: OXMField.Value, field: UInt8, width: Int) -> JSONValue {
        switch value {
        case .integer(let v):
            guard hexFields.contains(field) else { return .integer(v) }
            let hex = String(v, radix: 16)
            return .string("0x" + String(repeating: "0", count: max(0, width * 2 - hex.count)) + hex)
        case .mac(let mac): return .string(mac.description)
        case .ipv4(let address): return .string(address.description)
        case .ipv6(let address): return .string(address.description)
        }
    }
}
