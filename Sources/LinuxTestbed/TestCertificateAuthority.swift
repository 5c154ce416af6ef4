import Foundation

/// A throwaway certificate authority made by the real `openssl` command in a private temporary
/// directory: a CA certificate and key, and leaf certificates it signs, for TLS tests of
/// controllers and switches (Open vSwitch's `set-ssl KEY CERT CA` takes these files as they are).
///
/// Keys are ECDSA P-256 (fast to make); certificates are valid for two days from now, leaves
/// carry `extendedKeyUsage=serverAuth,clientAuth` so one certificate serves either end.
/// `remove()` (also run on release) deletes the directory.
///
/// ```swift
/// let ca = try TestCertificateAuthority(name: "vnm test CA")
/// defer { ca.remove() }
/// let controller = try ca.issue(commonName: "controller")
/// ```
public final class TestCertificateAuthority: @unchecked Sendable {
    /// The directory holding every file of this CA (mode 0700).
    public let directory: String
    /// The CA certificate's subject common name.
    public let name: String
    /// PEM: the CA certificate (what peers trust).
    public let certificatePath: String
    /// PEM: the CA's private key.
    public let keyPath: String
    private let openssl: String
    private let lock = NSLock()
    private var removed = false

    /// Makes the CA: a fresh directory under /tmp, a key and a self-signed CA certificate.
    /// Throws `TestbedError.missingTool` if `openssl` is not installed (package `openssl`), or
    /// `commandFailed` with openssl's stderr.
    public init(name: String = "vnm test CA") throws {
        openssl = try Tools.locate("openssl", package: "openssl")
        var template = Array("/tmp/vnm-ca-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw TestbedError.invalidArgument("cannot make a temporary directory under /tmp: \(String(cString: strerror(errno)))")
        }
        directory = String(cString: made)
        self.name = name
        certificatePath = directory + "/ca-cert.pem"
        keyPath = directory + "/ca-key.pem"
        do {
            try run([
                "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", keyPath, "-out", certificatePath, "-days", "2", "-subj", "/CN=" + name,
                "-set_serial", Self.serial(),
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ])
        } catch {
            remove()
            throw error
        }
    }

    deinit { remove() }

    /// A leaf certificate for `commonName` signed by this CA, with its key, in ``directory``.
    public func issue(commonName: String) throws -> TestCertificate {
        let stem = directory + "/" + Self.slug(commonName)
        let certificate = TestCertificate(
            commonName: commonName, certificatePath: stem + "-cert.pem", keyPath: stem + "-key.pem")
        let request = stem + ".csr"
        let extensions = stem + ".ext"
        try """
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature,keyAgreement
            extendedKeyUsage=serverAuth,clientAuth
            subjectKeyIdentifier=hash
            authorityKeyIdentifier=keyid
            subjectAltName=DNS:\(Self.slug(commonName)),IP:127.0.0.1

            """.write(toFile: extensions, atomically: true, encoding: .utf8)
        try run([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", certificate.keyPath, "-out", request, "-subj", "/CN=" + commonName,
        ])
        try run([
            "x509", "-req", "-in", request, "-CA", certificatePath, "-CAkey", keyPath, "-set_serial", Self.serial(),
            "-days", "2", "-out", certificate.certificatePath, "-extfile", extensions,
        ])
        return certificate
    }

    /// Attempts a TLS handshake with `host`:`port` using `openssl s_client`, presenting
    /// `certificate` (nil: no client certificate) and checking the server's against this CA;
    /// sends nothing and closes. Returns s_client's result whatever its status (a server that
    /// refuses the client after a TLS 1.3 handshake may still let s_client exit with 0: judge
    /// by the server's side).
    public func openSSLClient(host: String = "127.0.0.1", port: Int, certificate: TestCertificate?) throws -> CommandResult {
        var arguments = ["s_client", "-connect", "\(host):\(port)", "-CAfile", certificatePath, "-verify_return_error", "-brief"]
        if let certificate { arguments += ["-cert", certificate.certificatePath, "-key", certificate.keyPath] }
        return try BackgroundProcess.start(
            [openssl] + arguments, environment: ProcessInfo.processInfo.environment, scratch: directory
        ).waitForExit(timeout: 30)
    }

    /// Deletes ``directory`` and everything in it. Idempotent.
    public func remove() {
        lock.lock()
        defer { lock.unlock() }
        guard !removed else { return }
        removed = true
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func run(_ arguments: [String]) throws {
        try BackgroundProcess.start(
            [openssl] + arguments, environment: ProcessInfo.processInfo.environment, scratch: directory
        ).waitForExit(timeout: 30).check()
    }

    private static func serial() -> String {
        "0x" + String(UInt64.random(in: 1...UInt64(Int64.max)), radix: 16)
    }

    private static func slug(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
    }
}

/// A certificate and its private key, PEM files made by ``TestCertificateAuthority/issue(commonName:)``.
public struct TestCertificate: Sendable, Hashable {
    public var commonName: String
    public var certificatePath: String
    public var keyPath: String
}
