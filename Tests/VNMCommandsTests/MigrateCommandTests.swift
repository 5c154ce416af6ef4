import ArgumentParser
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
