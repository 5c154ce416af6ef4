import Foundation

/// Everything `vnm experiment paper` measured: one row per scheme, size, rate and run, the
/// schemes left out and why, and how the sweep was set up. results.json is this, plus the
/// claims' verdicts.
public struct PaperResult: Sendable, Equatable {
    public var backend: String
    public var clock: String
    public var sweep: PaperSweep
    /// Schemes of the sweep that were not run, with the reason.
    public var unavailable: [PaperScheme: String]
    public var rows: [PaperRow]
    /// Wall time of the whole sweep, in seconds.
    public var elapsedSeconds: Double

    public init(
        backend: String, clock: String, sweep: PaperSweep, unavailable: [PaperScheme: String], rows: [PaperRow],
        elapsedSeconds: Double
    ) {
        self.backend = backend
        self.clock = clock
        self.sweep = sweep
        self.unavailable = unavailable
        self.rows = rows
        self.elapsedSeconds = elapsedSeconds
    }

    /// The schemes that have at least one row, in the sweep's order.
    public var measuredSchemes: [PaperScheme] {
        sweep.schemes.filter { scheme in rows.contains { $0.scheme == scheme } }
    }

    /// The rows of one scheme at one size, grouped by rate (ascending).
    func byRate(_ scheme: PaperScheme, size: Int) -> [(rate: Double, rows: [PaperRow])] {
        let rows = rows.filter { $0.scheme == scheme && $0.size == size }
        return Set(rows.map(\.rate)).sorted().map { rate in (rate, rows.filter { $0.rate == rate }) }
    }

    /// results.csv: a header line of ``PaperRow/columns``, then one line per row.
    public func csv() -> String {
        var lines = [PaperRow.columns.joined(separator: ",")]
        for row in rows { lines.append(row.csvFields.map(Self.csvField).joined(separator: ",")) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// results.json: the setup, the unavailable schemes, every row, and the claims with their
    /// computed verdicts.
    public func json(claims: [PaperClaim]) throws -> String {
        struct Document: Encodable {
            var backend: String
            var clock: String
            var sweep: PaperSweep
            var unavailable: [String: String]
            var elapsedSeconds: Double
            var claims: [PaperClaim]
            var rows: [PaperRow]
            enum CodingKeys: String, CodingKey {
                case backend, clock, sweep, unavailable, claims, rows
                case elapsedSeconds = "elapsed_s"
            }
        }
        let document = Document(
            backend: backend, clock: clock, sweep: sweep,
            unavailable: Dictionary(uniqueKeysWithValues: unavailable.map { ($0.key.rawValue, $0.value) }),
            elapsedSeconds: elapsedSeconds, claims: claims, rows: rows)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .throw
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
