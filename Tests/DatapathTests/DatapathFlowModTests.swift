import NIOCore
import NetworkAddresses
import OpenFlow
import Testing

@testable import Datapath

@Suite struct DatapathFlowModTests {
    @Test func addingTheSameMatchAndPriorityReplacesKeepingCounters() {
        var dp = makeDatapath()
        dp.install([.inPort(1)], [apply(output(2))])
        _ = dp.receive(packet: udpFrame(), inPort: 1, now: t0)
        dp.install([.inPort(1)], [apply(output(3))], now: at(5))
        #expect(dp.flowCount == 1)
        #expect(dp.ports(of: udpFrame(), from: 1, now: at(6)) == [3])
        let stats = dp.send(.multipartRequest(OF13.MultipartRequest(body: .flow(OF13.FlowStatsRequest()))), now: at(7))
        guard case .flow(let flows) = stats.multipartBodies.first else { Issue.record("no flow stats"); return }
        #expect(flows.elements.map(\.packetCount) == [2])
        #expect(flows.elements.map(\.durationSeconds) == [2])  // the duration restarts on replace
        let reset = dp.send(flowModMessage(priority: 100, [.inPort(1)], [apply(output(3))], flags: .resetCounts))
        #expect(reset.isEmpty)
        #expect(dp.tables[0][dp.tables[0].slots[0]].packetCount == 0)
    }

    @Test func checkOverlapRefusesAnOverlappingFlowOfTheSamePriority() {
        var dp = makeDatapath()
        dp.install(priority: 5, [.inPort(1)], [apply(output(2))])
        let overlapping = dp.send(flowModMessage(priority: 5, [.ethDst(mac(2))], [], flags: .checkOverlap))
        #expect(overlapping.errorName == "OFPET_FLOW_MOD_FAILED/OFPFMFC_OVERLAP")
        #expect(dp.send(flowModMessage(priority: 6, [.ethDst(mac(2))], [], flags: .checkOverlap)).isEmpty)
        #expect(dp.send(flowModMessage(priority: 5, [.inPort(2)], [], flags: .checkOverlap)).isEmpty)
        #expect(dp.flowCount == 3)
    }

    @Test func modifyChangesInstructionsOfEveryCoveredFlowAndAddsNothing() {
        var dp = makeDatapath()
        dp.install(priority: 10, [.inPort(1), .ethDst(mac(2))], [apply(output(2))], cookie: 0x11)
        dp.install(priority: 20, [.inPort(1), .ethDst(mac(3))], [apply(output(2))], cookie: 0x12)
        dp.install(priority: 30, [.inPort(2)], [apply(output(1))], cookie: 0x21)
        #expect(dp.send(flowModMessage(command: .modify, [.inPort(1)], [apply(output(4))])).isEmpty)
        #expect(dp.ports(of: udpFrame(dst: mac(2)), from: 1) == [4])
        #expect(dp.ports(of: udpFrame(dst: mac(3)), from: 1) == [4])
        #expect(dp.ports(of: udpFrame(), from: 2) == [1])
        #expect(dp.send(flowModMessage(command: .modify, [.inPort(3)], [apply(output(4))])).isEmpty)
        #expect(dp.flowCount == 3)
    }

    @Test func modifyStrictNeedsTheExactMatchAndPriority() {
        var dp = makeDatapath()
        dp.install(priority: 10, [.inPort(1), .ethDst(mac(2))], [apply(output(2))])
        _ = dp.send(flowModMessage(command: .modifyStrict, priority: 10, [.inPort(1)], [apply(output(4))]))
        _ = dp.send(flowModMessage(command: .modifyStrict, priority: 11, [.inPort(1), .ethDst(mac(2))], [apply(output(4))]))
        #expect(dp.ports(of: udpFrame(dst: mac(2)), from: 1) == [2])
        _ = dp.send(flowModMessage(command: .modifyStrict, priority: 10, [.ethDst(mac(2)), .inPort(1)], [apply(output(3))]))
        #expect(dp.ports(of: udpFrame(dst: mac(2)), from: 1) == [3])
    }

    @Test func modifyAndDeleteFilterByCookie() {
        var dp = makeDatapath()
        dp.install(priority: 1, [.inPort(1)], [apply(output(2))], cookie: 0xAB01)
        dp.install(priority: 1, [.inPort(2)], [apply(output(1))], cookie: 0xCD01)
        _ = dp.send(flowModMessage(command: .modify, [], [apply(output(4))], cookie: 0xAB00, cookieMask: 0xFF00))
        #expect(dp.ports(of: udpFrame(), from: 1) == [4])
        #expect(dp.ports(of: udpFrame(), from: 2) == [1])
        _ = dp.send(flowModMessage(command: .delete, table: OF13.TableNumber.all, [], cookie: 0xCD00, cookieMask: 0xFF00))
        #expect(dp.flowCount == 1)
        #expect(dp.ports(of: udpFrame(), from: 2) == [])
    }

    @Test func deleteWithOutPortAndFlowRemoved() throws {
        var dp = makeDatapath()
        dp.install(table: 0, priority: 5, [.inPort(1)], [apply(output(2))], cookie: 1, flags: .sendFlowRemoved)
        dp.install(table: 1, priority: 6, [.inPort(2)], [write(output(3))], cookie: 2, flags: .sendFlowRemoved)
        dp.install(table: 2, priority: 7, [.inPort(3)], [apply(output(3))], cookie: 3)
        _ = dp.receive(packet: udpFrame(), inPort: 1, now: at(1))
        let outputs = dp.send(
            flowModMessage(command: .delete, table: OF13.TableNumber.all, [], outPort: 2), now: at(2.5))
        let removed = try #require(outputs.flowRemoveds.first)
        #expect(outputs.flowRemoveds.count == 1)
        #expect(removed.reason == .delete)
        #expect(removed.cookie == 1)
        #expect(removed.priority == 5)
        #expect(removed.tableID == 0)
        #expect(removed.packetCount == 1)
        #expect(removed.durationSec == 2 && removed.durationNsec == 500_000_000)
        #expect(removed.match == OF13.Match([.inPort(1)]))
        // Out port 3 selects the write-actions flow and the apply-actions one.
        let more = dp.send(flowModMessage(command: .delete, table: OF13.TableNumber.all, [], outPort: 3))
        #expect(more.flowRemoveds.map(\.cookie) == [2])
        #expect(dp.flowCount == 0)
    }

    @Test func deleteStrictLeavesOtherPriorities() {
        var dp = makeDatapath()
        dp.install(priority: 5, [.inPort(1)], [apply(output(2))])
        dp.install(priority: 6, [.inPort(1)], [apply(output(3))])
        _ = dp.send(flowModMessage(command: .deleteStrict, priority: 6, [.inPort(1)]))
        #expect(dp.ports(of: udpFrame(), from: 1) == [2])
    }

    @Test(arguments: [
        (flowModMessage(table: 8, [], []), "OFPET_FLOW_MOD_FAILED/OFPFMFC_BAD_TABLE_ID"),
        (flowModMessage(table: OF13.TableNumber.all, [], []), "OFPET_FLOW_MOD_FAILED/OFPFMFC_BAD_TABLE_ID"),
        (flowModMessage(command: OF13.FlowMod.Command(rawValue: 9), [], []), "OFPET_FLOW_MOD_FAILED/OFPFMFC_BAD_COMMAND"),
        (flowModMessage(table: 3, [], [.gotoTable(2)]), "OFPET_BAD_INSTRUCTION/OFPBIC_BAD_TABLE_ID"),
        (flowModMessage(table: 3, [], [.gotoTable(8)]), "OFPET_BAD_INSTRUCTION/OFPBIC_BAD_TABLE_ID"),
        (flowModMessage([], [apply(output(0))]), "OFPET_BAD_ACTION/OFPBAC_BAD_OUT_PORT"),
        (flowModMessage([], [apply(output(OF13.PortNumber.table))]), "OFPET_BAD_ACTION/OFPBAC_BAD_OUT_PORT"),
        (flowModMessage([], [apply(.group(1))]), "OFPET_BAD_ACTION/OFPBAC_BAD_OUT_GROUP"),
        (flowModMessage([], [apply(.pushMPLS())]), "OFPET_BAD_ACTION/OFPBAC_BAD_TYPE"),
        (flowModMessage([], [apply(.setField(.inPort(2)))]), "OFPET_BAD_ACTION/OFPBAC_BAD_SET_TYPE"),
        (flowModMessage([], [write(output(1), output(2))]), "OFPET_BAD_ACTION/OFPBAC_TOO_MANY"),
        (flowModMessage([.ipv4Dst(IPv4Address(1, 2, 3, 4))], []), "OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ"),
        (flowModMessage([.inPort(1), .inPort(1)], []), "OFPET_BAD_MATCH/OFPBMC_DUP_FIELD"),
        (flowModMessage([], [.unknown(type: 77, body: ByteBuffer(bytes: [0, 0, 0, 0]))]), "OFPET_BAD_INSTRUCTION/OFPBIC_UNKNOWN_INST"),
    ])
    func refusedFlowModsAnswerWithTheRightError(message: OF13.Message, error: String) throws {
        var dp = makeDatapath()
        let outputs = dp.send(message, xid: 42)
        #expect(outputs.errorName == error)
        #expect(dp.flowCount == 0)
        guard case .message(.error(let e), let xid) = try #require(outputs.first) else { return }
        #expect(xid == 42)
        // The error carries the start of the offending message.
        let sent = OpenFlowMessage.of13(message, xid: 42).encoded
        #expect(e.data == sent.getSlice(at: 0, length: min(64, sent.readableBytes)))
    }

    @Test func countersPerFlowTableAndPort() {
        var dp = makeDatapath()
        dp.install(table: 0, [.inPort(1)], [.gotoTable(1)])
        dp.install(table: 1, udp + [.udpDst(80)], [apply(output(2))])
        let frame = udpFrame(dstPort: 80)
        for _ in 0..<3 { _ = dp.receive(packet: frame, inPort: 1, now: t0) }
        _ = dp.receive(packet: udpFrame(dstPort: 81), inPort: 1, now: t0)
        #expect(dp.tables[0].lookupCount == 4 && dp.tables[0].matchedCount == 4)
        #expect(dp.tables[1].lookupCount == 4 && dp.tables[1].matchedCount == 3)
        let flow = dp.tables[1][dp.tables[1].slots[0]]
        #expect(flow.packetCount == 3)
        #expect(flow.byteCount == 3 * UInt64(frame.readableBytes))
        #expect(dp.portStatistics(1)?.rxPackets == 4)
        #expect(dp.portStatistics(2)?.txPackets == 3)
        #expect(dp.portStatistics(2)?.txBytes == 3 * UInt64(frame.readableBytes))
    }
}
