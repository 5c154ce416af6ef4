import Foundation
import Testing

@testable import Lab

@Suite struct PaperResultTests {
    @Test func csvHasTheHeaderAndOneLinePerRunWithEmptyFieldsForNull() async throws {
        let result = try await FakePaperRunner.result()
        let lines = result.csv().split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.count == 49, "a header and 4 schemes × 2 sizes × 3 rates × 2 runs")
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(header.prefix(8) == ["scheme", "size", "rate", "run", "seed", "backend", "downtime_ms", "lost"])
        for key in ["total_migration_ms", "longest_gap_ms", "interruption_ms", "precopy_rounds", "migrated_bytes",
            "control_lost", "control_max_delay_ms", "adjacency_drops", "flow_mods", "baseline_lost"]
        {
            #expect(header.contains(key), "missing column \(key)")
        }
        for line in lines.dropFirst() {
            #expect(line.split(separator: ",", omittingEmptySubsequences: false).count == header.count, "\(line)")
        }
        let downtime = header.firstIndex(of: "downtime_ms")!
        let flow = try #require(lines.first { $0.hasPrefix("flows-paper,64,1000,1,") })
        #expect(flow.split(separator: ",", omittingEmptySubsequences: false)[downtime] == "")
        let standard = try #require(lines.first { $0.hasPrefix("router-standard,1500,4000,2,") })
        #expect(standard.split(separator: ",", omittingEmptySubsequences: false)[downtime] == "304")
        #expect(!result.csv().lowercased().contains("nan"))
    }

    @Test func jsonHoldsTheSetupEveryRowWithNullsAndTheClaims() async throws {
        let result = try await FakePaperRunner.result { $0.unavailable = [.routerStandard: "not built in"] }
        let text = try result.json(claims: PaperClaims.evaluate(result))
        #expect(!text.lowercased().contains("nan"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["backend"] as? String == "fake")
        #expect((object["unavailable"] as? [String: String])?["router-standard"] == "not built in")
        let sweep = try #require(object["sweep"] as? [String: Any])
        #expect(sweep["rates"] as? [Double] == [1000, 2000, 4000])
        #expect(sweep["flow_traffic_s"] as? Double == 0.5)
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.count == 36, "3 schemes × 2 sizes × 3 rates × 2 runs")
        for row in rows { #expect(Set(row.keys) == Set(PaperRow.columns)) }
        let flow = try #require(rows.first { $0["scheme"] as? String == "flows-consistent" })
        #expect(flow["downtime_ms"] is NSNull)
        #expect(flow["precopy_rounds"] is NSNull)
        #expect(flow["confirmed_ms"] as? Double == 25)
        let separated = try #require(rows.first { $0["scheme"] as? String == "router-plane-separated" })
        #expect(separated["precopy_rounds"] as? Int == 3)
        let claims = try #require(object["claims"] as? [[String: Any]])
        #expect(claims.map { $0["id"] as? String } == PaperClaims.evaluate(result).map(\.id))
        #expect(claims.first { $0["id"] as? String == "standard-loss-linear" }?["verdict"] as? String == "not measured")
        // The rows decode back to the same values.
        struct Rows: Decodable { var rows: [PaperRow] }
        #expect(try JSONDecoder().decode(Rows.self, from: Data(text.utf8)).rows == result.rows)
    }

    @Test func outputWritesEveryFileAndTheReportAgreesWithTheClaims() async throws {
        let result = try await FakePaperRunner.result { $0.planeSeparatedLoss = 2 }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paperexp-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let written = try PaperOutput.write(result, to: directory)
        #expect(written.map(\.lastPathComponent) == [
            "results.csv", "results.json", "fig5-downtime.svg", "fig6-lost-packets.svg", "fig7-total-migration-time.svg",
            "report.md",
        ])
        let report = try String(contentsOf: directory.appendingPathComponent("report.md"), encoding: .utf8)
        for claim in PaperClaims.evaluate(result) {
            let line = try #require(report.split(separator: "\n").first { $0.contains(claim.paper) })
            #expect(line.hasSuffix("| **\(claim.verdict.rawValue)** |"), "\(line)")
        }
        #expect(report.contains("![Fig. 5](fig5-downtime.svg)"))
        #expect(report.contains("| router-standard | 64 | 1000 | 2 | 302.0 (300.0–304.0) |"))
        let summary = PaperOutput.summary(result)
        #expect(summary.contains("plane-separation-lossless: DOES NOT HOLD"))
        #expect(summary.contains("standard-loss-linear: HOLDS"))
    }

    @Test func anUnwritableOutputDirectoryIsAClearError() async throws {
        let result = try await FakePaperRunner.result()
        #expect {
            try PaperOutput.write(result, to: URL(fileURLWithPath: "/proc/paperexp-cannot-be-here"))
        } throws: { error in
            "\(error)".contains("/proc/paperexp-cannot-be-here")
        }
    }
}
