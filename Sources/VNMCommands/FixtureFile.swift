import Foundation
import OpenFlow

/// A fixture file: one message as annotated hex (``AnnotatedHex``).
public struct FixtureFile: Sendable {
    public var name: String
    public var comments: [String]
    public var bytes: [UInt8]

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(name: String, text: String) throws {
        self.name = name
        do {
            (comments, bytes) = try AnnotatedHex.parse(text)
        } catch {
            throw ParseError(description: "\(name): \(error)")
        }
    }

    /// Every `*.hex` file of a directory, sorted by name.
    public static func loadDirectory(_ path: String) throws -> [FixtureFile] {
        let names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".hex") }.sorted()
        return try names.map { name in
            try FixtureFile(name: name, text: String(contentsOfFile: "\(path)/\(name)", encoding: .utf8))
        }
    }
}
