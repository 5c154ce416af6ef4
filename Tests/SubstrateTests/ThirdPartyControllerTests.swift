import Datapath
import Foundation
import NIOCore
import NIOPosix
import OpenFlow
import Substrate
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A controller nobody in vnm wrote, run as a child process: started with posix_spawn in its
/// own process group, with no descriptor of ours but a log file (not a pipe nobody reads), and
/// stopped with SIGKILL by that group's id (os-ken, being eventlet, ignores SIGTERM), then reaped.
final class ControllerProcess {
    let pid: pid_t
    let logPath: String

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// Whether `python3 -c "import os_ken"` succeeds.
    static let osKenIsAvailable: Bool = succeeds(["python3", "-c", "import os_ken"])

    /// Whether `ovs-testcontroller --version` succeeds (Debian: openvswitch-testcontroller).
    static let ovsTestControllerIsAvailable: Bool = succeeds(["ovs-testcontroller", "--version"])

    /// Runs `arguments` (looked up in PATH) in the background.
    init(_ arguments: [String], name: String) throws {
        logPath = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString).log"
        pid = try Self.spawn(arguments, output: logPath)
    }

    /// os-ken running `Scripts/<script>` on 127.0.0.1:`port`.
    static func osKen(script: String) async throws -> (ControllerProcess, port: Int) {
        try await listening(name: "os-ken") { port in
            ["python3", "\(repositoryRoot)/Scripts/\(script)", String(port)]
        }
    }

    /// Starts a controller on a free port and waits until it accepts connections. If it exits
    /// instead (the port was taken between the check and its bind), tries another port.
    static func listening(name: String, within seconds: Double = 60, _ arguments: (Int) -> [String]) async throws
        -> (ControllerProcess, port: Int)
    {
        var log = ""
        for _ in 0..<5 {
            let port = try await freePort()
            let process = try ControllerProcess(arguments(port), name: "\(name)-\(port)")
            let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
            while process.isRunning, ContinuousClock.now < deadline {
                if let probe = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: port).get()
                {
                    try? await probe.close()
                    return (process, port)
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            log = process.log
            process.stop()
        }
        throw TimedOut(description: "\(name) did not start listening: \(log.suffix(1000))")
    }

    /// SIGKILL to the whole process group (the launcher and what it execs), then reap.
    func stop() {
        _ = kill(-pid, SIGKILL)  // a process group of our own making
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        try? FileManager.default.removeItem(atPath: logPath)
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    private static func succeeds(_ arguments: [String]) -> Bool {
        guard let pid = try? spawn(arguments, output: "/dev/null") else { return false }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status == 0
    }

    private static func spawn(_ arguments: [String], output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else: a socket this process opened meanwhile (another test's listener)
        // would otherwise stay open, and listening, in the child after the test closed it.
        closeFrom(3, &actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, environ)
        guard result == 0 else { throw TimedOut(description: "cannot start \(arguments[0]): errno \(result)") }
        return pid
    }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34), looked up at run time since
    /// Swift's Glibc module does not declare it.
    private static func closeFrom(_ descriptor: Int32, _ actions: inout posix_spawn_file_actions_t) {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, descriptor)
    }

    /// A TCP port that was free a moment ago, below Linux's ephemeral range (32768 and up):
    /// a port from `bind(port: 0)` comes from that range, and the kernel may give it to
    /// another test's outgoing connection before the controller binds it.
    static func freePort() async throws -> Int {
        for _ in 0..<50 {
            let port = Int.random(in: 20_000..<32_000)
            guard
                let channel = try? await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .bind(host: "127.0.0.1", port: port).get()
            else { continue }
            try await channel.close()
            return port
        }
        throw TimedOut(description: "no free port between 20000 and 32000")
    }

    /// Whether the process is still running (it has not exited and been reaped).
    var isRunning: Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }
}

/// The switch agent against os-ken running `Scripts/osken_simple_switch.py`: table-miss to the
/// controller on SWITCH_FEATURES; on PACKET_IN a flow in_port+eth_dst → port 2 and a PACKET_OUT
/// of the frame to port 2. Fails, rather than skips, when os-ken is missing: `.ci/run` installs it.
@Suite struct OsKenTests {
    @Test func agentWorksWithOsKenSimpleSwitch() async throws {
        try #require(ControllerProcess.osKenIsAvailable, "os-ken is not installed: pip install os-ken (see .ci/run)")
        let (osken, port) = try await ControllerProcess.osKen(script: "osken_simple_switch.py")
        defer { osken.stop() }
        let frames = Recorder<EmittedFrame>()
        let events = Recorder<SwitchAgent.Event>()
        let agent = SwitchAgent(
            datapath: makeDatapath(datapathID: 0x42),
            configuration: .init(
                host: "127.0.0.1", port: port, initialBackoff: .milliseconds(100), maximumBackoff: .milliseconds(500))
        ) { frame, port, _ in frames.append(EmittedFrame(frame: frame, port: port)) }
        let eventConsumer = Task { for await event in agent.events { events.append(event) } }
        agent.start()
        do {
            // The handshake completed and os-ken installed its table-miss flow.
            let tableMiss = try await eventually("os-ken's table-miss flow", within: 60) {
                guard osken.isRunning else { throw TimedOut(description: "os-ken exited: \(osken.log.suffix(800))") }
                return flowStats(try await agent.datapath).first
            }
            #expect(events.all.contains(.connected(version: OpenFlowVersion.v13)))
            #expect(tableMiss.priority == 0)
            #expect(Array(tableMiss.match.fields).isEmpty)
            #expect(
                Array(tableMiss.instructions)
                    == [.applyActions(WireList([.output(port: OF13.PortNumber.controller, maxLength: 0xFFFF)]))])

            // A frame on port 1 misses, goes to os-ken, which installs a flow and sends the
            // frame out of port 2 with a PACKET_OUT.
            let frame = udpFrame(src: 1, dst: 2, payload: "to os-ken")
            agent.inject(packet: frame, inPort: 1)
            let out = try await eventually("os-ken's PACKET_OUT", within: 10) { frames.all.first }
            #expect(out == EmittedFrame(frame: frame, port: 2))
            let learned = try await eventually("os-ken's FLOW_MOD", within: 10) {
                flowStats(try await agent.datapath).first { $0.priority == 1 }
            }
            #expect(Set(learned.match.fields) == [.inPort(1), .ethDst(mac(2))])

            // The next frame follows os-ken's flow without asking it.
            let second = udpFrame(src: 1, dst: 2, payload: "second")
            agent.inject(packet: second, inPort: 1)
            let forwarded = try await eventually("the second frame", within: 10) {
                frames.all.count >= 2 ? frames.all[1] : nil
            }
            #expect(forwarded == EmittedFrame(frame: second, port: 2))
            let stats = flowStats(try await agent.datapath)
            #expect(stats.first { $0.priority == 1 }?.packetCount == 1)
            #expect(stats.first { $0.priority == 0 }?.packetCount == 1)
        } catch {
            Issue.record("os-ken log:\n\(osken.log.suffix(2000))")
            await agent.stop()
            await eventConsumer.value
            throw error
        }
        await agent.stop()
        await eventConsumer.value
    }
}

/// The switch agent against Open vSwitch's `ovs-testcontroller` (Debian package
/// openvswitch-testcontroller), a learning switch written in C with OVS's own OpenFlow codec:
/// on OpenFlow 1.3 it installs a table-miss flow, floods frames to unknown addresses with a
/// PACKET_OUT, and installs a flow once it has learnt where a destination is.
/// Fails, rather than skips, when the controller is missing: `.ci/run` installs it.
@Suite struct OVSTestControllerTests {
    @Test func agentWorksWithOVSTestController() async throws {
        try #require(
            ControllerProcess.ovsTestControllerIsAvailable,
            "ovs-testcontroller is not installed: apt-get install openvswitch-testcontroller (see .ci/run)")
        let run = NSTemporaryDirectory() + "ovs-testcontroller-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: run) }
        let (controller, port) = try await ControllerProcess.listening(name: "ovs-testcontroller") { port in
            ["ovs-testcontroller", "-O", "OpenFlow13", "--unixctl=\(run)/\(port).ctl", "ptcp:\(port):127.0.0.1"]
        }
        defer { controller.stop() }
        let frames = Recorder<EmittedFrame>()
        let agent = SwitchAgent(
            datapath: makeDatapath(datapathID: 0x43),
            configuration: .init(
                host: "127.0.0.1", port: port, initialBackoff: .milliseconds(50), maximumBackoff: .milliseconds(500))
        ) { frame, port, _ in frames.append(EmittedFrame(frame: frame, port: port)) }
        agent.start()
        do {
            // The handshake completed and the table-miss flow is in.
            let tableMiss = try await eventually("ovs-testcontroller's table-miss flow", within: 30) {
                guard controller.isRunning else { throw TimedOut(description: "ovs-testcontroller exited: \(controller.log.suffix(800))") }
                return flowStats(try await agent.datapath).first { $0.priority == 0 }
            }
            #expect(Array(tableMiss.match.fields).isEmpty)

            // To an unknown address: flooded, out of every port but the one it came in by.
            let first = udpFrame(src: 1, dst: 2, payload: "flood me")
            agent.inject(packet: first, inPort: 1)
            let flooded = try await eventually("the flooded frame", within: 10) {
                frames.all.count >= 3 ? frames.all : nil
            }
            #expect(Set(flooded) == Set([2, 3, 4].map { EmittedFrame(frame: first, port: $0) }))

            // The answer, to the address learnt on port 1: out of port 1 alone, and a flow.
            let answer = udpFrame(src: 2, dst: 1, payload: "answer")
            agent.inject(packet: answer, inPort: 2)
            let out = try await eventually("the answer", within: 10) { frames.all.count >= 4 ? frames.all[3] : nil }
            #expect(out == EmittedFrame(frame: answer, port: 1))
            _ = try await eventually("the learnt flow", within: 10) {
                flowStats(try await agent.datapath).first { $0.priority > 0 }
            }
            #expect(frames.all.count == 4)
        } catch {
            Issue.record("ovs-testcontroller log:\n\(controller.log.suffix(2000))")
            await agent.stop()
            throw error
        }
        await agent.stop()
    }
}
