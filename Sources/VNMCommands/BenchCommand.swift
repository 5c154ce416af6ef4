import ArgumentParser
import Foundation
import NIOCore
import OpenFlow

/// `vnm bench`: speed measurements (never timed assertions in tests).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed.",
        subcommands: [Codec.self, Controller.self, DatapathPipeline.self, SubstrateSpeed.self, MigrationSpeed.self]
    )

    struct Codec: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "OpenFlow codec throughput on one core: OF1.3 FLOW_MOD (4 OXM fields, 2 actions) and PACKET_IN (64-byte frame).",
            discussion: "Allocations per message are counted by the Benchmarks package (swift package --package-path Benchmarks benchmark)."
        )

        @Option(help: "Seconds to run each measurement, per run.")
        var seconds: Double = 0.5

        @Option(help: "Runs per measurement; the best and the median are reported (the machine is shared).")
        var runs: Int = 5

        @Flag(help: "Print JSON.")
        var json = false

        @Option(help: "Run only the measurements whose name contains this (e.g. flow_mod.decode).")
        var only: String?

        func run() throws {
            let results = CodecBenchmark.runAll(seconds: seconds, runs: max(1, runs), only: only)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(results), as: UTF8.self))
            } else {
                for r in results {
                    print(
                        "\(r.name.padding(toLength: 18, withPad: " ", startingAt: 0)) "
                            + "\(String(format: "%12.0f", r.messagesPerSecond)) messages/s best, "
                            + "\(String(format: "%12.0f", r.medianMessagesPerSecond)) median  "
                            + "\(String(format: "%7.1f", r.nanosecondsPerMessage)) ns/message  (\(r.bytes) bytes)")
                }
            }
        }
    }
}

/// The codec benchmark's workloads: encode into a reused buffer; decode from a buffer that
/// holds many copies of the message back to back (as a socket read would).
public enum CodecBenchmark {
    public struct Result: Codable, Sendable {
        public var name: String
        public var messages: Int
        public var seconds: Double
        /// The best run's rate: the least disturbed by other work on the machine.
        public var messagesPerSecond: Double
        public var medianMessagesPerSecond: Double
        public var runs: Int
        public var nanosecondsPerMessage: Double
        public var bytes: Int
    }

    public static func runAll(seconds: Double, runs: Int, only: String? = nil) -> [Result] {
        let all: [(String, OpenFlowMessage, Bool)] = [
            ("flow_mod.encode", OpenFlowExamples.flowMod, true),
            ("flow_mod.decode", OpenFlowExamples.flowMod, false),
            ("packet_in.encode", OpenFlowExamples.packetIn, true),
            ("packet_in.decode", OpenFlowExamples.packetIn, false),
            ("barrier.encode", .of13(.barrierRequest, xid: 1), true),
            ("barrier.decode", .of13(.barrierRequest, xid: 1), false),
        ]
        return all.filter { only == nil ? !$0.0.hasPrefix("barrier") : $0.0.contains(only ?? "") }.map {
            let name = $0.0, message = $0.1, encode = $0.2
            let all = (0..<runs).map { _ in measure(name, message, encode: encode, seconds: seconds) }
                .sorted { $0.messagesPerSecond > $1.messagesPerSecond }
            var best = all[0]
            best.medianMessagesPerSecond = all[all.count / 2].messagesPerSecond
            best.runs = runs
            return best
        }
    }

    static func measure(_ name: String, _ message: OpenFlowMessage, encode: Bool, seconds: Double) -> Result {
        let size = message.encoded.readableBytes
        let batch = 1000
        var encodeBuffer = ByteBufferAllocator().buffer(capacity: size * batch)
        var decodeSource = ByteBufferAllocator().buffer(capacity: size * batch)
        for _ in 0..<batch { decodeSource.writeOpenFlowMessage(message) }
        var count = 0
        var checksum = 0
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .nanoseconds(Int64(seconds * 1e9))
        while clock.now < deadline {
            if encode {
                encodeBuffer.clear()
                for _ in 0..<batch { checksum &+= encodeBuffer.writeOpenFlowMessage(message) }
            } else {
                var buffer = decodeSource
                while let decoded = try? buffer.readOpenFlowMessage() { checksum &+= Int(decoded.xid) &+ 1 }
            }
            count += batch
        }
        let elapsed = (clock.now - start)
        let secondsElapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        precondition(checksum != 0, "the benchmark's work was optimised away")
        return Result(
            name: name, messages: count, seconds: secondsElapsed,
            messagesPerSecond: Double(count) / secondsElapsed,
            medianMessagesPerSecond: Double(count) / secondsElapsed, runs: 1,
            nanosecondsPerMessage: secondsElapsed * 1e9 / Double(count), bytes: size)
    }
}
