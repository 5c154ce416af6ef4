import NIOCore
import NIOPosix
import OpenFlow
import OpenFlowNIO

/// A cbench-style load generator: `switches` emulated OpenFlow 1.3 switches connect to a
/// controller, send PACKET_INs, and count its answers (a FLOW_MOD or PACKET_OUT each).
///
/// - throughput: up to `window` PACKET_INs outstanding per switch; the result is answers per
///   second over the measured interval.
/// - latency: one PACKET_IN outstanding per switch; the result adds round-trip percentiles.
///
/// The emulated switches run on their own event loop group, so that in one process they take
/// one core and the controller the other.
public enum ControllerBenchmark {
    public enum Mode: String, Codable, Sendable, CaseIterable {
        case throughput, latency
    }

    public struct Configuration: Sendable {
        public var switches: Int
        public var mode: Mode
        public var window: Int
        public var warmupSeconds: Double
        public var seconds: Double

        public init(switches: Int = 16, mode: Mode = .throughput, window: Int = 100, warmupSeconds: Double = 1, seconds: Double = 3) {
            self.switches = switches
            self.mode = mode
            self.window = window
            self.warmupSeconds = warmupSeconds
            self.seconds = seconds
        }
    }

    public struct Result: Codable, Sendable {
        public var controller: String
        public var mode: Mode
        public var switches: Int
        public var seconds: Double
        public var responses: Int
        public var responsesPerSecond: Double
        public var latencyP50Microseconds: Double?
        public var latencyP99Microseconds: Double?
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Runs the load against a controller listening on `host`:`port`.
    public static func run(
        controller name: String, host: String, port: Int, configuration: Configuration,
        group: any EventLoopGroup
    ) async throws -> Result {
        let window = configuration.mode == .latency ? 1 : configuration.window
        var channels: [any Channel] = []
        var handlers: [NIOLoopBound<EmulatedSwitch>] = []
        defer { for channel in channels { channel.close(promise: nil) } }
        for index in 0..<configuration.switches {
            let loop = group.next()
            let handler = try await loop.submit {
                NIOLoopBound(
                    EmulatedSwitch(datapathID: UInt64(index + 1), window: window, recordLatency: configuration.mode == .latency),
                    eventLoop: loop)
            }.get()
            let channel = try await ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler.value) }
                }
                .connect(host: host, port: port).get()
            channels.append(channel)
            handlers.append(handler)
        }
        // Let every handshake finish, then start the load; count only after the warm-up.
        try await Task.sleep(for: .milliseconds(300))
        for (channel, handler) in zip(channels, handlers) {
            try await channel.eventLoop.submit {
                let context = try channel.pipeline.syncOperations.context(handlerType: EmulatedSwitch.self)
                handler.value.startSending(context: context)
            }.get()
        }
        try await Task.sleep(for: .seconds(configuration.warmupSeconds))
        for (channel, handler) in zip(channels, handlers) {
            try await channel.eventLoop.submit { handler.value.counting = true }.get()
        }
        let start = ContinuousClock.now
        try await Task.sleep(for: .seconds(configuration.seconds))
        var responses = 0
        var latencies: [Int64] = []
        for (channel, handler) in zip(channels, handlers) {
            let counters = try await channel.eventLoop.submit {
                handler.value.counting = false
                return handler.value.counters
            }.get()
            responses += counters.responses
            latencies += counters.latenciesNanoseconds
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard responses > 0 else {
            throw Failure(description: "\(name) answered no PACKET_IN in \(configuration.seconds) s")
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double? {
            guard !latencies.isEmpty else { return nil }
            let index = min(latencies.count - 1, Int(Double(latencies.count - 1) * p))
            return Double(latencies[index]) / 1000
        }
        return Result(
            controller: name, mode: configuration.mode, switches: configuration.switches, seconds: seconds,
            responses: responses, responsesPerSecond: Double(responses) / seconds,
            latencyP50Microseconds: percentile(0.5), latencyP99Microseconds: percentile(0.99))
    }
}
