/// Where each field of a scenario was written: field path to line and column. The reader fills
/// it; validation uses it so that an error found after reading still names its line.
struct SourceMap: Sendable {
    struct Position: Sendable, Equatable {
        var line: Int
        var column: Int
    }

    var file: String
    private var positions: [String: Position] = [:]

    init(file: String) { self.file = file }

    mutating func record(_ field: String, _ position: Position) {
        if positions[field] == nil { positions[field] = position }
    }

    /// The position of `field`, or of the nearest enclosing field that has one.
    func position(of field: String) -> Position? {
        var path = Substring(field)
        while true {
            if let found = positions[String(path)] { return found }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            path = path[..<cut]
        }
        return positions[""]
    }

    func error(_ field: String, _ message: String) -> ScenarioError {
        let position = position(of: field)
        return ScenarioError(
            file: file, line: position?.line ?? 0, column: position?.column ?? 0, field: field, message: message)
    }
}
