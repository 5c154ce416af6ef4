/// One claim of the paper's §3, what vnm measured for it, and the verdict computed from the
/// measurements by a stated rule.
public struct PaperClaim: Sendable, Equatable, Encodable {
    public enum Verdict: String, Sendable, Equatable, Encodable {
        case holds
        case doesNotHold = "does not hold"
        case notMeasured = "not measured"
    }

    /// Stable key: `plane-separation-downtime`, `standard-loss-linear`, ...
    public var id: String
    /// The figure it belongs to: `Fig. 5`, `Fig. 6`, `Fig. 7`.
    public var figure: String
    /// What the paper says, in its words.
    public var paper: String
    /// How the verdict is decided from the rows.
    public var rule: String
    /// What was measured, with the numbers the verdict rests on (or why nothing was measured).
    public var measured: String
    public var verdict: Verdict

    public init(id: String, figure: String, paper: String, rule: String, measured: String, verdict: Verdict) {
        self.id = id
        self.figure = figure
        self.paper = paper
        self.rule = rule
        self.measured = measured
        self.verdict = verdict
    }
}
