import NIOCore
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Testing

@testable import Controller

@Suite struct FlowspacePolicyTests {
    let red = FlowspacePolicy(network: Slices.red)
    let blue = FlowspacePolicy(network: Slices.blue)

    func confined(_ policy: FlowspacePolicy, _ flowMod: OF13.FlowMod, on dpid: UInt64 = 1) -> [OF13.FlowMod]? {
        try? policy.confine(flowMod, on: dpid).get()
    }

    func violation(_ policy: FlowspacePolicy, _ flowMod: OF13.FlowMod, on dpid: UInt64 = 1) -> SlicingViolation? {
        if case .failure(let violation) = policy.confine(flowMod, on: dpid) { violation } else { nil }
    }

    // MARK: Match inside / outside the flowspace

    @Test func aMatchInsideTheFlowspaceIsKeptAsSent() {
        let flow = addFlow([.inPort(1), .vlanVid(Slices.redVID)], [output(3)])
        #expect(confined(red, flow) == [flow])
    }

    @Test func aMatchWithoutTheVLANGetsTheNetworksVLAN() throws {
        let result = try #require(confined(red, addFlow([.inPort(1), .ethDst(MACAddress(rawValue: 2))], [output(3)])))
        #expect(result.count == 1)
        #expect(Set(result[0].match.fields) == [.inPort(1), .ethDst(MACAddress(rawValue: 2)), .vlanVid(Slices.redVID)])
    }

    @Test func aMatchOnAnotherVLANIsRefusedWithFlowModFailedEPERM() throws {
        let refused = try #require(violation(red, addFlow([.vlanVid(0x1000 | 20)], [output(3)])))
        #expect(refused.type == .flowModFailed && refused.code == 4)
    }

    @Test func aMaskedVLANMatchIsNarrowedToTheNetworksVLAN() throws {
        // vlan_vid=0x1000/0x1000 (any tagged frame) ∩ VLAN 10 = VLAN 10.
        let result = try #require(confined(red, addFlow([.vlanVid(0x1000, mask: 0x1000)], [output(3)])))
        #expect(result.map { Array($0.match.fields) } == [[.vlanVid(Slices.redVID)]])
    }

    @Test func prefixFlowspaceRequiresBothAddressesInside() throws {
        // To a blue address from a red one: outside blue's flowspace.
        let refused = violation(
            blue, addFlow([.ethType(0x0800), .ipv4Src(IPv4Address("10.1.0.1")!), .ipv4Dst(IPv4Address("10.2.0.2")!)], [output(3)]))
        #expect(refused?.code == 4)
        // Only the destination given: the source prefix and "untagged" are added.
        let result = try #require(confined(blue, addFlow([.ethType(0x0800), .ipv4Dst(IPv4Address("10.2.0.2")!)], [output(3)])))
        #expect(result.count == 1)
        #expect(
            Set(result[0].match.fields) == [
                .ethType(0x0800), .vlanVid(0), .ipv4Dst(IPv4Address("10.2.0.2")!),
                .ipv4Src(IPv4Address("10.2.0.0")!, mask: IPv4Address("255.255.0.0")!),
            ])
    }

    @Test func aMatchStraddlingRegionsBecomesOneFlowPerRegion() throws {
        // A learning switch's match (MACs only) in a prefix network: one IPv4 and one ARP entry.
        let result = try #require(confined(blue, addFlow([.inPort(2), .ethDst(MACAddress(rawValue: 7))], [output(3)])))
        #expect(result.count == 2)
        #expect(Set(result.compactMap { $0.match.fields.first { if case .ethType = $0 { true } else { false } } }) == [.ethType(0x0800), .ethType(0x0806)])
        #expect(result.allSatisfy { blue.owns($0.match, on: 1) })
    }

    @Test func aRegionFieldGivenTwiceIsRefused() throws {
        let flow = OF13.FlowMod(match: OF13.Match([.vlanVid(Slices.redVID), .vlanVid(Slices.redVID)]), instructions: [output(3)])
        let refused = try #require(violation(red, flow))
        #expect(refused.type == .badMatch && refused.code == 10)
    }

    // MARK: Ports

    @Test func inPortMustBeOneOfTheNetworksPorts() throws {
        let refused = try #require(violation(red, addFlow([.inPort(2), .vlanVid(Slices.redVID)], [output(3)])))
        #expect(refused.type == .badMatch && refused.code == 11)
        // The same port is blue's.
        #expect(confined(blue, addFlow([.inPort(2)], [output(3)])) != nil)
    }

    @Test func outputToAnotherNetworksPortIsRefused() throws {
        let refused = try #require(violation(red, addFlow([.inPort(1)], [output(2)])))
        #expect(refused.type == .badAction && refused.code == 6)
        for reserved in [OF13.PortNumber.normal, OF13.PortNumber.local, OF13.PortNumber.table] {
            #expect(violation(red, addFlow([.inPort(1)], [output(reserved)]))?.type == .badAction, "output to \(reserved)")
        }
        #expect(confined(red, addFlow([.inPort(1)], [output(OF13.PortNumber.controller)])) != nil)
        #expect(violation(red, addFlow([.inPort(1)], [output(1)]), on: 3) != nil, "a switch red does not use")
    }

    @Test func floodBecomesTheNetworksOwnPorts() throws {
        let result = try #require(confined(red, addFlow([.inPort(1)], [output(OF13.PortNumber.flood)])))
        #expect(result.first?.instructions == [.applyActions([.output(port: 3, maxLength: 0)])])
        let all = try #require(confined(red, addFlow([], [output(OF13.PortNumber.all)])))
        #expect(all.first?.instructions == [.applyActions([.output(port: 1, maxLength: 0), .output(port: 3, maxLength: 0)])])
    }

    @Test func actionsThatLeaveTheFlowspaceAreRefused() {
        #expect(violation(red, addFlow([.inPort(1)], [.applyActions([.setField(.vlanVid(0x1000 | 20)), .output(port: 3, maxLength: 0)])])) != nil)
        #expect(confined(red, addFlow([.inPort(1)], [.applyActions([.setField(.vlanVid(Slices.redVID)), .output(port: 3, maxLength: 0)])])) != nil)
        #expect(violation(red, addFlow([.inPort(1)], [.applyActions([.popVLAN, .output(port: 3, maxLength: 0)])])) != nil)
        #expect(violation(blue, addFlow([.inPort(2)], [.applyActions([.pushVLAN(), .output(port: 3, maxLength: 0)])])) != nil)
        #expect(violation(blue, addFlow([.inPort(2)], [.applyActions([.setField(.ipv4Dst(IPv4Address("10.1.0.9")!))])])) != nil)
        #expect(confined(blue, addFlow([.inPort(2)], [.applyActions([.setField(.ipv4Dst(IPv4Address("10.2.9.9")!))])])) != nil)
        // Rewriting a field outside the flowspace's definition is fine.
        #expect(confined(red, addFlow([.inPort(1)], [.applyActions([.setField(.ipv4Dst(IPv4Address("10.1.0.9")!))])])) != nil)
    }

    @Test func groupsAndMetersAreRefused() {
        #expect(violation(red, addFlow([.inPort(1)], [.applyActions([.group(1)])]))?.type == .badAction)
        #expect(violation(red, addFlow([.inPort(1)], [.meter(1), output(3)]))?.type == .badInstruction)
        #expect(confined(red, addFlow([.inPort(1)], [.gotoTable(1)])) != nil)
    }

    // MARK: Delete and modify

    @Test func aWildcardDeleteIsConfinedToTheFlowspace() throws {
        let red = try #require(confined(self.red, deleteFlows()))
        #expect(red.map { Array($0.match.fields) } == [[.vlanVid(Slices.redVID)]])
        #expect(red.first?.command == .delete)
        let blue = try #require(confined(self.blue, deleteFlows()))
        #expect(blue.count == 2, "an IPv4 and an ARP region")
        #expect(blue.allSatisfy { $0.match.fields.contains(.vlanVid(0)) })
    }

    @Test func aDeleteOfAnotherNetworksFlowsIsRefused() throws {
        #expect(violation(red, deleteFlows([.vlanVid(0x1000 | 20)]))?.type == .flowModFailed)
        #expect(violation(blue, deleteFlows([.vlanVid(Slices.redVID)]))?.type == .flowModFailed)
        #expect(violation(red, deleteFlows([.inPort(2)]))?.type == .badMatch)
    }

    // MARK: PACKET_OUT

    @Test func packetOutConfinement() throws {
        let tagged = slicedFrame(vlan: 10)
        let flood = OF13.PacketOut(inPort: 1, actions: [.output(port: OF13.PortNumber.flood, maxLength: 0)], data: tagged)
        let out = try red.confine(flood, on: 1).get()
        #expect(Array(out.actions) == [.output(port: 3, maxLength: 0)], "flooded to red's other port only")
        // Untagged data is not red's.
        #expect((try? red.confine(OF13.PacketOut(inPort: 1, actions: [.output(port: 3, maxLength: 0)], data: slicedFrame()), on: 1).get()) == nil)
        // In port of another network.
        #expect((try? red.confine(OF13.PacketOut(inPort: 2, actions: [.output(port: 3, maxLength: 0)], data: tagged), on: 1).get()) == nil)
        // A buffer it was never shown.
        if case .failure(let refused) = red.confine(OF13.PacketOut(bufferID: 7, inPort: 1, actions: [.output(port: 3, maxLength: 0)]), on: 1) {
            #expect(refused.type == .badRequest && refused.code == 8)
        } else {
            Issue.record("an unknown buffer was accepted")
        }
        #expect((try? red.confine(OF13.PacketOut(bufferID: 7, inPort: 1, actions: [.output(port: 3, maxLength: 0)]), on: 1, bufferIDs: [7]).get()) != nil)
        // Blue's own packet from the controller to its port, and to TABLE.
        let blueOut = OF13.PacketOut(actions: [.output(port: 2, maxLength: 0), .output(port: OF13.PortNumber.table, maxLength: 0)], data: slicedFrame())
        #expect((try? blue.confine(blueOut, on: 1).get()) == blueOut)
    }

    // MARK: PACKET_IN and ownership

    @Test func packetInsGoToTheNetworkWhosePortAndFlowspaceAdmitThem() {
        let redIn = OF13.PacketIn(match: .ordered([.inPort(1)]), data: slicedFrame(vlan: 10))
        #expect(red.admits(redIn, on: 1) && !blue.admits(redIn, on: 1))
        let blueIn = OF13.PacketIn(match: .ordered([.inPort(3)]), data: slicedFrame())
        #expect(blue.admits(blueIn, on: 1) && !red.admits(blueIn, on: 1))
        let stray = OF13.PacketIn(match: .ordered([.inPort(3)]), data: slicedFrame(source: "10.9.0.1"))
        #expect(!blue.admits(stray, on: 1) && !red.admits(stray, on: 1))
        let wrongPort = OF13.PacketIn(match: .ordered([.inPort(2)]), data: slicedFrame(vlan: 10))
        #expect(!red.admits(wrongPort, on: 1))
    }

    // MARK: Multipart

    @Test func flowStatsAreConfinedAndFiltered() throws {
        let request = OF13.MultipartRequest(body: .flow(OF13.FlowStatsRequest()))
        guard case .success(.forward(let sent, .flows)) = red.confine(request, on: 1),
            case .flow(let flows) = sent.body
        else { Issue.record("not forwarded"); return }
        #expect(Array(flows.match.fields) == [.vlanVid(Slices.redVID)])
        // Stats of blue's flows, asked by red: refused.
        let theirs = OF13.MultipartRequest(body: .flow(OF13.FlowStatsRequest(match: .ordered([.vlanVid(0)]))))
        if case .failure(let refused) = red.confine(theirs, on: 1) {
            #expect(refused.type == .badRequest && refused.code == 5)
        } else {
            Issue.record("red may read flows outside its flowspace")
        }
        // A reply holding both networks' entries keeps red's only.
        let redEntry = OF13.FlowStats(match: .ordered([.inPort(1), .vlanVid(Slices.redVID)]))
        let blueEntry = OF13.FlowStats(match: .ordered([.ethType(0x0800), .vlanVid(0), .ipv4Src(IPv4Address("10.2.0.1")!), .ipv4Dst(IPv4Address("10.2.0.2")!)]))
        let tableMiss = OF13.FlowStats(priority: 0, match: .all)
        let reply = OF13.MultipartReply(body: .flow([redEntry, blueEntry, tableMiss]))
        #expect(red.filter(reply, .flows, on: 1).body == .flow([redEntry]))
        #expect(blue.filter(reply, .flows, on: 1).body == .flow([blueEntry]))
    }

    @Test func aggregateIsAskedAsFlowStats() {
        let request = OF13.MultipartRequest(body: .aggregate(OF13.FlowStatsRequest()))
        guard case .success(.forward(let sent, .aggregateOfFlows)) = blue.confine(request, on: 2) else {
            Issue.record("not forwarded as flow stats")
            return
        }
        #expect(sent.type == .flow)
    }

    @Test func switchWideStateIsRefusedAndPortsAreCutDown() throws {
        for body: OF13.MultipartRequest.Body in [.groupDesc, .group(groupID: 1), .meterConfig(OF13.MeterRequest(meterID: 1))] {
            if case .success = red.confine(OF13.MultipartRequest(body: body), on: 1) { Issue.record("\(body) allowed") }
        }
        let ports = (1...4).map { SwitchPort(number: UInt32($0), name: "p\($0)", hardwareAddress: MACAddress(rawValue: UInt64($0))).of13 }
        guard case .success(.answer(let reply)) = red.confine(OF13.MultipartRequest(body: .portDesc), on: 1, switchPorts: ports),
            case .portDesc(let seen) = reply.body
        else { Issue.record("PORT_DESC not answered"); return }
        #expect(seen.map(\.portNumber) == [1, 3])
        if case .success = red.confine(OF13.MultipartRequest(body: .portStats(portNumber: 2)), on: 1) { Issue.record("port stats of blue's port") }
        guard case .success(.forward(_, .ports)) = red.confine(OF13.MultipartRequest(body: .portStats(portNumber: OF13.PortNumber.any)), on: 1) else {
            Issue.record("port stats of any port not filtered")
            return
        }
    }

    // MARK: Disjointness

    @Test func overlappingFlowspacesAreFound() {
        #expect(!Flowspace.vlan(10).overlaps(.vlan(20)))
        #expect(Flowspace.vlan(10).overlaps(.vlan(10)))
        #expect(!Flowspace.vlan(10).overlaps(.ipv4([IPv4Prefix("10.0.0.0/8")!])), "prefix networks are untagged")
        #expect(Flowspace.ipv4([IPv4Prefix("10.0.0.0/8")!]).overlaps(.ipv4([IPv4Prefix("10.2.0.0/16")!])))
        #expect(!Flowspace.ipv4([IPv4Prefix("10.1.0.0/16")!]).overlaps(.ipv4([IPv4Prefix("10.2.0.0/16")!])))
    }

    @Test func theErrorCarriesTheOffendingMessage() {
        let message = OpenFlowMessage.of13(.flowMod(addFlow([.vlanVid(0x1000 | 20)], [output(3)])), xid: 42)
        let error = SlicingViolation.flowModNotPermitted("x").errorMessage(about: message)
        var bytes = ByteBuffer()
        bytes.writeOpenFlowMessage(message)
        #expect(error.data == bytes.getSlice(at: 0, length: 64))
    }
}
