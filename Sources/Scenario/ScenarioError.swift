/// What is wrong in a scenario, and where: `diamond.yaml:14:7: links[2].latency: "2 ms" is not a
/// duration (use e.g. 2ms, 500us)`.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as named when it was loaded (`<memory>` for text without a file).
    public var file: String
    /// 1-based line and column of the offending value, key or item; 0 when the scenario was built
    /// in code and has no source.
    public var line: Int
    public var column: Int
    /// The field path: `links[2].latency`, `virtual_networks[0].paths[1].nodes[2]` (0-based
    /// indices; empty for the document itself).
    public var field: String
    public var message: String

    public init(file: String, line: Int, column: Int, field: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    public var description: String {
        let place = line > 0 ? "\(file):\(line):\(column)" : file
        return field.isEmpty ? "\(place): \(message)" : "\(place): \(field): \(message)"
    }
}
