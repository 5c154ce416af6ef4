/// Where `vnm experiment paper` runs: `embedded` (in-process substrate, no root) or `linux`
/// (Open vSwitch in network namespaces, kernel UDP sockets; needs root).
public enum PaperBackend: String, Sendable, Hashable, Codable, CaseIterable {
    case embedded, linux

    /// The clock a backend runs on when `--clock` is not given.
    public var defaultClock: PaperClock {
        switch self {
        case .embedded: .virtual
        case .linux: .real
        }
    }
}

/// `--clock`: the simulator's virtual clock (seeded, deterministic, faster than real time) or
/// the real one.
public enum PaperClock: String, Sendable, Hashable, Codable, CaseIterable {
    case virtual, real
}
