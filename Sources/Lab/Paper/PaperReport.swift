import Foundation

/// report.md: the figures beside the paper's claims, each claim with what was measured and the
/// verdict computed by ``PaperClaims``, then the measurements per point.
public enum PaperReport {
    public static func markdown(_ result: PaperResult, claims: [PaperClaim]) -> String {
        let sweep = result.sweep
        var out = "# The paper's experiments, reproduced\n\n"
        out += "Pisa et al., *OpenFlow and Xen-Based Virtual Network Migration* (2010), §3, Figs. 5–7, "
            + "measured by `vnm experiment paper`.\n\n"
        out += "- backend: \(result.backend), clock: \(result.clock), first seed: \(sweep.seed)\n"
        out += "- packet sizes: \(sweep.sizes.map { "\($0)" }.joined(separator: ", ")) bytes; data packet rates: "
            + "\(sweep.rates.map(PaperFormat.number).joined(separator: ", ")) packets/s; "
            + "\(sweep.repetitions) run(s) per point; flow runs carry "
            + "\(PaperFormat.number(sweep.flowTrafficSeconds)) s of traffic, the migration triggered half-way\n"
        out += "- \(result.rows.count) run(s) in \(PaperFormat.seconds(result.elapsedSeconds))\n"
        for scheme in sweep.schemes {
            if let reason = result.unavailable[scheme] { out += "- **\(scheme) was not run**: \(reason)\n" }
        }
        out += "\n## The paper's claims\n\n"
        out += "| figure | the paper says | measured here | verdict |\n|---|---|---|---|\n"
        for claim in claims {
            out += "| \(claim.figure) | \(cell(claim.paper)) | \(cell(claim.measured)) | **\(claim.verdict.rawValue)** |\n"
        }
        out += "\nHow each verdict is computed from results.csv (never by hand):\n\n"
        for claim in claims { out += "- `\(claim.id)`: \(claim.rule).\n" }
        out += """

            ## Figures

            Markers are the mean of the runs at a point, error bars span the lowest to the highest run.

            ### Fig. 5: downtime

            ![Fig. 5](fig5-downtime.svg)

            Router schemes: how long the virtual router's VM was paused (from suspension at the source
            until it resumed at the destination). The paper: roughly constant with the rate, about 200 ms
            lower with plane separation, whose VM dirties fewer pages because Domain 0 forwards the data.
            Flow migrations pause nothing; their points are the receiver's interruption, the longest gap
            between two received packets minus the sending interval (`interruption_ms`).

            ### Fig. 6: lost packets

            ![Fig. 6](fig6-lost-packets.svg)

            Data packets sent and never received. The paper: linear in the rate for the standard
            migration (the VM forwards the data and stops for a constant time), none for plane
            separation and OpenFlow.

            ### Fig. 7: total migration time

            ![Fig. 7](fig7-total-migration-time.svg)

            From the migration's trigger until data packets pass through the destination. The paper:
            about 5 ms for OpenFlow, seconds for the router migrations (plane separation about 15 s
            longer than standard in its prototype).

            ## Per point


            """
        out += "| scheme | size (B) | rate (packets/s) | runs | downtime (ms) | interruption (ms) | lost | total migration (ms) |\n"
        out += "|---|---:|---:|---:|---:|---:|---:|---:|\n"
        for line in PaperSummary.lines(result) {
            out += "| \(line.scheme) | \(line.size) | \(PaperFormat.number(line.rate)) | \(line.runs) | "
                + "\(spread(line.downtime, 1)) | \(spread(line.interruption, 2)) | \(spread(line.lost, 1)) | "
                + "\(spread(line.totalMigration, 3)) |\n"
        }
        out += "\nEvery run is in `results.csv` and `results.json`.\n"
        return out
    }

    /// `mean (min–max)`, or `-`.
    static func spread(_ spread: Spread?, _ decimals: Int) -> String {
        guard let spread else { return "-" }
        if spread.count == 1 || spread.min == spread.max { return PaperFormat.fixed(spread.mean, decimals) }
        return "\(PaperFormat.fixed(spread.mean, decimals)) (\(PaperFormat.fixed(spread.min, decimals))–"
            + "\(PaperFormat.fixed(spread.max, decimals)))"
    }

    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
