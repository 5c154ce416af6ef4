/// Where OpenFlowNIO reports connection events and the reasons connections are closed.
///
/// A small stand-in until swift-log is a dependency: one method, a level and a message.
public protocol OpenFlowLogger: Sendable {
    func log(_ level: OpenFlowLogLevel, _ message: String)
}

/// Severity of a log line.
public enum OpenFlowLogLevel: Int, Comparable, Sendable, CustomStringConvertible {
    case debug, info, warning, error

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }
}

/// Prints lines at or above `minimumLevel` to standard output.
public struct PrintOpenFlowLogger: OpenFlowLogger {
    public var minimumLevel: OpenFlowLogLevel

    public init(minimumLevel: OpenFlowLogLevel = .info) { self.minimumLevel = minimumLevel }

    public func log(_ level: OpenFlowLogLevel, _ message: String) {
        guard level >= minimumLevel else { return }
        print("openflow \(level): \(message)")
    }
}
