import Foundation

/// Everything that can go wrong while building, using or tearing down a testbed. Each case
/// prints as a sentence that says what failed and, where it helps, what to do about it.
public enum TestbedError: Error, CustomStringConvertible, Sendable {
    /// A command exited with a non-zero status.
    case commandFailed(command: [String], status: Int32, stdout: String, stderr: String)
    /// A command did not finish in time and was killed.
    case commandTimedOut(command: [String], seconds: Double, stdout: String, stderr: String)
    /// A command could not be started at all.
    case launchFailed(command: [String], reason: String)
    /// A program the testbed needs is not installed.
    case missingTool(tool: String, package: String)
    /// A file the testbed needs is not installed.
    case missingFile(path: String, package: String)
    /// The testbed needs root (network namespaces, veth, Open vSwitch).
    case notRoot
    /// Something did not become ready in time (a daemon, a socket, a listener).
    case notReady(what: String, seconds: Double, detail: String)
    /// A name, address, port number or option the caller gave is not usable.
    case invalidArgument(String)
    /// The testbed was already torn down.
    case tornDown(prefix: String)

    public var description: String {
        switch self {
        case let .commandFailed(command, status, stdout, stderr):
            var text = "command failed with exit status \(status): \(Self.shellLine(command))"
            let err = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            let out = stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if !err.isEmpty { text += "\nstderr: \(err)" }
            if !out.isEmpty { text += "\nstdout: \(Self.clip(out))" }
            return text
        case let .commandTimedOut(command, seconds, stdout, stderr):
            var text = "command did not finish within \(seconds) s and was killed: \(Self.shellLine(command))"
            let err = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            let out = stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if !err.isEmpty { text += "\nstderr: \(Self.clip(err))" }
            if !out.isEmpty { text += "\nstdout: \(Self.clip(out))" }
            return text
        case let .launchFailed(command, reason):
            return "could not start \(Self.shellLine(command)): \(reason)"
        case let .missingTool(tool, package):
            return "`\(tool)` is not installed; the Linux testbed needs it: apt-get install -y \(package)"
                + " (.ci/run installs openvswitch-switch, ethtool and iproute2)"
        case let .missingFile(path, package):
            return "\(path) is missing; the Linux testbed needs it: apt-get install -y \(package)"
        case .notRoot:
            return "the Linux testbed needs root (it creates network namespaces, veth pairs and runs Open vSwitch);"
                + " run the tests as root, as CI does"
        case let .notReady(what, seconds, detail):
            let tail = detail.trimmingCharacters(in: .whitespacesAndNewlines)
            return "\(what) was not ready after \(seconds) s" + (tail.isEmpty ? "" : "\n\(tail)")
        case let .invalidArgument(text):
            return text
        case let .tornDown(prefix):
            return "testbed \(prefix) was already torn down"
        }
    }

    /// The command as one could paste it into a shell.
    static func shellLine(_ command: [String]) -> String {
        command.map { arg in
            let safe = arg.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=,@%+".contains($0) }
            return safe && !arg.isEmpty ? arg : "'" + arg.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }

    static func clip(_ text: String, limit: Int = 2000) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + " …"
    }
}
