/// The paper's Figs. 5–7 drawn from a ``PaperResult``: one panel per packet size, one series
/// per scheme that ran, x the data packet rate, the marker at the mean of the repetitions and
/// the error bar from the lowest to the highest.
public enum PaperFigures {
    public struct Figure: Sendable, Equatable {
        /// The file name in the output directory: `fig5-downtime.svg`.
        public var fileName: String
        public var chart: Chart
    }

    public static func all(_ result: PaperResult) -> [Figure] {
        [downtime(result), lostPackets(result), totalMigrationTime(result)]
    }

    static let xLabel = "data packet rate (packets/s)"

    /// Fig. 5. Router schemes: the VM's downtime. Flow schemes pause nothing; their points are
    /// the receiver's interruption (longest gap minus the sending interval), so that "OpenFlow
    /// has no downtime" shows as a line near 0 on the same axes.
    public static func downtime(_ result: PaperResult) -> Figure {
        Figure(
            fileName: "fig5-downtime.svg",
            chart: chart(
                result, title: "Fig. 5: migration downtime vs data packet rate (OpenFlow: receiver's interruption)",
                yLabel: "downtime (ms)"
            ) { row in row.scheme.isRouter ? row.downtimeMilliseconds : row.interruptionMilliseconds })
    }

    /// Fig. 6: data packets sent and never received.
    public static func lostPackets(_ result: PaperResult) -> Figure {
        Figure(
            fileName: "fig6-lost-packets.svg",
            chart: chart(result, title: "Fig. 6: lost data packets vs data packet rate", yLabel: "lost packets (packets)") {
                Double($0.lost)
            })
    }

    /// Fig. 7: from the trigger until data packets pass through the destination.
    public static func totalMigrationTime(_ result: PaperResult) -> Figure {
        Figure(
            fileName: "fig7-total-migration-time.svg",
            chart: chart(
                result, title: "Fig. 7: total migration time vs data packet rate", yLabel: "total migration time (ms)"
            ) { $0.totalMigrationMilliseconds })
    }

    static func chart(
        _ result: PaperResult, title: String, yLabel: String, value: (PaperRow) -> Double?
    ) -> Chart {
        let panels = result.sweep.sizes.enumerated().map { index, size in
            let letter = String(UnicodeScalar(UInt8(97 + index % 26)))
            let series = result.measuredSchemes.compactMap { scheme -> Chart.Series? in
                let points = result.byRate(scheme, size: size).compactMap { rate, rows -> Chart.Point? in
                    guard let spread = Spread(rows.compactMap(value)) else { return nil }
                    return Chart.Point(x: rate, y: spread.mean, low: spread.min, high: spread.max)
                }
                guard !points.isEmpty else { return nil }
                return Chart.Series(name: scheme.label, points: points, colorIndex: scheme.colorIndex)
            }
            return Chart.Panel(title: "(\(letter)) packet size: \(size) bytes", xLabel: xLabel, yLabel: yLabel, series: series)
        }
        return Chart(title: title, panels: panels)
    }
}
