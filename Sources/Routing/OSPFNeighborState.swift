/// The neighbour states of RFC 2328 §10.1 (Attempt is for NBMA networks only and never used here).
public enum OSPFNeighborState: Int, Hashable, Sendable, Comparable, CustomStringConvertible {
    case down, attempt, initial, twoWay, exStart, exchange, loading, full

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .down: "Down"
        case .attempt: "Attempt"
        case .initial: "Init"
        case .twoWay: "2-Way"
        case .exStart: "ExStart"
        case .exchange: "Exchange"
        case .loading: "Loading"
        case .full: "Full"
        }
    }
}
