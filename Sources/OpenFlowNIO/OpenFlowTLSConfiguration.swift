import NIOCore
import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// TLS for OpenFlow connections, with both ends authenticated by certificate (spec 1.3.5
/// §6.3.3: "the switch and controller mutually authenticate by exchanging certificates signed
/// by a site-specific private key"). The same value serves a controller's listener
/// (``OpenFlowServer/bind(host:port:tls:)``) and a switch's connection (the switch agent).
///
/// Each end presents its certificate chain and checks the peer's against the trusted CA
/// certificates. Names are not checked, as Open vSwitch does not check them either: switches
/// and controllers are known by the CA that signed them, not by DNS names.
///
/// The files are read, and the TLS contexts built, when the value is made, so a wrong path or
/// a key that does not belong to the certificate is reported there, once, with the file named.
///
/// Open vSwitch as the switch: `ovs-vsctl set-ssl SWITCH-KEY SWITCH-CERT CA-CERT`, then
/// `ovs-vsctl set-controller BRIDGE ssl:HOST:PORT`; the controller uses a certificate the same
/// CA signed, and trusts that CA.
///
/// ```swift
/// let tls = try OpenFlowTLSConfiguration(
///     certificateChainPath: "ctl-cert.pem", privateKeyPath: "ctl-key.pem", trustRootsPath: "ca.pem")
/// try await server.bind(host: "0.0.0.0", port: 6653, tls: tls)
/// ```
public struct OpenFlowTLSConfiguration: Sendable {
    /// Whether the peer must present a certificate that chains to the trusted CAs.
    public enum PeerVerification: Hashable, Sendable {
        /// Required (the default): a peer without a certificate, or with one the trusted CAs
        /// did not sign, is refused during the handshake.
        case required
        /// No check at all: encryption without authentication. For experiments only.
        case none
    }

    /// PEM file: our certificate, then any intermediate CA certificates.
    public let certificateChainPath: String
    /// PEM file: the private key of our certificate.
    public let privateKeyPath: String
    /// PEM file: the CA certificates that sign the peers' certificates.
    public let trustRootsPath: String
    public let peerVerification: PeerVerification
    /// The lowest TLS version accepted: TLS 1.2.
    public static let minimumTLSVersion = TLSVersion.tlsv12

    /// Our certificate chain as loaded.
    public let certificateChain: [NIOSSLCertificate]
    let serverContext: NIOSSLContext
    let clientContext: NIOSSLContext

    /// Reads the three PEM files and builds the TLS contexts.
    /// - Throws: ``OpenFlowTLSError/unreadableFile(_:path:reason:)``,
    ///   ``OpenFlowTLSError/invalidFile(_:path:reason:)`` naming the file, or
    ///   ``OpenFlowTLSError/invalidConfiguration(_:)``.
    public init(
        certificateChainPath: String, privateKeyPath: String, trustRootsPath: String,
        peerVerification: PeerVerification = .required
    ) throws(OpenFlowTLSError) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.trustRootsPath = trustRootsPath
        self.peerVerification = peerVerification

        let chain = try Self.certificates(.certificateChain, path: certificateChainPath)
        let keyBytes = try Self.readFile(.privateKey, path: privateKeyPath)
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: keyBytes, format: .pem)
        } catch {
            throw .invalidFile(.privateKey, path: privateKeyPath, reason: "no PEM private key (\(error))")
        }
        let roots = try Self.certificates(.trustRoots, path: trustRootsPath)
        certificateChain = chain

        var server = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key),
            trustRoots: .certificates(roots))
        var client = TLSConfiguration.makeClientConfiguration()
        client.certificateChain = chain.map { .certificate($0) }
        client.privateKey = .privateKey(key)
        client.trustRoots = .certificates(roots)
        let verification: CertificateVerification = peerVerification == .required ? .noHostnameVerification : .none
        // OpenFlow messages delimit themselves, so a close need not wait long for the peer's
        // close_notify (NIOSSL's default wait is 5 s).
        server.shutdownTimeout = .seconds(1)
        client.shutdownTimeout = .seconds(1)
        server.minimumTLSVersion = Self.minimumTLSVersion
        server.certificateVerification = verification
        client.minimumTLSVersion = Self.minimumTLSVersion
        client.certificateVerification = verification
        do {
            serverContext = try NIOSSLContext(configuration: server)
            clientContext = try NIOSSLContext(configuration: client)
        } catch {
            throw .invalidConfiguration(
                "\(certificateChainPath) with \(privateKeyPath): \(Self.describe(error)) (does the key belong to the certificate?)")
        }
    }

    /// The handler that a listener puts first in each accepted connection's pipeline.
    public func makeServerHandler() -> any ChannelHandler {
        NIOSSLServerHandler(context: serverContext)
    }

    /// The handler that a switch puts first in its connection's pipeline.
    public func makeClientHandler() throws -> any ChannelHandler {
        try NIOSSLClientHandler(context: clientContext, serverHostname: nil)
    }

    /// The subject of the peer's certificate on `channel`'s pipeline (after the handshake), for
    /// logs: "common name (serial)". Call on the channel's event loop.
    static func peerDescription(_ pipeline: ChannelPipeline.SynchronousOperations) -> String? {
        guard let certificate = try? pipeline.nioSSL_peerCertificate() else { return nil }
        let version = (try? pipeline.nioSSL_tlsVersion()).map { "\($0)" } ?? "TLS"
        return "\(version), peer certificate \(certificate)"
    }

    // MARK: Loading files

    private static func certificates(_ role: OpenFlowTLSError.FileRole, path: String) throws(OpenFlowTLSError)
        -> [NIOSSLCertificate]
    {
        let bytes = try readFile(role, path: path)
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMBytes(bytes)
        } catch {
            throw .invalidFile(role, path: path, reason: "no PEM certificate (\(describe(error)))")
        }
        guard !certificates.isEmpty else { throw .invalidFile(role, path: path, reason: "no PEM certificate in it") }
        return certificates
    }

    private static func readFile(_ role: OpenFlowTLSError.FileRole, path: String) throws(OpenFlowTLSError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadableFile(role, path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadableFile(role, path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
            guard bytes.count <= 1 << 20 else { throw .invalidFile(role, path: path, reason: "larger than 1 MiB") }
        }
        guard !bytes.isEmpty else { throw .invalidFile(role, path: path, reason: "empty file") }
        return bytes
    }

    private static func describe(_ error: any Error) -> String {
        if case NIOSSLError.failedToLoadPrivateKey = error { return "the private key cannot be used" }
        if let boring = error as? BoringSSLError, case .unknownError(let stack) = boring {
            return stack.map { OpenFlowTLSError.reason(of: "\($0)") }.joined(separator: ", ")
        }
        return "\(error)"
    }
}
