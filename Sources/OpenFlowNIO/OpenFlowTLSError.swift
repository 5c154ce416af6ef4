import NIOSSL

/// What went wrong with TLS on an OpenFlow connection (spec 1.3.5 §6.3.3: the channel may be
/// secured with TLS, both ends authenticated by certificate) or with the files that configure it.
///
/// Configuration errors are thrown by ``OpenFlowTLSConfiguration/init(certificateChainPath:privateKeyPath:trustRootsPath:peerVerification:)``;
/// handshake errors close that one connection with ``OpenFlowCloseReason/tls(_:)``, logged with
/// the peer's address.
public enum OpenFlowTLSError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Which file of an ``OpenFlowTLSConfiguration``.
    public enum FileRole: String, Hashable, Sendable {
        case certificateChain = "certificate chain"
        case privateKey = "private key"
        case trustRoots = "trusted CA certificates"
    }

    /// A file cannot be read (missing, a directory, no permission).
    case unreadableFile(FileRole, path: String, reason: String)
    /// A file was read but holds no usable PEM certificate or key.
    case invalidFile(FileRole, path: String, reason: String)
    /// The files do not make a TLS context together (e.g. the key does not belong to the certificate).
    case invalidConfiguration(String)
    /// The peer presented no certificate although ours requires one (mutual authentication).
    case peerCertificateMissing(peer: String)
    /// The peer's certificate was refused: not issued by a trusted CA, expired, malformed.
    case peerCertificateUntrusted(peer: String, reason: String)
    /// The peer refused our certificate or the handshake, and said so with a TLS alert.
    case rejectedByPeer(peer: String, alert: String)
    /// Any other failure of the handshake (the peer does not speak TLS, no common version or
    /// cipher, the connection closed half-way).
    case handshakeFailed(peer: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableFile(let role, let path, let reason): "cannot read the TLS \(role.rawValue) \(path): \(reason)"
        case .invalidFile(let role, let path, let reason): "the TLS \(role.rawValue) \(path) is not usable: \(reason)"
        case .invalidConfiguration(let reason): "invalid TLS configuration: \(reason)"
        case .peerCertificateMissing(let peer): "TLS peer \(peer) presented no certificate"
        case .peerCertificateUntrusted(let peer, let reason): "TLS peer \(peer)'s certificate is not trusted: \(reason)"
        case .rejectedByPeer(let peer, let alert): "TLS peer \(peer) rejected the handshake: \(alert)"
        case .handshakeFailed(let peer, let reason): "TLS handshake with \(peer) failed: \(reason)"
        }
    }

    /// Classifies an error that NIOSSL raised on a connection with `peer`; nil if `error` is
    /// not a TLS error, or is the peer closing without a TLS close_notify (an ordinary close
    /// for OpenFlow, whose messages are self-delimiting).
    public init?(connectionError error: any Error, peer: String) {
        let stack: [String]
        switch error {
        case NIOSSLError.handshakeFailed(let boring):
            stack = Self.reasons(boring)
            if stack.isEmpty {
                self = .handshakeFailed(peer: peer, reason: "\(boring)")
                return
            }
        case let boring as BoringSSLError:
            stack = Self.reasons(boring)
            if stack.isEmpty { return nil }
        case NIOSSLError.uncleanShutdown:
            return nil
        case let other as NIOSSLError:
            self = .handshakeFailed(peer: peer, reason: "\(other)")
            return
        default:
            return nil
        }
        let joined = stack.joined(separator: ", ")
        if stack.contains(where: { $0.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") }) {
            self = .peerCertificateMissing(peer: peer)
        } else if stack.contains(where: { $0.contains("CERTIFICATE_VERIFY_FAILED") }) {
            self = .peerCertificateUntrusted(peer: peer, reason: joined)
        } else if let alert = stack.first(where: { $0.contains("ALERT") }) {
            self = .rejectedByPeer(peer: peer, alert: alert)
        } else {
            self = .handshakeFailed(peer: peer, reason: joined)
        }
    }

    /// The close reason for a TLS-layer `error` on a connection with `peer`: ``OpenFlowCloseReason/tls(_:)``,
    /// or ``OpenFlowCloseReason/peerClosed`` for a close without TLS close_notify; nil if
    /// `error` does not come from TLS. For channel handlers above an ``OpenFlowTLSConfiguration``'s handler.
    public static func closeReason(for error: any Error, peer: String) -> OpenFlowCloseReason? {
        if let tls = OpenFlowTLSError(connectionError: error, peer: peer) { return .tls(tls) }
        if case NIOSSLError.uncleanShutdown = error { return .peerClosed }
        return nil
    }

    /// The BoringSSL reason names in an error stack ("CERTIFICATE_VERIFY_FAILED", ...).
    private static func reasons(_ error: BoringSSLError) -> [String] {
        switch error {
        case .sslError(let stack), .unknownError(let stack), .invalidSNIName(let stack), .failedToSetALPN(let stack):
            return stack.map { reason(of: "\($0)") }
        default:
            return []
        }
    }

    /// "Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED
    /// at /path:123" → "CERTIFICATE_VERIFY_FAILED".
    static func reason(of text: String) -> String {
        var name = Substring(text)
        if let at = name.firstRange(of: " at ") { name = name[..<at.lowerBound] }
        if let colon = name.lastIndex(of: ":") { name = name[name.index(after: colon)...] }
        return name.isEmpty ? text : String(name)
    }
}
