import NIOCore
import NetworkAddresses
import OpenFlow
import Testing

@testable import Datapath

@Suite struct DatapathMultipartTests {
    func request(_ body: OF13.MultipartRequest.Body) -> OF13.Message {
        .multipartRequest(OF13.MultipartRequest(body: body))
    }

    @Test func description() {
        var dp = makeDatapath()
        let outputs = dp.send(request(.desc), xid: 7)
        guard case .message(.multipartReply(let reply), 7) = outputs.first else { Issue.record("\(outputs)"); return }
        #expect(reply.body == .desc(dp.configuration.switchDescription))
        #expect(reply.flags == [])
    }

    @Test func flowStatsFiltersAndReportsCounters() {
        var dp = makeDatapath()
        dp.install(table: 0, priority: 1, [.inPort(1)], [apply(output(2))], cookie: 0x10, idle: 30)
        dp.install(table: 0, priority: 9, [.inPort(1), .ethDst(mac(2))], [apply(output(3))], cookie: 0x20)
        dp.install(table: 2, priority: 5, [.inPort(2)], [apply(output(1))], cookie: 0x30)
        _ = dp.receive(packet: udpFrame(dst: mac(2)), inPort: 1, now: t0)
        func flows(_ filter: OF13.FlowStatsRequest) -> [OF13.FlowStats] {
            guard case .flow(let list) = dp.send(request(.flow(filter)), now: at(3)).multipartBodies.first else {
                return []
            }
            return list.elements
        }
        let all = flows(OF13.FlowStatsRequest())
        #expect(all.map(\.cookie) == [0x20, 0x10, 0x30])  // table order, then priority
        #expect(all[0].packetCount == 1)
        #expect(all[0].durationSeconds == 3)
        #expect(all[1].idleTimeout == 30)
        #expect(all[0].match == OF13.Match([.inPort(1), .ethDst(mac(2))]))
        #expect(all[0].instructions == [apply(output(3))])
        #expect(flows(OF13.FlowStatsRequest(tableID: 2)).map(\.cookie) == [0x30])
        #expect(flows(OF13.FlowStatsRequest(match: OF13.Match([.inPort(1)]))).map(\.cookie) == [0x20, 0x10])
        #expect(flows(OF13.FlowStatsRequest(outPort: 3)).map(\.cookie) == [0x20])
        #expect(flows(OF13.FlowStatsRequest(cookie: 0x10, cookieMask: 0xF0)).map(\.cookie) == [0x10])
        #expect(dp.send(request(.flow(OF13.FlowStatsRequest(tableID: 99)))).errorName == "OFPET_BAD_REQUEST/OFPBRC_BAD_TABLE_ID")
    }

    @Test func aggregate() {
        var dp = makeDatapath()
        dp.install(priority: 1, [.inPort(1)], [apply(output(2))])
        dp.install(priority: 2, [.inPort(2)], [apply(output(1))])
        let frame = udpFrame()
        _ = dp.receive(packet: frame, inPort: 1, now: t0)
        _ = dp.receive(packet: frame, inPort: 2, now: t0)
        _ = dp.receive(packet: frame, inPort: 2, now: t0)
        let body = dp.send(request(.aggregate(OF13.FlowStatsRequest()))).multipartBodies.first
        #expect(body == .aggregate(OF13.AggregateStats(packetCount: 3, byteCount: 3 * UInt64(frame.readableBytes), flowCount: 2)))
    }

    @Test func tableStats() {
        var dp = makeDatapath(tables: 3)
        dp.install(table: 0, [.inPort(1)], [.gotoTable(2)])
        _ = dp.receive(packet: udpFrame(), inPort: 1, now: t0)
        _ = dp.receive(packet: udpFrame(), inPort: 2, now: t0)
        guard case .table(let list) = dp.send(request(.table)).multipartBodies.first else { Issue.record(); return }
        #expect(list.elements == [
            OF13.TableStats(tableID: 0, activeCount: 1, lookupCount: 2, matchedCount: 1),
            OF13.TableStats(tableID: 1, activeCount: 0, lookupCount: 0, matchedCount: 0),
            OF13.TableStats(tableID: 2, activeCount: 0, lookupCount: 1, matchedCount: 0),
        ])
    }

    @Test func portStatsAndDescription() {
        var dp = makeDatapath(ports: 3)
        dp.install([], [apply(output(3))])
        _ = dp.receive(packet: udpFrame(), inPort: 1, now: t0)
        guard case .portStats(let stats) = dp.send(request(.portStats(portNumber: OF13.PortNumber.any)), now: at(4)).multipartBodies.first
        else { Issue.record(); return }
        #expect(stats.elements.map(\.portNumber) == [1, 2, 3])
        #expect(stats.elements.map(\.rxPackets) == [1, 0, 0])
        #expect(stats.elements.map(\.txPackets) == [0, 0, 1])
        #expect(stats.elements[0].durationSeconds == 4)
        #expect(dp.send(request(.portStats(portNumber: 9))).errorName == "OFPET_BAD_REQUEST/OFPBRC_BAD_PORT")
        guard case .portDesc(let ports) = dp.send(request(.portDesc)).multipartBodies.first else { Issue.record(); return }
        #expect(ports.elements.map(\.name) == ["port1", "port2", "port3"])
        #expect(ports.elements == dp.portList)
    }

    @Test func groupDescriptionAndStatistics() {
        var dp = makeDatapath()
        let buckets: WireList<OF13.Bucket> = [OF13.Bucket(actions: [output(2)])]
        _ = dp.send(.groupMod(OF13.GroupMod(type: .indirect, groupID: 4, buckets: buckets)))
        dp.install([], [apply(.group(4))])
        _ = dp.receive(packet: udpFrame(), inPort: 1, now: t0)
        #expect(dp.send(request(.groupDesc)).multipartBodies == [.groupDesc([OF13.GroupDescription(type: .indirect, groupID: 4, buckets: buckets)])])
        guard case .group(let stats) = dp.send(request(.group(groupID: OF13.GroupNumber.all))).multipartBodies.first
        else { Issue.record(); return }
        #expect(stats.elements.map(\.refCount) == [1])
        #expect(stats.elements.map(\.packetCount) == [1])
        #expect(stats.elements.first?.bucketStats.elements.map(\.packetCount) == [1])
    }

    @Test func largeRepliesAreSplitWithReplyMore() {
        var dp = makeDatapath()
        for i in 0..<1500 { dp.install(priority: 10, [.inPort(1), .ethDst(mac(UInt64(i)))], [apply(output(2))]) }
        let replies = dp.send(request(.flow(OF13.FlowStatsRequest())))
        #expect(replies.count > 1)
        var total = 0
        for (i, output) in replies.enumerated() {
            guard case .message(.multipartReply(let reply), _) = output, case .flow(let list) = reply.body else {
                Issue.record(); return
            }
            #expect(reply.flags == (i < replies.count - 1 ? .replyMore : []))
            #expect(OpenFlowMessage.of13(.multipartReply(reply), xid: 1).encoded.readableBytes <= 65535)
            total += list.elements.count
        }
        #expect(total == 1500)
    }

    @Test func unsupportedTypes() {
        var dp = makeDatapath()
        #expect(dp.send(request(.tableFeatures([]))).errorName == "OFPET_BAD_REQUEST/OFPBRC_BAD_MULTIPART")
    }
}
