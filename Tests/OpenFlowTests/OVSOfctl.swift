import Foundation
import NIOCore

/// Runs Open vSwitch's `ovs-ofctl ofp-print`, the decoder of an implementation nobody here
/// wrote, on bytes our encoder made.
///
/// The tool is a test dependency like the fixtures: CI installs it (`.ci/run` installs
/// `openvswitch-common`), and a machine without it fails these tests rather than skipping them.
enum OVSOfctl {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// What `ovs-ofctl ofp-print` printed for one message.
    struct Output: Sendable, CustomStringConvertible {
        var stdout: String
        var stderr: String
        var status: Int32
        var description: String { stdout + (stderr.isEmpty ? "" : "\n[stderr] " + stderr) }

        /// The markers OVS prints when it cannot (fully) decode a message: `***decode error:
        /// ...***`, `(***only uses N bytes out of M***)`, `***truncated***`, and log warnings
        /// on stderr (`received OFPT_FLOW_MOD with incorrect length`). Empty if there are none.
        var problems: [String] {
            var found: [String] = []
            if status != 0 { found.append("exit status \(status)") }
            if stdout.contains("***") { found.append("a *** marker") }
            for marker in ["decode error", "(***", "bad ", "unknown", "truncated", "invalid"]
            where stdout.lowercased().contains(marker) {
                found.append("'\(marker)'")
            }
            // OVS logs to stderr; INFO lines (`OFPAT_SET_MPLS_TTL is deprecated in OpenFlow13`)
            // are advice, warnings and errors are problems.
            for line in stderr.split(separator: "\n") where line.contains("|WARN|") || line.contains("|ERR|") || line.contains("|EMER|") {
                found.append("stderr: \(line)")
            }
            return found
        }
    }

    /// The absolute path of `ovs-ofctl`, found on PATH (and in the usual sbin/bin directories,
    /// which PATH may lack under a test runner).
    static let path: String? = {
        let environment = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = environment.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/usr/sbin"]
        for directory in directories {
            let candidate = directory + "/ovs-ofctl"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    static var executable: String {
        get throws {
            guard let path else {
                throw Failure(description: "ovs-ofctl not found: install openvswitch-common (see .ci/run)")
            }
            return path
        }
    }

    /// `ovs-ofctl ofp-print <hex>` for one message.
    static func ofpPrint(_ bytes: ByteBuffer) throws -> Output {
        let hex = bytes.readableBytesView.map { String(format: "%02x", $0) }.joined()
        return try run(["ofp-print", hex])
    }

    static func run(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // ofp-print's output is small, but read both pipes before waiting so that a full pipe
        // can never block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
            status: process.terminationStatus)
    }
}
