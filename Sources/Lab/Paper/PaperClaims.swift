/// The paper's claims about Figs. 5–7 (§3 and §4), each checked against a ``PaperResult``. The
/// verdicts are computed from the rows by the rules below, never written by hand; a claim
/// whose schemes did not run, or ran too few points to decide, is `not measured`.
public enum PaperClaims {
    /// "about 200 ms lower": the difference must lie within 200 ms ± 50%.
    public static let downtimeDifference = (expected: 200.0, low: 100.0, high: 300.0)
    /// The fitted line must explain at least this share of the losses' variance, with a
    /// positive slope, at every packet size.
    public static let linearRSquared = 0.9
    /// A line needs at least this many distinct rates before its r² says anything.
    public static let linearMinimumRates = 3
    /// "about 5 milliseconds" (§3), "less than 5 milliseconds" (§4): the median total
    /// migration time of the paper's order must be at most twice 5 ms.
    public static let openFlowTotal = (expected: 5.0, limit: 10.0)

    public static func evaluate(_ result: PaperResult) -> [PaperClaim] {
        [
            planeSeparationDowntime(result), standardLossLinear(result),
            lossless(result, .routerPlaneSeparated, id: "plane-separation-lossless",
                paper: "Xen with plane separation loses no data packets: the data plane is not frozen during migration."),
            lossless(result, .flowsPaper, id: "openflow-lossless",
                paper: "OpenFlow migration loses no packets (Fig. 3's order: new entries, redirect, delete old)."),
            lossless(result, .flowsConsistent, id: "consistent-lossless",
                paper: "(vnm, not the paper) The barrier-confirmed form of Fig. 3 loses no packets either."),
            openFlowTotalTime(result),
        ]
    }

    /// Why `scheme` has no rows: the runner's reason, or that it was not in the sweep.
    static func missing(_ scheme: PaperScheme, in result: PaperResult) -> String? {
        guard !result.rows.contains(where: { $0.scheme == scheme }) else { return nil }
        if let reason = result.unavailable[scheme] { return "\(scheme) was not run: \(reason)" }
        if !result.sweep.schemes.contains(scheme) { return "\(scheme) was not in the sweep" }
        return "\(scheme) has no completed run"
    }

    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    // MARK: Fig. 5

    static func planeSeparationDowntime(_ result: PaperResult) -> PaperClaim {
        let (expected, low, high) = downtimeDifference
        var claim = PaperClaim(
            id: "plane-separation-downtime", figure: "Fig. 5",
            paper: "Compared with the Xen standard migration, Xen with plane separation has a downtime "
                + "about 200 ms lower on average.",
            rule: "mean over (size, rate) points of standard's mean downtime minus plane separation's lies in "
                + "\(PaperFormat.number(low))–\(PaperFormat.number(high)) ms (\(PaperFormat.number(expected)) ms ± 50%)",
            measured: "", verdict: .notMeasured)
        if let reason = missing(.routerStandard, in: result) ?? missing(.routerPlaneSeparated, in: result) {
            claim.measured = reason
            return claim
        }
        var differences: [Double] = []
        for size in result.sweep.sizes {
            let standard = Dictionary(uniqueKeysWithValues: result.byRate(.routerStandard, size: size).map { ($0.rate, $0.rows) })
            for (rate, rows) in result.byRate(.routerPlaneSeparated, size: size) {
                guard let standardMean = mean(standard[rate]?.compactMap(\.downtimeMilliseconds) ?? []),
                    let separatedMean = mean(rows.compactMap(\.downtimeMilliseconds))
                else { continue }
                differences.append(standardMean - separatedMean)
            }
        }
        guard let average = mean(differences) else {
            claim.measured = "no (size, rate) point has a downtime for both router schemes"
            return claim
        }
        let spread = Spread(differences)!
        claim.measured = "plane separation's downtime is \(PaperFormat.fixed(abs(average))) ms "
            + (average >= 0 ? "lower" : "higher") + " than standard's on average over \(differences.count) point(s) "
            + "(from \(PaperFormat.fixed(spread.min)) to \(PaperFormat.fixed(spread.max)) ms)"
        claim.verdict = (low...high).contains(average) ? .holds : .doesNotHold
        return claim
    }

    // MARK: Fig. 6

    static func standardLossLinear(_ result: PaperResult) -> PaperClaim {
        var claim = PaperClaim(
            id: "standard-loss-linear", figure: "Fig. 6",
            paper: "In the Xen standard migration, the number of lost packets increases linearly with the packet rate "
                + "(the downtime is constant).",
            rule: "at every packet size, a least-squares line of lost packets against rate over all runs has a "
                + "positive slope and r² ≥ \(PaperFormat.number(linearRSquared)), with at least "
                + "\(linearMinimumRates) distinct rates",
            measured: "", verdict: .notMeasured)
        if let reason = missing(.routerStandard, in: result) {
            claim.measured = reason
            return claim
        }
        var parts: [String] = []
        var allHold = true
        var fitted = 0
        for size in result.sweep.sizes {
            let rows = result.rows.filter { $0.scheme == .routerStandard && $0.size == size }
            let rates = Set(rows.map(\.rate)).count
            guard rates >= linearMinimumRates else {
                parts.append("\(size) B: \(rates) rate(s), too few for a line")
                continue
            }
            guard let fit = LinearFit(x: rows.map(\.rate), y: rows.map { Double($0.lost) }) else {
                parts.append("\(size) B: no line could be fitted")
                continue
            }
            fitted += 1
            let holds = fit.slope > 0 && fit.rSquared >= linearRSquared
            allHold = allHold && holds
            // Lost packets per (packet/s) is the seconds the data plane was stopped.
            parts.append(
                "\(size) B: lost ≈ \(PaperFormat.fixed(fit.slope * 1000, 1)) ms × rate "
                    + "\(fit.intercept >= 0 ? "+" : "−") \(PaperFormat.fixed(abs(fit.intercept), 1)), "
                    + "r² = \(PaperFormat.fixed(fit.rSquared, 3)) over \(fit.count) runs")
        }
        claim.measured = parts.joined(separator: "; ")
        if fitted == result.sweep.sizes.count && fitted > 0 {
            claim.verdict = allHold ? .holds : .doesNotHold
        } else if fitted > 0 && !allHold {
            claim.verdict = .doesNotHold
        }
        return claim
    }

    static func lossless(_ result: PaperResult, _ scheme: PaperScheme, id: String, paper: String) -> PaperClaim {
        var claim = PaperClaim(
            id: id, figure: "Fig. 6", paper: paper, rule: "no \(scheme) run lost a data packet", measured: "",
            verdict: .notMeasured)
        if let reason = missing(scheme, in: result) {
            claim.measured = reason
            return claim
        }
        let rows = result.rows.filter { $0.scheme == scheme }
        let lost = rows.reduce(UInt64(0)) { $0 + $1.lost }
        let sent = rows.reduce(UInt64(0)) { $0 + $1.sent }
        let lossy = rows.filter { $0.lost > 0 }
        var text = "lost \(lost) of \(sent) packets in \(rows.count) run(s)"
        if let worst = lossy.max(by: { $0.lost < $1.lost }) {
            text += "; \(lossy.count) run(s) lost packets, the worst \(worst.lost) at \(worst.size) B, "
                + "\(PaperFormat.number(worst.rate)) packets/s, run \(worst.run)"
        }
        let baseline = rows.compactMap(\.baselineLost)
        if !baseline.isEmpty {
            text += " (the same traffic without migration lost \(baseline.reduce(0, +)))"
        }
        claim.measured = text
        claim.verdict = lost == 0 ? .holds : .doesNotHold
        return claim
    }

    // MARK: Fig. 7

    static func openFlowTotalTime(_ result: PaperResult) -> PaperClaim {
        var claim = PaperClaim(
            id: "openflow-total-time", figure: "Fig. 7",
            paper: "OpenFlow total migration time is about 5 milliseconds (§4: less than 5 ms).",
            rule: "the median total migration time of the paper-order flow migration, over all runs, is at most "
                + "\(PaperFormat.number(openFlowTotal.limit)) ms",
            measured: "", verdict: .notMeasured)
        if let reason = missing(.flowsPaper, in: result) {
            claim.measured = reason
            return claim
        }
        let rows = result.rows.filter { $0.scheme == .flowsPaper }
        let totals = rows.compactMap(\.totalMigrationMilliseconds)
        guard let spread = Spread(totals) else {
            claim.measured = "no run saw a data packet pass through the new path (\(rows.count) run(s))"
            claim.verdict = .doesNotHold
            return claim
        }
        var text = "median \(PaperFormat.fixed(spread.median, 3)) ms (from \(PaperFormat.fixed(spread.min, 3)) "
            + "to \(PaperFormat.fixed(spread.max, 3)) ms) over \(totals.count) run(s)"
        if totals.count < rows.count { text += "; \(rows.count - totals.count) run(s) never reached the new path" }
        let consistent = result.rows.filter { $0.scheme == .flowsConsistent }.compactMap(\.totalMigrationMilliseconds)
        if let other = Spread(consistent) {
            text += "; consistent: median \(PaperFormat.fixed(other.median, 3)) ms"
        }
        claim.measured = text
        claim.verdict = spread.median <= openFlowTotal.limit && totals.count == rows.count ? .holds : .doesNotHold
        return claim
    }
}
