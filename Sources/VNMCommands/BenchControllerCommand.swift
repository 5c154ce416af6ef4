import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Lab
import NIOCore
import NIOPosix
import OpenFlowNIO

extension BenchCommand {
    /// `vnm bench controller`: cbench-style load against vnm's controller and, in the same run,
    /// against os-ken running the same responder app; both figures and their ratio.
    struct Controller: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Controller throughput/latency (cbench-style), vnm against os-ken in the same run.",
            discussion: """
                N emulated OpenFlow 1.3 switches send PACKET_INs; the controller answers each with a
                FLOW_MOD. vnm's controller runs in this process on one event loop thread and the
                load generator on another; os-ken runs as 'python3 Scripts/osken_responder.py PORT'
                (pip install os-ken). Use --no-osken to measure vnm alone.
                """
        )

        @Option(help: "throughput or latency.")
        var mode: ControllerBenchmark.Mode = .throughput

        @Option(help: "Emulated switches.")
        var switches: Int = 16

        @Option(help: "Outstanding PACKET_INs per switch in throughput mode.")
        var window: Int = 100

        @Option(help: "Seconds measured per controller (after a 1 s warm-up).")
        var seconds: Double = 3

        @Option(help: "The os-ken responder script.")
        var osken: String = "Scripts/osken_responder.py"

        @Flag(help: "Do not run os-ken.")
        var noOsken = false

        @Flag(help: "Print JSON.")
        var json = false

        struct Report: Codable {
            var vnm: ControllerBenchmark.Result
            var osken: ControllerBenchmark.Result?
            var oskenError: String?
            var ratio: Double?
        }

        func run() async throws {
            let configuration = ControllerBenchmark.Configuration(
                switches: switches, mode: mode, window: window, warmupSeconds: 1, seconds: seconds)
            let generator = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let controllerGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            do {
                try await measure(configuration: configuration, generator: generator, controllerGroup: controllerGroup)
            } catch {
                try? await generator.shutdownGracefully()
                try? await controllerGroup.shutdownGracefully()
                throw error
            }
            try await generator.shutdownGracefully()
            try await controllerGroup.shutdownGracefully()
        }

        func measure(
            configuration: ControllerBenchmark.Configuration, generator: MultiThreadedEventLoopGroup,
            controllerGroup: MultiThreadedEventLoopGroup
        ) async throws {

            progress("vnm: \(switches) switches, \(mode), \(seconds) s ...")
            let server = OpenFlowServer(
                group: controllerGroup, logger: PrintOpenFlowLogger(minimumLevel: .warning), inlineApp: PacketInResponder())
            let port = try await server.bind(host: "127.0.0.1", port: 0)
            let vnm = try await ControllerBenchmark.run(
                controller: "vnm", host: "127.0.0.1", port: port, configuration: configuration, group: generator)
            await server.close()

            var report = Report(vnm: vnm)
            if !noOsken {
                do {
                    progress("os-ken: \(switches) switches, \(mode), \(seconds) s ...")
                    let osken = try await runOsKen(configuration: configuration, group: generator)
                    report.osken = osken
                    report.ratio = mode == .throughput
                        ? vnm.responsesPerSecond / osken.responsesPerSecond
                        : (osken.latencyP50Microseconds ?? 0) / max(vnm.latencyP50Microseconds ?? 1, 0.001)
                } catch {
                    report.oskenError = "\(error)"
                }
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                for result in [report.vnm, report.osken].compactMap({ $0 }) { print(describe(result)) }
                if let error = report.oskenError { print("os-ken: not measured: \(error)") }
                if let ratio = report.ratio {
                    print(mode == .throughput
                        ? String(format: "vnm / os-ken: %.1fx the responses per second", ratio)
                        : String(format: "os-ken / vnm median latency: %.1fx", ratio))
                }
            }
        }

        func describe(_ r: ControllerBenchmark.Result) -> String {
            var line = "\(r.controller.padding(toLength: 7, withPad: " ", startingAt: 0)) "
                + String(format: "%12.0f responses/s (%d in %.2f s, %d switches)", r.responsesPerSecond, r.responses, r.seconds, r.switches)
            if let p50 = r.latencyP50Microseconds, let p99 = r.latencyP99Microseconds {
                line += String(format: ", latency p50 %.1f µs, p99 %.1f µs", p50, p99)
            }
            return line
        }

        func progress(_ text: String) {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }

        /// Starts os-ken on a free port, runs the load, and stops it (by pid) whatever happens.
        func runOsKen(configuration: ControllerBenchmark.Configuration, group: any EventLoopGroup) async throws
            -> ControllerBenchmark.Result
        {
            guard FileManager.default.fileExists(atPath: osken) else {
                throw ControllerBenchmark.Failure(description: "\(osken) not found (run from the repository root, or pass --osken)")
            }
            let port = Int.random(in: 20_000..<40_000)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", osken, String(port)]
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            // os-ken (eventlet) ignores SIGTERM: stop it with SIGKILL, by pid, whatever happens.
            defer { Self.kill(process) }
            // Wait until it listens.
            var ready = false
            for _ in 0..<100 where !ready {
                try await Task.sleep(for: .milliseconds(100))
                guard process.isRunning else { break }
                ready = (try? await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get())
                    .map { $0.close(promise: nil); return true } ?? false
            }
            guard ready else {
                Self.kill(process)
                let stderr = String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
                throw ControllerBenchmark.Failure(
                    description: "os-ken did not start (pip install os-ken): \(stderr.suffix(300))")
            }
            return try await ControllerBenchmark.run(
                controller: "os-ken", host: "127.0.0.1", port: port, configuration: configuration, group: group)
        }
    }
}

extension BenchCommand.Controller {
    static func kill(_ process: Process) {
        guard process.isRunning else { return }
        #if canImport(Glibc)
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        #else
        process.terminate()
        #endif
        process.waitUntilExit()
    }
}

extension ControllerBenchmark.Mode: ExpressibleByArgument {}
