/// Why a scenario could not be run on the embedded substrate.
public enum ScenarioRunError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The scenario asks for something the runner does not do yet.
    case notSupported(String)
    /// An element of the scenario could not be built or started.
    case setup(element: String, String)

    public var description: String {
        switch self {
        case .notSupported(let what): "not supported yet: \(what)"
        case .setup(let element, let message): "\(element): \(message)"
        }
    }
}
