import Foundation
import NIOCore
import OpenFlow
import OpenFlowNIO
import Testing

/// A private Open vSwitch: `ovsdb-server` and a userspace `ovs-vswitchd` in a run directory
/// under /tmp, with `ovs-vswitchd` inside a network namespace of its own so that parallel tests
/// never share one (only one userspace vswitchd works per namespace: its `ovs-netdev` tap).
/// Controllers are reached through `unix:` targets, which work across namespaces.
/// Everything is stopped by pid file and the namespace deleted in ``stop()``.
final class PrivateOpenVSwitch {
    let directory: String
    let namespace: String
    private var environment: [String: String]

    static let tools = ["ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ip"]

    init() throws {
        for tool in Self.tools where Self.find(tool) == nil {
            throw SetupError(
                "\(tool) not found: Open vSwitch (openvswitch-switch) and iproute2 are required for this test; "
                    + ".ci/run installs them (apt-get install -y openvswitch-switch)")
        }
        let tag = String(UUID().uuidString.prefix(8)).lowercased()
        directory = "/tmp/vnm-ofnio-\(tag)"
        namespace = "vnm-ofnio-\(tag)"
        environment = ProcessInfo.processInfo.environment
        environment["OVS_RUNDIR"] = directory
        environment["OVS_LOGDIR"] = directory
        environment["OVS_DBDIR"] = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    var database: String { "unix:\(directory)/db.sock" }

    func start() throws {
        try run("ovsdb-tool", "create", "\(directory)/conf.db", "/usr/share/openvswitch/vswitch.ovsschema")
        try run(
            "ovsdb-server", "\(directory)/conf.db", "--remote=punix:\(directory)/db.sock",
            "--pidfile=\(directory)/ovsdb-server.pid", "--detach", "--log-file=\(directory)/ovsdb-server.log")
        try vsctl("--no-wait", "init")
        try run("ip", "netns", "add", namespace)
        try run("ip", "-n", namespace, "link", "set", "lo", "up")
        try run(
            "ip", "netns", "exec", namespace, Self.find("ovs-vswitchd")!, database,
            "--pidfile=\(directory)/ovs-vswitchd.pid", "--detach", "--log-file=\(directory)/ovs-vswitchd.log")
    }

    @discardableResult
    func vsctl(_ arguments: String...) throws -> String {
        try run("ovs-vsctl", ["--db=\(database)", "--timeout=20"] + arguments)
    }

    /// Kills the daemons by pid file, deletes the namespace and the run directory. Safe to call
    /// after a failed or partial start.
    func stop() {
        for name in ["ovs-vswitchd", "ovsdb-server"] {
            guard let text = try? String(contentsOfFile: "\(directory)/\(name).pid", encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { continue }
            kill(pid, SIGTERM)
            for _ in 0..<200 where kill(pid, 0) == 0 { usleep(10_000) }
            if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        }
        _ = try? run("ip", "netns", "del", namespace)
        try? FileManager.default.removeItem(atPath: directory)
    }

    var log: String {
        ((try? String(contentsOfFile: "\(directory)/ovs-vswitchd.log", encoding: .utf8)) ?? "").split(separator: "\n").suffix(30)
            .joined(separator: "\n")
    }

    @discardableResult
    func run(_ tool: String, _ arguments: String...) throws -> String { try run(tool, arguments) }

    /// Runs `tool` to completion with posix_spawn and waitpid. (Foundation's `Process` did
    /// not notice the exit of `ovsdb-server --detach`'s parent here and hung in
    /// `waitUntilExit`.) Output goes to files, not pipes: a daemon keeps its inherited stdout
    /// and stderr open, so reading a pipe to its end would never return.
    @discardableResult
    func run(_ tool: String, _ arguments: [String]) throws -> String {
        let executable = Self.find(tool) ?? tool
        let outPath = "\(directory)/.out-\(UUID().uuidString)"
        let errPath = outPath + ".err"
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for entry in envp { free(entry) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw SetupError("cannot start \(executable): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        // WIFEXITED && WEXITSTATUS == 0
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            let error = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw SetupError("\(tool) \(arguments.joined(separator: " ")) failed (status \(status)): \(error)")
        }
        return output
    }

    static func find(_ tool: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for directory in path + ["/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
            let candidate = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    struct SetupError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// The controller against a real Open vSwitch 3.x: the handshake in both versions, the datapath
/// id, the ports from PORT_DESC / FEATURES_REPLY, and echo and barrier round trips.
@Suite(.serialized) struct OpenVSwitchTests {
    @Test func handshakeWithOpenVSwitchInBothVersions() async throws {
        let ovs = try PrivateOpenVSwitch()
        defer { ovs.stop() }
        // The controller listens before OVS is told about it: OVS then connects within a
        // millisecond instead of after its reconnect backoff.
        let server = OpenFlowServer(logger: RecordingLogger())
        let socket = "\(ovs.directory)/controller.sock"
        try await server.bind(unixDomainSocketPath: socket)
        let events = record(server)
        do {
            try ovs.start()

            // Bridge 1: OF1.0 and OF1.3 offered, OF1.3 expected.
            try ovs.vsctl(
                "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
                "protocols=OpenFlow10,OpenFlow13", "fail_mode=secure", "other_config:disable-in-band=true",
                "other-config:datapath-id=0000000000000abc",
                "--", "add-port", "br0", "p1", "--", "set", "interface", "p1", "type=internal", "ofport_request=1",
                "--", "add-port", "br0", "p2", "--", "set", "interface", "p2", "type=internal", "ofport_request=2")
            try ovs.vsctl("set-controller", "br0", "unix:\(socket)")
            let first = try await events.first(timeout: .seconds(20), "br0 to come up") {
                if case .switchConnected(let info, _) = $0 { info.datapathID == 0xabc } else { false }
            }
            guard case .switchConnected(let info, let connection) = first else { return }
            #expect(info.version == OpenFlowVersion.v13)
            #expect(try ovs.vsctl("get", "bridge", "br0", "datapath_id").contains("0000000000000abc"))
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
            try ovs.vsctl(
                "add-br", "br1", "--", "set", "bridge", "br1", "datapath_type=netdev", "protocols=OpenFlow10",
                "fail_mode=secure", "other_config:disable-in-band=true", "other-config:datapath-id=0000000000000def",
                "--", "add-port", "br1", "q1", "--", "set", "interface", "q1", "type=internal", "ofport_request=7")
            try ovs.vsctl("set-controller", "br1", "unix:\(socket)")
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
            Issue.record("\(error)\nvswitchd log:\n\(ovs.log)")
        }
        await server.close()
    }
}
