/// The switches and the directed links between them, as discovered: a plain value that apps
/// keep and path computations read.
public struct Topology: Hashable, Sendable {
    public private(set) var switches: Set<UInt64> = []
    public private(set) var links: Set<Link> = []
    /// Cost of a link for ``shortestPath(from:to:)``; links not listed cost ``defaultWeight``.
    public var weights: [Link: UInt64] = [:]
    public var defaultWeight: UInt64 = 1

    public init() {}

    public init(switches: some Sequence<UInt64>, links: some Sequence<Link>) {
        self.switches = Set(switches)
        for link in links { insert(link) }
    }

    public mutating func addSwitch(_ datapathID: UInt64) {
        switches.insert(datapathID)
    }

    /// Removes the switch and every link to or from it; returns the links removed.
    @discardableResult
    public mutating func removeSwitch(_ datapathID: UInt64) -> [Link] {
        switches.remove(datapathID)
        return removeLinks { $0.source.datapathID == datapathID || $0.destination.datapathID == datapathID }
    }

    /// Adds a link (and its switches); returns true if it is new.
    @discardableResult
    public mutating func insert(_ link: Link) -> Bool {
        switches.insert(link.source.datapathID)
        switches.insert(link.destination.datapathID)
        return links.insert(link).inserted
    }

    @discardableResult
    public mutating func remove(_ link: Link) -> Bool {
        links.remove(link) != nil
    }

    /// Removes every link that starts or ends at `endpoint` (a port that went down); returns them.
    @discardableResult
    public mutating func removeLinks(at endpoint: Endpoint) -> [Link] {
        removeLinks { $0.source == endpoint || $0.destination == endpoint }
    }

    private mutating func removeLinks(where predicate: (Link) -> Bool) -> [Link] {
        let gone = links.filter(predicate).sorted()
        links.subtract(gone)
        return gone
    }

    /// True if a discovered link starts or ends at `endpoint`: an inter-switch port, where no
    /// host is attached.
    public func isInterSwitch(_ endpoint: Endpoint) -> Bool {
        links.contains { $0.source == endpoint || $0.destination == endpoint }
    }

    public func weight(of link: Link) -> UInt64 { weights[link] ?? defaultWeight }

    /// The links out of `datapathID`, in a fixed order.
    public func links(from datapathID: UInt64) -> [Link] {
        links.filter { $0.source.datapathID == datapathID }.sorted()
    }
}
