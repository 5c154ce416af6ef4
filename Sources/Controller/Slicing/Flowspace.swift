/// The packets a virtual network owns, as FlowVisor's flowspace (Sherwood et al. 2010, the
/// paper's ref. [10]): every flow entry, PACKET_OUT and PACKET_IN of the network must lie in it.
///
/// - ``vlan(_:)``: the frames tagged with that VLAN id (`vlan_vid = OFPVID_PRESENT | id`),
///   whatever they carry.
/// - ``ipv4(_:)``: untagged IPv4 packets whose source **and** destination both lie in the
///   prefixes, and untagged ARP packets whose sender and target protocol addresses both do: the
///   network's own traffic, so that two networks with disjoint prefixes own disjoint packets
///   even when they talk about each other's addresses. "Untagged" (`vlan_vid = OFPVID_NONE`)
///   keeps such a network disjoint from every VLAN network.
///
/// It is a union of ``FlowspaceRegion``s: one for a VLAN; for `n` prefixes, `n²` IPv4 regions
/// (one per source/destination pair) and `n²` ARP ones.
public enum Flowspace: Hashable, Sendable, CustomStringConvertible {
    case vlan(UInt16)
    case ipv4([IPv4Prefix])

    /// `OFPVID_PRESENT` (spec 1.3.5 §7.2.3.8).
    public static let vlanPresent: UInt32 = 0x1000

    public var regions: [FlowspaceRegion] {
        switch self {
        case .vlan(let id):
            return [FlowspaceRegion([.init(.vlanVid, Self.vlanPresent | UInt32(id & 0x0FFF))])]
        case .ipv4(let prefixes):
            var regions: [FlowspaceRegion] = []
            for source in prefixes {
                for destination in prefixes {
                    regions.append(
                        FlowspaceRegion([
                            .init(.ethType, 0x0800), .init(.vlanVid, 0),
                            .init(.ipv4Src, source.address.rawValue, mask: source.mask),
                            .init(.ipv4Dst, destination.address.rawValue, mask: destination.mask),
                        ]))
                }
            }
            for source in prefixes {
                for destination in prefixes {
                    regions.append(
                        FlowspaceRegion([
                            .init(.ethType, 0x0806), .init(.vlanVid, 0),
                            .init(.arpSpa, source.address.rawValue, mask: source.mask),
                            .init(.arpTpa, destination.address.rawValue, mask: destination.mask),
                        ]))
                }
            }
            return regions
        }
    }

    /// The header fields that define the flowspace: an action that rewrites one of them
    /// (SET_FIELD, PUSH_VLAN, POP_VLAN) could move a packet out of it.
    public var definingFields: Set<FlowspaceRegion.Field> {
        Set(regions.flatMap { $0.constraints.map(\.field) })
    }

    /// Whether some packet lies in both flowspaces.
    public func overlaps(_ other: Flowspace) -> Bool {
        let theirs = other.regions
        return regions.contains { mine in theirs.contains { mine.overlaps($0) } }
    }

    public func admits(_ packet: PacketFields) -> Bool { regions.contains { $0.admits(packet) } }

    public var description: String {
        switch self {
        case .vlan(let id): "vlan \(id)"
        case .ipv4(let prefixes): "ipv4 \(prefixes.map(\.description).joined(separator: ","))"
        }
    }
}
