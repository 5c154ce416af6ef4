import Foundation

/// Writes what `vnm experiment paper` produces into one directory: results.csv, results.json,
/// the three figures and report.md. The claims are evaluated once and go into both the JSON and
/// the report, so the two always agree.
public enum PaperOutput {
    public static let resultsCSV = "results.csv"
    public static let resultsJSON = "results.json"
    public static let report = "report.md"

    /// Returns the paths written, in order.
    @discardableResult
    public static func write(_ result: PaperResult, to directory: URL) throws -> [URL] {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw PaperExperimentError("cannot create the output directory \(directory.path): \(error.localizedDescription)")
        }
        let claims = PaperClaims.evaluate(result)
        var files: [(String, String)] = [
            (resultsCSV, result.csv()),
            (resultsJSON, try result.json(claims: claims)),
        ]
        for figure in PaperFigures.all(result) { files.append((figure.fileName, figure.chart.svg())) }
        files.append((report, PaperReport.markdown(result, claims: claims)))
        var written: [URL] = []
        for (name, text) in files {
            let url = directory.appendingPathComponent(name)
            do {
                try Data(text.utf8).write(to: url, options: .atomic)
            } catch {
                throw PaperExperimentError("cannot write \(url.path): \(error.localizedDescription)")
            }
            written.append(url)
        }
        return written
    }

    /// The table printed on the terminal at the end: one line per point, then the verdicts.
    public static func summary(_ result: PaperResult) -> String {
        PaperSummary.table(result, claims: PaperClaims.evaluate(result))
    }
}
