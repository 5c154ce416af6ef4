import NIOCore

extension OF13 {
    /// An OpenFlow 1.3 action (spec 1.3.5 §7.2.5, `struct ofp_action_*`). Each is padded to a
    /// multiple of 8 bytes, and its `len` counts the padding.
    public enum Action: Hashable, Sendable, Codable {
        /// `OFPAT_OUTPUT`: `maxLength` is how many bytes to send when the port is CONTROLLER.
        case output(port: UInt32, maxLength: UInt16 = 0xFFFF)
        case copyTTLOut
        case copyTTLIn
        case setMPLSTTL(UInt8)
        case decMPLSTTL
        case pushVLAN(ethertype: UInt16 = 0x8100)
        case popVLAN
        case pushMPLS(ethertype: UInt16 = 0x8847)
        case popMPLS(ethertype: UInt16)
        case setQueue(UInt32)
        case group(UInt32)
        case setNwTTL(UInt8)
        case decNwTTL
        /// `OFPAT_SET_FIELD` with one OXM TLV.
        case setField(OXMField)
        case pushPBB(ethertype: UInt16 = 0x88E7)
        case popPBB
        /// `OFPAT_EXPERIMENTER`: the body after the experimenter id, including its padding.
        case experimenter(id: UInt32, body: ByteBuffer)
        /// An action type this codec does not know: its type and the bytes after `len`.
        case unknown(type: UInt16, body: ByteBuffer)

        /// `enum ofp_action_type`.
        public enum Kind: UInt16, Sendable {
            case output = 0, copyTTLOut = 11, copyTTLIn = 12, setMPLSTTL = 15, decMPLSTTL = 16
            case pushVLAN = 17, popVLAN = 18, pushMPLS = 19, popMPLS = 20, setQueue = 21, group = 22
            case setNwTTL = 23, decNwTTL = 24, setField = 25, pushPBB = 26, popPBB = 27
            case experimenter = 0xFFFF
        }
    }
}

extension OF13.Action {
    public var type: UInt16 {
        switch self {
        case .output: 0
        case .copyTTLOut: 11
        case .copyTTLIn: 12
        case .setMPLSTTL: 15
        case .decMPLSTTL: 16
        case .pushVLAN: 17
        case .popVLAN: 18
        case .pushMPLS: 19
        case .popMPLS: 20
        case .setQueue: 21
        case .group: 22
        case .setNwTTL: 23
        case .decNwTTL: 24
        case .setField: 25
        case .pushPBB: 26
        case .popPBB: 27
        case .experimenter: 0xFFFF
        case .unknown(let type, _): type
        }
    }
}

extension OF13.Action: WireListElement {
    public static func read(from reader: inout WireReader) throws(OpenFlowError) -> OF13.Action {
        let tlv = try AlignedTLV(&reader, type: "action.type", length: "action.len", body: "action")
        let type = tlv.type
        let length = tlv.length
        var body = tlv.body
        func expect(_ size: Int) throws(OpenFlowError) { try tlv.expect(size) }
        switch type {
        case 0:
            try expect(16)
            let port = try body.readU32("action.port")
            let maxLength = try body.readU16("action.max_len")
            return .output(port: port, maxLength: maxLength)
        case 11: try expect(8); return .copyTTLOut
        case 12: try expect(8); return .copyTTLIn
        case 15: try expect(8); return .setMPLSTTL(try body.readU8("action.mpls_ttl"))
        case 16: try expect(8); return .decMPLSTTL
        case 17: try expect(8); return .pushVLAN(ethertype: try body.readU16("action.ethertype"))
        case 18: try expect(8); return .popVLAN
        case 19: try expect(8); return .pushMPLS(ethertype: try body.readU16("action.ethertype"))
        case 20: try expect(8); return .popMPLS(ethertype: try body.readU16("action.ethertype"))
        case 21: try expect(8); return .setQueue(try body.readU32("action.queue_id"))
        case 22: try expect(8); return .group(try body.readU32("action.group_id"))
        case 23: try expect(8); return .setNwTTL(try body.readU8("action.nw_ttl"))
        case 24: try expect(8); return .decNwTTL
        case 25:
            let field = try OXMField.read(from: &body)
            guard length == (4 + 4 + field.payloadLength + 7) / 8 * 8 else {
                throw body.error(.badLength, "action.len", "\(length) does not fit the OXM field it carries")
            }
            return .setField(field)
        case 26: try expect(8); return .pushPBB(ethertype: try body.readU16("action.ethertype"))
        case 27: try expect(8); return .popPBB
        case 0xFFFF:
            let id = try body.readU32("action.experimenter")
            return .experimenter(id: id, body: body.readRest())
        default:
            return .unknown(type: type, body: body.readRest())
        }
    }

    /// Accepts exactly what ``read(from:)`` accepts, without building the action.
    public static func validate(_ reader: inout WireReader) throws(OpenFlowError) {
        guard let type = reader.peekU16(at: 0), let length16 = reader.peekU16(at: 2) else {
            _ = try read(from: &reader)  // throws the truncation error
            return
        }
        let length = Int(length16)
        let fixed: Int
        switch type {
        case 0: fixed = 16
        case 11, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 26, 27: fixed = 8
        case 25:
            // The OXM header sits right after the action header; its length decides the size.
            guard length >= 8, length % 8 == 0, length <= reader.remaining, let oxm = reader.peekU32(at: 4) else {
                _ = try read(from: &reader)
                return
            }
            fixed = (8 + Int(oxm & 0xFF) + 7) / 8 * 8
            var inner = try reader.subReader(length, "action")
            try inner.skip(4, "action")
            try OXMField.validate(&inner)
            guard length == fixed else {
                throw inner.error(.badLength, "action.len", "\(length) does not fit the OXM field it carries")
            }
            return
        default: fixed = -1
        }
        guard length >= 8, length % 8 == 0, fixed < 0 || length == fixed, length <= reader.remaining else {
            _ = try read(from: &reader)  // throws the precise error
            return
        }
        try reader.skip(length, "action")
    }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        let start = buffer.writerIndex
        buffer.writeInteger(type)
        buffer.writeInteger(UInt16(0))  // len, set below
        switch self {
        case .output(let port, let maxLength):
            buffer.writeInteger(port)
            buffer.writeInteger(maxLength)
            buffer.writeZeros(6)
        case .copyTTLOut, .copyTTLIn, .decMPLSTTL, .popVLAN, .decNwTTL, .popPBB:
            buffer.writeZeros(4)
        case .setMPLSTTL(let ttl), .setNwTTL(let ttl):
            buffer.writeInteger(ttl)
            buffer.writeZeros(3)
        case .pushVLAN(let ethertype), .pushMPLS(let ethertype), .popMPLS(let ethertype),
            .pushPBB(let ethertype):
            buffer.writeInteger(ethertype)
            buffer.writeZeros(2)
        case .setQueue(let id), .group(let id):
            buffer.writeInteger(id)
        case .setField(let field):
            let length = field.write(to: &buffer) + 4
            buffer.writeZeros((length + 7) / 8 * 8 - length)
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

extension OXMField {
    /// Bytes after the 4-byte OXM header.
    var payloadLength: Int { Int(header & 0xFF) }
}

extension OF13.Action: CustomStringConvertible {
    public var description: String {
        switch self {
        case .output(let port, let maxLength):
            let name = OF13.PortNumber.name(port)
            return port == OF13.PortNumber.controller ? "output:\(name):\(maxLength)" : "output:\(name)"
        case .copyTTLOut: return "copy_ttl_out"
        case .copyTTLIn: return "copy_ttl_in"
        case .setMPLSTTL(let ttl): return "set_mpls_ttl:\(ttl)"
        case .decMPLSTTL: return "dec_mpls_ttl"
        case .pushVLAN(let t): return "push_vlan:0x\(String(t, radix: 16))"
        case .popVLAN: return "pop_vlan"
        case .pushMPLS(let t): return "push_mpls:0x\(String(t, radix: 16))"
        case .popMPLS(let t): return "pop_mpls:0x\(String(t, radix: 16))"
        case .setQueue(let q): return "set_queue:\(q)"
        case .group(let g): return "group:\(g)"
        case .setNwTTL(let ttl): return "set_nw_ttl:\(ttl)"
        case .decNwTTL: return "dec_nw_ttl"
        case .setField(let f): return "set_field:\(f)"
        case .pushPBB(let t): return "push_pbb:0x\(String(t, radix: 16))"
        case .popPBB: return "pop_pbb"
        case .experimenter(let id, let body):
            return "experimenter(0x\(String(id, radix: 16)),\(HexBytes.format(body.readableBytesView)))"
        case .unknown(let type, let body):
            return "action(type=\(type),\(HexBytes.format(body.readableBytesView)))"
        }
    }
}
