import NIOCore

extension OF13 {
    /// `struct ofp_table_features` (spec 1.3.5 §7.3.5.5): one table of an `OFPMP_TABLE_FEATURES`
    /// request or reply. `length` counts the 64-byte fixed part and the padded properties.
    public struct TableFeatures: Hashable, Sendable, Codable, WireListElement {
        public var tableID: UInt8
        public var name: String
        /// Bits of metadata the table can match.
        public var metadataMatch: UInt64
        /// Bits of metadata the table can write.
        public var metadataWrite: UInt64
        public var config: TableConfig
        /// Maximum number of entries supported.
        public var maxEntries: UInt32
        public var properties: WireList<TableFeatureProperty>

        public static let headerSize = 64
        /// `OFP_MAX_TABLE_NAME_LEN`.
        public static let nameLength = 32

        public init(
            tableID: UInt8, name: String = "", metadataMatch: UInt64 = 0, metadataWrite: UInt64 = 0,
            config: TableConfig = [], maxEntries: UInt32 = 0, properties: WireList<TableFeatureProperty> = []
        ) {
            self.tableID = tableID
            self.name = name
            self.metadataMatch = metadataMatch
            self.metadataWrite = metadataWrite
            self.config = config
            self.maxEntries = maxEntries
            self.properties = properties
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> TableFeatures {
            let length = Int(try reader.readU16("table_features.length"))
            guard length >= headerSize else {
                throw reader.error(.badLength, "table_features.length", "\(length) < \(headerSize)")
            }
            var body = try reader.subReader(length - 2, "table_features")
            let tableID = try body.readU8("table_features.table_id")
            try body.skip(5, "table_features.pad")
            let name = try body.readFixedString(nameLength, "table_features.name")
            let metadataMatch = try body.readU64("table_features.metadata_match")
            let metadataWrite = try body.readU64("table_features.metadata_write")
            let config = TableConfig(rawValue: try body.readU32("table_features.config"))
            let maxEntries = try body.readU32("table_features.max_entries")
            let properties = try WireList<TableFeatureProperty>(validating: body)
            return TableFeatures(
                tableID: tableID, name: name, metadataMatch: metadataMatch, metadataWrite: metadataWrite,
                config: config, maxEntries: maxEntries, properties: properties)
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            let start = buffer.writerIndex
            buffer.writeInteger(UInt16(0))  // length, set below
            buffer.writeInteger(tableID)
            buffer.writeZeros(5)
            buffer.writeFixedString(name, count: Self.nameLength)
            buffer.writeInteger(metadataMatch)
            buffer.writeInteger(metadataWrite)
            buffer.writeInteger(config.rawValue)
            buffer.writeInteger(maxEntries)
            properties.write(to: &buffer)
            let length = buffer.writerIndex - start
            buffer.setInteger(UInt16(truncatingIfNeeded: length), at: start)
            return length
        }
    }

    /// A table feature property, `struct ofp_table_feature_prop_*` (spec 1.3.5 §7.3.5.5.2):
    /// `type` and `length`, the payload, then padding to 8 bytes that `length` does not count.
    ///
    /// The `_MISS` variants (which describe the table-miss flow entry) are the same cases with
    /// `miss: true`.
    public enum TableFeatureProperty: Hashable, Sendable, Codable {
        /// `OFPTFPT_INSTRUCTIONS(_MISS)`: the instructions supported.
        case instructions(WireList<FeatureID>, miss: Bool = false)
        /// `OFPTFPT_NEXT_TABLES(_MISS)`: the tables that goto-table may jump to.
        case nextTables([UInt8], miss: Bool = false)
        /// `OFPTFPT_WRITE_ACTIONS(_MISS)`: the actions supported by write-actions.
        case writeActions(WireList<FeatureID>, miss: Bool = false)
        /// `OFPTFPT_APPLY_ACTIONS(_MISS)`: the actions supported by apply-actions.
        case applyActions(WireList<FeatureID>, miss: Bool = false)
        /// `OFPTFPT_MATCH`: the fields the table can match.
        case match(WireList<OXMID>)
        /// `OFPTFPT_WILDCARDS`: the fields the table can wildcard.
        case wildcards(WireList<OXMID>)
        /// `OFPTFPT_WRITE_SETFIELD(_MISS)`: the fields set-field can set in write-actions.
        case writeSetField(WireList<OXMID>, miss: Bool = false)
        /// `OFPTFPT_APPLY_SETFIELD(_MISS)`: the fields set-field can set in apply-actions.
        case applySetField(WireList<OXMID>, miss: Bool = false)
        /// `OFPTFPT_EXPERIMENTER(_MISS)`: the bytes after `exp_type` are kept.
        case experimenter(id: UInt32, type: UInt32, data: ByteBuffer = ByteBuffer(), miss: Bool = false)
        /// A property this codec does not know: its type and its payload, without padding.
        case unknown(type: UInt16, body: ByteBuffer)

        /// `enum ofp_table_feature_prop_type`.
        public var type: UInt16 {
            switch self {
            case .instructions(_, let miss): miss ? 1 : 0
            case .nextTables(_, let miss): miss ? 3 : 2
            case .writeActions(_, let miss): miss ? 5 : 4
            case .applyActions(_, let miss): miss ? 7 : 6
            case .match: 8
            case .wildcards: 10
            case .writeSetField(_, let miss): miss ? 13 : 12
            case .applySetField(_, let miss): miss ? 15 : 14
            case .experimenter(_, _, _, let miss): miss ? 0xFFFF : 0xFFFE
            case .unknown(let type, _): type
            }
        }
    }

    /// An instruction or action id in a table feature property (spec 1.3.5 §7.3.5.5.2): the
    /// `type` and `len` of `struct ofp_instruction` / `struct ofp_action_header`, 4 bytes for
    /// standard ones; an experimenter id carries its experimenter id (and any more data)
    /// after them, counted by `len`.
    public struct FeatureID: Hashable, Sendable, Codable, WireListElement {
        public var type: UInt16
        /// The bytes after `len`: empty for standard ids.
        public var data: ByteBuffer

        public init(type: UInt16, data: ByteBuffer = ByteBuffer()) {
            self.type = type
            self.data = data
        }

        /// The id of an experimenter instruction or action.
        public init(experimenter: UInt32) {
            var data = ByteBuffer()
            data.writeInteger(experimenter)
            self.init(type: 0xFFFF, data: data)
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> FeatureID {
            let type = try reader.readU16("id.type")
            let length = Int(try reader.readU16("id.len"))
            guard length >= 4 else { throw reader.error(.badLength, "id.len", "\(length) < 4") }
            return FeatureID(type: type, data: try reader.readSlice(length - 4, "id.data"))
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            buffer.writeInteger(type) + buffer.writeInteger(UInt16(truncatingIfNeeded: 4 + data.readableBytes))
                + buffer.writeImmutableBuffer(data)
        }
    }

    /// An OXM id in a table feature property (spec 1.3.5 §7.3.5.5.2): a 32-bit OXM header with
    /// no payload; for the `OFPXMC_EXPERIMENTER` class, followed by the experimenter id.
    public struct OXMID: Hashable, Sendable, Codable, WireListElement {
        /// The OXM header: class (16 bits), field (7), hasmask (1), length (8).
        public var header: UInt32
        /// For `OFPXMC_EXPERIMENTER` headers only.
        public var experimenter: UInt32?

        public init(header: UInt32, experimenter: UInt32? = nil) {
            self.header = header
            self.experimenter = experimenter
        }

        /// The id of a basic field (`OFPXMC_OPENFLOW_BASIC`). `length` is the field's width in
        /// bytes even with `hasMask` (spec: "the payload length if the OXM field had a
        /// payload"; Open vSwitch rejects a doubled length as `OFPBMC_BAD_MASK`).
        public init(basicField field: UInt8, length: UInt8, hasMask: Bool = false) {
            self.init(
                header: UInt32(OXMField.basicClass) << 16 | UInt32(field & 0x7F) << 9 | (hasMask ? 1 << 8 : 0)
                    | UInt32(length))
        }

        public var oxmClass: UInt16 { UInt16(truncatingIfNeeded: header >> 16) }
        public var field: UInt8 { UInt8(truncatingIfNeeded: header >> 9) & 0x7F }
        public var hasMask: Bool { header & 0x100 != 0 }
        public var length: UInt8 { UInt8(truncatingIfNeeded: header) }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> OXMID {
            let header = try reader.readU32("oxm_id")
            guard header >> 16 == UInt32(OXMField.experimenterClass) else { return OXMID(header: header) }
            return OXMID(header: header, experimenter: try reader.readU32("oxm_id.experimenter"))
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            let written = buffer.writeInteger(header)
            guard let experimenter else { return written }
            return written + buffer.writeInteger(experimenter)
        }
    }
}

extension OF13.TableFeatureProperty: WireListElement {
    public static func read(from reader: inout WireReader) throws(OpenFlowError) -> OF13.TableFeatureProperty {
        let type = try reader.readU16("table_feature_prop.type")
        let length = Int(try reader.readU16("table_feature_prop.length"))
        guard length >= 4 else {
            throw reader.error(.badLength, "table_feature_prop.length", "\(length) < 4")
        }
        let body = try reader.subReader(length - 4, "table_feature_prop")
        try reader.skip((length + 7) / 8 * 8 - length, "table_feature_prop.pad")
        let miss = type & 1 == 1
        switch type {
        case 0, 1: return .instructions(try WireList(validating: body), miss: miss)
        case 2, 3: return .nextTables(Array(body.buffer.readableBytesView), miss: miss)
        case 4, 5: return .writeActions(try WireList(validating: body), miss: miss)
        case 6, 7: return .applyActions(try WireList(validating: body), miss: miss)
        case 8: return .match(try WireList(validating: body))
        case 10: return .wildcards(try WireList(validating: body))
        case 12, 13: return .writeSetField(try WireList(validating: body), miss: miss)
        case 14, 15: return .applySetField(try WireList(validating: body), miss: miss)
        case 0xFFFE, 0xFFFF:
            var body = body
            let id = try body.readU32("table_feature_prop.experimenter")
            let expType = try body.readU32("table_feature_prop.exp_type")
            return .experimenter(id: id, type: expType, data: body.readRest(), miss: miss)
        default:
            return .unknown(type: type, body: body.buffer)
        }
    }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        let start = buffer.writerIndex
        buffer.writeInteger(type)
        buffer.writeInteger(UInt16(0))  // length, set below
        switch self {
        case .instructions(let ids, _), .writeActions(let ids, _), .applyActions(let ids, _):
            ids.write(to: &buffer)
        case .nextTables(let tables, _):
            buffer.writeBytes(tables)
        case .match(let ids), .wildcards(let ids), .writeSetField(let ids, _), .applySetField(let ids, _):
            ids.write(to: &buffer)
        case .experimenter(let id, let expType, let data, _):
            buffer.writeInteger(id)
            buffer.writeInteger(expType)
            buffer.writeImmutableBuffer(data)
        case .unknown(_, let body):
            buffer.writeImmutableBuffer(body)
        }
        let length = buffer.writerIndex - start
        buffer.setInteger(UInt16(truncatingIfNeeded: length), at: start + 2)
        return length + buffer.writeZeros((length + 7) / 8 * 8 - length)
    }
}

extension OF13.TableFeatureProperty: CustomStringConvertible {
    public var description: String {
        func list(_ name: String, _ items: [String], _ miss: Bool) -> String {
            "\(name)\(miss ? "_miss" : "")=[\(items.joined(separator: ","))]"
        }
        switch self {
        case .instructions(let ids, let miss): return list("instructions", ids.map(\.description), miss)
        case .nextTables(let tables, let miss): return list("next_tables", tables.map(String.init), miss)
        case .writeActions(let ids, let miss): return list("write_actions", ids.map(\.description), miss)
        case .applyActions(let ids, let miss): return list("apply_actions", ids.map(\.description), miss)
        case .match(let ids): return list("match", ids.map(\.description), false)
        case .wildcards(let ids): return list("wildcards", ids.map(\.description), false)
        case .writeSetField(let ids, let miss): return list("write_setfield", ids.map(\.description), miss)
        case .applySetField(let ids, let miss): return list("apply_setfield", ids.map(\.description), miss)
        case .experimenter(let id, let type, let data, let miss):
            return "experimenter\(miss ? "_miss" : "")(0x\(String(id, radix: 16)),type=\(type),"
                + "\(HexBytes.format(data.readableBytesView)))"
        case .unknown(let type, let body):
            return "prop(type=\(type),\(HexBytes.format(body.readableBytesView)))"
        }
    }
}

extension OF13.FeatureID: CustomStringConvertible {
    public var description: String {
        data.readableBytes == 0 ? "\(type)" : "\(type)(\(HexBytes.format(data.readableBytesView)))"
    }
}

extension OF13.OXMID: CustomStringConvertible {
    public var description: String {
        if let experimenter {
            return "0x\(String(header, radix: 16))(experimenter=0x\(String(experimenter, radix: 16)))"
        }
        guard oxmClass == OXMField.basicClass else { return "0x\(String(header, radix: 16))" }
        return hasMask ? "\(field)/mask" : "\(field)"
    }
}

extension OF13.TableFeatures: CustomStringConvertible {
    public var description: String {
        "table \(tableID) \"\(name)\": max_entries=\(maxEntries),metadata_match=0x\(String(metadataMatch, radix: 16)),"
            + "metadata_write=0x\(String(metadataWrite, radix: 16)),properties=\(properties)"
    }
}
