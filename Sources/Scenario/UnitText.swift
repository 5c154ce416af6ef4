/// Numbers with units as scenario files write them: digits, an optional fraction, then the unit
/// with no space (`1.5ms`, `100Mbps`, `1500B`). Exact integer arithmetic, no floating point, so
/// that `0.1s` is exactly 100,000,000 ns.
enum UnitText {
    /// Splits `1.5ms` into (`1.5`, `ms`); nil if it does not start with a digit or has spaces.
    static func split(_ text: String) -> (number: Substring, suffix: String)? {
        guard let first = text.first, first.isASCII, first.isNumber else { return nil }
        guard !text.contains(where: { $0.isWhitespace }) else { return nil }
        let end = text.firstIndex(where: { !($0.isASCII && ($0.isNumber || $0 == ".")) }) ?? text.endIndex
        return (text[..<end], String(text[end...]))
    }

    /// `number × unit`, exactly, as an integer; nil on overflow, on a malformed number, or when
    /// the fraction has more digits than the unit can hold (`1.5ns`).
    static func scale(_ number: Substring, by unit: Int64) -> Int64? {
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]) else { return nil }
        let (product, overflow) = whole.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        guard parts.count == 2 else { return product }
        let digits = parts[1]
        guard !digits.isEmpty, digits.count <= 18, let fraction = Int64(digits) else { return nil }
        var divisor: Int64 = 1
        for _ in 0..<digits.count { divisor *= 10 }
        let (numerator, overflow2) = fraction.multipliedReportingOverflow(by: unit)
        guard !overflow2, numerator % divisor == 0 else { return nil }
        let (sum, overflow3) = product.addingReportingOverflow(numerator / divisor)
        return overflow3 ? nil : sum
    }

    /// The value with the first unit (largest first) that divides it exactly.
    static func format(_ value: Int64, units: [(String, Int64)]) -> String {
        for (suffix, size) in units where value != 0 && value % size == 0 {
            return "\(value / size)\(suffix)"
        }
        return "0\(units.first?.0 ?? "")"
    }
}
