import CoreMetrics
import Metrics
import NIOCore
import OpenFlow
import OpenFlowNIO
import Prometheus

/// The controller's Prometheus metrics, kept by observing every OpenFlow connection: pass it to
/// ``OpenFlowServer/init(configuration:group:logger:inlineApp:)`` (and to the
/// ``ControllerRuntime``) as the logger; it forwards log lines to `base` and counts.
///
/// | metric | kind | labels |
/// |---|---|---|
/// | `openflow_messages_total` | counter | `direction` (`in`, `out`), `version` (`1.0`, `1.3`), `type` (`OFPT_FLOW_MOD`, ...) |
/// | `openflow_errors_received_total` | counter | `type` (`OFPET_BAD_MATCH`, ...) |
/// | `openflow_connections_closed_total` | counter | `reason` (`peer_closed`, `liveness_timeout`, ...) |
/// | `openflow_connected_switches` | gauge | |
/// | `openflow_request_rtt_seconds` | histogram | `request` (`OFPT_BARRIER_REQUEST`, `OFPT_MULTIPART_REQUEST`, ...) |
///
/// Every metric object is made up front and kept in arrays that are never changed, so the
/// per-message cost on the event loop is an array index and a relaxed atomic increment: no
/// lock, no allocation.
public final class ControllerMetrics: OpenFlowLogger, Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory
    public let base: any OpenFlowLogger
    /// Indexed by `direction * 512 + version * 256 + message type`: direction 0 in, 1 out;
    /// version 0 is 1.0, 1 is 1.3 (one flat array: one bounds check, no nested array retained).
    private let messages: [CoreMetrics.Counter]
    private let errors: [UInt16: CoreMetrics.Counter]
    private let otherErrors: CoreMetrics.Counter
    private let closed: [String: CoreMetrics.Counter]
    private let connected: CoreMetrics.Meter
    private let roundTrips: [String: CoreMetrics.Timer]

    static let closeReasons = [
        "malformed_message", "hello_failed", "unexpected_message", "version_mismatch", "peer_error", "handshake_timeout",
        "liveness_timeout", "flood", "too_many_early_messages", "peer_closed", "closed_locally", "channel_error",
    ]
    static let requestTypes = [
        "OFPT_BARRIER_REQUEST", "OFPT_MULTIPART_REQUEST", "OFPT_STATS_REQUEST", "OFPT_ECHO_REQUEST",
        "OFPT_FEATURES_REQUEST", "OFPT_GET_CONFIG_REQUEST", "OFPT_ROLE_REQUEST", "OFPT_GET_ASYNC_REQUEST",
        "OFPT_QUEUE_GET_CONFIG_REQUEST", "other",
    ]
    /// Round trips from 50 µs (a barrier on loopback) to 5 s (a switch that is about to time out).
    static let roundTripBuckets: [Duration] = [
        .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
        .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
    ]

    public init(base: any OpenFlowLogger = PrintOpenFlowLogger(), registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.base = base
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["openflow_request_rtt_seconds"] = Self.roundTripBuckets
        self.factory = factory
        var messages: [CoreMetrics.Counter] = []
        for direction in ["in", "out"] {
            for (version, name) in [(OpenFlowVersion.v10, "1.0"), (OpenFlowVersion.v13, "1.3")] {
                for type in 0...255 {
                    messages.append(
                        CoreMetrics.Counter(
                            label: "openflow_messages_total",
                            dimensions: [("direction", direction), ("version", name), ("type", Self.typeName(UInt8(type), version: version))],
                            factory: factory))
                }
            }
        }
        self.messages = messages
        var errors: [UInt16: CoreMetrics.Counter] = [:]
        for type: UInt16 in Array(0...13) + [0xFFFF] {
            errors[type] = CoreMetrics.Counter(
                label: "openflow_errors_received_total",
                dimensions: [("type", "\(OF13.ErrorMessage.ErrorType(rawValue: type))")], factory: factory)
        }
        self.errors = errors
        otherErrors = CoreMetrics.Counter(label: "openflow_errors_received_total", dimensions: [("type", "other")], factory: factory)
        closed = Dictionary(
            uniqueKeysWithValues: Self.closeReasons.map {
                ($0, CoreMetrics.Counter(label: "openflow_connections_closed_total", dimensions: [("reason", $0)], factory: factory))
            })
        connected = CoreMetrics.Meter(label: "openflow_connected_switches", factory: factory)
        roundTrips = Dictionary(
            uniqueKeysWithValues: Self.requestTypes.map {
                ($0, CoreMetrics.Timer(label: "openflow_request_rtt_seconds", dimensions: [("request", $0)], factory: factory))
            })
    }

    /// The metrics in the Prometheus text exposition format (what `GET /metrics` serves).
    public func exposition() -> String { registry.emitToString() }

    /// Names that are not message types (the codec's "unknown") share one label value.
    private static func typeName(_ type: UInt8, version: UInt8) -> String {
        let name = version == OpenFlowVersion.v13 ? "\(OF13.Message.typeName(type))" : "\(OF10.Message.typeName(type))"
        return type == 0 ? "OFPT_HELLO" : name
    }

    /// The label value of a close reason.
    public static func label(_ reason: OpenFlowCloseReason) -> String {
        switch reason {
        case .malformedMessage: "malformed_message"
        case .helloFailed: "hello_failed"
        case .unexpectedMessage: "unexpected_message"
        case .versionMismatch: "version_mismatch"
        case .peerError: "peer_error"
        case .handshakeTimeout: "handshake_timeout"
        case .livenessTimeout: "liveness_timeout"
        case .flood: "flood"
        case .tooManyEarlyMessages: "too_many_early_messages"
        case .peerClosed: "peer_closed"
        case .closedLocally: "closed_locally"
        case .channelError: "channel_error"
        case .tls: "tls"
        }
    }

    private func count(_ message: OpenFlowMessage, direction: Int) {
        let type: UInt8
        let version: Int
        switch message {
        case .hello(_, let v, _):
            type = 0
            version = v == OpenFlowVersion.v10 ? 0 : 1
        case .of10(let body, _):
            type = body.type
            version = 0
        case .of13(let body, _):
            type = body.type
            version = 1
        }
        messages[direction &* 512 &+ version &* 256 &+ Int(type)].increment()
    }

    // MARK: OpenFlowLogger

    public func log(_ level: OpenFlowLogLevel, _ message: String) { base.log(level, message) }

    public func log(_ level: OpenFlowLogLevel, _ message: String, metadata: [String: String]) {
        base.log(level, message, metadata: metadata)
    }

    public func received(_ message: OpenFlowMessage) {
        count(message, direction: 0)
        switch message {
        case .of13(.error(let error), _): (errors[error.type.rawValue] ?? otherErrors).increment()
        case .of10(.error, _): otherErrors.increment()
        default: break
        }
    }

    public func sent(_ message: OpenFlowMessage) { count(message, direction: 1) }

    public func switchConnected(_ datapath: DatapathInfo) { connected.increment() }

    public func connectionClosed(datapathID: UInt64?, reason: OpenFlowCloseReason) {
        if datapathID != nil { connected.decrement() }
        closed[Self.label(reason)]?.increment()
    }

    public func requestCompleted(requestType: String, roundTrip: TimeAmount, succeeded: Bool) {
        guard succeeded else { return }
        (roundTrips[requestType] ?? roundTrips["other"])?.recordNanoseconds(roundTrip.nanoseconds)
    }
}
