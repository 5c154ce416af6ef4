import NetworkAddresses
import OpenFlow

/// One box of header space: a conjunction of masked header fields ("vlan_vid = 0x1000|10", or
/// "eth_type = 0x0800 ∧ ipv4_src ∈ 10.1/16 ∧ ipv4_dst ∈ 10.1/16"). A ``Flowspace`` is a union
/// of regions.
///
/// The algebra is that of OXM's masked fields (spec 1.3.5 §7.2.3.5): a field `(v, m)` stands
/// for the values `x` with `x & m == v & m`. Two masked fields of the same header field
/// intersect to a masked field again, `(v1 & m1 | v2 & m2, m1 | m2)`, or to nothing if they
/// disagree on a bit both fix; so a match intersected with a region is a match, and the
/// policy never needs more than one flow entry per region.
public struct FlowspaceRegion: Hashable, Sendable, CustomStringConvertible {
    /// The header fields a region may constrain: the ones flowspaces are defined over.
    public enum Field: UInt8, Hashable, Sendable, CaseIterable {
        case ethType = 5
        case vlanVid = 6
        case ipv4Src = 11
        case ipv4Dst = 12
        case arpSpa = 22
        case arpTpa = 23

        /// The bits that carry meaning: `vlan_vid` is 13 bits (`OFPVID_PRESENT` and the id).
        public var fullMask: UInt32 {
            switch self {
            case .ethType: 0xFFFF
            case .vlanVid: 0x1FFF
            case .ipv4Src, .ipv4Dst, .arpSpa, .arpTpa: 0xFFFF_FFFF
            }
        }

        public var name: String {
            switch self {
            case .ethType: "eth_type"
            case .vlanVid: "vlan_vid"
            case .ipv4Src: "ipv4_src"
            case .ipv4Dst: "ipv4_dst"
            case .arpSpa: "arp_spa"
            case .arpTpa: "arp_tpa"
            }
        }
    }

    /// One masked field: the values `x` with `x & mask == value & mask`.
    public struct Constraint: Hashable, Sendable, CustomStringConvertible {
        public var field: Field
        public var value: UInt32
        public var mask: UInt32

        public init(_ field: Field, _ value: UInt32, mask: UInt32? = nil) {
            self.field = field
            self.mask = (mask ?? field.fullMask) & field.fullMask
            self.value = value & self.mask
        }

        public func admits(_ x: UInt32) -> Bool { x & mask == value }

        /// The intersection with another masked value of the same field; nil if empty.
        public func intersection(_ other: Constraint) -> Constraint? {
            guard (value ^ other.value) & mask & other.mask == 0 else { return nil }
            return Constraint(field, value | other.value, mask: mask | other.mask)
        }

        /// Whether every value `other` admits is admitted here.
        public func covers(_ other: Constraint) -> Bool {
            mask & other.mask == mask && other.value & mask == value
        }

        /// As an OXM field (no mask when every meaningful bit is fixed).
        public var oxm: OXMField {
            let exact = mask == field.fullMask
            switch field {
            case .ethType: return .ethType(UInt16(value), mask: exact ? nil : UInt16(mask))
            case .vlanVid: return .vlanVid(UInt16(value), mask: exact ? nil : UInt16(mask))
            case .ipv4Src: return .ipv4Src(IPv4Address(rawValue: value), mask: exact ? nil : IPv4Address(rawValue: mask))
            case .ipv4Dst: return .ipv4Dst(IPv4Address(rawValue: value), mask: exact ? nil : IPv4Address(rawValue: mask))
            case .arpSpa: return .arpSpa(IPv4Address(rawValue: value), mask: exact ? nil : IPv4Address(rawValue: mask))
            case .arpTpa: return .arpTpa(IPv4Address(rawValue: value), mask: exact ? nil : IPv4Address(rawValue: mask))
            }
        }

        /// The constraint an OXM field of a match expresses; nil for fields regions do not use.
        public init?(_ oxm: OXMField) {
            switch oxm {
            case .ethType(let v, let m): self.init(.ethType, UInt32(v), mask: m.map(UInt32.init))
            case .vlanVid(let v, let m): self.init(.vlanVid, UInt32(v), mask: m.map(UInt32.init))
            case .ipv4Src(let v, let m): self.init(.ipv4Src, v.rawValue, mask: m?.rawValue)
            case .ipv4Dst(let v, let m): self.init(.ipv4Dst, v.rawValue, mask: m?.rawValue)
            case .arpSpa(let v, let m): self.init(.arpSpa, v.rawValue, mask: m?.rawValue)
            case .arpTpa(let v, let m): self.init(.arpTpa, v.rawValue, mask: m?.rawValue)
            default: return nil
            }
        }

        public var description: String {
            switch field {
            case .ethType, .vlanVid:
                mask == field.fullMask
                    ? "\(field.name)=0x\(String(value, radix: 16))"
                    : "\(field.name)=0x\(String(value, radix: 16))/0x\(String(mask, radix: 16))"
            default:
                mask == field.fullMask
                    ? "\(field.name)=\(IPv4Address(rawValue: value))"
                    : "\(field.name)=\(IPv4Address(rawValue: value))/\(IPv4Address(rawValue: mask))"
            }
        }
    }

    /// At most one constraint per field.
    public var constraints: [Constraint]

    public init(_ constraints: [Constraint]) { self.constraints = constraints }

    public func constraint(on field: Field) -> Constraint? { constraints.first { $0.field == field } }

    /// Whether every packet `match` matches lies in this region: each constrained field is
    /// present in the match and at least as narrow.
    public func covers(_ match: OF13.Match) -> Bool {
        constraints.allSatisfy { constraint in
            match.fields.contains { Constraint($0).map { $0.field == constraint.field && constraint.covers($0) } ?? false }
        }
    }

    /// `match` narrowed to this region: each constrained field is added, or intersected with the
    /// match's own; nil if they are disjoint. The other fields are kept; the result is in
    /// prerequisite order (``OF13/Match/ordered(_:)``).
    public func intersection(_ match: OF13.Match) -> OF13.Match? {
        var fields = Array(match.fields)
        for constraint in constraints {
            if let index = fields.firstIndex(where: { Constraint($0)?.field == constraint.field }) {
                guard let own = Constraint(fields[index]), let both = own.intersection(constraint) else { return nil }
                fields[index] = both.oxm
            } else {
                fields.append(constraint.oxm)
            }
        }
        return .ordered(fields)
    }

    /// Whether the two regions share a packet.
    public func overlaps(_ other: FlowspaceRegion) -> Bool {
        constraints.allSatisfy { mine in
            guard let theirs = other.constraint(on: mine.field) else { return true }
            return mine.intersection(theirs) != nil
        }
    }

    /// Whether a packet with these header values lies in the region (a field the packet lacks,
    /// such as `vlan_vid` of an untagged frame, reads as `OFPVID_NONE` = 0 or is absent).
    public func admits(_ packet: PacketFields) -> Bool {
        constraints.allSatisfy { constraint in
            guard let value = packet.value(of: constraint.field) else { return false }
            return constraint.admits(value)
        }
    }

    public var description: String { constraints.map(\.description).joined(separator: ",") }
}
