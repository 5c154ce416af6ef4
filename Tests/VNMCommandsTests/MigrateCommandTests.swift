import ArgumentParser
import Foundation
import Glibc
import OpenFlow
import Testing

@testable import VNMCommands

@Suite struct MigrateCommandTests {
    @Test func pathsAndFlowsParse() throws {
        let hops = try MigrateCommand.Flows.parsePath("1:1-2,2:1-2,4:2-1", option: "--old")
        #expect(hops.map(\.description) == ["1:1->2", "2:1->2", "4:2->1"])
        let flow = try MigrateCommand.Flows.parseFlow("nw_src=10.0.0.1,nw_dst=10.0.0.2,udp_dst=5001", bothWays: true)
        #expect(flow.forward.contains(.udpDst(5001)) && flow.forward.contains(.ethType(0x0800)) && flow.forward.contains(.ipProto(17)))
        #expect(flow.reverse?.contains(.udpSrc(5001)) == true)
        #expect(flow.reverse?.contains(.ipv4Src(.init(10, 0, 0, 2))) == true)
    }

    @Test(arguments: ["1:1-2,2:12", "x:1-2", "1:1-2-3"])
    func badPathsNameTheOptionAndTheHop(text: String) {
        do {
            _ = try MigrateCommand.Flows.parsePath(text, option: "--new")
            Issue.record("\(text) must not parse")
        } catch {
            #expect("\(error)".contains("--new") && "\(error)".contains("DPID:IN-OUT"))
        }
    }

    @Test func badFlowsSayWhichField() {
        for text in ["nw_src=10.0.0", "colour=red", "udp_dst=70000", "udp_dst"] {
            do {
                _ = try MigrateCommand.Flows.parseFlow(text, bothWays: false)
                Issue.record("\(text) must not parse")
            } catch {
                #expect("\(error)".contains("--flow"), "\(error)")
            }
        }
    }

    @Test func thePlanIsPrintedPhaseByPhase() throws {
        let command = try MigrateCommand.Flows.parse([
            "--old", "1:1-2,2:1-2,4:2-1", "--new", "1:1-3,3:1-2,4:3-1", "--flow", "nw_dst=10.0.0.2,udp_dst=5001",
            "--algorithm", "paper",
        ])
        let text = try command.planText()
        #expect(text.contains("step 1: add, unconfirmed"))
        #expect(text.contains("step 2: modify after step 1"))
        #expect(text.contains("s1 forward flow 0: MODIFY_STRICT"))
        #expect(text.hasPrefix("paper: 3 steps, 5 flow-mods"))
    }

    @Test func theExperimentRefusesBadOptions() {
        #expect(throws: (any Error).self) { try ExperimentCommand.FlowMigration.parse(["--rate", "0"]) }
        #expect(throws: (any Error).self) { try ExperimentCommand.FlowMigration.parse(["--size", "20"]) }
        #expect(throws: (any Error).self) { try ExperimentCommand.FlowMigration.parse(["--algorithm", "teleport"]) }
        let parsed = try? ExperimentCommand.FlowMigration.parse(["--algorithm", "delete-first", "--rate", "10000", "--repeat", "3"])
        #expect(parsed?.experimentConfiguration.algorithm.rawValue == "delete-first")
        #expect(parsed?.experimentConfiguration.repetitions == 3)
    }
}

/// `vnm migrate flows` against a controller: the request it posts, how it reads answers, and
/// what it says when there is no controller.
@Suite struct MigrateFlowsExecutionTests {
    @Test func theRequestBodyNamesFlowsPathsAndOptions() throws {
        let command = try MigrateCommand.Flows.parse([
            "--old", "1:1-2,2:1-2,4:2-1", "--new", "1:1-3,3:1-2,4:3-1", "--flow", "nw_src=10.0.0.1,nw_dst=10.0.0.2,udp_dst=5001",
            "--both-ways", "--algorithm", "bulk", "--priority", "100", "--cookie", "0xf10", "--drain-ms", "5",
        ])
        let body = try #require(try JSONSerialization.jsonObject(with: command.requestBody()) as? [String: Any])
        #expect(body["algorithm"] as? String == "bulk")
        #expect(body["priority"] as? Int == 100)
        #expect(body["cookie"] as? String == "0xf10")
        #expect(body["drain_ms"] as? Double == 5)
        let flows = try #require(body["flows"] as? [[String: Any]])
        let match = try #require(flows.first?["match"] as? [String: Any])
        #expect(match["ipv4_src"] as? String == "10.0.0.1" && match["udp_dst"] as? Int == 5001)
        #expect(match["eth_type"] as? String == "0x800" && match["ip_proto"] as? Int == 17)
        let reverse = try #require(flows.first?["reverse"] as? [String: Any])
        #expect(reverse["udp_src"] as? Int == 5001 && reverse["ipv4_dst"] as? String == "10.0.0.1")
        let new = try #require(body["new_path"] as? [[String: Any]])
        #expect(new.map { $0["dpid"] as? String } == ["0x1", "0x3", "0x4"])
        #expect(new[1]["in_port"] as? Int == 1 && new[1]["out_port"] as? Int == 2)
        #expect((body["old_path"] as? [[String: Any]])?.count == 3)
    }

    @Test func withoutOldTheBodyLeavesTheOldPathToTheController() throws {
        let command = try MigrateCommand.Flows.parse(["--new", "1:1-3,3:1-2,4:3-1", "--flow", "nw_dst=10.0.0.2"])
        let body = try #require(try JSONSerialization.jsonObject(with: command.requestBody()) as? [String: Any])
        #expect(body["old_path"] == nil)
        #expect(throws: (any Error).self) { try MigrateCommand.Flows.parse(["--new", "1:1-3", "--flow", "nw_dst=10.0.0.2", "--dry-run"]) }
    }

    @Test func anUnreachableControllerIsNamed() throws {
        // A port nobody listens on: bind one, note it, close it.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        close(fd)
        let command = try MigrateCommand.Flows.parse([
            "--new", "1:1-3,3:1-2,4:3-1", "--flow", "nw_dst=10.0.0.2", "--controller", "http://127.0.0.1:\(port)",
        ])
        do {
            try command.run()
            Issue.record("no controller, yet it ran")
        } catch {
            let text = "\(error)"
            #expect(text.contains("cannot reach the controller at http://127.0.0.1:\(port)"), "\(text)")
            #expect(text.contains("vnm controller --rest"), "\(text)")
        }
    }

    @Test func controllerURLsAreCheckedUpFront() {
        #expect(throws: (any Error).self) { try ControllerHTTPClient(url: "https://127.0.0.1:8080") }
        #expect(throws: (any Error).self) { try ControllerHTTPClient(url: "http://127.0.0.1:http") }
        #expect(throws: (any Error).self) { try ControllerHTTPClient(url: "http://:8080") }
        let client = try? ControllerHTTPClient(url: "http://[::1]:9000/v1")
        #expect(client?.host == "::1" && client?.port == 9000)
        #expect(client?.base == "http://[::1]:9000")
    }

    @Test func answersAreReadWholeOrChunked() throws {
        let plain = Data("HTTP/1.1 409 Conflict\r\nContent-Length: 17\r\n\r\n{\"outcome\":\"x\"}\n".utf8)
        let answer = try ControllerHTTPClient.parse(plain, from: "test")
        #expect(answer.status == 409)
        #expect(String(decoding: answer.body, as: UTF8.self) == "{\"outcome\":\"x\"}\n")
        let chunked = Data("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n".utf8)
        #expect(String(decoding: try ControllerHTTPClient.parse(chunked, from: "test").body, as: UTF8.self) == "{\"a\":1}")
        #expect(throws: (any Error).self) { try ControllerHTTPClient.parse(Data("HTTP/1.1 200".utf8), from: "test") }
        #expect(throws: (any Error).self) { try ControllerHTTPClient.parse(Data("SSH-2.0\r\n\r\n".utf8), from: "test") }
    }

    @Test func reportsAndRefusalsAreDescribedForPeople() {
        let report = Data(
            #"{"algorithm":"consistent","outcome":"rolled_back","flows":1,"flow_mods":6,"barriers":4,"finished_ms":12.5,"message":"the migration was rolled back: switch 3 answered","phases":[{"name":"add","flow_mods":4,"sent_ms":0,"done_ms":1.25}],"rollback_phases":[]}"#.utf8)
        let text = MigrateCommand.Flows.describe(answer: 409, body: report)
        #expect(text.hasPrefix("consistent: rolled_back, 1 flow(s), 6 flow-mods, 4 barriers, confirmed -, finished 12.500 ms"), "\(text)")
        #expect(text.contains("switch 3 answered"))
        #expect(text.contains("phase add: 4 flow-mods, sent at 0.000 ms, done at 1.250 ms"), "\(text)")
        let refusal = Data(#"{"status":400,"error":"bad_request","message":"is required","field":"new_path[0].out_port"}"#.utf8)
        #expect(MigrateCommand.Flows.describe(answer: 400, body: refusal) == "the controller refused the migration (400 bad_request): is required (field new_path[0].out_port)")
    }
}
