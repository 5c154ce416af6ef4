/// The real runner of `vnm experiment paper`: the flow schemes through ``FlowSchemeRunner``, the
/// router schemes through ``RouterSchemeRunner`` when it is built in (otherwise they are
/// reported unavailable, with the reason).
///
/// Clocks: the embedded flow-migration backend runs on the virtual clock only (it drives an
/// `EventSimulator`), and the linux backend on the real clock only (Open vSwitch and kernel
/// sockets); any other combination is refused with an error saying so.
public final class PaperRunner: PaperPointRunner, @unchecked Sendable {
    public let backend: PaperBackend
    public let clock: PaperClock
    let flows: FlowSchemeRunner
    let router: Result<any PaperPointRunner, PaperExperimentError>

    /// `baseline`: precede each flow run by the same traffic without a migration.
    public init(
        backend: PaperBackend, clock: PaperClock? = nil, baseline: Bool = true, linuxName: String = "paper",
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        let clock = clock ?? backend.defaultClock
        switch (backend, clock) {
        case (.embedded, .real):
            throw PaperExperimentError(
                "--clock real is not supported with --backend embedded yet: the embedded flow-migration backend "
                    + "runs on the virtual clock only; use --clock virtual, or --backend linux for real time")
        case (.linux, .virtual):
            throw PaperExperimentError(
                "--clock virtual is not possible with --backend linux: Open vSwitch and the kernel run in real time; "
                    + "use --clock real, or --backend embedded")
        default: break
        }
        self.backend = backend
        self.clock = clock
        switch backend {
        case .embedded:
            flows = FlowSchemeRunner(substrate: .embedded, baseline: baseline)
            router = RouterSchemeRunner.make()
        case .linux:
            flows = FlowSchemeRunner(substrate: .linux(name: linuxName, log: log), baseline: baseline)
            router = .failure(
                PaperExperimentError(
                    "the router-migration experiment has no linux backend; run the router schemes with --backend embedded"))
        }
    }

    public func unavailability(of scheme: PaperScheme) -> String? {
        guard scheme.isRouter else { return flows.unavailability(of: scheme) }
        switch router {
        case .success(let runner): return runner.unavailability(of: scheme)
        case .failure(let error): return error.description
        }
    }

    public func run(_ point: PaperPoint, sweep: PaperSweep) async throws -> PaperMeasurement {
        guard point.scheme.isRouter else { return try await flows.run(point, sweep: sweep) }
        return try await router.get().run(point, sweep: sweep)
    }

    public func tearDown() async {
        await flows.tearDown()
        if case .success(let runner) = router { await runner.tearDown() }
    }
}
