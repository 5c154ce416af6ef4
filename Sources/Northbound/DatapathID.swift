/// Datapath ids in the API: written as `"0x"` and 16 hex digits (`"0x0000000000000001"`,
/// Open vSwitch's digits); read from a JSON number, a decimal string, a `"0x"` hex string, or
/// the colon form `"00:00:00:00:00:00:00:01"` that Ryu and ONOS print.
public enum DatapathID {
    public static func format(_ datapathID: UInt64) -> String {
        let hex = String(datapathID, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }

    static func parse(_ value: JSONValue, field: String) throws(APIError) -> UInt64 {
        if case .string(let text) = value, text.contains(":") {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 8, parts.allSatisfy({ $0.count == 2 }), let id = UInt64(parts.joined(), radix: 16) else {
                throw .badRequest(field: field, "expected a datapath id (a number, \"0x...\" or 8 colon-separated hex bytes), got \(value.kindDescription)")
            }
            return id
        }
        return try value.unsigned(UInt64.self, field: field)
    }

    /// The datapath id in a query string (`?dpid=0x1`).
    static func parse(query text: Substring?, field: String) throws(APIError) -> UInt64 {
        guard let text, !text.isEmpty else { throw .badRequest(field: field, "is required (e.g. ?\(field)=0x1)") }
        return try parse(.string(String(text)), field: field)
    }
}
