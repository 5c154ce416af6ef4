import OpenFlow
import Testing

@testable import Datapath

@Suite struct ActionSetTests {
    @Test func executesInTheSpecOrderWhateverTheWriteOrder() throws {
        var set = ActionSet()
        set.write([.output(port: 2, maxLength: 0), .setQueue(3), .setField(try FieldWrite(.ipv4Dst(ip("1.2.3.4")))),
            .decNwTTL, .pushVLAN(ethertype: 0x8100), .popVLAN])
        #expect(
            set.orderedActions == [
                .popVLAN, .pushVLAN(ethertype: 0x8100), .decNwTTL, .setField(try FieldWrite(.ipv4Dst(ip("1.2.3.4")))),
                .setQueue(3), .output(port: 2, maxLength: 0),
            ])
    }

    @Test func aLaterWriteReplacesTheActionOfItsType() throws {
        var set = ActionSet()
        set.write([.output(port: 1, maxLength: 0), .setField(try FieldWrite(.udpDst(1)))])
        set.write([.output(port: 2, maxLength: 0), .setField(try FieldWrite(.udpDst(2))),
            .setField(try FieldWrite(.udpSrc(9)))])
        #expect(
            set.orderedActions == [
                .setField(try FieldWrite(.udpDst(2))), .setField(try FieldWrite(.udpSrc(9))),
                .output(port: 2, maxLength: 0),
            ])
    }

    @Test func groupTakesPrecedenceOverOutput() {
        var set = ActionSet()
        set.write([.output(port: 1, maxLength: 0), .group(7)])
        #expect(set.orderedActions == [.group(7)])
        #expect(!set.isEmpty)
        #expect(ActionSet().isEmpty)
    }

    @Test func writeActionsRefusesTwoOfAType() {
        #expect(throws: DatapathError.self) {
            try ActionSet.checkWritable([.output(port: 1, maxLength: 0), .output(port: 2, maxLength: 0)])
        }
        #expect(throws: Never.self) {
            try ActionSet.checkWritable([
                .setField(try FieldWrite(.udpDst(1))), .setField(try FieldWrite(.udpSrc(2))),
            ])
        }
    }
}
