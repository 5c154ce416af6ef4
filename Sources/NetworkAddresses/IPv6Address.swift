/// An IPv6 address as two 64-bit halves in host order, so it is a plain value.
public struct IPv6Address: Hashable, Sendable, Comparable {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses RFC 5952 text (`fe80::1`, `2001:db8:0:0:0:0:0:1`); no embedded IPv4 form.
    public init?(_ text: some StringProtocol) {
        let chars = Array(String(text).utf8)
        var halves: [String] = []
        var start = 0
        var index = 0
        while index + 1 < chars.count {
            if chars[index] == UInt8(ascii: ":") && chars[index + 1] == UInt8(ascii: ":") {
                halves.append(String(decoding: chars[start..<index], as: UTF8.self))
                start = index + 2
                index += 2
            } else {
                index += 1
            }
        }
        halves.append(String(decoding: chars[start...], as: UTF8.self))
        guard halves.count <= 2 else { return nil }
        func groups(_ s: String) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            for g in s.split(separator: ":", omittingEmptySubsequences: false) {
                guard !g.isEmpty, g.count <= 4, let v = UInt16(g, radix: 16) else { return nil }
                out.append(v)
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count <= 7 else { return nil }
            all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        var hi: UInt64 = 0
        var lo: UInt64 = 0
        for g in all[0..<4] { hi = hi << 16 | UInt64(g) }
        for g in all[4..<8] { lo = lo << 16 | UInt64(g) }
        self.init(high: hi, low: lo)
    }

    public static let any = IPv6Address(high: 0, low: 0)

    /// The sixteen bytes in network order.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
    }

    public static func < (lhs: IPv6Address, rhs: IPv6Address) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}

extension IPv6Address: CustomStringConvertible {
    /// RFC 5952 form: lower-case, the longest run of two or more zero groups as `::`.
    public var description: String {
        let groups: [UInt16] = (0..<4).map { UInt16(truncatingIfNeeded: high >> (48 - 16 * UInt64($0))) }
            + (0..<4).map { UInt16(truncatingIfNeeded: low >> (48 - 16 * UInt64($0))) }
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8 && groups[end] == 0 { end += 1 }
                if end - index > bestLength {
                    bestStart = index
                    bestLength = end - index
                }
                index = end
            } else {
                index += 1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        if bestLength < 2 { return hex.joined(separator: ":") }
        let head = hex[0..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}

extension IPv6Address: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = IPv6Address(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not an IPv6 address: \(text)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
