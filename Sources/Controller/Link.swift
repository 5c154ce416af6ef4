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
