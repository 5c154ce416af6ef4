import Foundation

/// Number formatting shared by the report, the summary table and the progress line: integers
/// without a fraction, others with a fixed number of decimals, `-` for a missing value.
enum PaperFormat {
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static func fixed(_ value: Double?, _ decimals: Int = 1) -> String {
        guard let value, value.isFinite else { return "-" }
        return String(format: "%.\(decimals)f", value)
    }

    static func seconds(_ value: Double) -> String {
        guard value.isFinite, value >= 0 else { return "?" }
        let total = Int(value.rounded())
        if total < 60 { return "\(total) s" }
        if total < 3600 { return "\(total / 60) min \(total % 60) s" }
        return "\(total / 3600) h \((total % 3600) / 60) min"
    }
}

extension PaperFormat {
    /// A number for results.csv: integers bare, others with up to 6 decimals, never NaN.
    static func csvNumber(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
