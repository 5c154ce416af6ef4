extension Scenario {
    /// A size in bytes: `1500B`, `64B`, `128MiB`, `4KiB`, `1GB`; a plain integer is bytes.
    public struct ByteCount: Hashable, Sendable, Comparable {
        public var bytes: Int64

        public init(bytes: Int64) { self.bytes = bytes }

        public static func mebibytes(_ value: Int64) -> ByteCount { ByteCount(bytes: value << 20) }
        public static func kibibytes(_ value: Int64) -> ByteCount { ByteCount(bytes: value << 10) }

        static let units: [(String, Int64)] = [
            ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("GB", 1_000_000_000), ("MB", 1_000_000),
            ("kB", 1_000), ("KB", 1_000), ("B", 1),
        ]

        public init?(parsing text: String) {
            if let plain = Int64(text), plain >= 0 {
                self.bytes = plain
                return
            }
            guard let (number, suffix) = UnitText.split(text),
                let unit = Self.units.first(where: { $0.0 == suffix }),
                let value = UnitText.scale(number, by: unit.1)
            else { return nil }
            self.bytes = value
        }

        public static func < (lhs: ByteCount, rhs: ByteCount) -> Bool { lhs.bytes < rhs.bytes }
    }
}

extension Scenario.ByteCount: CustomStringConvertible {
    /// Binary units when they divide exactly (memory sizes), else bytes (`1500B`).
    public var description: String {
        UnitText.format(bytes, units: [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("B", 1)])
    }
}

extension Scenario.ByteCount: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not a size")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
