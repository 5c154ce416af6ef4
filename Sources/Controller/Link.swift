/// One port of one switch: where a link starts or ends, or where a host is attached.
public struct Endpoint: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var datapathID: UInt64
    /// An OpenFlow 1.3 port number (`ofp_port_no`, spec 1.3.5 §7.2.1).
    public var port: UInt32

    public init(datapathID: UInt64, port: UInt32) {
        self.datapathID = datapathID
        self.port = port
    }

    public static func < (a: Endpoint, b: Endpoint) -> Bool {
        (a.datapathID, a.port) < (b.datapathID, b.port)
    }

    public var description: String { "\(datapathID):\(port)" }
}

/// A directed link between two switches as LLDP sees it: a probe sent out of `source` arrived
/// at `destination`. A cable gives two links, one per direction, each discovered on its own.
public struct Link: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var source: Endpoint
    public var destination: Endpoint

    public init(source: Endpoint, destination: Endpoint) {
        self.source = source
        self.destination = destination
    }

    /// `Link(src: (1, 2), dst: (2, 1))`.
    public init(src: (UInt64, UInt32), dst: (UInt64, UInt32)) {
        self.init(source: Endpoint(datapathID: src.0, port: src.1), destination: Endpoint(datapathID: dst.0, port: dst.1))
    }

    /// The same cable in the other direction.
    public var reversed: Link { Link(source: destination, destination: source) }

    public static func < (a: Link, b: Link) -> Bool { (a.source, a.destination) < (b.source, b.destination) }

    public var description: String { "\(source)->\(destination)" }
}

/// One switch on a path: the packet enters at `inPort` and leaves at `outPort`.
public struct PathHop: Hashable, Sendable, CustomStringConvertible {
    public var datapathID: UInt64
    public var inPort: UInt32
    public var outPort: UInt32

    public init(datapathID: UInt64, inPort: UInt32, outPort: UInt32) {
        self.datapathID = datapathID
        self.inPort = inPort
        self.outPort = outPort
    }

    public var description: String { "\(datapathID):\(inPort)->\(outPort)" }
}
