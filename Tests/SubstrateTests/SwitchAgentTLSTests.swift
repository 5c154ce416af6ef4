import Datapath
import Foundation
import LinuxTestbed
import NIOCore
import NIOPosix
import OpenFlow
import OpenFlowNIO
import Substrate
import Testing

/// The switch agent and vnm's controller over TLS with mutual authentication, with
/// certificates made by the real `openssl` command: a CA, a controller and a switch certificate
/// it signs, and a switch certificate signed by another CA that nobody trusts.
@Suite struct SwitchAgentTLSTests {
    /// Every file the tests need, in two throwaway CAs' directories.
    struct PKI {
        let ca: TestCertificateAuthority
        let rogueCA: TestCertificateAuthority
        let controller: OpenFlowTLSConfiguration
        let trustedSwitch: OpenFlowTLSConfiguration
        let untrustedSwitch: OpenFlowTLSConfiguration
        /// A controller whose certificate the switches' CA did not sign.
        let rogueController: OpenFlowTLSConfiguration

        init() throws {
            ca = try TestCertificateAuthority(name: "vnm tls test CA")
            rogueCA = try TestCertificateAuthority(name: "vnm tls rogue CA")
            let controllerCertificate = try ca.issue(commonName: "vnm controller")
            let switchCertificate = try ca.issue(commonName: "vnm switch 1")
            let rogueSwitch = try rogueCA.issue(commonName: "rogue switch")
            let rogueControllerCertificate = try rogueCA.issue(commonName: "rogue controller")
            func configuration(_ certificate: TestCertificate, trusting: TestCertificateAuthority) throws
                -> OpenFlowTLSConfiguration
            {
                try OpenFlowTLSConfiguration(
                    certificateChainPath: certificate.certificatePath, privateKeyPath: certificate.keyPath,
                    trustRootsPath: trusting.certificatePath)
            }
            controller = try configuration(controllerCertificate, trusting: ca)
            trustedSwitch = try configuration(switchCertificate, trusting: ca)
            untrustedSwitch = try configuration(rogueSwitch, trusting: ca)
            rogueController = try configuration(rogueControllerCertificate, trusting: ca)
        }

        func remove() {
            ca.remove()
            rogueCA.remove()
        }
    }

    final class RecordingLogger: OpenFlowLogger {
        let lines = Recorder<String>()
        func log(_ level: OpenFlowLogLevel, _ message: String) { lines.append("\(level): \(message)") }
    }

    /// A TLS controller on 127.0.0.1:0 with its events recorded; stopped afterwards.
    func withController(
        _ tls: OpenFlowTLSConfiguration,
        _ body: (_ port: Int, _ events: Recorder<OpenFlowServer.Event>, _ log: RecordingLogger) async throws -> Void
    ) async throws {
        let log = RecordingLogger()
        let server = OpenFlowServer(logger: log)
        let port = try await server.bind(host: "127.0.0.1", port: 0, tls: tls)
        let events = Recorder<OpenFlowServer.Event>()
        let consumer = Task { for await event in server.events { events.append(event) } }
        do {
            try await body(port, events, log)
        } catch {
            await server.close()
            await consumer.value
            throw error
        }
        await server.close()
        await consumer.value
    }

    func startAgent(datapathID: UInt64, port: Int, tls: OpenFlowTLSConfiguration) -> (SwitchAgent, Recorder<SwitchAgent.Event>, Task<Void, Never>) {
        let agent = SwitchAgent(
            datapath: makeDatapath(datapathID: datapathID),
            configuration: .init(
                host: "127.0.0.1", port: port, initialBackoff: .milliseconds(50), maximumBackoff: .milliseconds(200), tls: tls),
            logger: QuietLogger()
        ) { _, _, _ in }
        let events = Recorder<SwitchAgent.Event>()
        let consumer = Task { for await event in agent.events { events.append(event) } }
        agent.start()
        return (agent, events, consumer)
    }

    static func connections(_ events: Recorder<OpenFlowServer.Event>) -> [OpenFlowConnection] {
        events.all.compactMap { if case .switchConnected(_, let connection) = $0 { connection } else { nil } }
    }

    static func rejections(_ events: Recorder<OpenFlowServer.Event>) -> [OpenFlowTLSError] {
        events.all.compactMap { if case .connectionRejected(_, .tls(let error)) = $0 { error } else { nil } }
    }

    @Test func switchAgentAndControllerCompleteTheOpenFlowHandshakeOverMutualTLS() async throws {
        let pki = try PKI()
        defer { pki.remove() }
        try await withController(pki.controller) { port, events, log in
            let (agent, agentEvents, consumer) = startAgent(datapathID: 0x5e1, port: port, tls: pki.trustedSwitch)
            do {
                let connection = try await eventually("the switch over TLS") { Self.connections(events).first }
                #expect(connection.datapathID == 0x5e1 && connection.version == OpenFlowVersion.v13)
                #expect(agentEvents.all.first == .connected(version: OpenFlowVersion.v13))
                // OpenFlow works across it: a flow, a barrier, an echo.
                try await connection.send(flowMod(priority: 10, [.inPort(1)], output: 2))
                try await connection.barrier()
                #expect(try await agent.datapath.flowCount == 1)
                #expect(try await connection.echo(ByteBuffer(string: "over tls")) == ByteBuffer(string: "over tls"))
                // The controller logged who the switch is by its certificate.
                #expect(
                    log.lines.all.contains { $0.contains("switch up") && $0.contains("common_name=vnm switch 1") },
                    "log: \(log.lines.all)")
                #expect(Self.rejections(events).isEmpty)
            } catch {
                await agent.stop()
                await consumer.value
                throw error
            }
            await agent.stop()
            await consumer.value
        }
    }

    @Test func untrustedOrCertificatelessClientsAreRejectedWhileATrustedOneIsServed() async throws {
        let pki = try PKI()
        defer { pki.remove() }
        try await withController(pki.controller) { port, events, log in
            let (trusted, _, trustedConsumer) = startAgent(datapathID: 1, port: port, tls: pki.trustedSwitch)
            let (untrusted, untrustedEvents, untrustedConsumer) = startAgent(datapathID: 2, port: port, tls: pki.untrustedSwitch)
            do {
                let connection = try await eventually("the trusted switch") { Self.connections(events).first }
                #expect(connection.datapathID == 1)

                // The switch whose certificate another CA signed: refused, over and over (it
                // keeps retrying), each time with the reason typed on both sides.
                _ = try await eventually("two rejections of the untrusted switch") {
                    Self.rejections(events).filter { if case .peerCertificateUntrusted = $0 { true } else { false } }
                        .count >= 2 ? true : nil
                }
                let agentSide = try await eventually("the untrusted agent told why") {
                    untrustedEvents.all.lazy.compactMap { event -> OpenFlowTLSError? in
                        if case .rejected(.tls(let error)) = event { error } else { nil }
                    }.first
                }
                guard case .rejectedByPeer(_, let alert) = agentSide else {
                    Issue.record("the untrusted agent saw \(agentSide)")
                    return
                }
                #expect(alert.contains("ALERT"), "\(alert)")
                #expect(!untrustedEvents.all.contains { if case .connected = $0 { true } else { false } })

                // A client presenting no certificate at all (openssl s_client without -cert).
                let sClient = try await blockingCall { try pki.ca.openSSLClient(port: port, certificate: nil) }
                _ = try await eventually("the certificateless client rejected (s_client: \(sClient.stderr))") {
                    Self.rejections(events).contains { if case .peerCertificateMissing = $0 { true } else { false } }
                        ? true : nil
                }
                // A client that does not speak TLS: an OpenFlow HELLO in clear text.
                let plain = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: port).get()
                try await plain.writeAndFlush(ByteBuffer(bytes: [0x04, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01]))
                _ = try await eventually("the clear-text client rejected") {
                    Self.rejections(events).contains { if case .handshakeFailed = $0 { true } else { false } } ? true : nil
                }
                try await plain.closeFuture.get()
                #expect(
                    log.lines.all.contains { $0.hasPrefix("warning") && $0.contains("presented no certificate") },
                    "the rejection was logged: \(log.lines.all)")

                // Meanwhile the trusted switch was served on the same connection throughout.
                #expect(try await connection.echo(ByteBuffer(string: "still here")) == ByteBuffer(string: "still here"))
                try await connection.barrier()
                #expect(Self.connections(events).count == 1)
                #expect(!events.all.contains { if case .switchDisconnected = $0 { true } else { false } })
            } catch {
                await untrusted.stop()
                await trusted.stop()
                await untrustedConsumer.value
                await trustedConsumer.value
                throw error
            }
            await untrusted.stop()
            await trusted.stop()
            await untrustedConsumer.value
            await trustedConsumer.value
        }
    }

    @Test func switchAgentRefusesAControllerItsCADidNotSign() async throws {
        let pki = try PKI()
        defer { pki.remove() }
        try await withController(pki.rogueController) { port, events, _ in
            let (agent, agentEvents, consumer) = startAgent(datapathID: 3, port: port, tls: pki.trustedSwitch)
            do {
                let refusal = try await eventually("the agent refusing the controller") {
                    agentEvents.all.lazy.compactMap { event -> OpenFlowTLSError? in
                        if case .rejected(.tls(let error)) = event { error } else { nil }
                    }.first
                }
                guard case .peerCertificateUntrusted = refusal else {
                    Issue.record("the agent saw \(refusal)")
                    return
                }
                #expect(Self.connections(events).isEmpty)
                #expect(!agentEvents.all.contains { if case .connected = $0 { true } else { false } })
            } catch {
                await agent.stop()
                await consumer.value
                throw error
            }
            await agent.stop()
            await consumer.value
        }
    }
}

/// Runs a blocking call (a child process) on a thread of its own.
func blockingCall<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
