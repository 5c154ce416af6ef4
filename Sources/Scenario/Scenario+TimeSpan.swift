extension Scenario {
    /// A non-negative length of time, written with a unit: `2ms`, `500us`, `1.5s`, `250ns`, `2m`, `1h`
    /// (no space between number and unit). Stored in nanoseconds so that a scenario's times add up
    /// exactly on the virtual clock.
    public struct TimeSpan: Hashable, Sendable, Comparable {
        public var nanoseconds: Int64

        public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

        public static func seconds(_ value: Int64) -> TimeSpan { TimeSpan(nanoseconds: value * 1_000_000_000) }
        public static func milliseconds(_ value: Int64) -> TimeSpan { TimeSpan(nanoseconds: value * 1_000_000) }
        public static func microseconds(_ value: Int64) -> TimeSpan { TimeSpan(nanoseconds: value * 1_000) }
        public static let zero = TimeSpan(nanoseconds: 0)

        /// The same length as a Swift `Duration`, for clocks and `Task.sleep`.
        public var duration: Duration { .nanoseconds(nanoseconds) }
        /// In seconds, for reports.
        public var seconds: Double { Double(nanoseconds) / 1e9 }
        public var milliseconds: Double { Double(nanoseconds) / 1e6 }

        static let units: [(suffix: String, nanoseconds: Int64)] = [
            ("ns", 1), ("us", 1_000), ("µs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
            ("m", 60_000_000_000), ("h", 3_600_000_000_000),
        ]

        /// Parses `2ms`, `1.5s`, `500us`; `0` alone is allowed. Returns nil for anything else.
        public init?(parsing text: String) {
            if text == "0" {
                self.nanoseconds = 0
                return
            }
            guard let (number, suffix) = UnitText.split(text),
                let unit = Self.units.first(where: { $0.suffix == suffix }),
                let value = UnitText.scale(number, by: unit.nanoseconds)
            else { return nil }
            self.nanoseconds = value
        }

        public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
        public static func + (lhs: TimeSpan, rhs: TimeSpan) -> TimeSpan {
            TimeSpan(nanoseconds: lhs.nanoseconds + rhs.nanoseconds)
        }
    }
}

extension Scenario.TimeSpan: CustomStringConvertible {
    /// The canonical text: the largest of s, ms, us, ns that divides the value exactly.
    public var description: String {
        UnitText.format(nanoseconds, units: [("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000), ("ns", 1)])
    }
}

extension Scenario.TimeSpan: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not a duration")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
