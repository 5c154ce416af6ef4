import Foundation
import OpenFlow

/// A fixture: one message as annotated hex. Lines starting with `#` are comments, and so is
/// anything after a `#` on a hex line.
public struct FixtureFile: Sendable {
    public var name: String
    public var comments: [String]
    public var bytes: [UInt8]

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(name: String, text: String) throws {
        self.name = name
        var comments: [String] = []
        var hex = ""
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") {
                comments.append(String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces))
                continue
            }
            let code = trimmed.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard HexBytes.parse(code) != nil else {
                throw ParseError(description: "\(name):\(number + 1): not hex: \(code)")
            }
            hex += code
        }
        guard let bytes = HexBytes.parse(hex) else { throw ParseError(description: "\(name): odd number of hex digits") }
        self.comments = comments
        self.bytes = bytes
    }

    /// Every `*.hex` file of a directory, sorted by name.
    public static func loadDirectory(_ path: String) throws -> [FixtureFile] {
        let names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".hex") }.sorted()
        return try names.map { name in
            try FixtureFile(name: name, text: String(contentsOfFile: "\(path)/\(name)", encoding: .utf8))
        }
    }
}
