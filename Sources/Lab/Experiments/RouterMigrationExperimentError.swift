/// An experiment that cannot run, and why.
public struct RouterMigrationExperimentError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
