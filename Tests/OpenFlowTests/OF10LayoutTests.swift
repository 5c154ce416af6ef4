import NIOCore
import NetworkAddresses
import Testing

@testable import OpenFlow

/// Sizes and field offsets checked by hand against the structs of spec 1.0.0, and bytes made by
/// Open vSwitch (`ovs-ofctl -O OpenFlow10 -mmmmm parse-flow ...`, OVS 3.1.0) decoded and
/// re-encoded.
@Suite struct OF10LayoutTests {
    func encode(_ message: OF10.Message) -> [UInt8] {
        Array(OpenFlowMessage.of10(message, xid: 1).encoded.readableBytesView)
    }

    func hex(_ bytes: some Sequence<UInt8>) -> String { HexBytes.format(bytes) }

    // MARK: Bytes from Open vSwitch

    @Test func openVSwitchFlowModWithPrefixAndControllerOutput() throws {
        // parse-flow "in_port=1,ip,nw_src=10.0.0.0/8,actions=output:2,CONTROLLER:128"
        let ovs = of10Hex(
            """
            01 0e 00 58 00 00 00 01 00 38 18 ee 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 08 00
            00 00 00 00 0a 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 80 00
            ff ff ff ff ff ff 00 00 00 00 00 08 00 02 00 00 00 00 00 08 ff fd 00 80
            """)
        let expected = OpenFlowMessage.of10(
            .flowMod(OF10.FlowMod(
                match: OF10.Match(inPort: 1, dlType: 0x0800, nwSrc: IPv4Address(10, 0, 0, 0), nwSrcPrefixLength: 8),
                actions: [.output(port: 2), .output(port: OF10.PortNumber.controller, maxLength: 128)])),
            xid: 1)
        let decoded = try OpenFlowMessage(decoding: ovs)
        #expect(decoded == expected)
        #expect(expected.encoded == ovs)
        guard case .of10(.flowMod(let flowMod), _) = decoded else { Issue.record("not a flow mod"); return }
        #expect(flowMod.match.wildcards.rawValue == 0x0038_18EE)
        #expect(flowMod.match.nwSrcPrefixLength == 8)
        #expect(flowMod.match.nwDstPrefixLength == 0)
        #expect(flowMod.match.description == "in_port=1,dl_type=0x800,nw_src=10.0.0.0/8")
        #expect(flowMod.actions.description == "[output:2, CONTROLLER:128]")
    }

    @Test func openVSwitchFlowModWithVLANAndEnqueue() throws {
        // parse-flow "priority=100,udp,in_port=1,dl_vlan=10,nw_src=10.0.0.0/24,tp_dst=5001,
        //   actions=mod_vlan_vid:20,mod_nw_tos:40,enqueue:2:3,output:3,CONTROLLER:128"
        let ovs = of10Hex(
            """
            01 0e 00 78 00 00 00 01 00 38 08 4c 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 0a 00 00 08 00
            00 11 00 00 0a 00 00 00 00 00 00 00 00 00 13 89 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 64
            ff ff ff ff ff ff 00 00 00 01 00 08 00 14 00 00 00 08 00 08 28 00 00 00 00 0b 00 10 00 02 00 00
            00 00 00 00 00 00 00 03 00 00 00 08 00 03 00 00 00 00 00 08 ff fd 00 80
            """)
        let expected = OpenFlowMessage.of10(
            .flowMod(OF10.FlowMod(
                match: OF10.Match(
                    inPort: 1, dlVLAN: 10, dlType: 0x0800, nwProto: 17, nwSrc: IPv4Address(10, 0, 0, 0),
                    nwSrcPrefixLength: 24, tpDst: 5001),
                priority: 100,
                actions: [
                    .setVLANVID(20), .setNwTOS(40), .enqueue(port: 2, queueID: 3), .output(port: 3),
                    .output(port: OF10.PortNumber.controller, maxLength: 128),
                ])),
            xid: 1)
        #expect(try OpenFlowMessage(decoding: ovs) == expected)
        #expect(expected.encoded == ovs)
    }

    @Test func openVSwitchFlowModMatchingUntaggedARP() throws {
        // parse-flow "dl_vlan=0xffff,arp,actions=strip_vlan,mod_dl_src:00:11:22:33:44:55,mod_tp_src:80,NORMAL"
        let ovs = of10Hex(
            """
            01 0e 00 70 00 00 00 01 00 28 20 ed 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ff ff 00 00 08 06
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 80 00
            ff ff ff ff ff ff 00 00 00 03 00 08 00 00 00 00 00 04 00 10 00 11 22 33 44 55 00 00 00 00 00 00
            00 09 00 08 00 50 00 00 00 00 00 08 ff fa 00 00
            """)
        let decoded = try OpenFlowMessage(decoding: ovs)
        #expect(decoded.encoded == ovs)
        guard case .of10(.flowMod(let flowMod), _) = decoded else { Issue.record("not a flow mod"); return }
        // OVS matches dl_vlan_pcp=0 along with dl_vlan: the wildcards are 0x002820ed.
        #expect(flowMod.match.wildcards.rawValue == 0x0028_20ED)
        #expect(!flowMod.match.isWildcarded(.dlVLAN))
        #expect(!flowMod.match.isWildcarded(.dlVLANPCP))
        #expect(flowMod.match.dlVLAN == OF10.Match.vlanNone)
        #expect(flowMod.match.description == "dl_vlan=none,dl_vlan_pcp=0,dl_type=0x806")
        #expect(
            flowMod.actions.elements == [
                .stripVLAN, .setDLSrc(MACAddress(0x00, 0x11, 0x22, 0x33, 0x44, 0x55)), .setTpSrc(80),
                .output(port: OF10.PortNumber.normal),
            ])
        #expect(flowMod.actions.description == "[strip_vlan, mod_dl_src:00:11:22:33:44:55, mod_tp_src:80, NORMAL]")
    }

    // MARK: Hand-checked layouts

    @Test func matchIsFortyBytesWithFieldsAtTheirOffsets() {
        var buffer = ByteBuffer()
        let match = OF10.Match(
            wildcards: OF10.Match.Wildcards(rawValue: 0x0102_0304), inPort: 0x0506,
            dlSrc: MACAddress(0x11, 0x12, 0x13, 0x14, 0x15, 0x16), dlDst: MACAddress(0x21, 0x22, 0x23, 0x24, 0x25, 0x26),
            dlVLAN: 0x3132, dlVLANPCP: 0x33, dlType: 0x3435, nwTOS: 0x36, nwProto: 0x37,
            nwSrc: IPv4Address(0x41, 0x42, 0x43, 0x44), nwDst: IPv4Address(0x51, 0x52, 0x53, 0x54), tpSrc: 0x6162,
            tpDst: 0x6364)
        #expect(match.write(to: &buffer) == 40)
        #expect(
            hex(buffer.readableBytesView)
                == "01020304" + "0506" + "111213141516" + "212223242526" + "3132" + "33" + "00" + "3435" + "36" + "37"
                + "0000" + "41424344" + "51525354" + "6162" + "6364")
    }

    @Test func flowModIsSeventyTwoBytesPlusActions() {
        let plain = encode(.flowMod(OF10.FlowMod()))
        #expect(plain.count == 72)
        let withActions = encode(
            .flowMod(OF10.FlowMod(cookie: 0x0102_0304_0506_0708, command: .modifyStrict, idleTimeout: 0x0a0b,
                hardTimeout: 0x0c0d, priority: 0x0e0f, bufferID: 0x1011_1213, outPort: 0x1415,
                flags: [.sendFlowRemoved, .emergency], actions: [.output(port: 1), .setDLDst(.broadcast)])))
        #expect(withActions.count == 72 + 8 + 16)
        // After header (8) and match (40): cookie, command, idle, hard, priority, buffer_id, out_port, flags.
        #expect(
            hex(withActions[48..<72]) == "0102030405060708" + "0002" + "0a0b" + "0c0d" + "0e0f" + "10111213" + "1415"
                + "0005")
        #expect(hex(withActions[72...]) == "0000000800010000" + "00050010ffffffffffff000000000000")
    }

    @Test func everyActionHasItsSpecLength() throws {
        let expected: [(OF10.Action, String)] = [
            (.output(port: 3, maxLength: 64), "0000000800030040"),
            (.setVLANVID(0x123), "0001000801230000"),
            (.setVLANPCP(7), "0002000807000000"),
            (.stripVLAN, "0003000800000000"),
            (.setDLSrc(MACAddress(1, 2, 3, 4, 5, 6)), "00040010010203040506000000000000"),
            (.setDLDst(MACAddress(1, 2, 3, 4, 5, 6)), "00050010010203040506000000000000"),
            (.setNwSrc(IPv4Address(10, 0, 0, 1)), "000600080a000001"),
            (.setNwDst(IPv4Address(10, 0, 0, 2)), "000700080a000002"),
            (.setNwTOS(0xb8), "00080008b8000000"),
            (.setTpSrc(53), "0009000800350000"),
            (.setTpDst(443), "000a000801bb0000"),
            (.enqueue(port: 2, queueID: 9), "000b0010000200000000000000000009"),
            (.vendor(id: 0x2320, body: of10Hex("0001000500000000")), "ffff0010000023200001000500000000"),
            (.unknown(type: 0x40, body: of10Hex("01020304")), "0040000801020304"),
        ]
        for (action, encoding) in expected {
            var buffer = ByteBuffer()
            let length = action.write(to: &buffer)
            #expect(hex(buffer.readableBytesView) == encoding, "\(action)")
            #expect(length == buffer.readableBytes)
            var reader = WireReader(buffer, message: "test")
            #expect(try OF10.Action.read(from: &reader) == action)
            #expect(reader.isEmpty)
        }
    }

    @Test func physicalPortIsFortyEightBytes() {
        let port = OF10.PhysicalPort(
            portNumber: 0x0102, hardwareAddress: MACAddress(0x11, 0x12, 0x13, 0x14, 0x15, 0x16),
            name: "a-very-long-port-name", config: OF10.PhysicalPort.Config(rawValue: 0x21),
            state: OF10.PhysicalPort.State(rawValue: 0x201), current: OF10.PhysicalPort.Features(rawValue: 0x31),
            advertised: OF10.PhysicalPort.Features(rawValue: 0x32), supported: OF10.PhysicalPort.Features(rawValue: 0x33),
            peer: OF10.PhysicalPort.Features(rawValue: 0x34))
        var buffer = ByteBuffer()
        #expect(port.write(to: &buffer) == 48)
        #expect(buffer.readableBytes == 48)
        // The name is cut to 15 bytes so that one NUL remains.
        #expect(
            hex(buffer.readableBytesView)
                == "0102" + "111213141516" + hex("a-very-long-por".utf8) + "00" + "00000021" + "00000201" + "00000031"
                + "00000032" + "00000033" + "00000034")
        #expect(port.state.stp == .forward)
        #expect(port.state.contains(.linkDown))
        let features = encode(.featuresReply(OF10.FeaturesReply(datapathID: 1, ports: [port, port])))
        #expect(features.count == 32 + 2 * 48)
        #expect(encode(.portStatus(OF10.PortStatus(reason: .add, port: port))).count == 64)
    }

    @Test func fixedMessageSizes() {
        #expect(encode(.getConfigReply(OF10.SwitchConfig())).count == 12)
        #expect(encode(.portMod(OF10.PortMod(portNumber: 1, hardwareAddress: .zero, config: [], mask: []))).count == 32)
        #expect(encode(.flowRemoved(OF10.FlowRemoved(match: .all, priority: 1, reason: .hardTimeout))).count == 88)
        #expect(encode(.packetIn(OF10.PacketIn(inPort: 1, data: ByteBuffer()))).count == 18)
        #expect(encode(.packetOut(OF10.PacketOut(actions: []))).count == 16)
        #expect(encode(.queueGetConfigRequest(OF10.QueueGetConfigRequest(portNumber: 1))).count == 12)
        #expect(encode(.queueGetConfigReply(OF10.QueueGetConfigReply(portNumber: 1))).count == 16)
        #expect(encode(.statsRequest(OF10.StatsRequest(.desc))).count == 12)
        #expect(encode(.statsRequest(OF10.StatsRequest(.flow(OF10.FlowStatsRequest())))).count == 12 + 44)
        #expect(encode(.statsRequest(OF10.StatsRequest(.port(OF10.PortStatsRequest())))).count == 12 + 8)
        #expect(encode(.statsRequest(OF10.StatsRequest(.queue(OF10.QueueStatsRequest())))).count == 12 + 8)
        #expect(encode(.statsReply(OF10.StatsReply(.desc(OF10.DescStats())))).count == 12 + 1056)
        #expect(encode(.statsReply(OF10.StatsReply(.aggregate(OF10.AggregateStats())))).count == 12 + 24)
        #expect(encode(.statsReply(OF10.StatsReply(.table([OF10.TableStats(tableID: 0, name: "t")])))).count == 12 + 64)
        #expect(encode(.statsReply(OF10.StatsReply(.port([OF10.PortStats(portNumber: 1)])))).count == 12 + 104)
        #expect(encode(.statsReply(OF10.StatsReply(.queue([OF10.QueueStats(portNumber: 1, queueID: 1)])))).count == 12 + 32)
    }

    @Test func packetInLayout() {
        let message = encode(
            .packetIn(OF10.PacketIn(bufferID: 0x0102_0304, totalLength: 0x0506, inPort: 0x0708, reason: .action,
                data: of10Hex("aabb"))))
        #expect(hex(message[8...]) == "01020304" + "0506" + "0708" + "01" + "00" + "aabb")
    }

    @Test func packetOutLayout() {
        let message = encode(
            .packetOut(OF10.PacketOut(bufferID: OF10.noBuffer, inPort: 3, actions: [.output(port: OF10.PortNumber.inPort)],
                data: of10Hex("ccdd"))))
        #expect(hex(message[8...]) == "ffffffff" + "0003" + "0008" + "00000008fff80000" + "ccdd")
    }

    @Test func flowStatsIsEightyEightBytesPlusActions() {
        let entry = OF10.FlowStats(
            tableID: 2, match: .all, durationSec: 0x11, durationNsec: 0x22, priority: 0x33, idleTimeout: 0x44,
            hardTimeout: 0x55, cookie: 0x66, packetCount: 0x77, byteCount: 0x88,
            actions: [.output(port: 1), .stripVLAN])
        var buffer = ByteBuffer()
        #expect(entry.write(to: &buffer) == 88 + 16)
        let wire = Array(buffer.readableBytesView)
        #expect(wire.count == 104)
        #expect(hex(wire[0..<4]) == "0068" + "02" + "00")
        #expect(
            hex(wire[44..<88]) == "00000011" + "00000022" + "0033" + "0044" + "0055" + "000000000000"
                + "0000000000000066" + "0000000000000077" + "0000000000000088")
    }

    @Test func tablePortQueueStatsLayouts() {
        var buffer = ByteBuffer()
        OF10.TableStats(
            tableID: 1, name: "main", wildcards: OF10.Match.Wildcards(rawValue: 0x3f_ffff), maxEntries: 2,
            activeCount: 3, lookupCount: 4, matchedCount: 5
        ).write(to: &buffer)
        #expect(
            hex(buffer.readableBytesView)
                == "01000000" + hex("main".utf8) + String(repeating: "00", count: 28) + "003fffff" + "00000002"
                + "00000003" + "0000000000000004" + "0000000000000005")
        buffer.clear()
        OF10.QueueStats(portNumber: 1, queueID: 2, txBytes: 3, txPackets: 4, txErrors: 5).write(to: &buffer)
        #expect(
            hex(buffer.readableBytesView)
                == "0001" + "0000" + "00000002" + "0000000000000003" + "0000000000000004" + "0000000000000005")
        buffer.clear()
        OF10.PortStats(portNumber: 9, rxPackets: 1, collisions: 12).write(to: &buffer)
        let wire = Array(buffer.readableBytesView)
        #expect(hex(wire[0..<16]) == "0009000000000000" + "0000000000000001")
        #expect(hex(wire[96..<104]) == "000000000000000c")
    }

    @Test func queueConfigLayout() {
        let message = encode(
            .queueGetConfigReply(OF10.QueueGetConfigReply(
                portNumber: 2, queues: [OF10.PacketQueue(queueID: 7, properties: [.minRate(250)])])))
        #expect(
            hex(message[8...]) == "0002000000000000" + "00000007" + "0018" + "0000" + "0001" + "0010" + "00000000"
                + "00fa" + "000000000000")
    }

    @Test func errorCodesAreNamed() {
        let error = OF10.ErrorMessage(type: .flowModFailed, code: OF10.ErrorMessage.FlowModFailedCode.badCommand)
        #expect(error.type.description == "OFPET_FLOW_MOD_FAILED")
        #expect(error.codeName == "OFPFMFC_BAD_COMMAND")
        #expect(OF10.ErrorMessage(type: .queueOpFailed, code: 2).codeName == "OFPQOFC_EPERM")
        #expect(OF10.ErrorMessage(type: .badRequest, code: 8).codeName == "OFPBRC_BUFFER_UNKNOWN")
        #expect(OF10.ErrorMessage(type: .badAction, code: 8).codeName == "OFPBAC_BAD_QUEUE")
        #expect(OF10.ErrorMessage(type: .helloFailed, code: 0).codeName == "OFPHFC_INCOMPATIBLE")
        #expect(OF10.ErrorMessage(type: .portModFailed, code: 1).codeName == "OFPPMFC_BAD_HW_ADDR")
        #expect(OF10.ErrorMessage(type: .badRequest, code: 99).codeName == "99")
        #expect(OF10.ErrorMessage.ErrorType(rawValue: 0xB0C2).description == "OFPET_45250")
    }
}
