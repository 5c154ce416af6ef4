extension OF10 {
    /// `enum ofp_stats_types` (spec 1.0.0 §5.3.5): what a STATS_REQUEST asks for and a
    /// STATS_REPLY answers.
    public struct StatsType: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        public static let desc = StatsType(rawValue: 0)
        public static let flow = StatsType(rawValue: 1)
        public static let aggregate = StatsType(rawValue: 2)
        public static let table = StatsType(rawValue: 3)
        public static let port = StatsType(rawValue: 4)
        public static let queue = StatsType(rawValue: 5)
        public static let vendor = StatsType(rawValue: 0xFFFF)

        public var description: String {
            switch rawValue {
            case 0: "OFPST_DESC"
            case 1: "OFPST_FLOW"
            case 2: "OFPST_AGGREGATE"
            case 3: "OFPST_TABLE"
            case 4: "OFPST_PORT"
            case 5: "OFPST_QUEUE"
            case 0xFFFF: "OFPST_VENDOR"
            default: "OFPST_\(rawValue)"
            }
        }
    }
}
