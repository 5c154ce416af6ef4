import NetworkAddresses
import Yams

/// One value of a scenario file with its field path and its place in the file: every read either
/// returns a typed value or throws a ``ScenarioError`` that names the file, line, column and field.
struct YAMLField {
    let node: Yams.Node
    let path: String
    let sources: SourceMapBox

    init(node: Yams.Node, path: String, sources: SourceMapBox) {
        self.node = node
        self.path = path
        self.sources = sources
        if let mark = node.mark { sources.map.record(path, .init(line: mark.line, column: mark.column)) }
    }

    var position: SourceMap.Position {
        node.mark.map { .init(line: $0.line, column: $0.column) } ?? .init(line: 0, column: 0)
    }

    func error(_ message: String) -> ScenarioError {
        ScenarioError(
            file: sources.map.file, line: position.line, column: position.column, field: path, message: message)
    }

    func child(_ node: Yams.Node, _ component: String) -> YAMLField {
        let childPath = component.hasPrefix("[") || path.isEmpty ? path + component : path + "." + component
        return YAMLField(node: node, path: childPath, sources: sources)
    }

    /// `~`, `null` or nothing after the colon.
    var isNull: Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    var kindDescription: String {
        switch node {
        case .scalar: "a value"
        case .mapping: "a mapping (key: value lines)"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// What the user wrote, quoted, for error messages.
    var quoted: String {
        if case .scalar(let scalar) = node { return "\"\(scalar.string)\"" }
        return kindDescription
    }

    // MARK: - Structure

    func mapping(_ keys: [String]) throws(ScenarioError) -> YAMLMapping {
        guard case .mapping(let mapping) = node else {
            throw error("expected a mapping with keys \(keys.joined(separator: ", ")), found \(kindDescription)")
        }
        var values: [String: YAMLField] = [:]
        for (key, value) in mapping {
            guard case .scalar(let keyScalar) = key else {
                throw child(key, "").error("a key must be a plain name, found \(child(key, "").kindDescription)")
            }
            let name = keyScalar.string
            guard keys.contains(name) else {
                let mark = key.mark.map { SourceMap.Position(line: $0.line, column: $0.column) } ?? position
                let where_ = path.isEmpty ? "" : " in \(path)"
                throw ScenarioError(
                    file: sources.map.file, line: mark.line, column: mark.column,
                    field: path.isEmpty ? name : path + "." + name,
                    message: "unknown key '\(name)'\(where_)\(Suggestion.hint(for: name, among: keys))"
                        + " (known keys: \(keys.joined(separator: ", ")))")
            }
            values[name] = child(value, name)
        }
        return YAMLMapping(field: self, values: values)
    }

    func list() throws(ScenarioError) -> [YAMLField] {
        if isNull { return [] }
        guard case .sequence(let sequence) = node else {
            throw error("expected a list (lines starting with '- ' or [a, b]), found \(kindDescription)")
        }
        return sequence.enumerated().map { child($0.element, "[\($0.offset)]") }
    }

    // MARK: - Scalars

    func text() throws(ScenarioError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a value, found \(kindDescription)") }
        return scalar.string
    }

    func string() throws(ScenarioError) -> String {
        let value = try text()
        guard !value.isEmpty else { throw error("is empty") }
        return value
    }

    /// An element name: letters, digits, `-`, `_`, `.`; no `:` (it separates node and port).
    func name() throws(ScenarioError) -> String {
        let value = try string()
        guard value.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw error("\(quoted) is not a name (use letters, digits, '-', '_' and '.')")
        }
        return value
    }

    func names() throws(ScenarioError) -> [String] {
        var result: [String] = []
        for item in try list() { result.append(try item.name()) }
        return result
    }

    func int(_ range: ClosedRange<Int>) throws(ScenarioError) -> Int {
        let value = try text()
        guard let number = Int(value) else { throw error("\(quoted) is not a whole number") }
        guard range.contains(number) else {
            throw error("\(number) is out of range (\(range.lowerBound)...\(range.upperBound))")
        }
        return number
    }

    func uint64() throws(ScenarioError) -> UInt64 {
        let value = try text()
        let number: UInt64? =
            value.lowercased().hasPrefix("0x") ? UInt64(value.dropFirst(2), radix: 16) : UInt64(value)
        guard let number else { throw error("\(quoted) is not a non-negative whole number (decimal or 0x hex)") }
        return number
    }

    func bool() throws(ScenarioError) -> Bool {
        switch try text().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("\(quoted) is not true or false")
        }
    }

    func time() throws(ScenarioError) -> Scenario.TimeSpan {
        let value = try text()
        guard let time = Scenario.TimeSpan(parsing: value) else {
            if Int(value) != nil { throw error("\(quoted) has no unit (use e.g. \(value)ms, \(value)s)") }
            throw error("\(quoted) is not a duration (use e.g. 2ms, 500us)")
        }
        return time
    }

    func bitRate() throws(ScenarioError) -> Scenario.BitRate {
        let value = try text()
        guard let rate = Scenario.BitRate(parsing: value) else {
            if Int(value) != nil { throw error("\(quoted) has no unit (use e.g. \(value)Mbps)") }
            throw error("\(quoted) is not a bandwidth (use e.g. 100Mbps, 1Gbps)")
        }
        return rate
    }

    func byteCount() throws(ScenarioError) -> Scenario.ByteCount {
        guard let size = Scenario.ByteCount(parsing: try text()) else {
            throw error("\(quoted) is not a size in bytes (use e.g. 1500B, 64B, 128MiB)")
        }
        return size
    }

    func packetRate() throws(ScenarioError) -> Scenario.PacketRate {
        guard let rate = Scenario.PacketRate(parsing: try text()) else {
            throw error("\(quoted) is not a packet rate (use e.g. 1000pps, 10kpps)")
        }
        return rate
    }

    /// 0...1, or a percentage `1%`.
    func probability() throws(ScenarioError) -> Double {
        let value = try text()
        let number: Double? = value.hasSuffix("%") ? Double(value.dropLast()).map { $0 / 100 } : Double(value)
        guard let number, number.isFinite else {
            throw error("\(quoted) is not a probability (use e.g. 0.01 or 1%)")
        }
        guard (0...1).contains(number) else { throw error("\(quoted) is not between 0 and 1 (0% and 100%)") }
        return number
    }

    func prefix() throws(ScenarioError) -> Scenario.Prefix {
        let value = try text()
        guard let prefix = Scenario.Prefix(parsing: value) else {
            if IPv4Address(value) != nil { throw error("\(quoted) has no prefix length (use e.g. \(value)/24)") }
            throw error("\(quoted) is not an IPv4 address with prefix length (use e.g. 10.0.1.1/24)")
        }
        return prefix
    }

    func ipv4() throws(ScenarioError) -> IPv4Address {
        guard let address = IPv4Address(try text()) else {
            throw error("\(quoted) is not an IPv4 address (use e.g. 10.0.1.1)")
        }
        return address
    }

    func mac() throws(ScenarioError) -> MACAddress {
        guard let address = MACAddress(try text()) else {
            throw error("\(quoted) is not a MAC address (use e.g. 02:00:00:00:00:01)")
        }
        return address
    }

    func choice<E: RawRepresentable & CaseIterable>(_ type: E.Type) throws(ScenarioError) -> E
    where E.RawValue == String {
        let value = try text()
        guard let choice = E(rawValue: value) else {
            let all = E.allCases.map(\.rawValue)
            throw error(
                "\(quoted) is not one of \(all.joined(separator: ", "))\(Suggestion.hint(for: value, among: all))")
        }
        return choice
    }

    /// `HOST:PORT`, IPv6 hosts in brackets.
    func hostPort() throws(ScenarioError) -> String {
        let value = try string()
        guard let colon = value.lastIndex(of: ":"), let port = Int(value[value.index(after: colon)...]),
            (0...65535).contains(port), colon != value.startIndex
        else { throw error("\(quoted) is not HOST:PORT (use e.g. 127.0.0.1:6653)") }
        return value
    }
}

/// The source map, shared by every field read from one file.
final class SourceMapBox {
    var map: SourceMap
    init(_ map: SourceMap) { self.map = map }
}

/// A mapping whose keys were all checked against the allowed ones.
struct YAMLMapping {
    let field: YAMLField
    let values: [String: YAMLField]

    func optional(_ key: String) -> YAMLField? {
        guard let value = values[key], !value.isNull else { return nil }
        return value
    }

    func required(_ key: String) throws(ScenarioError) -> YAMLField {
        guard let value = values[key] else { throw field.error("missing required key '\(key)'") }
        guard !value.isNull else { throw value.error("'\(key)' needs a value") }
        return value
    }

    func has(_ key: String) -> Bool { optional(key) != nil }
}
