/// The least-squares line y = intercept + slope · x through measured points, and how well it
/// fits (the coefficient of determination r²): how "linear in rate" is checked (Fig. 6).
public struct LinearFit: Sendable, Equatable, Codable {
    public var slope: Double
    public var intercept: Double
    /// 1 − (residual sum of squares / total sum of squares); 1 for a perfect fit, also when
    /// every y is the same and the line goes through all of them.
    public var rSquared: Double
    public var count: Int

    /// Nil for fewer than two points, different lengths, non-finite values, or when every x
    /// is the same (no line is determined).
    public init?(x: [Double], y: [Double]) {
        guard x.count == y.count, x.count >= 2, (x + y).allSatisfy(\.isFinite) else { return nil }
        let n = Double(x.count)
        let meanX = x.reduce(0, +) / n
        let meanY = y.reduce(0, +) / n
        var sxx = 0.0
        var sxy = 0.0
        var syy = 0.0
        for (xi, yi) in zip(x, y) {
            sxx += (xi - meanX) * (xi - meanX)
            sxy += (xi - meanX) * (yi - meanY)
            syy += (yi - meanY) * (yi - meanY)
        }
        guard sxx > 0 else { return nil }
        let b = sxy / sxx
        let a = meanY - b * meanX
        slope = b
        intercept = a
        let residual = zip(x, y).reduce(0.0) { sum, point in
            let error = point.1 - (a + b * point.0)
            return sum + error * error
        }
        // Relative tolerance: a flat series fitted exactly leaves rounding noise, not misfit.
        if syy <= 1e-12 * max(1, meanY * meanY) * n {
            rSquared = residual <= 1e-9 * max(1, meanY * meanY) * n ? 1 : 0
        } else {
            rSquared = max(0, 1 - residual / syy)
        }
        count = x.count
    }

    enum CodingKeys: String, CodingKey {
        case slope, intercept, count
        case rSquared = "r_squared"
    }
}
