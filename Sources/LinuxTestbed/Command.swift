import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What a finished command printed and how it ended.
public struct CommandResult: Sendable, CustomStringConvertible {
    /// The full command line, program first.
    public var command: [String]
    /// The exit status; 128 + N when it was killed by signal N (as a shell reports it).
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public var succeeded: Bool { status == 0 }

    /// Self when the command succeeded; otherwise a `TestbedError.commandFailed` naming the
    /// command line, its status and its stderr.
    @discardableResult
    public func check() throws -> CommandResult {
        guard succeeded else {
            throw TestbedError.commandFailed(command: command, status: status, stdout: stdout, stderr: stderr)
        }
        return self
    }

    public var description: String {
        "\(TestbedError.shellLine(command)) -> \(status)"
    }
}

/// A command started in the background (a UDP receiver, a traffic generator, a controller
/// process). Its output goes to files, so it can print as much as it likes without ever
/// blocking; read it while it runs with `output()`, or wait for it to finish.
///
/// Started with `posix_spawn`, stdin from /dev/null, every other descriptor of the test
/// process closed (so a daemon that forks never holds a socket or pipe of the test), signals
/// reset to their defaults, and reaped with `waitpid` on this very pid only.
///
/// The testbed that started it kills it on tear-down if it is still running.
public final class BackgroundProcess: @unchecked Sendable {
    public let command: [String]
    public let pid: Int32
    private let stdoutPath: String
    private let stderrPath: String
    private let lock = NSLock()
    private var exitStatus: Int32?
    private var result: CommandResult?

    private init(command: [String], pid: Int32, stdoutPath: String, stderrPath: String) {
        self.command = command
        self.pid = pid
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }

    /// True until the process has exited (and been reaped).
    public var isRunning: Bool { reap() == nil }

    /// Everything it has printed on stdout so far.
    public func output() -> String { Self.read(stdoutPath) }

    /// Everything it has printed on stderr so far.
    public func errorOutput() -> String { Self.read(stderrPath) }

    /// Waits until stdout contains `text` (a readiness line such as "ready"), or throws.
    public func waitForOutput(containing text: String, timeout: Double = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var pause: UInt32 = 500
        while true {
            if output().contains(text) { return }
            if !isRunning {
                if output().contains(text) { return }
                let done = collect()
                throw TestbedError.notReady(
                    what: "\(TestbedError.shellLine(command)) (it exited with status \(done.status) before printing \"\(text)\")",
                    seconds: timeout, detail: done.stderr)
            }
            if Date() >= deadline {
                throw TestbedError.notReady(
                    what: "\(TestbedError.shellLine(command)) (waiting for \"\(text)\" on its stdout)",
                    seconds: timeout, detail: errorOutput())
            }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
    }

    /// Waits for the process to exit and returns its status and output, whatever the status.
    /// After `timeout` seconds it is killed (SIGTERM, then SIGKILL) and
    /// `TestbedError.commandTimedOut` is thrown.
    @discardableResult
    public func waitForExit(timeout: Double = 30) throws -> CommandResult {
        guard waitUntilExit(timeout: timeout) else {
            terminate()
            throw TestbedError.commandTimedOut(
                command: command, seconds: timeout, stdout: output(), stderr: errorOutput())
        }
        return collect()
    }

    /// Stops the process: SIGTERM, then SIGKILL if it is still there after `grace` seconds.
    /// Returns once it has exited. Harmless if it already has.
    public func terminate(grace: Double = 1) {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        if !waitUntilExit(timeout: grace) {
            kill(pid, SIGKILL)
            _ = waitUntilExit(timeout: 10)
        }
    }

    /// Polls `waitpid` (from 0.2 ms up to 10 ms apart) until the process exits or `timeout`.
    private func waitUntilExit(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(max(0, timeout))
        var pause: UInt32 = 200
        while reap() == nil {
            if Date() >= deadline { return false }
            usleep(pause)
            pause = min(pause * 2, 10_000)
        }
        return true
    }

    /// The exit status once the process has exited (reaping it the first time), else nil.
    private func reap() -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        let got = waitpid(pid, &status, WNOHANG)
        if got == pid {
            // WIFSIGNALED / WEXITSTATUS by hand (the C macros are not imported).
            let signal = status & 0x7f
            exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        } else if got < 0 && errno == ECHILD {
            exitStatus = 255  // reaped elsewhere; its status is lost
        }
        return exitStatus
    }

    private func collect() -> CommandResult {
        let status = reap() ?? -1
        lock.lock()
        defer { lock.unlock() }
        if let result { return result }
        let done = CommandResult(command: command, status: status, stdout: Self.read(stdoutPath), stderr: Self.read(stderrPath))
        try? FileManager.default.removeItem(atPath: stdoutPath)
        try? FileManager.default.removeItem(atPath: stderrPath)
        result = done
        return done
    }

    private static func read(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Starts `command` (its first element an absolute path) with `environment`, output to
    /// fresh files in `scratch`.
    static func start(_ command: [String], environment: [String: String], scratch: String) throws -> BackgroundProcess {
        guard let program = command.first, program.hasPrefix("/") else {
            throw TestbedError.launchFailed(command: command, reason: "the program must be given by absolute path")
        }
        let stem = scratch + "/" + UUID().uuidString.prefix(13)
        let stdoutPath = stem + ".out"
        let stderrPath = stem + ".err"

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        closeOtherDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            throw TestbedError.launchFailed(command: command, reason: String(cString: strerror(rc)))
        }
        return BackgroundProcess(command: command, pid: pid, stdoutPath: stdoutPath, stderrPath: stderrPath)
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+; not in the Swift overlay),
    /// looked up once.
    private static let closeFrom: CloseFrom? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    /// Closes every descriptor above 2 in the child: with `closefrom` where glibc has it,
    /// else one by one as listed in /proc/self/fd.
    private static func closeOtherDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let closeFrom {
            _ = closeFrom(&actions, 3)
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap({ Int32($0) }) where fd > 2 && fcntl(fd, F_GETFD) >= 0 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }
}
