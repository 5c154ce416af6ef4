import Controller
import Datapath
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Packets
import Testing

@testable import Northbound

/// The REST API through Hummingbird's router, against vnm's controller with software switches
/// (``SwitchAgent`` + ``Datapath``) connected over loopback TCP: a line s1 — s2 — s3, host h1
/// (10.0.0.1) on s1 port 1, host h2 (10.0.0.2) on s3 port 2.
@Suite("REST API", .serialized)
struct NorthboundAPITests {
    static let cables: [((UInt64, UInt32), (UInt64, UInt32))] = [((1, 2), (2, 1)), ((2, 2), (3, 1))]

    static func line() async throws -> Network {
        let network = try await Network.start(switches: [1, 2, 3], cables: cables)
        do {
            try await network.waitForTopology(switches: 3, links: 4)
        } catch {
            await network.stop()
            throw error
        }
        return network
    }

    /// h1 and h2 each send one frame, so that the host tracker knows where they are.
    static func hostsSpeak(_ network: Network) async throws {
        network.hostSends(udpFrame(src: 1, dst: 2), at: 1, port: 1)
        network.hostSends(udpFrame(src: 2, dst: 1), at: 3, port: 2)
        _ = try await eventually("h1 and h2 learnt") { () -> Bool? in
            let hosts = await network.runtime.app(HostTracker.self)?.hosts ?? [:]
            return hosts[mac(1)] != nil && hosts[mac(2)] != nil ? true : nil
        }
    }

    @Test func switchesLinksAndHostsDescribeTheNetwork() async throws {
        let network = try await Self.line()
        try await Self.hostsSpeak(network)
        try await network.withAPI { client in
            let (status, body) = try await call(client, .get, "/v1/switches")
            #expect(status == .ok)
            let switches = body["switches"]?.arrayValue ?? []
            #expect(switches.compactMap { $0["dpid"]?.stringValue } == ["0x0000000000000001", "0x0000000000000002", "0x0000000000000003"])
            let s1 = try #require(switches.first)
            #expect(s1["version"] == "1.3")
            let ports = s1["ports"]?.arrayValue.compactMap { $0["port_no"] } ?? []
            #expect([JSONValue.integer(1), .integer(2), .integer(3), .integer(4)].allSatisfy(ports.contains), "\(s1)")
            let since = try #require(s1["connected_since"]?.stringValue)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let date = try #require(formatter.date(from: since), "connected_since \(since)")
            #expect(abs(date.timeIntervalSinceNow) < 60)

            let (linkStatus, links) = try await call(client, .get, "/v1/links")
            #expect(linkStatus == .ok)
            let pairs = links["links"]?.arrayValue.map { link in
                "\(link["src"]?["dpid"]?.stringValue ?? "?"):\(link["src"]?["port_no"] ?? .null)->\(link["dst"]?["dpid"]?.stringValue ?? "?"):\(link["dst"]?["port_no"] ?? .null)"
            }
            #expect(
                pairs == [
                    "0x0000000000000001:integer(2)->0x0000000000000002:integer(1)",
                    "0x0000000000000002:integer(1)->0x0000000000000001:integer(2)",
                    "0x0000000000000002:integer(2)->0x0000000000000003:integer(1)",
                    "0x0000000000000003:integer(1)->0x0000000000000002:integer(2)",
                ])

            let (hostStatus, hosts) = try await call(client, .get, "/v1/hosts")
            #expect(hostStatus == .ok)
            let h1 = try #require(hosts["hosts"]?.arrayValue.first { $0["mac"] == "02:00:00:00:00:01" }, "\(hosts)")
            #expect(h1["ipv4"] == "10.0.0.1")
            #expect(h1["location"] == .object(["dpid": "0x0000000000000001", "port_no": .integer(1)]))
        }
    }

    @Test func aPostedFlowIsInstalledWhenTheAnswerArrivesAndCanBeReadAndDeleted() async throws {
        let network = try await Self.line()
        try await network.withAPI { client in
            let flow = #"""
                {"dpid": "0x2", "table_id": 0, "priority": 300, "cookie": "0x2a", "idle_timeout": 60,
                 "match": {"in_port": 1, "eth_type": "0x0800", "ipv4_dst": "10.0.0.0/24"},
                 "actions": [{"type": "set_field", "field": "eth_dst", "value": "02:00:00:00:00:02"}], "outputs": [2]}
                """#
            let (status, created) = try await call(client, .post, "/v1/flows", json: flow)
            #expect(status == .created, "\(created)")
            #expect(created["dpid"] == "0x0000000000000002")
            #expect(created["match"]?["ipv4_dst"] == .object(["value": "10.0.0.0", "mask": "255.255.255.0"]))

            // 201 means the barrier behind the FLOW_MOD was answered: the switch has it now.
            let datapath = try await network.agents[2]!.datapath
            let stats = flowStats(datapath).filter { $0.cookie == 0x2A }
            #expect(stats.count == 1 && stats.first?.priority == 300 && stats.first?.idleTimeout == 60)

            let (readStatus, read) = try await call(client, .get, "/v1/flows?dpid=2")
            #expect(readStatus == .ok)
            let entry = try #require(read["flows"]?.arrayValue.first { $0["cookie"] == "0x000000000000002a" }, "\(read)")
            #expect(entry["priority"] == .integer(300))
            #expect(entry["match"] == .object(["in_port": .integer(1), "eth_type": "0x0800", "ipv4_dst": .object(["value": "10.0.0.0", "mask": "255.255.255.0"])]))
            #expect(
                entry["actions"]
                    == .array([
                        .object(["type": "set_field", "field": "eth_dst", "value": "02:00:00:00:00:02"]),
                        .object(["type": "output", "port": .integer(2)]),
                    ]))
            #expect(entry["packet_count"] == .integer(0))
            // The flows the apps installed are there too (LLDP to the controller, table miss).
            #expect(read["flows"]?.arrayValue.contains { $0["match"] == .object(["eth_type": "0x88cc"]) } == true)

            // A strict delete with another priority removes nothing; with the right one, the flow.
            let strict = #"{"dpid": 2, "strict": true, "priority": 299, "match": {"in_port": 1, "eth_type": 2048, "ipv4_dst": "10.0.0.0/255.255.255.0"}}"#
            #expect(try await call(client, .delete, "/v1/flows", json: strict).status == .ok)
            #expect(flowStats(try await network.agents[2]!.datapath).contains { $0.cookie == 0x2A })
            let (deleteStatus, deleted) = try await call(client, .delete, "/v1/flows", json: strict.replacingOccurrences(of: "299", with: "300"))
            #expect(deleteStatus == .ok)
            #expect(deleted["strict"] == .bool(true) && deleted["priority"] == .integer(300))
            #expect(!flowStats(try await network.agents[2]!.datapath).contains { $0.cookie == 0x2A })

            // Non-strict by cookie, from the query string.
            #expect(try await call(client, .post, "/v1/flows", json: #"{"dpid": 3, "cookie": 7, "priority": 5, "outputs": ["flood"]}"#).status == .created)
            #expect(try await call(client, .delete, "/v1/flows?dpid=0x3&cookie=7").status == .ok)
            #expect(!flowStats(try await network.agents[3]!.datapath).contains { $0.cookie == 7 })
            #expect(flowStats(try await network.agents[3]!.datapath).contains { $0.cookie == LLDPDiscovery.Configuration().cookie })
        }
    }

    @Test(arguments: [
        (#"{"dpid": "0x1", "match": {"eth_type": "ip"}}"#, "match.eth_type"),
        (#"{"dpid": "0x1", "priorty": 5}"#, "priorty"),
        (#"{"priority": 5}"#, "dpid"),
        (#"{"dpid": "zz"}"#, "dpid"),
        (#"{"dpid": 1, "match": {"ip_dst": "10.0.0.1"}}"#, "match.ip_dst"),
        (#"{"dpid": 1, "match": {"in_port": {"value": 1, "mask": 3}}}"#, "match.in_port"),
        (#"{"dpid": 1, "priority": 70000}"#, "priority"),
        (#"{"dpid": 1, "actions": [{"type": "output"}]}"#, "actions[0].port"),
        (#"{"dpid": 1, "actions": [{"type": "teleport"}]}"#, "actions[0].type"),
        (#"{"dpid": 1, "outputs": ["nowhere"]}"#, "outputs[0]"),
        (#"{"dpid": 1, "flags": ["send_flow_removed"]}"#, "flags[0]"),
        (#"{"dpid": 1, "table_id": 2, "goto_table": 1}"#, "goto_table"),
    ])
    func badFlowsAre400NamingTheField(json: String, field: String) async throws {
        let network = try await Network.start(switches: [], cables: [])
        try await network.withAPI { client in
            let (status, body) = try await call(client, .post, "/v1/flows", json: json)
            #expect(status == .badRequest)
            #expect(body["error"] == "bad_request")
            #expect(body["field"]?.stringValue == field, "\(body)")
            #expect(body["status"] == .integer(400))
        }
    }

    @Test func bodiesThatAreNotJSONAndUnknownQueriesAre400() async throws {
        let network = try await Network.start(switches: [], cables: [])
        try await network.withAPI { client in
            let (status, body) = try await call(client, .post, "/v1/flows", json: "{dpid: 1")
            #expect(status == .badRequest && body["field"] == nil)
            #expect(body["message"]?.stringValue?.contains("not valid JSON") == true)
            #expect(try await call(client, .post, "/v1/flows").status == .badRequest)
            #expect(try await call(client, .get, "/v1/flows").body["field"] == "dpid")
            #expect(try await call(client, .get, "/v1/flows?dpid=1&table=0").body["field"] == "table")
            #expect(try await call(client, .delete, "/v1/flows", json: #"{"dpid": 1, "priority": 5}"#).body["field"] == "priority")
            #expect(try await call(client, .post, "/v1/paths", json: #"{"src": {"host": "nowhere"}, "dst": {"dpid": 1, "port_no": 1}}"#).body["field"] == "src.host")
            #expect(try await call(client, .post, "/v1/paths", json: #"{"src": {"dpid": 1}, "dst": {"dpid": 1, "port_no": 1}}"#).body["field"] == "src.port_no")
        }
    }

    @Test func unknownSwitchesAreA404() async throws {
        let network = try await Network.start(switches: [1], cables: [])
        try await network.waitForTopology(switches: 1, links: 0)
        try await network.withAPI { client in
            for (method, uri, json) in [
                (HTTPRequest.Method.post, "/v1/flows", #"{"dpid": "0x99", "outputs": [1]}"#),
                (.get, "/v1/flows?dpid=0x99", nil),
                (.delete, "/v1/flows", #"{"dpid": "00:00:00:00:00:00:00:99"}"#),
                (.post, "/v1/paths", #"{"src": {"dpid": "0x99", "port_no": 1}, "dst": {"dpid": 1, "port_no": 2}}"#),
            ] {
                let (status, body) = try await call(client, method, uri, json: json)
                #expect(status == .notFound, "\(method) \(uri): \(body)")
                #expect(body["error"] == "unknown_switch" && body["dpid"] == "0x0000000000000099", "\(body)")
            }
            let (status, body) = try await call(client, .post, "/v1/paths", json: #"{"src": {"host": "10.9.9.9"}, "dst": {"dpid": 1, "port_no": 2}}"#)
            #expect(status == .notFound && body["error"] == "unknown_host" && body["field"] == "src.host")
        }
    }

    @Test func aFlowTheSwitchRefusesIsA502WithItsError() async throws {
        let network = try await Network.start(switches: [1], cables: [])
        try await network.waitForTopology(switches: 1, links: 0)
        try await network.withAPI { client in
            // ipv4_dst without eth_type 0x0800: OFPBMC_BAD_PREREQ (spec 1.3.5 §7.2.3.6).
            let (status, body) = try await call(client, .post, "/v1/flows", json: #"{"dpid": 1, "match": {"ipv4_dst": "10.0.0.2"}, "outputs": [2]}"#)
            #expect(status == .badGateway)
            #expect(body["error"] == "switch_error" && body["dpid"] == "0x0000000000000001")
            let error = try #require(body["openflow_errors"]?[0], "\(body)")
            #expect(error["type"] == "OFPET_BAD_MATCH" && error["code"] == "OFPBMC_BAD_PREREQ")
            #expect(error["type_number"] == .integer(4) && error["code_number"] == .integer(9))
            // A table the switch does not have (it has 8).
            let (badTable, refused) = try await call(client, .post, "/v1/flows", json: #"{"dpid": 1, "table_id": 200, "outputs": [2]}"#)
            #expect(badTable == .badGateway, "\(refused)")
            #expect(refused["openflow_errors"]?[0]?["type"] == "OFPET_FLOW_MOD_FAILED", "\(refused)")
            #expect(refused["openflow_errors"]?[0]?["code"] == "OFPFMFC_BAD_TABLE_ID", "\(refused)")
        }
    }

    @Test func aSwitchThatNeverAnswersIsA504() async throws {
        let network = try await Network.start(switches: [], cables: [])
        let mute = try await MuteSwitch.connect(datapathID: 0x77, port: network.port)
        defer { mute.close(promise: nil) }
        _ = try await eventually("the mute switch up") { await network.runtime.datapaths[0x77] }
        try await network.withAPI(switchTimeout: .milliseconds(300)) { client in
            let clock = ContinuousClock()
            let start = clock.now
            let (status, body) = try await call(client, .post, "/v1/flows", json: #"{"dpid": "0x77", "outputs": [1]}"#)
            let waited = clock.now - start
            #expect(status == .gatewayTimeout, "\(body)")
            #expect(body["error"] == "switch_timeout" && body["timeout_ms"] == .integer(300) && body["dpid"] == "0x0000000000000077")
            #expect(waited < .seconds(3), "answered after \(waited)")
            #expect(try await call(client, .get, "/v1/flows?dpid=0x77").status == .gatewayTimeout)
        }
    }

    @Test func aPathCarriesPacketsFromHostToHost() async throws {
        let network = try await Self.line()
        try await Self.hostsSpeak(network)
        try await network.withAPI { client in
            let request = #"{"src": {"host": "10.0.0.1"}, "dst": {"host": "02:00:00:00:00:02"}, "match": {"eth_type": "0x0800", "ipv4_dst": "10.0.0.2"}, "priority": 100, "cookie": "0x99"}"#
            let (status, body) = try await call(client, .post, "/v1/paths", json: request)
            #expect(status == .created, "\(body)")
            #expect(
                body["hops"]
                    == .array([
                        .object(["dpid": "0x0000000000000001", "in_port": .integer(1), "out_port": .integer(2)]),
                        .object(["dpid": "0x0000000000000002", "in_port": .integer(1), "out_port": .integer(2)]),
                        .object(["dpid": "0x0000000000000003", "in_port": .integer(1), "out_port": .integer(2)]),
                    ]))
            #expect(body["flow_count"] == .integer(3))
            #expect(body["dst"] == .object(["dpid": "0x0000000000000003", "port_no": .integer(2)]))
        }
        // 201 came after every switch confirmed: the next packet goes all the way to h2.
        let before = network.delivered.all.count
        network.hostSends(udpFrame(src: 1, dst: 2, payload: "along the path"), at: 1, port: 1)
        let arrived = try await eventually("the frame at h2") { () -> Delivered? in
            network.delivered.all.dropFirst(before).first { String(buffer: $0.frame).contains("along the path") }
        }
        #expect(arrived.datapathID == 3 && arrived.port == 2)
    }

    @Test func metricsCountMessagesSwitchesAndRoundTrips() async throws {
        let network = try await Self.line()
        try await network.withAPI { client in
            #expect(try await call(client, .post, "/v1/flows", json: #"{"dpid": 1, "outputs": [2]}"#).status == .created)
            let text = try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                return String(buffer: response.body)
            }
            let lines = text.split(separator: "\n").map(String.init)
            func value(_ name: String) -> Double? {
                lines.first { $0.hasPrefix(name + " ") }.flatMap { Double($0.dropFirst(name.count + 1)) }
            }
            #expect(value("openflow_connected_switches") == 3, "\(text)")
            #expect((value(#"openflow_messages_total{direction="in",version="1.3",type="OFPT_PACKET_IN"}"#) ?? 0) > 0, "\(text)")
            #expect((value(#"openflow_messages_total{direction="out",version="1.3",type="OFPT_FLOW_MOD"}"#) ?? 0) >= 4)
            #expect((value(#"openflow_request_rtt_seconds_count{request="OFPT_BARRIER_REQUEST"}"#) ?? 0) >= 1, "\(text)")
            #expect((value(#"openflow_request_rtt_seconds_count{request="OFPT_MULTIPART_REQUEST"}"#) ?? 0) >= 0)
        }
    }

    @Test func closedConnectionsAreCountedByReason() async throws {
        let network = try await Network.start(switches: [], cables: [])
        let mute = try await MuteSwitch.connect(datapathID: 0x55, port: network.port)
        _ = try await eventually("the switch up") { await network.runtime.datapaths[0x55] }
        try await mute.close()
        _ = try await eventually("the close counted") { () -> Bool? in
            network.metrics.exposition().contains(#"openflow_connections_closed_total{reason="peer_closed"} 1"#) ? true : nil
        }
        #expect(network.metrics.exposition().contains("openflow_connected_switches 0.0\n"))
        await network.stop()
    }
}

/// The flows of every table as FLOW_STATS report them, asked of a copy of `datapath`.
func flowStats(_ datapath: Datapath) -> [OF13.FlowStats] {
    var copy = datapath
    let request = OF13.Message.multipartRequest(OF13.MultipartRequest(body: .flow(OF13.FlowStatsRequest())))
    return copy.handle(request, xid: 1, now: .now()).flatMap { output -> [OF13.FlowStats] in
        if case .message(.multipartReply(let reply), _) = output, case .flow(let stats) = reply.body { return Array(stats) }
        return []
    }
}
