import Logging
import NIOCore
import OpenFlow

/// Where OpenFlowNIO reports connection events and the reasons connections are closed, and
/// what it observes on every connection (messages in and out, switches up, closes, request
/// round trips), so that metrics can be kept without a second channel handler.
///
/// Only ``log(_:_:)`` must be written; everything else has a default (metadata folded into the
/// text, observations ignored). The observation hooks run on the connection's event loop for
/// every message: an implementation must be cheap there (an atomic increment, no lock, no
/// allocation) and must not block.
public protocol OpenFlowLogger: Sendable {
    func log(_ level: OpenFlowLogLevel, _ message: String)
    /// A line with structured fields (`dpid`, `peer`, `reason`, ...).
    func log(_ level: OpenFlowLogLevel, _ message: String, metadata: [String: String])

    /// A message was decoded from a switch (every one, before the connection consumes it).
    func received(_ message: OpenFlowMessage)
    /// A message was written to a switch (the connection's own and the application's).
    func sent(_ message: OpenFlowMessage)
    /// A switch completed the handshake.
    func switchConnected(_ datapath: DatapathInfo)
    /// A connection closed; `datapathID` is nil if the switch never came up.
    func connectionClosed(datapathID: UInt64?, reason: OpenFlowCloseReason)
    /// A request of the application was answered (`succeeded`) or failed (an `OFPT_ERROR`, or
    /// the connection closed) `roundTrip` after it was written. `requestType` is the spec name
    /// of the request (`OFPT_BARRIER_REQUEST`, `OFPT_MULTIPART_REQUEST`, ...).
    func requestCompleted(requestType: String, roundTrip: TimeAmount, succeeded: Bool)
}

extension OpenFlowLogger {
    public func log(_ level: OpenFlowLogLevel, _ message: String, metadata: [String: String]) {
        if metadata.isEmpty { return log(level, message) }
        log(level, message + " " + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
    }

    public func received(_ message: OpenFlowMessage) {}
    public func sent(_ message: OpenFlowMessage) {}
    public func switchConnected(_ datapath: DatapathInfo) {}
    public func connectionClosed(datapathID: UInt64?, reason: OpenFlowCloseReason) {}
    public func requestCompleted(requestType: String, roundTrip: TimeAmount, succeeded: Bool) {}
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

    /// The swift-log level of the same severity.
    public var swiftLogLevel: Logger.Level {
        switch self {
        case .debug: .debug
        case .info: .info
        case .warning: .warning
        case .error: .error
        }
    }
}

/// Logs through swift-log (`Logging.Logger`, label `vnm.openflow` unless given one), so that
/// the process's `LoggingSystem` bootstrap decides the format and the destination; lines below
/// `minimumLevel` are dropped. The name is kept from the time this type used `print`: every
/// existing `PrintOpenFlowLogger(minimumLevel:)` now writes structured swift-log records.
public struct PrintOpenFlowLogger: OpenFlowLogger {
    public var logger: Logger

    public var minimumLevel: OpenFlowLogLevel {
        get {
            switch logger.logLevel {
            case .trace, .debug: .debug
            case .info, .notice: .info
            case .warning: .warning
            case .error, .critical: .error
            }
        }
        set { logger.logLevel = newValue.swiftLogLevel }
    }

    public init(minimumLevel: OpenFlowLogLevel = .info) {
        self.init(logger: Logger(label: "vnm.openflow"), minimumLevel: minimumLevel)
    }

    /// Logs to `logger`; `minimumLevel` (if given) overrides the logger's own level.
    public init(logger: Logger, minimumLevel: OpenFlowLogLevel? = nil) {
        self.logger = logger
        if let minimumLevel { self.logger.logLevel = minimumLevel.swiftLogLevel }
    }

    public func log(_ level: OpenFlowLogLevel, _ message: String) {
        logger.log(level: level.swiftLogLevel, "\(message)")
    }

    public func log(_ level: OpenFlowLogLevel, _ message: String, metadata: [String: String]) {
        logger.log(level: level.swiftLogLevel, "\(message)", metadata: metadata.mapValues { .string($0) })
    }
}
