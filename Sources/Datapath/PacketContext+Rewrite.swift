import NIOCore

/// The actions that change a packet's bytes (spec 1.3.5 §5.12): set-field, push/pop VLAN,
/// set/decrement TTL. Checksums that cover a changed field (IPv4 header, TCP, UDP, ICMP,
/// ICMPv6) are updated incrementally (RFC 1624, eqn. 3), so they stay valid whatever the
/// payload; a UDP checksum of 0 (none) stays 0. SCTP's CRC32c is not updated.
extension PacketContext {
    private var base: Int { data.readerIndex }
    private var length: Int { data.readableBytes }

    private func u16(_ offset: Int) -> UInt16 { data.getInteger(at: base + offset, as: UInt16.self) ?? 0 }
    private func u32(_ offset: Int) -> UInt32 { data.getInteger(at: base + offset, as: UInt32.self) ?? 0 }
    private mutating func put16(_ value: UInt16, _ offset: Int) { data.setInteger(value, at: base + offset) }
    private mutating func put32(_ value: UInt32, _ offset: Int) { data.setInteger(value, at: base + offset) }
    private mutating func put48(_ value: UInt64, _ offset: Int) {
        put16(UInt16(truncatingIfNeeded: value >> 32), offset)
        put32(UInt32(truncatingIfNeeded: value), offset + 2)
    }

    /// RFC 1624: the checksum at `offset` after one 16-bit word of the data it covers went
    /// from `old` to `new`.
    private mutating func adjustChecksum(at offset: Int, old: UInt16, new: UInt16, zeroMeansNone: Bool = false) {
        guard old != new, offset >= 0, offset + 2 <= length else { return }
        let checksum = u16(offset)
        if zeroMeansNone, checksum == 0 { return }
        var sum = UInt32(~checksum) + UInt32(~old) + UInt32(new)
        sum = (sum & 0xFFFF) + (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16)
        var result = ~UInt16(truncatingIfNeeded: sum)
        if zeroMeansNone, result == 0 { result = 0xFFFF }
        put16(result, offset)
    }

    private mutating func adjustChecksum(at offset: Int, old: UInt32, new: UInt32, zeroMeansNone: Bool = false) {
        adjustChecksum(
            at: offset, old: UInt16(truncatingIfNeeded: old >> 16), new: UInt16(truncatingIfNeeded: new >> 16),
            zeroMeansNone: zeroMeansNone)
        adjustChecksum(
            at: offset, old: UInt16(truncatingIfNeeded: old), new: UInt16(truncatingIfNeeded: new),
            zeroMeansNone: zeroMeansNone)
    }

    private var isIPv4: Bool { key.ethType == 0x0800 && length >= layout.l3 + 20 }
    private var isIPv6: Bool { key.ethType == 0x86DD && length >= layout.l3 + 40 }
    private var isARP: Bool { key.ethType == 0x0806 && length >= layout.l3 + 28 }

    /// Where the L4 checksum is that covers the IP pseudo-header (TCP, UDP, ICMPv6), and
    /// whether 0 means "no checksum" (UDP over IPv4).
    private var pseudoHeaderChecksum: (offset: Int, zeroMeansNone: Bool)? {
        guard layout.hasL4 else { return nil }
        switch key.ipProto {
        case 6: return (layout.l4 + 16, false)
        case 17: return (layout.l4 + 6, key.ethType == 0x0800)
        case 58 where key.ethType == 0x86DD: return (layout.l4 + 2, false)
        default: return nil
        }
    }

    /// Rewrites one 16-bit word of the L4 header and its checksum.
    private mutating func rewriteL4Word(at offset: Int, _ value: UInt16, checksumAt: Int, zeroMeansNone: Bool) {
        guard layout.l4 + offset + 2 <= length else { return }
        let old = u16(layout.l4 + offset)
        put16(value, layout.l4 + offset)
        adjustChecksum(at: checksumAt, old: old, new: value, zeroMeansNone: zeroMeansNone)
    }

    /// Set-field (spec 1.3.5 §7.2.5): a field the packet does not have (an IPv4 address of
    /// an ARP frame, a VLAN id of an untagged frame) is left alone.
    mutating func apply(_ write: FieldWrite) {
        let l3 = layout.l3
        let value = write.low
        switch write.field {
        case 3: put48(value, 0)
        case 4: put48(value, 6)
        case 6 where key.isTagged:
            put16((u16(vlanTCIOffset) & 0xF000) | UInt16(truncatingIfNeeded: value & 0xFFF), vlanTCIOffset)
        case 7 where key.isTagged:
            put16((u16(vlanTCIOffset) & 0x1FFF) | UInt16(truncatingIfNeeded: value & 7) << 13, vlanTCIOffset)
        case 8 where isIPv4, 9 where isIPv4:
            let old = u16(l3)
            var tos = UInt8(truncatingIfNeeded: old)
            tos = write.field == 8 ? (tos & 0x03) | UInt8(truncatingIfNeeded: value & 0x3F) << 2
                : (tos & 0xFC) | UInt8(truncatingIfNeeded: value & 3)
            let new = (old & 0xFF00) | UInt16(tos)
            put16(new, l3)
            adjustChecksum(at: l3 + 10, old: old, new: new)
        case 8 where isIPv6, 9 where isIPv6:
            let first = u32(l3)
            var tc = UInt32((first >> 20) & 0xFF)
            tc = write.field == 8 ? (tc & 0x03) | UInt32(value & 0x3F) << 2 : (tc & 0xFC) | UInt32(value & 3)
            put32((first & 0xF00F_FFFF) | tc << 20, l3)
        case 10 where isIPv4:
            let old = u16(l3 + 8)
            let new = (old & 0xFF00) | UInt16(truncatingIfNeeded: value & 0xFF)
            put16(new, l3 + 8)
            adjustChecksum(at: l3 + 10, old: old, new: new)
        case 11 where isIPv4, 12 where isIPv4:
            let offset = l3 + (write.field == 11 ? 12 : 16)
            let old = u32(offset)
            let new = UInt32(truncatingIfNeeded: value)
            put32(new, offset)
            adjustChecksum(at: l3 + 10, old: old, new: new)
            if let l4 = pseudoHeaderChecksum { adjustChecksum(at: l4.offset, old: old, new: new, zeroMeansNone: l4.zeroMeansNone) }
        case 13, 14, 15, 16, 17, 18:
            let proto: UInt8 = write.field <= 14 ? 6 : write.field <= 16 ? 17 : 132
            guard key.ipProto == proto, layout.hasL4 else { break }
            let offset = write.field % 2 == 1 ? 0 : 2
            let checksum = pseudoHeaderChecksum ?? (-1, false)
            rewriteL4Word(at: offset, UInt16(truncatingIfNeeded: value), checksumAt: checksum.offset,
                zeroMeansNone: checksum.zeroMeansNone)
        case 19, 20, 29, 30:
            let v6 = write.field >= 29
            guard layout.hasL4, v6 ? (key.ethType == 0x86DD && key.ipProto == 58) : (key.ethType == 0x0800 && key.ipProto == 1)
            else { break }
            let old = u16(layout.l4)
            let isType = write.field == 19 || write.field == 29
            let new = isType ? (old & 0x00FF) | UInt16(value & 0xFF) << 8 : (old & 0xFF00) | UInt16(value & 0xFF)
            rewriteL4Word(at: 0, new, checksumAt: layout.l4 + 2, zeroMeansNone: false)
        case 21 where isARP: put16(UInt16(truncatingIfNeeded: value), l3 + 6)
        case 22 where isARP: put32(UInt32(truncatingIfNeeded: value), l3 + 14)
        case 23 where isARP: put32(UInt32(truncatingIfNeeded: value), l3 + 24)
        case 24 where isARP: put48(value, l3 + 8)
        case 25 where isARP: put48(value, l3 + 18)
        case 26 where isIPv6, 27 where isIPv6:
            let offset = l3 + (write.field == 26 ? 8 : 24)
            let checksum = pseudoHeaderChecksum
            for (i, half) in [write.high, write.low].enumerated() {
                for j in 0..<2 {
                    let at = offset + i * 8 + j * 4
                    let old = u32(at)
                    let new = UInt32(truncatingIfNeeded: half >> (32 - UInt64(j) * 32))
                    put32(new, at)
                    if let checksum { adjustChecksum(at: checksum.offset, old: old, new: new) }
                }
            }
        case 28 where isIPv6:
            put32((u32(l3) & 0xFFF0_0000) | UInt32(value & 0xFFFFF), l3)
        case 38:
            key.tunnelID = value
            return
        default:
            return
        }
        rekey()
    }

    /// The TCI of the outer tag: right after the MAC addresses and the TPID.
    private var vlanTCIOffset: Int { 14 }

    /// Push-VLAN (spec 1.3.5 §5.12.1): a new outer tag whose VID and PCP are copied from the
    /// existing outer tag, or 0 when there is none.
    mutating func pushVLAN(ethertype: UInt16) {
        guard length >= 14 else { return }
        let tci: UInt16 = key.isTagged ? u16(14) : 0
        var frame = ByteBufferAllocator().buffer(capacity: length + 4)
        frame.writeImmutableBuffer(data.getSlice(at: base, length: 12)!)
        frame.writeInteger(ethertype)
        frame.writeInteger(tci)
        frame.writeImmutableBuffer(data.getSlice(at: base + 12, length: length - 12)!)
        data = frame
        rekey()
    }

    /// Pop-VLAN: removes the outer tag; nothing for an untagged frame.
    mutating func popVLAN() {
        guard key.isTagged, length >= 18 else { return }
        var frame = ByteBufferAllocator().buffer(capacity: length - 4)
        frame.writeImmutableBuffer(data.getSlice(at: base, length: 12)!)
        frame.writeImmutableBuffer(data.getSlice(at: base + 16, length: length - 16)!)
        data = frame
        rekey()
    }

    /// Set-nw-ttl: IPv4 TTL (with the header checksum) or IPv6 hop limit.
    mutating func setNwTTL(_ ttl: UInt8) {
        if isIPv4 {
            let old = u16(layout.l3 + 8)
            let new = UInt16(ttl) << 8 | (old & 0xFF)
            put16(new, layout.l3 + 8)
            adjustChecksum(at: layout.l3 + 10, old: old, new: new)
        } else if isIPv6 {
            data.setInteger(ttl, at: base + layout.l3 + 7)
        }
    }

    /// Dec-nw-ttl. Returns false, leaving the packet as it is, when the TTL is 0 or 1, so
    /// that it would reach 0: the packet is then dropped or sent to the controller with
    /// reason `OFPR_INVALID_TTL` (spec 1.3.5 §5.12.1). Non-IP packets pass unchanged.
    mutating func decNwTTL() -> Bool {
        let offset: Int
        if isIPv4 {
            offset = layout.l3 + 8
        } else if isIPv6 {
            offset = layout.l3 + 7
        } else {
            return true
        }
        let ttl = data.getInteger(at: base + offset, as: UInt8.self) ?? 0
        guard ttl > 1 else { return false }
        setNwTTL(ttl - 1)
        return true
    }
}
