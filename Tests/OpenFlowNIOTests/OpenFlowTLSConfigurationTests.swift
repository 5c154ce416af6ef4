import Foundation
import LinuxTestbed
import OpenFlowNIO
import Testing

/// Loading the TLS files: certificates made by the real `openssl` command, and every way the
/// files can be wrong, each reported with the file named.
@Suite struct OpenFlowTLSConfigurationTests {
    @Test func loadsAChainAKeyAndTrustedCAs() throws {
        let ca = try TestCertificateAuthority(name: "vnm config test CA")
        defer { ca.remove() }
        let controller = try ca.issue(commonName: "vnm controller")
        let tls = try OpenFlowTLSConfiguration(
            certificateChainPath: controller.certificatePath, privateKeyPath: controller.keyPath,
            trustRootsPath: ca.certificatePath)
        #expect(tls.peerVerification == .required, "peer verification is on by default")
        #expect(tls.certificateChain.count == 1)
        #expect("\(tls.certificateChain[0])".contains("common_name=vnm controller"))
        _ = tls.makeServerHandler()
        _ = try tls.makeClientHandler()
    }

    @Test func namesTheFileThatIsWrong() throws {
        let ca = try TestCertificateAuthority(name: "vnm config test CA")
        defer { ca.remove() }
        let other = try TestCertificateAuthority(name: "vnm other CA")
        defer { other.remove() }
        let good = try ca.issue(commonName: "good")
        let stranger = try other.issue(commonName: "stranger")
        let garbage = ca.directory + "/garbage.pem"
        try "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n"
            .write(toFile: garbage, atomically: true, encoding: .utf8)
        let empty = ca.directory + "/empty.pem"
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        let missing = ca.directory + "/no-such-file.pem"

        func load(_ chain: String, _ key: String, _ roots: String) -> OpenFlowTLSError? {
            do {
                _ = try OpenFlowTLSConfiguration(certificateChainPath: chain, privateKeyPath: key, trustRootsPath: roots)
                return nil
            } catch {
                return error
            }
        }

        #expect(
            load(missing, good.keyPath, ca.certificatePath)
                == .unreadableFile(.certificateChain, path: missing, reason: "No such file or directory"))
        #expect(load(good.certificatePath, missing, ca.certificatePath).flatMap(role) == .privateKey)
        #expect(load(good.certificatePath, good.keyPath, missing).flatMap(role) == .trustRoots)
        // A directory is not a file.
        guard case .unreadableFile(.privateKey, ca.directory, _)? = load(good.certificatePath, ca.directory, ca.certificatePath)
        else { Issue.record("a directory as the key"); return }

        guard case .invalidFile(.certificateChain, garbage, _)? = load(garbage, good.keyPath, ca.certificatePath) else {
            Issue.record("garbage as the certificate"); return
        }
        guard case .invalidFile(.trustRoots, empty, "empty file")? = load(good.certificatePath, good.keyPath, empty) else {
            Issue.record("an empty CA file"); return
        }
        // A certificate where the key should be.
        guard case .invalidFile(.privateKey, good.certificatePath, _)? = load(good.certificatePath, good.certificatePath, ca.certificatePath)
        else { Issue.record("a certificate as the key"); return }
        // A key as the certificate.
        guard case .invalidFile(.certificateChain, good.keyPath, _)? = load(good.keyPath, good.keyPath, ca.certificatePath)
        else { Issue.record("a key as the certificate"); return }
        // Someone else's key with our certificate.
        let mismatch = load(good.certificatePath, stranger.keyPath, ca.certificatePath)
        guard case .invalidConfiguration(let reason)? = mismatch else {
            Issue.record("a key that is not the certificate's: \(String(describing: mismatch))"); return
        }
        #expect(reason.contains(good.certificatePath) && reason.contains(stranger.keyPath))
        #expect("\(mismatch!)".hasPrefix("invalid TLS configuration"))
        #expect(
            "\(OpenFlowTLSError.unreadableFile(.certificateChain, path: "/x.pem", reason: "No such file or directory"))"
                == "cannot read the TLS certificate chain /x.pem: No such file or directory")
    }

    private func role(_ error: OpenFlowTLSError) -> OpenFlowTLSError.FileRole? {
        switch error {
        case .unreadableFile(let role, _, _), .invalidFile(let role, _, _): role
        default: nil
        }
    }
}
