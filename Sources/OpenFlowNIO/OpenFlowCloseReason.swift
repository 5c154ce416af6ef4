import NIOCore
import OpenFlow

/// Why an OpenFlow connection was closed. Every close is given exactly one reason, which is
/// logged and reported to the application (``OpenFlowServer/Event/switchDisconnected(datapathID:reason:)``).
public enum OpenFlowCloseReason: Error, Hashable, Sendable, CustomStringConvertible {
    /// A frame that the codec could not decode: bad length, unknown version or type, a body
    /// that does not add up. OpenFlow cannot resynchronise after one.
    case malformedMessage(OpenFlowError)
    /// No version in common (spec 1.3.5 §6.3.1); we sent `OFPET_HELLO_FAILED`/`OFPHFC_INCOMPATIBLE`.
    case helloFailed(peerHeaderVersion: UInt8, peerVersions: [UInt8]?)
    /// A message that is not allowed in the connection's current phase (e.g. a FLOW_MOD before
    /// the HELLO exchange, a second HELLO).
    case unexpectedMessage(type: String, version: UInt8, phase: String)
    /// After negotiation every message must carry the negotiated version (§6.3.1).
    case versionMismatch(negotiated: UInt8, received: UInt8, type: String)
    /// The peer sent `OFPT_ERROR` during the handshake (e.g. its own HELLO_FAILED).
    case peerError(OpenFlowMessage)
    /// HELLO, FEATURES_REPLY (and for OF1.3 the port description) did not complete in time.
    case handshakeTimeout(TimeAmount)
    /// Nothing at all was received for this long, echo requests included (§6.3.2).
    case livenessTimeout(TimeAmount)
    /// More than `messages` messages arrived within `window`.
    case flood(messages: Int, window: TimeAmount)
    /// Too many asynchronous messages arrived before the switch was up to hold them.
    case tooManyEarlyMessages(Int)
    /// The peer closed the connection (or it was reset).
    case peerClosed
    /// The application (or server shutdown) closed it.
    case closedLocally
    /// An I/O error from the channel.
    case channelError(String)
    /// TLS failed: the handshake (an untrusted or missing certificate, a peer that does not
    /// speak TLS) or the TLS layer later.
    case tls(OpenFlowTLSError)

    public var description: String {
        switch self {
        case .malformedMessage(let error): "malformed message: \(error)"
        case .helloFailed(let header, let versions):
            "no common OpenFlow version: peer HELLO header \(OpenFlowVersion.name(header)), bitmap "
                + (versions.map { $0.map(OpenFlowVersion.name).joined(separator: ", ") } ?? "absent")
        case .unexpectedMessage(let type, let version, let phase):
            "unexpected \(type) (\(OpenFlowVersion.name(version))) \(phase)"
        case .versionMismatch(let negotiated, let received, let type):
            "\(type) has version \(OpenFlowVersion.name(received)), negotiated \(OpenFlowVersion.name(negotiated))"
        case .peerError(let message): "peer sent an error during the handshake: \(message)"
        case .handshakeTimeout(let t): "handshake not complete after \(Self.format(t))"
        case .livenessTimeout(let t): "nothing received for \(Self.format(t))"
        case .flood(let n, let window): "flood: \(n) messages within \(Self.format(window))"
        case .tooManyEarlyMessages(let n): "\(n) asynchronous messages before the switch was up"
        case .peerClosed: "closed by peer"
        case .closedLocally: "closed locally"
        case .channelError(let text): "channel error: \(text)"
        case .tls(let error): "\(error)"
        }
    }

    static func format(_ t: TimeAmount) -> String {
        let ms = t.nanoseconds / 1_000_000
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
    }
}
