import Foundation

/// A linear axis with "nice" bounds and ticks (1, 2 or 5 times a power of ten), as plotting
/// libraries choose them, so that labels read 0, 5,000, 10,000 and not 0, 4,237, 8,474.
struct Axis: Equatable {
    let low: Double
    let high: Double
    let step: Double

    init(low: Double, high: Double, fromZero: Bool, targetTicks: Int = 5) {
        var low = fromZero ? min(0, low) : low
        var high = high
        if !(low.isFinite && high.isFinite) { (low, high) = (0, 1) }
        if high <= low {
            // A flat series: give it some room (a series of zeros is common: "0 lost").
            let pad = low == 0 ? 1 : abs(low) * 0.1
            high = low + pad
            if !fromZero { low -= pad }
        }
        let step = Self.niceStep((high - low) / Double(targetTicks))
        self.step = step
        self.low = (low / step).rounded(.down) * step
        self.high = (high / step).rounded(.up) * step
    }

    var ticks: [Double] {
        let count = Int(((high - low) / step).rounded())
        return (0...count).map { low + Double($0) * step }
    }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// Tick label: integers with thousands separators, otherwise up to 3 significant decimals.
    static func label(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            let integer = Int(value)
            let digits = String(abs(integer))
            var grouped = ""
            for (index, character) in digits.enumerated() {
                if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
                grouped.append(character)
            }
            return (integer < 0 ? "-" : "") + grouped
        }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
