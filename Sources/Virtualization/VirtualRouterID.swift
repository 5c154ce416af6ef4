/// The name of a virtual router, which is also the name of the VM that runs its control plane
/// and the key of its forwarding table in a node's shared data plane.
public struct VirtualRouterID: Hashable, Sendable, Comparable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let name: String

    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { name = value }

    public var description: String { name }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.name < rhs.name }
}
