/// An IEEE 802.1Q customer VLAN tag (802.1Q-2018 §9.6): the Tag Control Information that
/// follows TPID 0x8100 in a tagged frame.
///
/// Stored as the 16-bit TCI itself so that every value is a valid tag and a parsed tag is
/// written back bit for bit; `priority`, `dropEligible` and `vlanID` are views of its bits
/// (setting one masks the new value to its field width).
public struct VLANTag: Hashable, Sendable {
    /// PCP (3 bits) | DEI (1 bit) | VID (12 bits).
    public var tci: UInt16

    public init(tci: UInt16) { self.tci = tci }

    /// - Parameters:
    ///   - priority: Priority Code Point, 0...7 (higher bits are dropped).
    ///   - dropEligible: Drop Eligible Indicator.
    ///   - vlanID: VLAN identifier, 0...4095 (higher bits are dropped). 0 means "priority
    ///     tagged, no VLAN" and 4095 is reserved (802.1Q Table 9-2).
    public init(priority: UInt8 = 0, dropEligible: Bool = false, vlanID: UInt16) {
        self.tci = 0
        self.priority = priority
        self.dropEligible = dropEligible
        self.vlanID = vlanID
    }

    /// Priority Code Point (PCP), 0...7.
    public var priority: UInt8 {
        get { UInt8(truncatingIfNeeded: tci >> 13) }
        set { tci = (tci & 0x1FFF) | UInt16(newValue & 0x7) << 13 }
    }

    /// Drop Eligible Indicator (DEI; formerly CFI).
    public var dropEligible: Bool {
        get { tci & 0x1000 != 0 }
        set { tci = newValue ? tci | 0x1000 : tci & ~0x1000 }
    }

    /// VLAN Identifier (VID), 0...4095.
    public var vlanID: UInt16 {
        get { tci & 0x0FFF }
        set { tci = (tci & 0xF000) | (newValue & 0x0FFF) }
    }
}
