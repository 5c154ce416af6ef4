import Foundation
import OpenFlow

/// Loads annotated-hex fixtures from the test bundle: `#` starts a comment (whole line or
/// trailing), everything else is hex digits, one OpenFlow message per file.
struct Fixture: Sendable, CustomStringConvertible {
    var name: String
    var comments: [String]
    var bytes: [UInt8]
    var description: String { name }

    /// The text after `# key:` in the comments, if any.
    func comment(_ key: String) -> String? {
        for line in comments where line.hasPrefix(key + ":") {
            return String(line.dropFirst(key.count + 1)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}

enum FixtureLoader {
    struct LoadError: Error, CustomStringConvertible { var description: String }

    static var root: URL {
        get throws {
            guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
                throw LoadError(description: "Fixtures directory is missing from the test bundle")
            }
            return url
        }
    }

    static func parse(name: String, text: String) throws -> Fixture {
        do {
            let (comments, bytes) = try AnnotatedHex.parse(text)
            return Fixture(name: name, comments: comments, bytes: bytes)
        } catch {
            throw LoadError(description: "\(name): \(error)")
        }
    }

    /// The `*.hex` fixtures of one subdirectory of Fixtures, sorted by name.
    static func load(directory: String) throws -> [Fixture] {
        let dir = try root.appendingPathComponent(directory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return try names.filter { $0.hasSuffix(".hex") }.sorted().map { name in
            try parse(name: name, text: String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8))
        }
    }

    /// Every fixture of every subdirectory.
    static func all() throws -> [Fixture] {
        let subdirectories = (try? FileManager.default.contentsOfDirectory(atPath: try root.path)) ?? []
        return try subdirectories.sorted().flatMap { try load(directory: $0) }
    }
}
