import NIOCore
import NetworkAddresses
import Testing

@testable import OpenFlow

@Suite struct OF10MatchTests {
    @Test func matchAllIsEncodedAsOpenVSwitchDoes() {
        #expect(OF10.Match.all.wildcards.rawValue == 0x0038_20FF)
        #expect(OF10.Match.all.nwSrcPrefixLength == 0)
        #expect(OF10.Match.all.nwDstPrefixLength == 0)
        #expect(OF10.Match.all.description == "any")
        #expect(OF10.Match.Wildcards.all.rawValue == 0x003F_FFFF)
    }

    @Test func initializerWildcardsWhatIsLeftOut() {
        let match = OF10.Match(inPort: 3, dlType: 0x0806)
        #expect(!match.isWildcarded(.inPort))
        #expect(!match.isWildcarded(.dlType))
        for field: OF10.Match.Wildcards in [.dlSrc, .dlDst, .dlVLAN, .dlVLANPCP, .nwTOS, .nwProto, .tpSrc, .tpDst] {
            #expect(match.isWildcarded(field))
        }
        #expect(match.wildcards.nwSrcBits == 32)
        #expect(match.wildcards.nwDstBits == 32)
        #expect(match.wildcards.rawValue == 0x0038_20EE)
    }

    @Test(arguments: [0, 1, 8, 16, 24, 31, 32])
    func prefixLengthsRoundTripThroughTheWildcardCounts(length: Int) throws {
        let match = OF10.Match(
            nwSrc: IPv4Address(192, 168, 255, 255), nwSrcPrefixLength: length, nwDst: IPv4Address(10, 20, 30, 40),
            nwDstPrefixLength: length)
        #expect(match.nwSrcPrefixLength == length)
        #expect(match.nwDstPrefixLength == length)
        #expect(match.wildcards.nwSrcBits == 32 - length)
        #expect(match.wildcards.nwDstBits == 32 - length)
        // Host bits are cleared.
        #expect(match.nwSrc.rawValue & ~IPv4Address.mask(prefixLength: length).rawValue == 0)
        var buffer = ByteBuffer()
        match.write(to: &buffer)
        var reader = WireReader(buffer, message: "test")
        #expect(try OF10.Match.read(from: &reader) == match)
    }

    @Test func prefixLengthsAreClamped() {
        let match = OF10.Match(nwSrc: IPv4Address(1, 2, 3, 4), nwSrcPrefixLength: 40, nwDst: .any, nwDstPrefixLength: -3)
        #expect(match.nwSrcPrefixLength == 32)
        #expect(match.nwDstPrefixLength == 0)
    }

    /// Counts above 32 (up to 63, as in `OFPFW_ALL`) also ignore the whole address.
    @Test func wildcardCountsAboveThirtyTwoIgnoreTheAddress() {
        var wildcards = OF10.Match.Wildcards.all
        #expect(wildcards.nwSrcBits == 63)
        #expect(wildcards.nwDstBits == 63)
        let match = OF10.Match(
            wildcards: wildcards, inPort: 0, dlSrc: .zero, dlDst: .zero, dlVLAN: 0, dlVLANPCP: 0, dlType: 0, nwTOS: 0,
            nwProto: 0, nwSrc: IPv4Address(1, 1, 1, 1), nwDst: .any, tpSrc: 0, tpDst: 0)
        #expect(match.nwSrcPrefixLength == 0)
        #expect(match.description == "any")
        wildcards.nwSrcBits = 100
        #expect(wildcards.nwSrcBits == 63)
        wildcards.nwDstBits = 8
        #expect(wildcards.rawValue == OF10.Match.Wildcards.all.rawValue & ~(0x3F << 14) | 8 << 14)
        // The one-bit flags are untouched by the counts.
        #expect(wildcards.isSuperset(of: [.inPort, .dlVLANPCP, .nwTOS, .tpDst]))
    }

    /// A switch other than Open vSwitch may leave values in wildcarded fields: they are kept.
    @Test func wildcardedFieldsKeepTheirBytes() throws {
        let wire = of10Hex(
            """
            00 3f ff ff 00 07 aa aa aa aa aa aa bb bb bb bb bb bb 00 64 05 00 08 00 10 06 00 00
            0a 00 00 01 0a 00 00 02 00 16 00 50
            """)
        var reader = WireReader(wire, message: "test")
        let match = try OF10.Match.read(from: &reader)
        #expect(match.description == "any")
        #expect(match.inPort == 7)
        #expect(match.dlVLAN == 100)
        #expect(match.nwSrc == IPv4Address(10, 0, 0, 1))
        #expect(match.tpDst == 80)
        var buffer = ByteBuffer()
        match.write(to: &buffer)
        #expect(buffer == wire)
    }

    @Test func descriptionListsTheMatchedFields() {
        let match = OF10.Match(
            inPort: OF10.PortNumber.local, dlSrc: MACAddress(0, 0, 0, 0, 0, 1), dlVLAN: 5, dlType: 0x0800, nwTOS: 4,
            nwProto: 6, nwSrc: IPv4Address(10, 0, 0, 0), nwSrcPrefixLength: 8, nwDst: IPv4Address(10, 0, 0, 9),
            tpSrc: 1, tpDst: 2)
        #expect(
            match.description
                == "in_port=LOCAL,dl_src=00:00:00:00:00:01,dl_vlan=5,dl_type=0x800,nw_tos=4,nw_proto=6,nw_src=10.0.0.0/8,nw_dst=10.0.0.9,tp_src=1,tp_dst=2"
        )
    }

    @Test func truncatedMatchNamesTheField() {
        let wire = of10Hex("00 3f ff ff 00 07 aa aa aa aa aa aa bb bb bb bb bb bb 00 64 05 00")
        do {
            var reader = WireReader(wire, base: 8, message: "OFPT_FLOW_MOD")
            _ = try OF10.Match.read(from: &reader)
            Issue.record("a 22-byte match decoded")
        } catch {
            #expect(error.kind == .truncated)
            #expect(error.field == "match.dl_type")
            #expect(error.offset == 8 + 22)
        }
    }
}
