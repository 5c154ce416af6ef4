import NetworkAddresses
import OpenFlow

/// A match compiled to the shape of a ``FlowKey``: a packet matches when
/// `key.words & mask == value`. `value` never has bits outside `mask`.
public struct FlowMatch: Hashable, Sendable {
    public var value: SIMD16<UInt64>
    public var mask: SIMD16<UInt64>

    public init(value: SIMD16<UInt64> = .zero, mask: SIMD16<UInt64> = .zero) {
        self.value = value & mask
        self.mask = mask
    }

    /// The match of every packet (the table-miss flow's).
    public static let all = FlowMatch()

    public var isAll: Bool { mask == .zero }

    @inline(__always)
    public func matches(_ key: FlowKey) -> Bool { key.words & mask == value }

    /// Whether some packet matches both (the `OFPFF_CHECK_OVERLAP` test, spec 1.3.5 §6.4).
    public func overlaps(_ other: FlowMatch) -> Bool {
        (value ^ other.value) & mask & other.mask == .zero
    }

    /// Whether every packet this matches also matches `filter`: the non-strict selection of
    /// MODIFY, DELETE and flow statistics ("a flow entry that is at least as specific").
    public func isCovered(by filter: FlowMatch) -> Bool {
        filter.mask & ~mask == .zero && value & filter.mask == filter.value
    }
}

/// Where one OXM field lives in a ``FlowKey``.
struct FieldSlot: Sendable {
    var word: Int
    var shift: UInt64
    var width: UInt64
    /// For 128-bit fields, the word of the low half (`word` holds the high half).
    var lowWord: Int = -1

    var ones: UInt64 { width == 64 ? ~0 : (1 << width) - 1 }

    /// The slot of a basic OXM field, nil for fields this datapath does not match on
    /// (MPLS, PBB, IPv6 extension headers, other classes).
    static func of(_ field: UInt8) -> FieldSlot? {
        switch field {
        case 0, 1: FieldSlot(word: 0, shift: 0, width: 32)  // in_port; in_phy_port is the same port here
        case 2: FieldSlot(word: 1, shift: 0, width: 64)
        case 3: FieldSlot(word: 2, shift: 0, width: 48)
        case 4: FieldSlot(word: 3, shift: 0, width: 48)
        case 5: FieldSlot(word: 0, shift: 32, width: 16)
        case 6: FieldSlot(word: 0, shift: 48, width: 13)
        case 7: FieldSlot(word: 2, shift: 48, width: 3)
        case 8: FieldSlot(word: 3, shift: 48, width: 6)
        case 9: FieldSlot(word: 3, shift: 56, width: 2)
        case 10: FieldSlot(word: 2, shift: 56, width: 8)
        case 11, 22: FieldSlot(word: 4, shift: 0, width: 32)
        case 12, 23: FieldSlot(word: 4, shift: 32, width: 32)
        case 13, 15, 17: FieldSlot(word: 5, shift: 0, width: 16)
        case 14, 16, 18: FieldSlot(word: 5, shift: 16, width: 16)
        case 19, 29: FieldSlot(word: 5, shift: 48, width: 8)
        case 20, 30: FieldSlot(word: 5, shift: 56, width: 8)
        case 21: FieldSlot(word: 5, shift: 32, width: 16)
        case 24, 32: FieldSlot(word: 6, shift: 0, width: 48)
        case 25, 33: FieldSlot(word: 7, shift: 0, width: 48)
        case 26: FieldSlot(word: 8, shift: 0, width: 64, lowWord: 9)
        case 27: FieldSlot(word: 10, shift: 0, width: 64, lowWord: 11)
        case 28: FieldSlot(word: 12, shift: 0, width: 20)
        case 31: FieldSlot(word: 13, shift: 0, width: 64, lowWord: 14)
        case 38: FieldSlot(word: 15, shift: 0, width: 64)
        default: nil
        }
    }
}

extension OXMField.Value {
    /// The value as (high, low) 64-bit halves; only IPv6 addresses use the high half.
    var halves: (high: UInt64, low: UInt64) {
        switch self {
        case .integer(let v): (0, v)
        case .mac(let m): (0, m.rawValue)
        case .ipv4(let a): (0, UInt64(a.rawValue))
        case .ipv6(let a): (a.high, a.low)
        }
    }
}

extension FlowMatch {
    /// Compiles an OXM match, checking what spec 1.3.5 §7.2.3.6–7 requires: known fields
    /// (`OFPBMC_BAD_FIELD`), no field twice (`OFPBMC_DUP_FIELD`), and each field's
    /// prerequisites (`OFPBMC_BAD_PREREQ`, Table 12). A mask is accepted on every field
    /// (Open vSwitch sends some the spec calls unmaskable); value bits outside the mask
    /// are ignored.
    public init(_ match: OF13.Match) throws(DatapathError) {
        var value = SIMD16<UInt64>.zero
        var mask = SIMD16<UInt64>.zero
        var seen: UInt64 = 0
        for field in match.fields {
            guard let basic = field.basic, let slot = FieldSlot.of(basic.field) else {
                throw .badMatchField("\(field.name) is not supported")
            }
            let bit: UInt64 = 1 << UInt64(basic.field)
            guard seen & bit == 0 else { throw .duplicateField(field.name) }
            seen |= bit
            let v = basic.value.halves
            let m: (high: UInt64, low: UInt64) = basic.mask?.halves ?? (~0, ~0)
            if slot.lowWord >= 0 {
                value[slot.word] = v.high & m.high
                mask[slot.word] = m.high
                value[slot.lowWord] = v.low & m.low
                mask[slot.lowWord] = m.low
            } else {
                let fieldMask = (m.low & slot.ones) << slot.shift
                mask[slot.word] |= fieldMask
                value[slot.word] |= (v.low << slot.shift) & fieldMask
            }
        }
        self.init(value: value, mask: mask)
        try checkPrerequisites(seen)
    }

    /// The value of a field when the match pins it exactly, else nil.
    func exact(_ field: UInt8) -> UInt64? {
        guard let slot = FieldSlot.of(field) else { return nil }
        let fieldMask = slot.ones << slot.shift
        guard mask[slot.word] & fieldMask == fieldMask else { return nil }
        return (value[slot.word] & fieldMask) >> slot.shift
    }

    private func checkPrerequisites(_ seen: UInt64) throws(DatapathError) {
        func has(_ f: UInt8) -> Bool { seen & (1 << UInt64(f)) != 0 }
        let ethType = exact(5)
        let ipProto = exact(10)
        let isIP = ethType == 0x0800 || ethType == 0x86DD
        func require(_ ok: Bool, _ field: UInt8, _ what: String) throws(DatapathError) {
            guard !has(field) || ok else {
                throw .badPrerequisite("\(OXMField.basicFields[Int(field)].name) needs \(what)")
            }
        }
        if has(7) {
            let vid = FieldSlot.of(6)!
            let present = UInt64(FlowKey.vidPresent) << vid.shift
            try require(mask[0] & present != 0 && value[0] & present != 0, 7, "vlan_vid with OFPVID_PRESENT")
        }
        for f: UInt8 in [8, 9, 10] { try require(isIP, f, "eth_type=0x0800 or 0x86dd") }
        for f: UInt8 in [11, 12] { try require(ethType == 0x0800, f, "eth_type=0x0800") }
        for f: UInt8 in [13, 14] { try require(isIP && ipProto == 6, f, "ip_proto=6") }
        for f: UInt8 in [15, 16] { try require(isIP && ipProto == 17, f, "ip_proto=17") }
        for f: UInt8 in [17, 18] { try require(isIP && ipProto == 132, f, "ip_proto=132") }
        for f: UInt8 in [19, 20] { try require(ethType == 0x0800 && ipProto == 1, f, "ip_proto=1") }
        for f: UInt8 in 21...25 { try require(ethType == 0x0806, f, "eth_type=0x0806") }
        for f: UInt8 in [26, 27, 28] { try require(ethType == 0x86DD, f, "eth_type=0x86dd") }
        for f: UInt8 in [29, 30] { try require(ethType == 0x86DD && ipProto == 58, f, "ip_proto=58") }
        let icmpv6Type = ethType == 0x86DD && ipProto == 58 ? exact(29) : nil
        try require(icmpv6Type == 135 || icmpv6Type == 136, 31, "icmpv6_type=135 or 136")
        try require(icmpv6Type == 135, 32, "icmpv6_type=135")
        try require(icmpv6Type == 136, 33, "icmpv6_type=136")
    }
}
