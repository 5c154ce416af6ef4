import NIOCore
import NetworkAddresses

/// Where the headers of a frame start, found while extracting its ``FlowKey``; the actions
/// that rewrite a packet use it. Offsets count from the frame's first byte.
struct PacketLayout: Hashable, Sendable {
    /// The first byte after the Ethernet header and its VLAN tags.
    var l3: Int = 14
    /// The first byte of the TCP/UDP/SCTP/ICMP header, or -1 when there is none (not IP,
    /// a non-first fragment, or a truncated header).
    var l4: Int = -1
    /// Whether the L4 header lies in a later fragment or is truncated: its fields are not
    /// in the key and set-field leaves them alone.
    var hasL4: Bool { l4 >= 0 }
}

extension FlowKey {
    /// Extracts the key of `frame` received on `inPort` (spec 1.3.5 §7.2.3.7).
    ///
    /// This reads header fields at fixed offsets in one pass over the bytes rather than
    /// building `Packets` values: that would retain slices and verify checksums on every
    /// packet, and the pipeline needs only the fields. The tests check the result against
    /// the `Packets` parsers. A frame too short for a header leaves that header's fields 0.
    public init(frame: ByteBuffer, inPort: UInt32, metadata: UInt64 = 0, tunnelID: UInt64 = 0) {
        var layout = PacketLayout()
        self.init(frame: frame, inPort: inPort, metadata: metadata, tunnelID: tunnelID, layout: &layout)
    }

    init(frame: ByteBuffer, inPort: UInt32, metadata: UInt64, tunnelID: UInt64, layout: inout PacketLayout) {
        var w = SIMD16<UInt64>.zero
        var l3 = 14
        var l4 = -1
        frame.withUnsafeReadableBytes { p in
            let n = p.count
            @inline(__always) func u8(_ o: Int) -> UInt64 { UInt64(p[o]) }
            @inline(__always) func u16(_ o: Int) -> UInt64 {
                UInt64(UInt16(bigEndian: p.loadUnaligned(fromByteOffset: o, as: UInt16.self)))
            }
            @inline(__always) func u32(_ o: Int) -> UInt64 {
                UInt64(UInt32(bigEndian: p.loadUnaligned(fromByteOffset: o, as: UInt32.self)))
            }
            @inline(__always) func u48(_ o: Int) -> UInt64 { u16(o) << 32 | u32(o + 2) }
            @inline(__always) func u64(_ o: Int) -> UInt64 {
                UInt64(bigEndian: p.loadUnaligned(fromByteOffset: o, as: UInt64.self))
            }
            w[0] = UInt64(inPort)
            guard n >= 14 else { return }
            w[2] = u48(0)
            w[3] = u48(6)
            var type = u16(12)
            if type == 0x8100 || type == 0x88A8, n >= 18 {
                let tci = u16(14)
                w[0] |= (UInt64(FlowKey.vidPresent) | (tci & 0xFFF)) << 48
                w[2] |= (tci >> 13) << 48
                type = u16(16)
                l3 = 18
                // A second (inner) tag is skipped: eth_type is the type after the tags.
                if type == 0x8100, n >= 22 {
                    type = u16(20)
                    l3 = 22
                }
            }
            w[0] |= type << 32
            switch type {
            case 0x0800:
                guard n >= l3 + 20, p[l3] >> 4 == 4 else { return }
                let ihl = Int(p[l3] & 0x0F) * 4
                guard ihl >= 20 else { return }
                let tos = u8(l3 + 1)
                let proto = u8(l3 + 9)
                w[2] |= proto << 56
                w[3] |= (tos >> 2) << 48 | (tos & 3) << 56
                w[4] = u32(l3 + 12) | u32(l3 + 16) << 32
                let fragmentOffset = u16(l3 + 6) & 0x1FFF
                let t = l3 + ihl
                guard fragmentOffset == 0 else { return }
                switch proto {
                case 6, 17, 132:
                    guard n >= t + 4 else { return }
                    w[5] = u16(t) | u16(t + 2) << 16
                    l4 = t
                case 1:
                    guard n >= t + 4 else { return }
                    w[5] = u8(t) << 48 | u8(t + 1) << 56
                    l4 = t
                default: break
                }
            case 0x0806:
                // Ethernet/IPv4 ARP only (htype 1, ptype 0x0800, hlen 6, plen 4).
                guard n >= l3 + 28, u16(l3) == 1, u16(l3 + 2) == 0x0800, p[l3 + 4] == 6, p[l3 + 5] == 4
                else { return }
                w[5] = u16(l3 + 6) << 32
                w[6] = u48(l3 + 8)
                w[4] = u32(l3 + 14) | u32(l3 + 24) << 32
                w[7] = u48(l3 + 18)
            case 0x86DD:
                guard n >= l3 + 40 else { return }
                let first = u32(l3)
                let tc = (first >> 20) & 0xFF
                let next = u8(l3 + 6)
                w[2] |= next << 56
                w[3] |= (tc >> 2) << 48 | (tc & 3) << 56
                w[12] = first & 0xFFFFF
                w[8] = u64(l3 + 8)
                w[9] = u64(l3 + 16)
                w[10] = u64(l3 + 24)
                w[11] = u64(l3 + 32)
                // Extension headers are not walked: the next header must be the L4 one.
                let t = l3 + 40
                switch next {
                case 6, 17, 132:
                    guard n >= t + 4 else { return }
                    w[5] = u16(t) | u16(t + 2) << 16
                    l4 = t
                case 58:
                    guard n >= t + 4 else { return }
                    let icmpType = u8(t)
                    w[5] = icmpType << 48 | u8(t + 1) << 56
                    l4 = t
                    // Neighbour solicitation (135) and advertisement (136): target, and the
                    // first option if it is the source (1) or target (2) link-layer address.
                    if icmpType == 135 || icmpType == 136, n >= t + 24 {
                        w[13] = u64(t + 8)
                        w[14] = u64(t + 16)
                        if n >= t + 32, p[t + 25] == 1 {
                            if icmpType == 135, p[t + 24] == 1 { w[6] = u48(t + 26) }
                            if icmpType == 136, p[t + 24] == 2 { w[7] = u48(t + 26) }
                        }
                    }
                default: break
                }
            default: break
            }
        }
        w[1] = metadata
        w[15] = tunnelID
        self.words = w
        layout.l3 = l3
        layout.l4 = l4
    }
}
