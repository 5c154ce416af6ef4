import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a testbed and its hosts share: tools, environment, the run directory with its state
/// files, the background processes to stop on tear-down, and whether tear-down has happened.
final class Context: @unchecked Sendable {
    let prefix: String
    let runDirectory: String
    let scratch: String
    let tools: Tools
    let environment: [String: String]

    private let lock = NSLock()
    private var background: [BackgroundProcess] = []
    private var finished = false
    private var pids: [Int32: String] = [:]

    init(prefix: String, runDirectory: String, tools: Tools) {
        self.prefix = prefix
        self.runDirectory = runDirectory
        self.scratch = runDirectory + "/out"
        self.tools = tools
        var environment = ProcessInfo.processInfo.environment
        environment["OVS_RUNDIR"] = runDirectory
        environment["OVS_LOGDIR"] = runDirectory
        environment["OVS_DBDIR"] = runDirectory
        environment["OVS_SYSCONFDIR"] = runDirectory
        environment["PATH"] = Tools.searchPath.joined(separator: ":")
        self.environment = environment
    }

    var isTornDown: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    /// Marks the context torn down; true only for the first caller.
    func markTornDown() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if finished { return false }
        finished = true
        return true
    }

    func ensureLive() throws {
        if isTornDown { throw TestbedError.tornDown(prefix: prefix) }
    }

    /// Runs a command to completion (killing it after `timeout` seconds); any exit status.
    func run(_ command: [String], timeout: Double = 30) throws -> CommandResult {
        try ensureLive()
        return try runAlways(command, timeout: timeout)
    }

    /// `run` that works during tear-down too.
    func runAlways(_ command: [String], timeout: Double = 30) throws -> CommandResult {
        try BackgroundProcess.start(command, environment: environment, scratch: scratch).waitForExit(timeout: timeout)
    }

    /// Runs a command and throws `TestbedError.commandFailed` unless it exits with 0.
    @discardableResult
    func check(_ command: [String], timeout: Double = 30) throws -> CommandResult {
        try run(command, timeout: timeout).check()
    }

    /// Starts a background process that tear-down will stop. Its pid and start time go to the
    /// `pids` state file, for the watchdog.
    func spawn(_ command: [String]) throws -> BackgroundProcess {
        try ensureLive()
        let process = try BackgroundProcess.start(command, environment: environment, scratch: scratch)
        lock.lock()
        background.append(process)
        lock.unlock()
        remember(process.pid)
        if let start = Self.startTime(of: process.pid) {
            try? appendState("pids", "\(process.pid) \(start)")
        }
        return process
    }

    /// Notes a pid this testbed started (daemons, background processes), for `leftovers()`.
    func remember(_ pid: Int32) {
        guard let start = Self.startTime(of: pid) else { return }
        lock.lock()
        defer { lock.unlock() }
        pids[pid] = start
    }

    /// The processes this testbed started that are still alive (same pid, same start time).
    var livePIDs: [Int32] {
        lock.lock()
        let known = pids
        lock.unlock()
        return known.filter { Self.startTime(of: $0.key) == $0.value }.map(\.key).sorted()
    }

    /// Takes the list of background processes (for tear-down).
    func takeBackground() -> [BackgroundProcess] {
        lock.lock()
        defer { lock.unlock() }
        let all = background
        background = []
        return all
    }

    /// Appends a line to a state file of the run directory (`namespaces`, `links`, `pids`),
    /// which tear-down and the watchdog read. Written before the thing it names is made, so a
    /// half-made thing is cleaned up too.
    func appendState(_ file: String, _ line: String) throws {
        lock.lock()
        defer { lock.unlock() }
        let path = runDirectory + "/" + file
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw TestbedError.invalidArgument("cannot write the testbed state file \(path)")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((line + "\n").utf8))
    }

    func readState(_ file: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: runDirectory + "/" + file) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The start time (clock ticks since boot) of a live, non-zombie process; nil if there is none.
    static func startTime(of pid: Int32) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let close = text.range(of: ")", options: .backwards) else { return nil }
        let fields = text[close.upperBound...].split(separator: " ")
        // fields[0] is the state (field 3 of stat), fields[19] the start time (field 22).
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X" else { return nil }
        return String(fields[19])
    }

    /// True if `pid` is a live process (zombies, which nobody may reap here, count as gone).
    static func isAlive(_ pid: Int32) -> Bool { startTime(of: pid) != nil }
}
