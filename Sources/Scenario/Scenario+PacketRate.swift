extension Scenario {
    /// A packet rate: `10kpps`, `1000pps`, `2.5Mpps`; a plain number is packets per second.
    /// Stored as packets per second times 1000 (millipackets) so that fractional rates stay exact.
    public struct PacketRate: Hashable, Sendable, Comparable {
        public var millipacketsPerSecond: Int64

        public init(packetsPerSecond: Int64) { self.millipacketsPerSecond = packetsPerSecond * 1000 }
        public init(millipacketsPerSecond: Int64) { self.millipacketsPerSecond = millipacketsPerSecond }

        public var packetsPerSecond: Double { Double(millipacketsPerSecond) / 1000 }

        /// The time between two packets at this rate (nil for a zero rate).
        public var interval: TimeSpan? {
            guard millipacketsPerSecond > 0 else { return nil }
            return TimeSpan(nanoseconds: 1_000_000_000_000 / millipacketsPerSecond)
        }

        static let units: [(String, Int64)] = [
            ("Mpps", 1_000_000_000), ("kpps", 1_000_000), ("pps", 1000), ("/s", 1000),
        ]

        public init?(parsing text: String) {
            if let number = UnitText.split(text), number.suffix.isEmpty {
                guard let value = UnitText.scale(number.number, by: 1000) else { return nil }
                self.millipacketsPerSecond = value
                return
            }
            guard let (number, suffix) = UnitText.split(text),
                let unit = Self.units.first(where: { $0.0 == suffix }),
                let value = UnitText.scale(number, by: unit.1)
            else { return nil }
            self.millipacketsPerSecond = value
        }

        public static func < (lhs: PacketRate, rhs: PacketRate) -> Bool {
            lhs.millipacketsPerSecond < rhs.millipacketsPerSecond
        }
    }
}

extension Scenario.PacketRate: CustomStringConvertible {
    public var description: String {
        let value = millipacketsPerSecond
        if value != 0 && value % 1_000_000_000 == 0 { return "\(value / 1_000_000_000)Mpps" }
        if value != 0 && value % 1_000_000 == 0 { return "\(value / 1_000_000)kpps" }
        if value % 1000 == 0 { return "\(value / 1000)pps" }
        var fraction = String(value % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(value / 1000).\(fraction)pps"
    }
}

extension Scenario.PacketRate: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not a packet rate")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
