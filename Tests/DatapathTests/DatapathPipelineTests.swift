import NIOCore
import NetworkAddresses
import OpenFlow
import Packets
import Testing

@testable import Datapath

/// "Where does this packet go?" — flows installed with FLOW_MOD, real frames in.
@Suite struct DatapathPipelineTests {
    @Test func higherPriorityWinsAndMasksMatchPrefixes() {
        var dp = makeDatapath()
        dp.install(priority: 10, [], [apply(output(1))])
        dp.install(priority: 20, ipv4 + [.ipv4Dst(ip("10.0.0.0"), mask: ip("255.0.0.0"))], [apply(output(2))])
        dp.install(priority: 30, ipv4 + [.ipv4Dst(ip("10.1.0.0"), mask: ip("255.255.0.0"))], [apply(output(3))])
        #expect(dp.ports(of: udpFrame(dstIP: "10.1.2.3"), from: 4) == [3])
        #expect(dp.ports(of: udpFrame(dstIP: "10.2.2.3"), from: 4) == [2])
        #expect(dp.ports(of: udpFrame(dstIP: "11.0.0.1"), from: 4) == [1])
        #expect(dp.ports(of: arpFrame(), from: 4) == [1])
    }

    @Test func noMatchAndNoTableMissFlowDrops() {
        var dp = makeDatapath()
        dp.install([.inPort(1)], [apply(output(2))])
        #expect(dp.receive(packet: udpFrame(), inPort: 3, now: t0).isEmpty)
        #expect(dp.ports(of: udpFrame(), from: 1) == [2])
    }

    @Test func tableMissFlowSendsToControllerWithReasonNoMatch() throws {
        var dp = makeDatapath()
        dp.install(priority: 0, [], [apply(.output(port: OF13.PortNumber.controller, maxLength: 0xFFFF))], cookie: 9)
        let frame = udpFrame()
        let packetIns = dp.receive(packet: frame, inPort: 2, now: t0).packetIns
        let packetIn = try #require(packetIns.first)
        #expect(packetIns.count == 1)
        #expect(packetIn.reason == .noMatch)
        #expect(packetIn.inPort == 2)
        #expect(packetIn.bufferID == OF13.noBuffer)
        #expect(packetIn.cookie == 9)
        #expect(packetIn.data == frame)
        #expect(Int(packetIn.totalLength) == frame.readableBytes)
    }

    @Test func controllerOutputIsTruncatedToMaxLength() throws {
        var dp = makeDatapath()
        dp.install(table: 0, [.inPort(1)], [.gotoTable(3)])
        dp.install(table: 3, [], [apply(.output(port: OF13.PortNumber.controller, maxLength: 20))], cookie: 4)
        let frame = udpFrame(payload: 100)
        let packetIn = try #require(dp.receive(packet: frame, inPort: 1, now: t0).packetIns.first)
        #expect(packetIn.reason == .action)
        #expect(packetIn.tableID == 3)
        #expect(packetIn.data.readableBytes == 20)
        #expect(packetIn.data == frame.getSlice(at: 0, length: 20))
        #expect(Int(packetIn.totalLength) == frame.readableBytes)
    }

    @Test func gotoTableChainWithMetadata() {
        var dp = makeDatapath()
        dp.install(table: 0, [.inPort(1)], [.writeMetadata(0xA0, mask: 0xF0), .gotoTable(2)])
        dp.install(table: 0, [.inPort(2)], [.writeMetadata(0xB0, mask: 0xF0), .gotoTable(2)])
        dp.install(table: 2, [.metadata(0xA0, mask: 0xF0)], [.gotoTable(5)])
        dp.install(table: 2, [.metadata(0xB0, mask: 0xF0)], [apply(output(4))])
        dp.install(table: 5, [], [apply(output(3))])
        #expect(dp.ports(of: udpFrame(), from: 1) == [3])
        #expect(dp.ports(of: udpFrame(), from: 2) == [4])
        #expect(dp.ports(of: udpFrame(), from: 3) == [])
    }

    @Test func applyActionsRunNowWriteActionsAtTheEnd() throws {
        var dp = makeDatapath()
        // Table 0 sends the original out of 1, rewrites, and writes an output to 2 into the
        // action set; table 1 rewrites the port again and outputs to 3 at once.
        dp.install(
            table: 0, udp,
            [apply(output(1), .setField(.udpDst(1111))), write(output(2), .setField(.ipv4Dst(ip("9.9.9.9")))),
                .gotoTable(1)])
        dp.install(table: 1, [], [apply(.setField(.udpDst(2222)), output(3))])
        let outputs = dp.receive(packet: udpFrame(dstIP: "10.0.0.2", dstPort: 80), inPort: 4, now: t0)
        #expect(outputs.ports == [1, 3, 2])
        let frames = try outputs.frames.map(parseUDP)
        #expect(frames[0].udp.destinationPort == 80)
        #expect(frames[1].udp.destinationPort == 2222)
        #expect(frames[1].ip.destination == ip("10.0.0.2"))
        #expect(frames[2].udp.destinationPort == 2222)
        #expect(frames[2].ip.destination == ip("9.9.9.9"))
    }

    @Test func clearActionsEmptiesTheActionSet() {
        var dp = makeDatapath()
        dp.install(table: 0, [], [write(output(1)), .gotoTable(1)])
        dp.install(table: 1, [.inPort(2)], [.clearActions])
        dp.install(table: 1, [.inPort(3)], [write(output(4))])
        #expect(dp.ports(of: udpFrame(), from: 2) == [])
        #expect(dp.ports(of: udpFrame(), from: 3) == [4])
        #expect(dp.ports(of: udpFrame(), from: 4) == [])
    }

    @Test func reservedPorts() {
        var dp = makeDatapath(ports: 4)
        dp.install([.inPort(1)], [apply(output(OF13.PortNumber.flood))])
        dp.install([.inPort(2)], [apply(output(OF13.PortNumber.inPort))])
        dp.install([.inPort(3)], [apply(output(3), output(OF13.PortNumber.local), output(OF13.PortNumber.normal))])
        dp.install([.inPort(4)], [apply(output(OF13.PortNumber.all))])
        #expect(dp.ports(of: udpFrame(), from: 1) == [2, 3, 4])
        #expect(dp.ports(of: udpFrame(), from: 2) == [2])
        #expect(dp.ports(of: udpFrame(), from: 3) == [])
        #expect(dp.ports(of: udpFrame(), from: 4) == [1, 2, 3])
    }

    @Test func downAndNoForwardPortsDoNotSend() {
        var dp = makeDatapath(ports: 4)
        dp.install([.inPort(1)], [apply(output(OF13.PortNumber.flood))])
        _ = dp.setLink(3, up: false, now: t0)
        let port4 = dp.port(4)!
        _ = dp.send(.portMod(OF13.PortMod(portNumber: 4, hardwareAddress: port4.hardwareAddress, config: [.noFwd], mask: [.noFwd])))
        #expect(dp.ports(of: udpFrame(), from: 1) == [2])
    }

    @Test func vlanPushAndPopOnTheWay() throws {
        var dp = makeDatapath()
        dp.install(
            [.inPort(1)],
            [apply(.pushVLAN(ethertype: 0x8100), .setField(.vlanVid(0x1000 | 100)), output(2))])
        dp.install([.inPort(2), .vlanVid(0x1000 | 100)], [apply(.popVLAN, output(3))])
        let frame = udpFrame()
        let tagged = try #require(dp.receive(packet: frame, inPort: 1, now: t0).frames.first)
        #expect(try EthernetFrame(parsing: tagged).vlan?.vlanID == 100)
        let untagged = try #require(dp.receive(packet: tagged, inPort: 2, now: t0).frames.first)
        #expect(untagged == frame)
    }

    @Test func setFieldRewritesWithValidChecksums() throws {
        var dp = makeDatapath()
        dp.install(
            udp + [.ipv4Dst(ip("203.0.113.5"))],
            [apply(.setField(.ethDst(mac(0x99))), .setField(.ipv4Dst(ip("10.0.0.5"))), .setField(.udpDst(8080)),
                .decNwTTL, output(2))])
        let frame = try #require(dp.receive(packet: udpFrame(dstIP: "203.0.113.5", dstPort: 80, ttl: 64), inPort: 1, now: t0).frames.first)
        let parsed = try parseUDP(frame)
        #expect(parsed.ethernet.destination == mac(0x99))
        #expect(parsed.ip.destination == ip("10.0.0.5"))
        #expect(parsed.ip.timeToLive == 63)
        #expect(parsed.udp.destinationPort == 8080)
    }

    @Test func invalidTTLDropsOrGoesToTheController() throws {
        var dropping = makeDatapath()
        dropping.install([], [apply(.decNwTTL, output(2))])
        #expect(dropping.receive(packet: udpFrame(ttl: 1), inPort: 1, now: t0).isEmpty)
        #expect(dropping.ports(of: udpFrame(ttl: 2), from: 1) == [2])

        var reporting = makeDatapath(invalidTTLToController: true)
        reporting.install([], [apply(.decNwTTL, output(2))])
        let outputs = reporting.receive(packet: udpFrame(ttl: 1, payload: 300), inPort: 1, now: t0)
        #expect(outputs.ports == [])
        #expect(outputs.packetIns.map(\.reason) == [.invalidTTL])
        #expect(outputs.packetIns.first?.data.readableBytes == 128)  // miss_send_len
    }

    @Test func packetOutRunsActionsAndTableSendsThroughThePipeline() throws {
        var dp = makeDatapath()
        dp.install([.inPort(1)], [apply(output(4))])
        let frame = udpFrame()
        let direct = dp.send(.packetOut(OF13.PacketOut(inPort: OF13.PortNumber.controller, actions: [output(2), output(3)], data: frame)))
        #expect(direct.ports == [2, 3])
        #expect(direct.frames == [frame, frame])
        let viaTable = dp.send(.packetOut(OF13.PacketOut(inPort: 1, actions: [output(OF13.PortNumber.table)], data: frame)))
        #expect(viaTable.ports == [4])
        let flood = dp.send(.packetOut(OF13.PacketOut(inPort: 1, actions: [output(OF13.PortNumber.flood)], data: frame)))
        #expect(flood.ports == [2, 3, 4])
    }

    @Test func packetOutErrors() {
        var dp = makeDatapath()
        #expect(dp.send(.packetOut(OF13.PacketOut(bufferID: 5, actions: [output(1)]))).errorName == "OFPET_BAD_REQUEST/OFPBRC_BUFFER_UNKNOWN")
        #expect(dp.send(.packetOut(OF13.PacketOut(inPort: 99, actions: [output(1)]))).errorName == "OFPET_BAD_REQUEST/OFPBRC_BAD_PORT")
        #expect(dp.send(.packetOut(OF13.PacketOut(actions: [.group(5)]))).errorName == "OFPET_BAD_ACTION/OFPBAC_BAD_OUT_GROUP")
    }

    @Test func setQueueIsRecordedOnTheOutput() {
        var dp = makeDatapath()
        dp.install([], [apply(.setQueue(3), output(2))])
        #expect(dp.receive(packet: udpFrame(), inPort: 1, now: t0) == [.packet(udpFrame(), port: 2, queue: 3)])
    }

    @Test func framesFromUnknownOrNoReceivePortsAreDropped() {
        var dp = makeDatapath()
        dp.install([], [apply(output(2))])
        #expect(dp.receive(packet: udpFrame(), inPort: 77, now: t0).isEmpty)
        let port1 = dp.port(1)!
        _ = dp.send(.portMod(OF13.PortMod(portNumber: 1, hardwareAddress: port1.hardwareAddress, config: [.noRecv], mask: [.noRecv])))
        #expect(dp.receive(packet: udpFrame(), inPort: 1, now: t0).isEmpty)
        #expect(dp.portStatistics(1)?.rxDropped == 1)
    }

    @Test func meterInstructionCountsButDoesNotPolice() {
        var dp = makeDatapath()
        #expect(dp.send(.meterMod(OF13.MeterMod(meterID: 1))).isEmpty)
        dp.install([], [.meter(1), apply(output(2))])
        for _ in 0..<3 { #expect(dp.ports(of: udpFrame(), from: 1) == [2]) }
        #expect(dp.meters[1]?.packetCount == 3)
        #expect(dp.send(flowModMessage(priority: 5, [], [.meter(9)])).errorName == "OFPET_METER_MOD_FAILED/OFPMMFC_UNKNOWN_METER")
    }

    @Test func theExactMatchCacheNeverChangesTheAnswer() {
        for cache in [0, 2, 4096] {
            var dp = makeDatapath(cache: cache)
            dp.install(priority: 1, [], [apply(output(1))])
            #expect(dp.ports(of: udpFrame(dstPort: 5), from: 2) == [1])
            dp.install(priority: 9, udp + [.udpDst(5)], [apply(output(3))])
            #expect(dp.ports(of: udpFrame(dstPort: 5), from: 2) == [3])
            #expect(dp.ports(of: udpFrame(dstPort: 6), from: 2) == [1])
            _ = dp.send(flowModMessage(command: .deleteStrict, priority: 9, udp + [.udpDst(5)]))
            #expect(dp.ports(of: udpFrame(dstPort: 5), from: 2) == [1])
        }
    }
}
