/// `vnm experiment paper`: the paper's evaluation (§3, Figs. 5–7) as one sweep. Plans the runs
/// (``PaperSweep/points``), leaves out the schemes the runner cannot run (saying why), runs the
/// rest one at a time through a ``PaperPointRunner``, and collects one ``PaperRow`` per run.
/// Figures, claims and the report are computed from the result (``PaperFigures``,
/// ``PaperClaims``, ``PaperReport``).
public struct PaperExperiment: Sendable {
    public var sweep: PaperSweep
    /// Describes the run in results.json and the report: `embedded`/`linux`, `virtual`/`real`.
    public var backend: String
    public var clock: String

    public init(sweep: PaperSweep, backend: String, clock: String) {
        self.sweep = sweep
        self.backend = backend
        self.clock = clock
    }

    /// Runs the sweep. `now` reads a monotonic clock in seconds (for the time-left estimate
    /// only; tests pass a fake); `progress` hears before each run where the sweep is. A run
    /// that throws stops the sweep: the error names the point. The runner is torn down either way.
    public func run(
        on runner: any PaperPointRunner, now: () -> Double = PaperExperiment.monotonicSeconds,
        progress: (PaperProgress) -> Void = { _ in }
    ) async throws -> PaperResult {
        try sweep.validate()
        var unavailable: [PaperScheme: String] = [:]
        for scheme in sweep.schemes {
            if let reason = runner.unavailability(of: scheme) { unavailable[scheme] = reason }
        }
        let points = sweep.points.filter { unavailable[$0.scheme] == nil }
        let start = now()
        var durations: [PaperScheme: [Double]] = [:]
        var rows: [PaperRow] = []
        do {
            for (offset, point) in points.enumerated() {
                let began = now()
                progress(
                    PaperProgress(
                        point: point, index: offset + 1, total: points.count, elapsedSeconds: began - start,
                        remainingSeconds: PaperProgress.estimate(remaining: Array(points[offset...]), durations: durations)))
                let measurement: PaperMeasurement
                do {
                    measurement = try await runner.run(point, sweep: sweep)
                } catch {
                    throw PaperExperimentError("\(point): \(error)")
                }
                durations[point.scheme, default: []].append(max(0, now() - began))
                rows.append(PaperRow(point: point, measurement: measurement))
            }
        } catch {
            await runner.tearDown()
            throw error
        }
        await runner.tearDown()
        return PaperResult(
            backend: backend, clock: clock, sweep: sweep, unavailable: unavailable, rows: rows,
            elapsedSeconds: max(0, now() - start))
    }

    /// Seconds on the monotonic clock since the first call (never goes back).
    public static func monotonicSeconds() -> Double {
        let (seconds, attoseconds) = epoch.duration(to: .now).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    private static let epoch = ContinuousClock.now
}
