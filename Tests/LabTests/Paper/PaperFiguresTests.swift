import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import Lab

@Suite struct PaperFiguresTests {
    static func parse(_ svg: String) throws -> SVGCollector {
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = SVGCollector()
        parser.delegate = collector
        #expect(parser.parse(), "invalid SVG: \(String(describing: parser.parserError))")
        return collector
    }

    @Test func threeFiguresOfTwoPanelsWithEverySchemeUnitsAndNoNaN() async throws {
        let result = try await FakePaperRunner.result()
        let figures = PaperFigures.all(result)
        #expect(figures.map(\.fileName) == ["fig5-downtime.svg", "fig6-lost-packets.svg", "fig7-total-migration-time.svg"])
        let units = ["downtime (ms)", "lost packets (packets)", "total migration time (ms)"]
        for (figure, unit) in zip(figures, units) {
            let svg = figure.chart.svg()
            #expect(!svg.contains("NaN") && !svg.lowercased().contains("nan\""), "\(figure.fileName)")
            #expect(figure.chart.droppedPoints == 0)
            let collector = try Self.parse(svg)
            #expect(collector.elements.first?.name == "svg")
            // One line per scheme in each of the two panels, named by the legend's label.
            let series = collector.elements.filter { $0.name == "polyline" }.compactMap { $0.attributes["data-series"] }
            #expect(series.sorted() == (PaperScheme.allCases.map(\.label) + PaperScheme.allCases.map(\.label)).sorted())
            let text = collector.texts.joined(separator: "|")
            for label in ["(a) packet size: 64 bytes", "(b) packet size: 1500 bytes", "data packet rate (packets/s)", unit]
                + PaperScheme.allCases.map(\.label)
            {
                #expect(text.contains(label), "\(figure.fileName) lacks \(label)")
            }
            // Two repetitions that differ give error bars (the routers' and flows' jitter).
            #expect(svg.contains("stroke-width=\"1.2\""), "\(figure.fileName) has no error bar")
        }
    }

    @Test func pointsAreMeansWithTheRunsSpreadAndFlowsShowTheirInterruptionInFig5() async throws {
        let result = try await FakePaperRunner.result()
        let fig5 = PaperFigures.downtime(result).chart
        let standard = try #require(fig5.panels[0].series.first { $0.name == PaperScheme.routerStandard.label })
        #expect(standard.points.map(\.x) == [1000, 2000, 4000])
        #expect(standard.points.allSatisfy { $0.y == 302 && $0.low == 300 && $0.high == 304 })
        let flows = try #require(fig5.panels[1].series.first { $0.name == PaperScheme.flowsPaper.label })
        #expect(flows.points.allSatisfy { abs($0.y - 0.1) < 1e-9 })
        let fig6 = PaperFigures.lostPackets(result).chart
        let lost = try #require(fig6.panels[0].series.first { $0.name == PaperScheme.routerStandard.label })
        #expect(lost.points.map(\.y) == [302, 604, 1208])
    }

    @Test func aSchemeThatDidNotRunHasNoSeries() async throws {
        let result = try await FakePaperRunner.result {
            $0.unavailable = [.routerStandard: "not built in", .routerPlaneSeparated: "not built in"]
        }
        let collector = try Self.parse(PaperFigures.downtime(result).chart.svg())
        let series = Set(collector.elements.filter { $0.name == "polyline" }.compactMap { $0.attributes["data-series"] })
        #expect(series == [PaperScheme.flowsPaper.label, PaperScheme.flowsConsistent.label])
    }
}
