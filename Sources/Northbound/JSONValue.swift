import Foundation

/// A JSON document as a plain value. Request bodies are parsed into it and then read field by
/// field (``JSONObjectReader``), so that a bad or misspelt field is reported by its path
/// (`match.eth_type`) rather than as a generic decoding failure.
///
/// Integers keep their full 64 bits (datapath ids and cookies do not fit a `Double`).
public enum JSONValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case integer(UInt64)
    case negativeInteger(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(UInt64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .negativeInteger(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .negativeInteger(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// What the value is, for error messages: `the string "abc"`, `a number`, `an object`.
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .integer(let value): "\(value)"
        case .negativeInteger(let value): "\(value)"
        case .double(let value): "\(value)"
        case .string(let value): "the string \(value.debugDescription)"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// An unsigned integer of type `T` from a JSON number or a string holding a decimal or
    /// `0x` hexadecimal number; `field` names it in the error.
    func unsigned<T: FixedWidthInteger & UnsignedInteger>(_: T.Type = T.self, field: String) throws(APIError) -> T {
        let wide: UInt64?
        switch self {
        case .integer(let value): wide = value
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.lowercased().hasPrefix("0x") {
                wide = UInt64(trimmed.dropFirst(2), radix: 16)
            } else {
                wide = UInt64(trimmed)
            }
        default: wide = nil
        }
        guard let wide else {
            throw .badRequest(field: field, "expected an integer (a number, or a decimal or \"0x\" hex string), got \(kindDescription)")
        }
        guard let value = T(exactly: wide) else {
            throw .badRequest(field: field, "\(wide) is out of range (0...\(T.max))")
        }
        return value
    }

    func bool(field: String) throws(APIError) -> Bool {
        switch self {
        case .bool(let value): return value
        case .string("true"): return true
        case .string("false"): return false
        default: throw .badRequest(field: field, "expected true or false, got \(kindDescription)")
        }
    }

    func string(field: String) throws(APIError) -> String {
        guard case .string(let text) = self else { throw .badRequest(field: field, "expected a string, got \(kindDescription)") }
        return text
    }

    func array(field: String) throws(APIError) -> [JSONValue] {
        guard case .array(let values) = self else { throw .badRequest(field: field, "expected an array, got \(kindDescription)") }
        return values
    }
}
