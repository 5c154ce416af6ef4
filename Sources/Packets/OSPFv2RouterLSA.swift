import NIOCore
import NetworkAddresses

/// The body of a router-LSA (RFC 2328 §A.4.2): the router's flags and links.
///
///    |    0    |V|E|B|        0      |            # links            |
///    |                          Link ID                              |
///    |                         Link Data                             |
///    |     Type      |     # TOS     |            metric             |
///    |      TOS      |        0      |          TOS  metric          |  (# TOS times)
public struct OSPFv2RouterLSA: Hashable, Sendable {
    public struct Flags: OptionSet, Hashable, Sendable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// B: area border router.
        public static let areaBorder = Flags(rawValue: 0x01)
        /// E: AS boundary router.
        public static let asBoundary = Flags(rawValue: 0x02)
        /// V: endpoint of a virtual link.
        public static let virtualLinkEndpoint = Flags(rawValue: 0x04)
    }

    /// A link's Type field.
    public struct LinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Link ID: the neighbour's Router ID; Link Data: the interface's address (or ifIndex).
        public static let pointToPoint = LinkType(rawValue: 1)
        /// Link ID: the Designated Router's address; Link Data: the interface's address.
        public static let transit = LinkType(rawValue: 2)
        /// Link ID: the network number; Link Data: its mask.
        public static let stub = LinkType(rawValue: 3)
        /// Link ID: the neighbour's Router ID; Link Data: the interface's address.
        public static let virtual = LinkType(rawValue: 4)
        public var description: String {
            switch rawValue {
            case 1: "point-to-point"
            case 2: "transit"
            case 3: "stub"
            case 4: "virtual"
            default: "type-\(rawValue)"
            }
        }
    }

    public struct TOSMetric: Hashable, Sendable {
        public var tos: UInt8
        public var metric: UInt16
        public init(tos: UInt8, metric: UInt16) {
            self.tos = tos
            self.metric = metric
        }
    }

    public struct Link: Hashable, Sendable {
        public var linkID: IPv4Address
        public var linkData: IPv4Address
        public var type: LinkType
        /// The TOS 0 metric: the cost of using the link.
        public var metric: UInt16
        /// Metrics for other TOS values (obsolete, kept for round trips).
        public var tosMetrics: [TOSMetric]

        public init(linkID: IPv4Address, linkData: IPv4Address, type: LinkType, metric: UInt16, tosMetrics: [TOSMetric] = []) {
            self.linkID = linkID
            self.linkData = linkData
            self.type = type
            self.metric = metric
            self.tosMetrics = tosMetrics
        }

        /// A point-to-point link to the router `neighbor` from the interface with `address`.
        public static func pointToPoint(neighbor: IPv4Address, interfaceAddress: IPv4Address, metric: UInt16) -> Link {
            Link(linkID: neighbor, linkData: interfaceAddress, type: .pointToPoint, metric: metric)
        }

        /// A stub network `network`/`mask`.
        public static func stub(network: IPv4Address, mask: IPv4Address, metric: UInt16) -> Link {
            Link(linkID: network, linkData: mask, type: .stub, metric: metric)
        }
    }

    public var flags: Flags
    public var links: [Link]

    public init(flags: Flags = [], links: [Link]) {
        self.flags = flags
        self.links = links
    }

    public init(parsing buffer: ByteBuffer) throws(PacketError) {
        let reader = WireReader(buffer, layer: "OSPFv2 router-LSA")
        flags = Flags(rawValue: try reader.integer(at: 0, "flags"))
        let count = Int(try reader.integer(at: 2, as: UInt16.self, "# links"))
        var links: [Link] = []
        links.reserveCapacity(count)
        var offset = 4
        for _ in 0..<count {
            let linkID = try reader.ipv4(at: offset, "Link ID")
            let linkData = try reader.ipv4(at: offset + 4, "Link Data")
            let type = LinkType(rawValue: try reader.integer(at: offset + 8, "Type"))
            let tosCount = Int(try reader.integer(at: offset + 9, as: UInt8.self, "# TOS"))
            let metric: UInt16 = try reader.integer(at: offset + 10, "metric")
            offset += 12
            var tosMetrics: [TOSMetric] = []
            for _ in 0..<tosCount {
                tosMetrics.append(
                    TOSMetric(tos: try reader.integer(at: offset, "TOS"), metric: try reader.integer(at: offset + 2, "TOS metric")))
                offset += 4
            }
            links.append(Link(linkID: linkID, linkData: linkData, type: type, metric: metric, tosMetrics: tosMetrics))
        }
        guard offset == reader.count else { throw reader.error(.badLength, "# links", at: 2) }
        self.links = links
    }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        var written = buffer.writeInteger(flags.rawValue)
        written += buffer.writeInteger(UInt8(0))
        written += buffer.writeInteger(UInt16(truncatingIfNeeded: links.count))
        for link in links {
            written += buffer.writeIPv4(link.linkID)
            written += buffer.writeIPv4(link.linkData)
            written += buffer.writeInteger(link.type.rawValue)
            written += buffer.writeInteger(UInt8(truncatingIfNeeded: link.tosMetrics.count))
            written += buffer.writeInteger(link.metric)
            for tos in link.tosMetrics {
                written += buffer.writeInteger(tos.tos)
                written += buffer.writeInteger(UInt8(0))
                written += buffer.writeInteger(tos.metric)
            }
        }
        return written
    }

    public func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        write(to: &buffer)
        return buffer
    }
}
