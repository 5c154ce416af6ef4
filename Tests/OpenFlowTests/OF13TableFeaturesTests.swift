import NIOCore
import Testing

@testable import OpenFlow

@Suite struct OF13TableFeaturesTests {
    static let instructionIDs: WireList<OF13.FeatureID> = WireList((1...6).map { OF13.FeatureID(type: $0) })
    static let actionIDs: WireList<OF13.FeatureID> = [OF13.FeatureID(type: 0), OF13.FeatureID(type: 22)]
    static let matchIDs: WireList<OF13.OXMID> = [
        OF13.OXMID(basicField: 0, length: 4),  // in_port
        OF13.OXMID(basicField: 3, length: 6),  // eth_dst
        OF13.OXMID(basicField: 5, length: 2),  // eth_type
        OF13.OXMID(basicField: 12, length: 4, hasMask: true),  // ipv4_dst/mask
    ]

    static let table0 = OF13.TableFeatures(
        tableID: 0, name: "classifier", metadataMatch: UInt64.max, metadataWrite: UInt64.max, maxEntries: 1_000_000,
        properties: [
            .instructions(instructionIDs),
            .instructions(instructionIDs, miss: true),
            .nextTables([1, 2, 3]),
            .nextTables([1], miss: true),
            .writeActions(actionIDs),
            .applyActions(actionIDs),
            .applyActions(actionIDs, miss: true),
            .match(matchIDs),
            .wildcards(matchIDs),
            .writeSetField([OF13.OXMID(basicField: 3, length: 6)]),
            .applySetField([OF13.OXMID(basicField: 3, length: 6)]),
            .applySetField([OF13.OXMID(basicField: 3, length: 6)], miss: true),
            .experimenter(id: 0x2320, type: 1, data: ByteBuffer(bytes: [0, 0, 0, 1])),
        ])

    static let reply = OpenFlowMessage.of13(
        .multipartReply(
            OF13.MultipartReply(
                flags: [.replyMore],
                body: .tableFeatures([table0, OF13.TableFeatures(tableID: 1, name: "last", maxEntries: 10)]))),
        xid: 80)

    static let request = OpenFlowMessage.of13(
        .multipartRequest(OF13.MultipartRequest(body: .tableFeatures([table0]))), xid: 81)

    static let query = OpenFlowMessage.of13(.multipartRequest(OF13.MultipartRequest(body: .tableFeatures([]))), xid: 82)

    @Test(arguments: [("table_features_reply", reply), ("table_features_request", request), ("table_features_query", query)])
    func roundTrips(name: String, message: OpenFlowMessage) throws {
        let bytes = try OF13Check.roundTrip(message, name: name)
        #expect(bytes.readableBytes % 8 == 0)
    }

    /// `ofp_table_features` is 64 bytes plus its properties, each padded to 8 bytes that its
    /// `length` does not count.
    @Test func layoutMatchesTheSpec() throws {
        let bytes = Self.reply.encoded
        #expect(OF13Check.u16(bytes, 8) == 12)  // OFPMP_TABLE_FEATURES
        let entry = 16
        #expect(bytes.getInteger(at: entry + 2, as: UInt8.self) == 0)  // table_id
        #expect(bytes.getString(at: entry + 8, length: 10) == "classifier")
        #expect(bytes.getInteger(at: entry + 40, as: UInt64.self) == UInt64.max)  // metadata_match
        #expect(OF13Check.u32(bytes, entry + 60) == 1_000_000)  // max_entries
        // First property: OFPTFPT_INSTRUCTIONS, 4 + 6 × 4 = 28 bytes, padded to 32.
        var offset = entry + 64
        #expect(OF13Check.u16(bytes, offset) == 0)
        #expect(OF13Check.u16(bytes, offset + 2) == 28)
        #expect(OF13Check.u16(bytes, offset + 4) == 1)  // OFPIT_GOTO_TABLE
        #expect(OF13Check.u16(bytes, offset + 6) == 4)  // its len
        offset += 32
        #expect(OF13Check.u16(bytes, offset) == 1)  // OFPTFPT_INSTRUCTIONS_MISS
        offset += 32
        // OFPTFPT_NEXT_TABLES: 4 + 3 = 7, padded to 8.
        #expect(OF13Check.u16(bytes, offset) == 2)
        #expect(OF13Check.u16(bytes, offset + 2) == 7)
        #expect(bytes.getInteger(at: offset + 4, as: UInt8.self) == 1)
        #expect(bytes.getInteger(at: offset + 7, as: UInt8.self) == 0)  // padding
        offset += 8
        #expect(OF13Check.u16(bytes, offset) == 3)  // OFPTFPT_NEXT_TABLES_MISS, 5 padded to 8
        #expect(OF13Check.u16(bytes, offset + 2) == 5)
        offset += 8
        // OFPTFPT_WRITE_ACTIONS: 4 + 2 × 4 = 12, padded to 16.
        #expect(OF13Check.u16(bytes, offset) == 4)
        #expect(OF13Check.u16(bytes, offset + 2) == 12)
        #expect(OF13Check.u16(bytes, offset + 8) == 22)  // OFPAT_GROUP
        offset += 16 * 3
        // OFPTFPT_MATCH: 4 + 4 × 4 = 20, padded to 24; OXM headers as 32-bit words.
        #expect(OF13Check.u16(bytes, offset) == 8)
        #expect(OF13Check.u16(bytes, offset + 2) == 20)
        #expect(OF13Check.u32(bytes, offset + 4) == 0x8000_0004)
        #expect(OF13Check.u32(bytes, offset + 16) == 0x8000_1904)
        offset += 24 * 2 + 8 * 3  // match, wildcards, then three one-field set-field properties
        // OFPTFPT_EXPERIMENTER: 4 + 4 + 4 + 4 = 16.
        #expect(OF13Check.u16(bytes, offset) == 0xFFFE)
        #expect(OF13Check.u16(bytes, offset + 2) == 16)
        offset += 16
        #expect(OF13Check.u16(bytes, entry) == UInt16(offset - entry))  // table_features.length
        #expect(OF13Check.u16(bytes, offset) == 64)  // the second table has no properties
        #expect(bytes.readableBytes == offset + 64)
    }

    @Test func unknownPropertiesAndExperimenterIDsAreKept() throws {
        let table = OF13.TableFeatures(
            tableID: 3,
            properties: [
                .unknown(type: 9, body: ByteBuffer(bytes: [1, 2, 3])),
                .instructions([OF13.FeatureID(experimenter: 0x2320)]),
                .match([OF13.OXMID(header: 0xFFFF_0004, experimenter: 0x4F4E_4600)]),
            ])
        let message = OpenFlowMessage.of13(.multipartReply(OF13.MultipartReply(body: .tableFeatures([table]))), xid: 83)
        try OF13Check.roundTrip(message, name: "table_features_unknown")
        guard case .of13(.multipartReply(let reply), _) = try OpenFlowMessage(decoding: message.encoded),
            case .tableFeatures(let tables) = reply.body, let decoded = tables.elements.first
        else {
            Issue.record("not a table features reply")
            return
        }
        #expect(decoded.properties.elements == table.properties.elements)
    }

    @Test func tableFeaturesLengthTooShortThrows() throws {
        var bytes = Self.reply.encoded
        bytes.setInteger(UInt16(32), at: 16)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .badLength)
        #expect(error.field == "table_features.length")
        #expect(error.offset == 18)
    }

    @Test func propertyLengthPastItsTableThrows() throws {
        var bytes = Self.reply.encoded
        bytes.setInteger(UInt16(0x2000), at: 16 + 64 + 2)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .truncated)
        #expect(error.field == "table_feature_prop")
    }

    @Test func propertyLengthShorterThanItsHeaderThrows() throws {
        var bytes = Self.reply.encoded
        bytes.setInteger(UInt16(2), at: 16 + 64 + 2)
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .badLength)
        #expect(error.field == "table_feature_prop.length")
    }

    @Test func idLengthInsideAPropertyThrows() throws {
        var bytes = Self.reply.encoded
        bytes.setInteger(UInt16(2), at: 16 + 64 + 6)  // the first instruction id's len
        let error = try #require(OF13Check.decodeError(bytes))
        #expect(error.kind == .badLength)
        #expect(error.field == "id.len")
    }
}
