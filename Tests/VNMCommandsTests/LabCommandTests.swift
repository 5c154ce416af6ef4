import Foundation
import Testing

@testable import VNMCommands

@Suite struct LabCommandTests {
    static var scenarios: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scenarios")
    }

    static func example(_ name: String) -> String { scenarios.appendingPathComponent(name).path }

    /// Writes `text` to a fresh temporary file and returns its path; the caller removes it.
    static func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString).yaml")
            .path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func validatePrintsTheCounts() throws {
        let result = try VNMExecutableTests.run(["lab", "validate", Self.example("diamond.yaml")])
        #expect(result.status == 0, "\(result.err)")
        #expect(
            result.out == """
                diamond: valid
                  physical: 4 switches, 0 nodes, 2 hosts, 6 links (0 for migration)
                  virtual: 1 virtual network, 0 virtual routers
                  1 traffic flow, 2 migrations (2 of flows, 0 of routers), 2 probes
                  duration 10s, seed 7, clock virtual

                """)
    }

    @Test func validateOfTheRouterTestbedCountsNodesRoutersAndTheMigrationLink() throws {
        let result = try VNMExecutableTests.run(["lab", "validate", Self.example("paper-fig4a-router.yaml")])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("2 switches, 4 nodes, 2 hosts, 9 links (1 for migration)"))
        #expect(result.out.contains("1 virtual network, 3 virtual routers"))
        #expect(result.out.contains("1 migration (0 of flows, 1 of routers)"))
    }

    @Test func validateOfABadFileExitsNonZeroWithThePositionedError() throws {
        let path = try Self.temporaryFile(
            """
            switches: [s1, s2]
            links:
              - endpoints: [s1, s2]
                latency: 2 ms
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try VNMExecutableTests.run(["lab", "validate", path])
        #expect(result.status == 1)
        #expect(result.out.isEmpty)
        #expect(result.err == "\(path):4:14: links[0].latency: \"2 ms\" is not a duration (use e.g. 2ms, 500us)\n")
    }

    @Test func validateOfAMissingFileSaysSo() throws {
        let result = try VNMExecutableTests.run(["lab", "validate", "/nonexistent/nothing.yaml"])
        #expect(result.status == 1)
        #expect(result.err.hasPrefix("/nonexistent/nothing.yaml: cannot read the file"))
    }

    /// `show --json` prints the normalised model, and that output is itself a valid scenario that
    /// shows the same.
    @Test func showJSONLoadsBackToTheSameModel() throws {
        let result = try VNMExecutableTests.run(["lab", "show", "--json", Self.example("paper-fig4b-openflow.yaml")])
        #expect(result.status == 0, "\(result.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(object["name"] as? String == "paper-fig4b-openflow")
        let links = try #require(object["links"] as? [[String: Any]])
        let endpoints = try #require(links.first?["endpoints"] as? [[String: Any]])
        #expect(endpoints.last?["port"] as? Int == 1)
        #expect(endpoints.last?["interface"] as? String == "client-sw-eth1")
        let path = try Self.temporaryFile(result.out)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let again = try VNMExecutableTests.run(["lab", "show", "--json", path])
        #expect(again.status == 0, "\(again.err)")
        #expect(again.out == result.out)
    }

    @Test func showTextListsPortsAlongPaths() throws {
        let result = try VNMExecutableTests.run(["lab", "show", Self.example("diamond.yaml")])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("path upper (initial): h1 1>s1>2 1>s2>2 1>s4>3 h2"))
        #expect(result.out.contains("at 7s: flows of tenant from lower to upper, paper"))
        #expect(result.out.contains("s3: dpid 3, 8 tables, OF1.3, secure, reorders unconfirmed 0.2"))
    }
}
