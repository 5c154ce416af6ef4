/// A slicing configuration that cannot be used: `field` names where (`networks[1].flowspace.vlan`),
/// `problem` what is wrong there.
public struct SlicingConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { field.isEmpty ? problem : "\(field): \(problem)" }
}
