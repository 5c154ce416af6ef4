import Foundation
import Yams

/// Reads scenario files: YAML (or JSON, which is YAML) in, a validated, normalised ``Scenario``
/// out, or a ``ScenarioError`` that names the file, line, column and field.
public enum ScenarioLoader {
    /// Reads and validates the file at `path`. Errors name the file as `path` gives it, so that an
    /// editor can jump to `path:line:column`.
    public static func load(file path: String) throws(ScenarioError) -> Scenario {
        let url = URL(fileURLWithPath: path)
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ScenarioError(
                file: path, line: 0, column: 0, field: "",
                message: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(yaml: text, file: path)
    }

    /// Reads and validates scenario text. `file` names it in errors and gives the default `name`
    /// (without its extension).
    public static func parse(yaml: String, file: String = "<memory>") throws(ScenarioError) -> Scenario {
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw Self.describe(error, file: file, text: yaml)
        } catch {
            throw ScenarioError(file: file, line: 0, column: 0, field: "", message: "\(error)")
        }
        guard let root else {
            throw ScenarioError(
                file: file, line: 1, column: 1, field: "",
                message: "the file is empty: expected a scenario (name, switches, hosts, links, ...)")
        }
        let sources = SourceMapBox(SourceMap(file: file))
        let defaultName =
            file.split(separator: "/").last.map { name in
                name.split(separator: ".").dropLast().joined(separator: ".")
            }.flatMap { $0.isEmpty ? nil : $0 } ?? "scenario"
        var reader = ScenarioReader(
            root: YAMLField(node: root, path: "", sources: sources),
            defaultName: defaultName)
        let scenario = try reader.read()
        try ScenarioValidator(scenario: scenario, sources: sources.map).validate()
        return scenario
    }

    /// Validates a scenario built in code (errors carry field paths but no line numbers).
    public static func validate(_ scenario: Scenario) throws(ScenarioError) {
        try ScenarioValidator(scenario: scenario, sources: SourceMap(file: scenario.name)).validate()
    }

    /// The normalised scenario as pretty JSON with sorted keys; ``parse(yaml:file:)`` reads it back
    /// into an equal scenario.
    public static func json(_ scenario: Scenario) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain values cannot fail.
        let data = (try? encoder.encode(scenario)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The next line after `first` that has `key:` at the same column.
    static func repetition(of key: String, after first: Mark, in text: String) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        for number in first.line..<lines.count {
            let line = lines[number].unicodeScalars
            guard line.count >= first.column - 1 + key.unicodeScalars.count + 1 else { continue }
            let start = line.index(line.startIndex, offsetBy: first.column - 1)
            if String(line[start...]).hasPrefix(key + ":") { return (number + 1, first.column) }
        }
        return nil
    }

    static func describe(_ error: YamlError, file: String, text: String) -> ScenarioError {
        func make(_ mark: Mark, _ message: String) -> ScenarioError {
            ScenarioError(file: file, line: mark.line, column: mark.column, field: "", message: message)
        }
        func make(_ place: (line: Int, column: Int), _ message: String) -> ScenarioError {
            ScenarioError(file: file, line: place.line, column: place.column, field: "", message: message)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return make(mark, "not valid YAML: \(problem)\(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams marks the first occurrence; point at the repetition, the line to fix.
            let key = duplicates.first ?? ""
            let place = repetition(of: key, after: context.mark, in: text) ?? (context.mark.line, context.mark.column)
            return make(
                place,
                "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping"
                    + " (first at line \(context.mark.line))")
        case .reader(let problem, _, _, _):
            return ScenarioError(file: file, line: 0, column: 0, field: "", message: "not valid text: \(problem)")
        default:
            return ScenarioError(file: file, line: 0, column: 0, field: "", message: "not valid YAML: \(error)")
        }
    }
}
