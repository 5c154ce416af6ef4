import NIOCore

extension OF13 {
    /// An OpenFlow 1.3 instruction (spec 1.3.5 §7.2.4, `struct ofp_instruction_*`).
    public enum Instruction: Hashable, Sendable, Codable {
        case gotoTable(UInt8)
        case writeMetadata(UInt64, mask: UInt64)
        case writeActions(WireList<Action>)
        case applyActions(WireList<Action>)
        case clearActions
        case meter(UInt32)
        /// `OFPIT_EXPERIMENTER`: the body after the experimenter id.
        case experimenter(id: UInt32, body: ByteBuffer)
        /// An instruction type this codec does not know: its type and the bytes after `len`.
        case unknown(type: UInt16, body: ByteBuffer)

        public var type: UInt16 {
            switch self {
            case .gotoTable: 1
            case .writeMetadata: 2
            case .writeActions: 3
            case .applyActions: 4
            case .clearActions: 5
            case .meter: 6
            case .experimenter: 0xFFFF
            case .unknown(let type, _): type
            }
        }
    }
}

extension OF13.Instruction: WireListElement {
    public static func read(from reader: inout WireReader) throws(OpenFlowError) -> OF13.Instruction {
        let tlv = try AlignedTLV(&reader, type: "instruction.type", length: "instruction.len", body: "instruction")
        let type = tlv.type
        var body = tlv.body
        func expect(_ size: Int) throws(OpenFlowError) { try tlv.expect(size) }
        switch type {
        case 1:
            try expect(8)
            return .gotoTable(try body.readU8("instruction.table_id"))
        case 2:
            try expect(24)
            try body.skip(4, "instruction.pad")
            let metadata = try body.readU64("instruction.metadata")
            return .writeMetadata(metadata, mask: try body.readU64("instruction.metadata_mask"))
        case 3, 4:
            try body.skip(4, "instruction.pad")
            let actions = try WireList<OF13.Action>(validating: body)
            return type == 3 ? .writeActions(actions) : .applyActions(actions)
        case 5:
            try expect(8)
            return .clearActions
        case 6:
            try expect(8)
            return .meter(try body.readU32("instruction.meter_id"))
        case 0xFFFF:
            let id = try body.readU32("instruction.experimenter")
            return .experimenter(id: id, body: body.readRest())
        default:
            return .unknown(type: type, body: body.readRest())
        }
    }

    /// Accepts exactly what ``read(from:)`` accepts, without building the instruction.
    public static func validate(_ reader: inout WireReader) throws(OpenFlowError) {
        guard let type = reader.peekU16(at: 0), let length16 = reader.peekU16(at: 2) else {
            _ = try read(from: &reader)
            return
        }
        let length = Int(length16)
        guard length >= 8, length % 8 == 0, length <= reader.remaining else {
            _ = try read(from: &reader)
            return
        }
        switch type {
        case 3, 4:
            var actions = try reader.subReader(length, "instruction")
            try actions.skip(8, "instruction.pad")
            while !actions.isEmpty { try OF13.Action.validate(&actions) }
        case 1, 5, 6:
            guard length == 8 else { _ = try read(from: &reader); return }
            try reader.skip(length, "instruction")
        case 2:
            guard length == 24 else { _ = try read(from: &reader); return }
            try reader.skip(length, "instruction")
        default:
            try reader.skip(length, "instruction")
        }
    }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        let start = buffer.writerIndex
        buffer.writeInteger(type)
        buffer.writeInteger(UInt16(0))  // len, set below
        switch self {
        case .gotoTable(let table):
            buffer.writeInteger(table)
            buffer.writeZeros(3)
        case .writeMetadata(let metadata, let mask):
            buffer.writeZeros(4)
            buffer.writeInteger(metadata)
            buffer.writeInteger(mask)
        case .writeActions(let actions), .applyActions(let actions):
            buffer.writeZeros(4)
            actions.write(to: &buffer)
        case .clearActions:
            buffer.writeZeros(4)
        case .meter(let id):
            buffer.writeInteger(id)
        case .experimenter(let id, let body):
            buffer.writeInteger(id)
            buffer.writeImmutableBuffer(body)
        case .unknown(_, let body):
            buffer.writeImmutableBuffer(body)
        }
        let length = buffer.writerIndex - start
        buffer.setInteger(UInt16(truncatingIfNeeded: length), at: start + 2)
        return length
    }
}

extension OF13.Instruction: CustomStringConvertible {
    public var description: String {
        switch self {
        case .gotoTable(let t): return "goto_table:\(t)"
        case .writeMetadata(let m, let mask):
            return "write_metadata:0x\(String(m, radix: 16))/0x\(String(mask, radix: 16))"
        case .writeActions(let a): return "write_actions(\(a.map(\.description).joined(separator: ",")))"
        case .applyActions(let a): return "apply_actions(\(a.map(\.description).joined(separator: ",")))"
        case .clearActions: return "clear_actions"
        case .meter(let m): return "meter:\(m)"
        case .experimenter(let id, let body):
            return "experimenter(0x\(String(id, radix: 16)),\(HexBytes.format(body.readableBytesView)))"
        case .unknown(let type, let body):
            return "instruction(type=\(type),\(HexBytes.format(body.readableBytesView)))"
        }
    }
}
