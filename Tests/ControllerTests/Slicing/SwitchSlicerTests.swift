import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Testing

@testable import Controller

@Suite struct SwitchSlicerTests {
    static func info(_ dpid: UInt64) -> DatapathInfo {
        DatapathInfo(
            datapathID: dpid, version: OpenFlowVersion.v13, tableCount: 8, bufferCount: 0, capabilities: 0b111,
            ports: (1...4).map { SwitchPort(number: UInt32($0), name: "s\(dpid)-\($0)", hardwareAddress: MACAddress(rawValue: UInt64($0))) })
    }

    func slicer() -> SwitchSlicer { SwitchSlicer(datapath: Self.info(1), networks: [Slices.red, Slices.blue]) }

    @Test func handshakeQuestionsAreAnsweredByTheProxyWithTheNetworksView() {
        var slicer = slicer()
        #expect(slicer.networks == ["blue", "red"])
        let features = slicer.fromController("red", .of13(.featuresRequest, xid: 5))
        #expect(features == [.toController(network: "red", .of13(.featuresReply(slicer.featuresReply), xid: 5))])
        #expect(slicer.featuresReply.datapathID == 1)
        let ports = slicer.fromController("red", .of13(.multipartRequest(OF13.MultipartRequest(body: .portDesc)), xid: 6))
        guard case .toController("red", .of13(.multipartReply(let reply), 6)) = ports.first, case .portDesc(let seen) = reply.body else {
            Issue.record("PORT_DESC: \(ports)")
            return
        }
        #expect(seen.map(\.portNumber) == [1, 3])
        // SET_CONFIG stays with the network; GET_CONFIG reads it back; the switch hears nothing.
        #expect(slicer.fromController("red", .of13(.setConfig(OF13.SwitchConfig(flags: 0, missSendLength: 0xFFFF)), xid: 7)).isEmpty)
        #expect(
            slicer.fromController("red", .of13(.getConfigRequest, xid: 8))
                == [.toController(network: "red", .of13(.getConfigReply(OF13.SwitchConfig(flags: 0, missSendLength: 0xFFFF)), xid: 8))])
        #expect(slicer.fromController("red", .of13(.echoRequest(ByteBuffer(string: "e")), xid: 9)) == [.toController(network: "red", .of13(.echoReply(ByteBuffer(string: "e")), xid: 9))])
    }

    @Test func xidsAreTranslatedBothWays() throws {
        var slicer = slicer()
        let out = slicer.fromController("red", .of13(.barrierRequest, xid: 77))
        guard case .toSwitch(.of13(.barrierRequest, let proxyXID)) = out.first else { Issue.record("\(out)"); return }
        #expect(proxyXID != 77)
        // Blue also uses xid 77: a different proxy xid.
        guard case .toSwitch(.of13(.barrierRequest, let blueXID)) = slicer.fromController("blue", .of13(.barrierRequest, xid: 77)).first else { return }
        #expect(blueXID != proxyXID)
        #expect(slicer.fromSwitch(.of13(.barrierReply, xid: blueXID)) == [.toController(network: "blue", .of13(.barrierReply, xid: 77))])
        #expect(slicer.fromSwitch(.of13(.barrierReply, xid: proxyXID)) == [.toController(network: "red", .of13(.barrierReply, xid: 77))])
        // Answered once only.
        #expect(slicer.fromSwitch(.of13(.barrierReply, xid: proxyXID)).isEmpty)
    }

    @Test func aSwitchErrorGoesBackToTheNetworkThatCausedIt() {
        var slicer = slicer()
        let out = slicer.fromController("blue", .of13(.flowMod(addFlow([.inPort(2), .ipv4Dst(IPv4Address("10.2.0.2")!), .ethType(0x0800)], [output(3)])), xid: 11))
        guard case .toSwitch(let sent) = out.first else { Issue.record("\(out)"); return }
        let error = OF13.ErrorMessage(type: .flowModFailed, code: 1)
        #expect(slicer.fromSwitch(.of13(.error(error), xid: sent.xid)) == [.toController(network: "blue", .of13(.error(error), xid: 11))])
    }

    @Test func aRefusedMessageGetsAnErrorAndNothingReachesTheSwitch() {
        var slicer = slicer()
        let message = OpenFlowMessage.of13(.flowMod(deleteFlows([.vlanVid(Slices.redVID)])), xid: 12)
        let out = slicer.fromController("blue", message)
        #expect(out.count == 1)
        guard case .toController("blue", .of13(.error(let error), 12)) = out.first else { Issue.record("\(out)"); return }
        #expect(error.type == .flowModFailed && error.code == 4)
        #expect(slicer.refusals.map(\.network) == ["blue"])
        for body: OF13.Message in [
            .groupMod(OF13.GroupMod(command: .add, type: .all, groupID: 1, buckets: [])), .roleRequest(OF13.RoleMessage(role: .master, generationID: 0)),
        ] {
            let out = slicer.fromController("red", .of13(body, xid: 13))
            guard case .toController("red", .of13(.error, 13)) = out.first, out.count == 1 else { Issue.record("\(body.typeName): \(out)"); continue }
        }
        let fromSwitchOnly = slicer.fromController("red", .of13(.packetIn(OF13.PacketIn(match: .all, data: ByteBuffer())), xid: 14))
        guard case .toController("red", .of13(.error(let badType), 14)) = fromSwitchOnly.first else { Issue.record("\(fromSwitchOnly)"); return }
        #expect(badType.type == .badRequest && badType.code == 1)
    }

    @Test func anotherOpenFlowVersionClosesThatControllerOnly() {
        var slicer = slicer()
        let out = slicer.fromController("red", .of10(.featuresRequest, xid: 1))
        guard case .closeController("red", _) = out.first else { Issue.record("\(out)"); return }
        #expect(out.count == 1)
    }

    @Test func asynchronousMessagesGoToTheOwningNetwork() {
        var slicer = slicer()
        let redIn = OpenFlowMessage.of13(.packetIn(OF13.PacketIn(match: .ordered([.inPort(3)]), data: slicedFrame(vlan: 10))), xid: 0)
        #expect(slicer.fromSwitch(redIn) == [.toController(network: "red", redIn)])
        let blueIn = OpenFlowMessage.of13(.packetIn(OF13.PacketIn(match: .ordered([.inPort(2)]), data: slicedFrame())), xid: 0)
        #expect(slicer.fromSwitch(blueIn) == [.toController(network: "blue", blueIn)])
        let nobody = OpenFlowMessage.of13(.packetIn(OF13.PacketIn(match: .ordered([.inPort(4)]), data: slicedFrame())), xid: 0)
        #expect(slicer.fromSwitch(nobody).isEmpty)
        let removed = OpenFlowMessage.of13(.flowRemoved(OF13.FlowRemoved(priority: 1, reason: .delete, match: .ordered([.vlanVid(Slices.redVID)]))), xid: 0)
        #expect(slicer.fromSwitch(removed) == [.toController(network: "red", removed)])
        let port = SwitchPort(number: 3, name: "s1-3", hardwareAddress: MACAddress(rawValue: 3), isLinkDown: true)
        let status = OpenFlowMessage.of13(.portStatus(OF13.PortStatus(reason: .modify, port: port.of13)), xid: 0)
        #expect(Set(slicer.fromSwitch(status)) == [.toController(network: "red", status), .toController(network: "blue", status)])
        let port4 = SwitchPort(number: 4, name: "s1-4", hardwareAddress: MACAddress(rawValue: 4))
        #expect(slicer.fromSwitch(.of13(.portStatus(OF13.PortStatus(reason: .modify, port: port4.of13)), xid: 0)).isEmpty)
    }

    @Test func aggregateStatsAreSummedFromTheNetworksFlowsOnly() {
        var slicer = slicer()
        let out = slicer.fromController("red", .of13(.multipartRequest(OF13.MultipartRequest(body: .aggregate(OF13.FlowStatsRequest()))), xid: 21))
        guard case .toSwitch(.of13(.multipartRequest(let request), let xid)) = out.first else { Issue.record("\(out)"); return }
        #expect(request.type == .flow)
        let mine = OF13.FlowStats(packetCount: 5, byteCount: 500, match: .ordered([.vlanVid(Slices.redVID)]))
        let theirs = OF13.FlowStats(packetCount: 7, byteCount: 700, match: .ordered([.vlanVid(0x1000 | 20)]))
        #expect(slicer.fromSwitch(.of13(.multipartReply(OF13.MultipartReply(flags: .replyMore, body: .flow([mine, theirs]))), xid: xid)).isEmpty)
        let last = slicer.fromSwitch(.of13(.multipartReply(OF13.MultipartReply(body: .flow([mine]))), xid: xid))
        #expect(
            last == [
                .toController(
                    network: "red", .of13(.multipartReply(OF13.MultipartReply(body: .aggregate(OF13.AggregateStats(packetCount: 10, byteCount: 1000, flowCount: 2)))), xid: 21))
            ])
    }
}
