import NIOCore
import NetworkAddresses
import OpenFlow
import Testing

@testable import Datapath

@Suite struct DatapathGroupsTests {
    func groupMod(
        _ type: OF13.GroupType, _ id: UInt32, _ buckets: [OF13.Bucket], command: OF13.GroupMod.Command = .add
    ) -> OF13.Message {
        .groupMod(OF13.GroupMod(command: command, type: type, groupID: id, buckets: WireList(buckets)))
    }

    @Test func allGroupSendsACopyThroughEveryBucket() throws {
        var dp = makeDatapath()
        #expect(dp.send(groupMod(.all, 1, [
            OF13.Bucket(actions: [output(2)]),
            OF13.Bucket(actions: [.setField(.udpDst(9)), output(3)]),
        ])).isEmpty)
        dp.install([], [apply(.group(1), output(4))])
        let outputs = dp.receive(packet: udpFrame(dstPort: 80), inPort: 1, now: t0)
        #expect(outputs.ports == [2, 3, 4])
        let frames = try outputs.frames.map(parseUDP)
        #expect(frames.map(\.udp.destinationPort) == [80, 9, 80])  // buckets act on copies
    }

    @Test func indirectGroup() {
        var dp = makeDatapath()
        _ = dp.send(groupMod(.indirect, 7, [OF13.Bucket(actions: [output(3)])]))
        dp.install([], [write(.group(7))])
        #expect(dp.ports(of: udpFrame(), from: 1) == [3])
        #expect(dp.send(groupMod(.indirect, 8, [])).errorName == "OFPET_GROUP_MOD_FAILED/OFPGMFC_BAD_BUCKET")
    }

    @Test func selectGroupSpreadsFlowsByWeightAndKeepsEachFlowOnOneBucket() {
        var dp = makeDatapath()
        _ = dp.send(groupMod(.select, 1, [
            OF13.Bucket(weight: 1, actions: [output(2)]),
            OF13.Bucket(weight: 3, actions: [output(3)]),
        ]))
        dp.install([], [apply(.group(1))])
        var counts: [UInt32: Int] = [:]
        for flow in 0..<2000 {
            let frame = udpFrame(srcPort: UInt16(10_000 + flow))
            let first = dp.ports(of: frame, from: 1)
            #expect(first.count == 1)
            #expect(dp.ports(of: frame, from: 1) == first)
            counts[first[0], default: 0] += 1
        }
        // Weights 1:3 → about 500 and 1500.
        #expect((400...600).contains(counts[2] ?? 0), "\(counts)")
        #expect((1400...1600).contains(counts[3] ?? 0), "\(counts)")
    }

    @Test func selectGroupSkipsDeadBuckets() {
        var dp = makeDatapath()
        _ = dp.send(groupMod(.select, 1, [
            OF13.Bucket(weight: 1, watchPort: 2, actions: [output(2)]),
            OF13.Bucket(weight: 1, watchPort: 3, actions: [output(3)]),
        ]))
        dp.install([], [apply(.group(1))])
        _ = dp.setLink(2, up: false, now: t0)
        for flow in 0..<50 { #expect(dp.ports(of: udpFrame(srcPort: UInt16(flow)), from: 1) == [3]) }
    }

    @Test func fastFailoverUsesTheFirstLiveBucket() {
        var dp = makeDatapath()
        _ = dp.send(groupMod(.fastFailover, 1, [
            OF13.Bucket(watchPort: 2, actions: [output(2)]),
            OF13.Bucket(watchPort: 3, actions: [output(3)]),
        ]))
        dp.install([], [apply(.group(1))])
        #expect(dp.ports(of: udpFrame(), from: 1) == [2])
        let status = dp.setLink(2, up: false, now: at(1))
        #expect(status.messages.count == 1)
        #expect(dp.ports(of: udpFrame(), from: 1) == [3])
        _ = dp.setLink(3, up: false, now: at(2))
        #expect(dp.ports(of: udpFrame(), from: 1) == [])
        _ = dp.setLink(2, up: true, now: at(3))
        #expect(dp.ports(of: udpFrame(), from: 1) == [2])
    }

    @Test func fastFailoverWatchingAGroup() {
        var dp = makeDatapath()
        _ = dp.send(groupMod(.fastFailover, 1, [OF13.Bucket(watchPort: 2, actions: [output(2)])]))
        _ = dp.send(groupMod(.fastFailover, 2, [
            OF13.Bucket(watchGroup: 1, actions: [.group(1)]),
            OF13.Bucket(watchPort: 4, actions: [output(4)]),
        ]))
        dp.install([], [apply(.group(2))])
        #expect(dp.ports(of: udpFrame(), from: 1) == [2])
        _ = dp.setLink(2, up: false, now: t0)
        #expect(dp.ports(of: udpFrame(), from: 1) == [4])
    }

    @Test func groupModErrors() {
        var dp = makeDatapath()
        _ = dp.send(groupMod(.all, 1, []))
        #expect(dp.send(groupMod(.all, 1, [])).errorName == "OFPET_GROUP_MOD_FAILED/OFPGMFC_GROUP_EXISTS")
        #expect(dp.send(groupMod(.all, 2, [], command: .modify)).errorName == "OFPET_GROUP_MOD_FAILED/OFPGMFC_UNKNOWN_GROUP")
        #expect(dp.send(groupMod(.all, OF13.GroupNumber.all, [])).errorName == "OFPET_GROUP_MOD_FAILED/OFPGMFC_INVALID_GROUP")
        #expect(dp.send(groupMod(OF13.GroupType(rawValue: 9), 3, [])).errorName == "OFPET_GROUP_MOD_FAILED/OFPGMFC_BAD_TYPE")
        #expect(dp.send(groupMod(.fastFailover, 3, [OF13.Bucket(actions: [output(1)])])).errorName == "OFPET_GROUP_MOD_FAILED/OFPGMFC_BAD_WATCH")
        #expect(dp.send(groupMod(.all, 4, [OF13.Bucket(actions: [.group(99)])])).errorName == "OFPET_BAD_ACTION/OFPBAC_BAD_OUT_GROUP")
        _ = dp.send(groupMod(.all, 5, [OF13.Bucket(actions: [.group(1)])]))
        #expect(dp.send(groupMod(.all, 1, [OF13.Bucket(actions: [.group(5)])], command: .modify)).errorName == "OFPET_GROUP_MOD_FAILED/OFPGMFC_LOOP")
        #expect(dp.send(groupMod(.all, 1, [], command: .delete)).errorName == "OFPET_GROUP_MOD_FAILED/OFPGMFC_CHAINED_GROUP")
    }

    @Test func deletingAGroupRemovesTheFlowsThatUseIt() throws {
        var dp = makeDatapath()
        _ = dp.send(groupMod(.all, 1, [OF13.Bucket(actions: [output(2)])]))
        dp.install(priority: 9, [.inPort(1)], [apply(.group(1))], cookie: 5, flags: .sendFlowRemoved)
        dp.install(priority: 8, [], [apply(output(3))])
        let outputs = dp.send(groupMod(.all, 1, [], command: .delete))
        #expect(outputs.flowRemoveds.map(\.reason) == [.groupDelete])
        #expect(dp.flowCount == 1)
        #expect(dp.ports(of: udpFrame(), from: 1) == [3])
        #expect(dp.send(groupMod(.all, 1, [], command: .delete)).isEmpty)  // deleting what is not there is no error
    }

    @Test func groupAndBucketCounters() {
        var dp = makeDatapath()
        _ = dp.send(groupMod(.all, 1, [OF13.Bucket(actions: [output(2)]), OF13.Bucket(actions: [output(3)])]))
        dp.install([], [apply(.group(1))])
        let frame = udpFrame()
        for _ in 0..<2 { _ = dp.receive(packet: frame, inPort: 1, now: t0) }
        let group = dp.groups[1]!
        #expect(group.packetCount == 2)
        #expect(group.byteCount == 2 * UInt64(frame.readableBytes))
        #expect(group.buckets.map(\.packetCount) == [2, 2])
    }
}
