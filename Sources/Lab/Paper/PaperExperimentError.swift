/// A bad sweep, option or output directory of `vnm experiment paper`, said in words that name
/// the option or file at fault.
public struct PaperExperimentError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
