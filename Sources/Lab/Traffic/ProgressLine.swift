import NIOCore

/// The live progress line of a long traffic run: one line, rewritten in place on a terminal
/// (carriage return, no newline), e.g.
/// `  12.0 s  sent 120000  received 119998  lost 2  (behind 0)`.
public struct ProgressLine: Sendable {
    /// Whether to rewrite in place (a terminal) or print one line per update (a log).
    public var inPlace: Bool

    public init(inPlace: Bool) {
        self.inPlace = inPlace
    }

    /// The text for one update. `received` is nil when the receiver is not in this process.
    public func render(_ progress: TrafficGenerator.Progress, received: UInt64?) -> String {
        let seconds = Double(progress.elapsed.nanoseconds) / 1e9
        var text = String(seconds.formatted1) + " s  sent \(progress.sent)"
        if let received {
            text += "  received \(received)  missing \(progress.sent > received ? progress.sent - received : 0)"
        }
        if progress.behind > 0 { text += "  (behind \(progress.behind))" }
        return inPlace ? "\r" + text + "\u{1B}[K" : text + "\n"
    }
}

extension Double {
    /// One decimal, padded to 6 characters, without Foundation.
    fileprivate var formatted1: String {
        let tenths = (self * 10).rounded()
        let whole = Int(tenths / 10)
        let fraction = Int(abs(tenths.truncatingRemainder(dividingBy: 10)))
        let text = "\(whole).\(fraction)"
        return String(repeating: " ", count: max(0, 6 - text.count)) + text
    }
}
