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
