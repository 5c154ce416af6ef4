/// Reads the fields of one JSON object of a request and remembers which were read, so that
/// ``finish()`` can refuse fields nobody asked for: a misspelt `"priorty"` is a 400 naming it,
/// not a flow silently installed with the default priority.
struct JSONObjectReader {
    /// Where the object is in the request (`""` for the body, `"match"`, `"actions[2]"`).
    let path: String
    let fields: [String: JSONValue]
    private var read: Set<String> = []

    init(_ value: JSONValue, path: String) throws(APIError) {
        guard case .object(let fields) = value else {
            throw .badRequest(field: path.isEmpty ? nil : path, "expected a JSON object, got \(value.kindDescription)")
        }
        self.path = path
        self.fields = fields
    }

    /// The path of field `key`.
    func path(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The value of `key`; nil if absent or null.
    mutating func value(_ key: String) -> JSONValue? {
        read.insert(key)
        guard let value = fields[key], value != .null else { return nil }
        return value
    }

    mutating func has(_ key: String) -> Bool { fields[key] != nil && fields[key] != .null }

    mutating func unsigned<T: FixedWidthInteger & UnsignedInteger>(_ key: String, _: T.Type = T.self) throws(APIError) -> T? {
        try value(key).map { v throws(APIError) in try v.unsigned(T.self, field: path(key)) }
    }

    mutating func require<T: FixedWidthInteger & UnsignedInteger>(_ key: String, _: T.Type = T.self) throws(APIError) -> T {
        guard let value = try unsigned(key, T.self) else { throw .badRequest(field: path(key), "is required") }
        return value
    }

    mutating func bool(_ key: String) throws(APIError) -> Bool? {
        try value(key).map { v throws(APIError) in try v.bool(field: path(key)) }
    }

    mutating func string(_ key: String) throws(APIError) -> String? {
        try value(key).map { v throws(APIError) in try v.string(field: path(key)) }
    }

    mutating func array(_ key: String) throws(APIError) -> [JSONValue]? {
        try value(key).map { v throws(APIError) in try v.array(field: path(key)) }
    }

    mutating func object(_ key: String) throws(APIError) -> JSONObjectReader? {
        try value(key).map { v throws(APIError) in try JSONObjectReader(v, path: path(key)) }
    }

    /// Throws for the first field (alphabetically) that was never read.
    func finish() throws(APIError) {
        if let unknown = fields.keys.filter({ !read.contains($0) }).sorted().first {
            throw .badRequest(field: path(unknown), "unknown field")
        }
    }
}
