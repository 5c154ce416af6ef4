/// The fixture format: one message as annotated hex. A line starting with `#` is a comment,
/// and so is anything after a `#` on a hex line (loxigen's style: a comment per field).
/// Used by the test fixtures and by `vnm fuzz codec --corpus`.
public enum AnnotatedHex {
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        /// 1-based line number, or nil when the whole text is at fault.
        public var line: Int?
        public var detail: String
        public var description: String { line.map { "line \($0): \(detail)" } ?? detail }
    }

    /// The comment lines (without `#` and surrounding blanks) and the bytes.
    public static func parse(_ text: String) throws(ParseError) -> (comments: [String], bytes: [UInt8]) {
        var comments: [String] = []
        var hex = ""
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = trim(line)
            if trimmed.hasPrefix("#") {
                comments.append(trim(trimmed.dropFirst()))
                continue
            }
            let code = trimmed.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard HexBytes.parse(code) != nil else {
                throw ParseError(line: number + 1, detail: "not hex: \(code)")
            }
            hex += code
        }
        guard let bytes = HexBytes.parse(hex) else { throw ParseError(line: nil, detail: "odd number of hex digits") }
        return (comments, bytes)
    }

    private static func trim(_ text: Substring) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
