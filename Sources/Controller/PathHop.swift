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
