/// The centre and spread of repeated measurements of one experiment point: what a figure's
/// marker and error bar show, and what a report quotes.
public struct Spread: Sendable, Equatable, Codable {
    public var count: Int
    public var mean: Double
    public var median: Double
    public var min: Double
    public var max: Double
    /// Sample standard deviation (n − 1); 0 for a single run.
    public var standardDeviation: Double

    /// nil when there is no finite value to summarise.
    public init?(_ values: [Double]) {
        let finite = values.filter(\.isFinite).sorted()
        guard let first = finite.first, let last = finite.last else { return nil }
        count = finite.count
        mean = finite.reduce(0, +) / Double(finite.count)
        median = finite.count % 2 == 1
            ? finite[finite.count / 2] : (finite[finite.count / 2 - 1] + finite[finite.count / 2]) / 2
        min = first
        max = last
        let mean = self.mean
        standardDeviation = finite.count > 1
            ? (finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(finite.count - 1)).squareRoot() : 0
    }
}
