extension Scenario {
    /// A link's bandwidth in bits per second, written `1Gbps`, `100Mbps`, `64kbps`, `9600bps`
    /// (decimal units, as links are sold).
    public struct BitRate: Hashable, Sendable, Comparable {
        public var bitsPerSecond: Int64

        public init(bitsPerSecond: Int64) { self.bitsPerSecond = bitsPerSecond }

        public static func gigabits(_ value: Int64) -> BitRate { BitRate(bitsPerSecond: value * 1_000_000_000) }
        public static func megabits(_ value: Int64) -> BitRate { BitRate(bitsPerSecond: value * 1_000_000) }

        static let units: [(String, Int64)] = [
            ("Tbps", 1_000_000_000_000), ("Gbps", 1_000_000_000), ("Mbps", 1_000_000), ("kbps", 1_000),
            ("Kbps", 1_000), ("bps", 1),
        ]

        public init?(parsing text: String) {
            guard let (number, suffix) = UnitText.split(text),
                let unit = Self.units.first(where: { $0.0 == suffix }),
                let value = UnitText.scale(number, by: unit.1)
            else { return nil }
            self.bitsPerSecond = value
        }

        /// How long `bytes` take to serialise onto the link.
        public func transmissionTime(bytes: Int) -> TimeSpan {
            guard bitsPerSecond > 0 else { return .zero }
            return TimeSpan(nanoseconds: Int64(bytes) * 8 * 1_000_000_000 / bitsPerSecond)
        }

        public static func < (lhs: BitRate, rhs: BitRate) -> Bool { lhs.bitsPerSecond < rhs.bitsPerSecond }
    }
}

extension Scenario.BitRate: CustomStringConvertible {
    public var description: String {
        UnitText.format(bitsPerSecond, units: Self.units.filter { $0.0 != "Kbps" })
    }
}

extension Scenario.BitRate: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not a bandwidth")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
