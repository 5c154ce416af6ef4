import Foundation
import LinuxTestbed
import NIOCore
import OpenFlow
import OpenFlowNIO
import Testing

/// Runs a blocking testbed call on a thread of its own, so that it never holds one of the
/// cooperative threads the controller needs meanwhile.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

/// The controller against a real Open vSwitch 3.x: the handshake in both versions, the datapath
/// id, the ports from PORT_DESC / FEATURES_REPLY, and echo and barrier round trips.
@Suite(.serialized) struct OpenVSwitchTests {
    @Test func handshakeWithOpenVSwitchInBothVersions() async throws {
        // LinuxTestbed: its own namespaces and daemons, torn down by pid even if the test
        // process dies (its watchdog). Throws, naming the package, if Open vSwitch is missing.
        let testbed = try Testbed(name: "tls-ofnio-handshake")
        defer { testbed.tearDown() }
        try await blocking { try testbed.startOpenVSwitch() }
        let ovs = testbed
        // The controller listens before OVS is told about it: OVS then connects within a
        // millisecond instead of after its reconnect backoff.
        let server = OpenFlowServer(logger: RecordingLogger())
        let socket = testbed.controllerSocketPath("c0")
        try await server.bind(unixDomainSocketPath: socket)
        let events = record(server)
        do {
            // Bridge 1: OF1.0 and OF1.3 offered, OF1.3 expected.
            try await blocking {
                try ovs.vsctl(
                    "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
                    "protocols=OpenFlow10,OpenFlow13", "fail_mode=secure", "other_config:disable-in-band=true",
                    "other-config:datapath-id=0000000000000abc",
                    "--", "add-port", "br0", "p1", "--", "set", "interface", "p1", "type=internal", "ofport_request=1",
                    "--", "add-port", "br0", "p2", "--", "set", "interface", "p2", "type=internal", "ofport_request=2")
                try ovs.vsctl("set-controller", "br0", "unix:\(socket)")
            }
            let first = try await events.first(timeout: .seconds(20), "br0 to come up") {
                if case .switchConnected(let info, _) = $0 { info.datapathID == 0xabc } else { false }
            }
            guard case .switchConnected(let info, let connection) = first else { return }
            #expect(info.version == OpenFlowVersion.v13)
            #expect(try await blocking { try ovs.vsctl("get", "bridge", "br0", "datapath_id") }.contains("0000000000000abc"))
            let ports = Dictionary(uniqueKeysWithValues: info.ports.map { ($0.name, $0.number) })
            #expect(ports["p1"] == 1, "ports: \(info.ports)")
            #expect(ports["p2"] == 2, "ports: \(info.ports)")
            #expect(ports["br0"] == 0xffff_fffe, "the bridge's own OFPP_LOCAL port")
            #expect(try await connection.echo(ByteBuffer(string: "vnm echo")) == ByteBuffer(string: "vnm echo"))
            try await connection.barrier()
            let config = try await connection.request(OF13.Message.getConfigRequest)
            guard case .of13(.getConfigReply(let switchConfig), _) = config else { Issue.record("\(config)"); return }
            #expect(switchConfig.missSendLength == 0xffff, "our SET_CONFIG was applied")

            // Bridge 2: OF1.0 only.
            try await blocking {
                try ovs.vsctl(
                    "add-br", "br1", "--", "set", "bridge", "br1", "datapath_type=netdev", "protocols=OpenFlow10",
                    "fail_mode=secure", "other_config:disable-in-band=true", "other-config:datapath-id=0000000000000def",
                    "--", "add-port", "br1", "q1", "--", "set", "interface", "q1", "type=internal", "ofport_request=7")
                try ovs.vsctl("set-controller", "br1", "unix:\(socket)")
            }
            let second = try await events.first(timeout: .seconds(20), "br1 to come up") {
                if case .switchConnected(let info, _) = $0 { info.datapathID == 0xdef } else { false }
            }
            guard case .switchConnected(let info10, let connection10) = second else { return }
            #expect(info10.version == OpenFlowVersion.v10)
            #expect(info10.ports.contains { $0.name == "q1" && $0.number == 7 }, "ports: \(info10.ports)")
            #expect(info10.ports.contains { $0.name == "br1" && $0.number == 0xffff_fffe })
            #expect(try await connection10.echo(ByteBuffer(string: "ten")) == ByteBuffer(string: "ten"))
            try await connection10.barrier()
            #expect(
                !events.all.contains { if case .connectionRejected = $0 { true } else { false } },
                "no connection was rejected: \(events.all)")
        } catch {
            Issue.record("\(error)\n\(ovs.logTail())")
        }
        await server.close()
    }

    /// Open vSwitch connects to vnm's controller over TLS with mutual authentication
    /// (`ovs-vsctl set-ssl KEY CERT CA`, controller target `ssl:ADDR:PORT`), with certificates
    /// that the real `openssl` made: the handshake completes and OpenFlow runs over it.
    @Test func openVSwitchConnectsOverMutualTLS() async throws {
        let ca = try TestCertificateAuthority(name: "vnm ovs tls CA")
        defer { ca.remove() }
        let controllerCertificate = try ca.issue(commonName: "vnm controller")
        let switchCertificate = try ca.issue(commonName: "ovs switch")
        let tls = try OpenFlowTLSConfiguration(
            certificateChainPath: controllerCertificate.certificatePath, privateKeyPath: controllerCertificate.keyPath,
            trustRootsPath: ca.certificatePath)

        let testbed = try Testbed(name: "tls-ofnio-ssl")
        defer { testbed.tearDown() }
        // ovs-vswitchd runs in the testbed's switch namespace: it reaches the controller in
        // the test's namespace over the controller route (a veth pair with a /30).
        let route = try await blocking {
            try testbed.startOpenVSwitch()
            try testbed.vsctl(
                "set-ssl", switchCertificate.keyPath, switchCertificate.certificatePath, ca.certificatePath)
            return try testbed.enableControllerRoute()
        }
        let log = RecordingLogger()
        let server = OpenFlowServer(logger: log)
        let port = try await server.bind(host: route.controllerAddress, port: 0, tls: tls)
        let events = record(server)
        do {
            let bridge = try await blocking {
                let bridge = try testbed.addBridge("br0", datapathID: 0x55c, protocols: [.openFlow13])
                try testbed.setController(bridge, target: "ssl:\(route.controllerAddress):\(port)")
                return bridge
            }
            let up = try await events.first(timeout: .seconds(30), "br0 to come up over TLS") {
                if case .switchConnected(let info, _) = $0 { info.datapathID == 0x55c } else { false }
            }
            guard case .switchConnected(let info, let connection) = up else { return }
            #expect(info.version == OpenFlowVersion.v13)
            #expect(try await connection.echo(ByteBuffer(string: "ovs over tls")) == ByteBuffer(string: "ovs over tls"))
            // A flow sent over TLS is in Open vSwitch's table.
            try await connection.send(
                OF13.Message.flowMod(
                    OF13.FlowMod(
                        priority: 77, match: .ordered([.ethType(0x0800)]),
                        instructions: [.applyActions([.output(port: OF13.PortNumber.controller, maxLength: 128)])])))
            try await connection.barrier()
            let flows = try await blocking { try testbed.dumpFlows(bridge) }
            #expect(flows.contains { $0.contains("priority=77") && $0.contains("ip") }, "flows: \(flows)")
            // Both ends authenticated: our log names the switch's certificate, and Open vSwitch
            // reports its controller connected (it lags by a few seconds).
            #expect(
                log.lines.all.contains { $0.contains("switch up") && $0.contains("common_name=ovs switch") },
                "log: \(log.lines.all)")
            try await blocking { try testbed.waitForController(bridge, timeout: 15) }
            #expect(
                !events.all.contains { if case .connectionRejected = $0 { true } else { false } },
                "no connection was rejected: \(events.all)")
        } catch {
            Issue.record("\(error)\n\(testbed.logTail())")
        }
        await server.close()
    }
}
