/// One line of the summary: a scheme at one packet size and rate, its repetitions summarised
/// (mean, and lowest–highest in the report).
struct PaperSummary: Sendable, Equatable {
    var scheme: PaperScheme
    var size: Int
    var rate: Double
    var runs: Int
    var downtime: Spread?
    var interruption: Spread?
    var lost: Spread?
    var totalMigration: Spread?

    /// Every measured (scheme, size, rate), in the sweep's order.
    static func lines(_ result: PaperResult) -> [PaperSummary] {
        var lines: [PaperSummary] = []
        for scheme in result.measuredSchemes {
            for size in result.sweep.sizes {
                for (rate, rows) in result.byRate(scheme, size: size) {
                    lines.append(
                        PaperSummary(
                            scheme: scheme, size: size, rate: rate, runs: rows.count,
                            downtime: Spread(rows.compactMap(\.downtimeMilliseconds)),
                            interruption: Spread(rows.map(\.interruptionMilliseconds)),
                            lost: Spread(rows.map { Double($0.lost) }),
                            totalMigration: Spread(rows.compactMap(\.totalMigrationMilliseconds))))
                }
            }
        }
        return lines
    }

    /// The terminal's table: fixed-width columns, means only.
    static func table(_ result: PaperResult, claims: [PaperClaim]) -> String {
        let header = ["scheme", "size B", "rate pps", "runs", "downtime ms", "interrupt ms", "lost", "total ms"]
        var rows = [header]
        for line in lines(result) {
            rows.append([
                line.scheme.rawValue, String(line.size), PaperFormat.number(line.rate), String(line.runs),
                PaperFormat.fixed(line.downtime?.mean, 1), PaperFormat.fixed(line.interruption?.mean, 2),
                PaperFormat.fixed(line.lost?.mean, 1), PaperFormat.fixed(line.totalMigration?.mean, 3),
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var text = rows.map { row in
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
        text += "\n"
        for (scheme, reason) in result.unavailable.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            text += "\(scheme): not run: \(reason)\n"
        }
        text += "\n"
        for claim in claims {
            text += "\(claim.figure) \(claim.id): \(claim.verdict.rawValue.uppercased()) — \(claim.measured)\n"
        }
        return text
    }
}
