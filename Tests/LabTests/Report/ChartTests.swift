import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import Lab

/// Collects element names and attributes, and fails on any XML error.
final class SVGCollector: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var texts: [String] = []
    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append((elementName, attributes))
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }
}

@Suite struct ChartTests {
    func figure() -> Chart {
        let panel = { (size: Int) in
            Chart.Panel(
                title: "\(size) bytes", xLabel: "data rate (packets/s)", yLabel: "downtime (ms)",
                series: [
                    .init(
                        name: "standard", points: [
                            .init(x: 100, y: 250, low: 230, high: 270), .init(x: 500, y: 300, low: 280, high: 330),
                        ], colorIndex: 0),
                    .init(name: "plane separation <&>", points: [.init(x: 100, y: 40), .init(x: 500, y: .nan)], colorIndex: 1),
                ])
        }
        return Chart(title: "Fig. 5: downtime", panels: [panel(64), panel(1500)])
    }

    @Test func isValidXMLWithEveryPanelSeriesAndLabel() throws {
        let svg = figure().svg()
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = SVGCollector()
        parser.delegate = collector
        #expect(parser.parse(), "invalid SVG: \(String(describing: parser.parserError))")
        #expect(collector.elements.first?.name == "svg")
        let series = collector.elements.filter { $0.name == "polyline" }.compactMap { $0.attributes["data-series"] }
        #expect(series == ["standard", "standard"], "a series with one finite point draws no line")
        let text = collector.texts.joined()
        for label in ["64 bytes", "1500 bytes", "data rate (packets/s)", "downtime (ms)", "plane separation <&>", "standard"] {
            #expect(text.contains(label), "missing \(label)")
        }
        #expect(!svg.contains("NaN") && !svg.lowercased().contains("nan\""))
        #expect(figure().droppedPoints == 2)
    }

    @Test func drawsErrorBarsForPointsWithASpread() {
        let svg = figure().svg()
        // Two panels × two points with a spread × three lines (bar + two whiskers).
        let lines = svg.components(separatedBy: "stroke-width=\"1.2\"").count - 1
        let plain = Chart(title: "t", panels: figure().panels.map {
            var panel = $0
            panel.series = panel.series.map { series in
                var series = series
                series.points = series.points.map { .init(x: $0.x, y: $0.y) }
                return series
            }
            return panel
        }).svg().components(separatedBy: "stroke-width=\"1.2\"").count - 1
        #expect(lines - plain == 12)
    }

    @Test func isTheSameDocumentEveryTime() {
        #expect(figure().svg() == figure().svg())
    }

    @Test func niceAxesCoverTheDataWithRoundTicks() {
        let axis = Axis(low: 0, high: 8_474, fromZero: true)
        #expect(axis.low == 0)
        #expect(axis.high == 10_000)
        #expect(axis.ticks == [0, 2_000, 4_000, 6_000, 8_000, 10_000])
        #expect(Axis.label(10_000) == "10,000")
        #expect(Axis.label(0.25) == "0.25")
        let flat = Axis(low: 0, high: 0, fromZero: true)
        #expect(flat.high > flat.low)
    }

    @Test func spreadSummarisesRepeatedRuns() throws {
        let spread = try #require(Spread([3, 1, 2, .nan, 4]))
        #expect(spread.count == 4)
        #expect(spread.median == 2.5)
        #expect(spread.min == 1 && spread.max == 4)
        #expect(spread.mean == 2.5)
        #expect(abs(spread.standardDeviation - 1.2910) < 0.001)
        #expect(Spread([.nan]) == nil)
    }
}
