import Foundation

/// Writes the few SVG elements the charts need, escaping text, with numbers rounded to two
/// decimals so that documents are small and identical across runs.
struct SVGWriter {
    private var body = ""
    let width: Double
    let height: Double

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    static func number(_ value: Double) -> String {
        precondition(value.isFinite, "SVG coordinates must be finite")
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }

    mutating func text(
        _ text: String, x: Double, y: Double, size: Double, anchor: String, weight: String = "normal", rotate: Double? = nil
    ) {
        let n = Self.number
        let transform = rotate.map { " transform=\"rotate(\(n($0)) \(n(x)) \(n(y)))\"" } ?? ""
        body += "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\"\(transform)>\(Self.escape(text))</text>\n"
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, color: String, width: Double) {
        let n = Self.number
        body += "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(color)\" stroke-width=\"\(n(width))\"/>\n"
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, stroke: String) {
        let n = Self.number
        body += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"none\" stroke=\"\(stroke)\"/>\n"
    }

    mutating func polyline(_ points: [(Double, Double)], color: String, width: Double, title: String) {
        guard points.count > 1 else { return }
        let n = Self.number
        let list = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        body += "<polyline class=\"series\" data-series=\"\(Self.escape(title))\" points=\"\(list)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(n(width))\"/>\n"
    }

    /// A marker whose shape depends on the series (circle, square, triangle, diamond), so that
    /// series stay distinguishable in grey print.
    mutating func marker(_ index: Int, x: Double, y: Double, color: String) {
        let n = Self.number
        switch ((index % 4) + 4) % 4 {
        case 0:
            body += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"3.5\" fill=\"\(color)\"/>\n"
        case 1:
            body += "<rect x=\"\(n(x - 3.5))\" y=\"\(n(y - 3.5))\" width=\"7\" height=\"7\" fill=\"\(color)\"/>\n"
        case 2:
            body += "<polygon points=\"\(n(x)),\(n(y - 4.5)) \(n(x - 4)),\(n(y + 3.5)) \(n(x + 4)),\(n(y + 3.5))\" fill=\"\(color)\"/>\n"
        default:
            body += "<polygon points=\"\(n(x)),\(n(y - 4.5)) \(n(x + 4.5)),\(n(y)) \(n(x)),\(n(y + 4.5)) \(n(x - 4.5)),\(n(y))\" fill=\"\(color)\"/>\n"
        }
    }

    func finish() -> String {
        let n = Self.number
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" font-family="Helvetica, Arial, sans-serif">
            <rect width="100%" height="100%" fill="white"/>
            \(body)</svg>

            """
    }
}
