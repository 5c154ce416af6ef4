/// A figure of one or more panels side by side, each a line chart with error bars, drawn as a
/// standalone SVG document (no scripts, no external fonts or styles). Used for the paper's
/// Figs. 5–7: one panel per packet size, one series per migration scheme, the spread of
/// repeated runs as error bars.
///
/// Pure: values in, text out. Non-finite values are never drawn: a point whose `y` is not
/// finite is left out (and counted in ``droppedPoints``), so the document never holds "NaN".
public struct Chart: Sendable, Equatable {
    public var title: String
    public var panels: [Panel]
    /// Width and height of one panel, in SVG user units (pixels).
    public var panelWidth: Double = 420
    public var panelHeight: Double = 320

    public init(title: String, panels: [Panel]) {
        self.title = title
        self.panels = panels
    }

    public struct Panel: Sendable, Equatable {
        public var title: String
        /// Axis labels, with units: "data rate (packets/s)".
        public var xLabel: String
        public var yLabel: String
        public var series: [Series]
        /// Force the y axis to start at zero (counts, times). Default true.
        public var yFromZero: Bool = true

        public init(title: String, xLabel: String, yLabel: String, series: [Series], yFromZero: Bool = true) {
            self.title = title
            self.xLabel = xLabel
            self.yLabel = yLabel
            self.series = series
            self.yFromZero = yFromZero
        }
    }

    public struct Series: Sendable, Equatable {
        public var name: String
        public var points: [Point]
        /// Index into the palette; series with the same name get the same colour in every panel
        /// when the caller gives the same index.
        public var colorIndex: Int

        public init(name: String, points: [Point], colorIndex: Int) {
            self.name = name
            self.points = points
            self.colorIndex = colorIndex
        }
    }

    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
        /// The spread (for example min and max, or a confidence interval) drawn as an error bar.
        public var low: Double?
        public var high: Double?

        public init(x: Double, y: Double, low: Double? = nil, high: Double? = nil) {
            self.x = x
            self.y = y
            self.low = low
            self.high = high
        }
    }

    /// Colour-blind-safe palette (Okabe–Ito), with a marker shape per series as well.
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

    /// Points with a non-finite coordinate, which the drawing leaves out.
    public var droppedPoints: Int {
        panels.reduce(0) { sum, panel in
            sum + panel.series.reduce(0) { $0 + $1.points.filter { !($0.x.isFinite && $0.y.isFinite) }.count }
        }
    }

    /// The whole figure as an SVG document.
    public func svg() -> String {
        let margin = (left: 70.0, right: 20.0, top: 50.0, bottom: 60.0)
        let legendHeight = 28.0
        let width = Double(panels.count) * (panelWidth + margin.left + margin.right)
        let height = panelHeight + margin.top + margin.bottom + legendHeight + 30
        var out = SVGWriter(width: width, height: height)
        out.text(title, x: width / 2, y: 24, size: 16, anchor: "middle", weight: "bold")
        for (index, panel) in panels.enumerated() {
            let originX = Double(index) * (panelWidth + margin.left + margin.right) + margin.left
            draw(panel, into: &out, originX: originX, originY: margin.top + 10)
        }
        // One legend for the figure: the series of every panel, by name, first colour seen.
        var seen: [String: Int] = [:]
        var order: [String] = []
        for series in panels.flatMap(\.series) where seen[series.name] == nil {
            seen[series.name] = series.colorIndex
            order.append(series.name)
        }
        var legendX = margin.left
        let legendY = height - legendHeight / 2 - 4
        for name in order {
            let color = Self.color(seen[name]!)
            out.line(x1: legendX, y1: legendY, x2: legendX + 24, y2: legendY, color: color, width: 2)
            out.marker(seen[name]!, x: legendX + 12, y: legendY, color: color)
            out.text(name, x: legendX + 30, y: legendY + 4, size: 12, anchor: "start")
            legendX += 40 + Double(name.count) * 7
        }
        return out.finish()
    }

    static func color(_ index: Int) -> String { palette[((index % palette.count) + palette.count) % palette.count] }

    private func draw(_ panel: Panel, into out: inout SVGWriter, originX: Double, originY: Double) {
        let points = panel.series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let xs = points.map(\.x)
        let ys = points.flatMap { [$0.y, $0.low ?? $0.y, $0.high ?? $0.y] }.filter(\.isFinite)
        let xAxis = Axis(low: xs.min() ?? 0, high: xs.max() ?? 1, fromZero: false)
        let yAxis = Axis(low: panel.yFromZero ? min(0, ys.min() ?? 0) : (ys.min() ?? 0), high: ys.max() ?? 1, fromZero: panel.yFromZero)
        let w = panelWidth, h = panelHeight
        func px(_ x: Double) -> Double { originX + (x - xAxis.low) / (xAxis.high - xAxis.low) * w }
        func py(_ y: Double) -> Double { originY + h - (y - yAxis.low) / (yAxis.high - yAxis.low) * h }

        out.text(panel.title, x: originX + w / 2, y: originY - 10, size: 13, anchor: "middle", weight: "bold")
        // Grid and ticks.
        for tick in yAxis.ticks {
            out.line(x1: originX, y1: py(tick), x2: originX + w, y2: py(tick), color: "#dddddd", width: 1)
            out.text(Axis.label(tick), x: originX - 6, y: py(tick) + 4, size: 11, anchor: "end")
        }
        for tick in xAxis.ticks {
            out.line(x1: px(tick), y1: originY + h, x2: px(tick), y2: originY + h + 5, color: "#333333", width: 1)
            out.text(Axis.label(tick), x: px(tick), y: originY + h + 18, size: 11, anchor: "middle")
        }
        out.rect(x: originX, y: originY, width: w, height: h, stroke: "#333333")
        out.text(panel.xLabel, x: originX + w / 2, y: originY + h + 40, size: 12, anchor: "middle")
        out.text(panel.yLabel, x: originX - 52, y: originY + h / 2, size: 12, anchor: "middle", rotate: -90)
        // Series: line, error bars, markers.
        for series in panel.series {
            let color = Self.color(series.colorIndex)
            let drawn = series.points.filter { $0.x.isFinite && $0.y.isFinite }.sorted { $0.x < $1.x }
            out.polyline(drawn.map { (px($0.x), py($0.y)) }, color: color, width: 2, title: series.name)
            for point in drawn {
                if let low = point.low, let high = point.high, low.isFinite, high.isFinite, high > low {
                    out.line(x1: px(point.x), y1: py(low), x2: px(point.x), y2: py(high), color: color, width: 1.2)
                    out.line(x1: px(point.x) - 4, y1: py(low), x2: px(point.x) + 4, y2: py(low), color: color, width: 1.2)
                    out.line(x1: px(point.x) - 4, y1: py(high), x2: px(point.x) + 4, y2: py(high), color: color, width: 1.2)
                }
                out.marker(series.colorIndex, x: px(point.x), y: py(point.y), color: color)
            }
        }
    }
}
