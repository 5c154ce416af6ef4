import NIOCore
import OpenFlow
import Testing

@testable import Datapath

@Suite struct DatapathTests {
    @Test func featuresConfigEchoBarrier() {
        var dp = Datapath(configuration: Datapath.Configuration(datapathID: 0xABC, tableCount: 4))
        #expect(dp.send(.featuresRequest, xid: 3) == [
            .message(.featuresReply(OF13.FeaturesReply(datapathID: 0xABC, bufferCount: 0, tableCount: 4,
                capabilities: [.flowStats, .tableStats, .portStats, .groupStats])), xid: 3)
        ])
        #expect(dp.send(.echoRequest(ByteBuffer(string: "hi")), xid: 4) == [.message(.echoReply(ByteBuffer(string: "hi")), xid: 4)])
        #expect(dp.send(.getConfigRequest).messages == [.getConfigReply(OF13.SwitchConfig(flags: 0, missSendLength: 128))])
        #expect(dp.send(.setConfig(OF13.SwitchConfig(flags: 0, missSendLength: 64))).isEmpty)
        #expect(dp.send(.getConfigRequest).messages == [.getConfigReply(OF13.SwitchConfig(flags: 0, missSendLength: 64))])
        #expect(dp.send(.barrierRequest, xid: 9) == [.message(.barrierReply, xid: 9)])
    }

    @Test func barrierReplyFollowsTheOutputsOfEarlierMessages() {
        var dp = makeDatapath()
        var outputs: [DatapathOutput] = []
        outputs += dp.send(flowModMessage(priority: 1, [.inPort(1)], [apply(output(2))], hard: 1, flags: .sendFlowRemoved), xid: 1)
        outputs += dp.send(flowModMessage(table: 99, [], []), xid: 2)
        outputs += dp.send(flowModMessage(command: .delete, table: OF13.TableNumber.all, []), xid: 3)
        outputs += dp.send(.barrierRequest, xid: 4)
        #expect(outputs.map { if case .message(let m, let xid) = $0 { "\(m.typeName)#\(xid)" } else { "packet" } }
            == ["OFPT_ERROR#2", "OFPT_FLOW_REMOVED#0", "OFPT_BARRIER_REPLY#4"])
    }

    @Test func miss_send_lenTruncatesInvalidTTLPacketIns() {
        var dp = makeDatapath()
        _ = dp.send(.setConfig(OF13.SwitchConfig(flags: 0b100, missSendLength: 32)))
        dp.install([], [apply(.decNwTTL, output(2))])
        let packetIns = dp.receive(packet: udpFrame(ttl: 0), inPort: 1, now: t0).packetIns
        #expect(packetIns.map(\.reason) == [.invalidTTL])
        #expect(packetIns.first?.data.readableBytes == 32)
    }

    @Test func messagesOnlySwitchesSendAreRefused() {
        var dp = makeDatapath()
        #expect(dp.send(.barrierReply).errorName == "OFPET_BAD_REQUEST/OFPBRC_BAD_TYPE")
        #expect(dp.send(.experimenter(OF13.ExperimenterMessage(experimenter: 1, experimenterType: 2))).errorName == "OFPET_BAD_REQUEST/OFPBRC_BAD_EXPERIMENTER")
    }

    @Test func rolesAndSlaveRefusal() {
        var dp = makeDatapath()
        #expect(dp.send(.roleRequest(OF13.RoleMessage(role: .slave, generationID: 5))).messages == [.roleReply(OF13.RoleMessage(role: .slave, generationID: 5))])
        #expect(dp.send(flowModMessage([], [])).errorName == "OFPET_BAD_REQUEST/OFPBRC_IS_SLAVE")
        #expect(dp.send(.roleRequest(OF13.RoleMessage(role: .master, generationID: 4))).errorName == "OFPET_ROLE_REQUEST_FAILED/OFPRRFC_STALE")
        #expect(dp.send(.roleRequest(OF13.RoleMessage(role: .master, generationID: 6))).messages == [.roleReply(OF13.RoleMessage(role: .master, generationID: 6))])
        #expect(dp.send(flowModMessage([], [])).isEmpty)
    }

    @Test func tableModChecksTheTable() {
        var dp = makeDatapath(tables: 2)
        #expect(dp.send(.tableMod(OF13.TableMod(tableID: 1))).isEmpty)
        #expect(dp.send(.tableMod(OF13.TableMod(tableID: 2))).errorName == "OFPET_TABLE_MOD_FAILED/OFPTMFC_BAD_TABLE")
    }

    @Test func aDatapathIsAValue() {
        var original = makeDatapath()
        original.install([], [apply(output(2))])
        var fork = original
        fork.install(priority: 200, [], [apply(output(3))])
        #expect(original.ports(of: udpFrame(), from: 1) == [2])
        #expect(fork.ports(of: udpFrame(), from: 1) == [3])
    }
}
