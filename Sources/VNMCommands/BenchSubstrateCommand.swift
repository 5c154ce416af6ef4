import ArgumentParser
import Controller
import Foundation
import Lab
import NIOCore
import NIOPosix
import NetworkAddresses
import Substrate

extension BenchCommand {
    /// `vnm bench substrate`: how fast the embedded substrate runs, on both clocks.
    struct SubstrateSpeed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "substrate",
            abstract: "Embedded substrate speed: virtual seconds per wall second, real-clock loss-free rate.",
            discussion: """
                (a) A ring of N switches (default 1,000) with LLDP discovery probing every port each
                second, on the virtual clock: simulated seconds per wall-clock second, and the links
                discovered (2 per cable when it works). (b) h1 - s1 - s2 - s3 - s4 - h2 on the real
                clock (one event loop thread): the highest constant rate of probes that arrives with
                no loss while the sender keeps its schedule, found by doubling then bisection.
                """
        )

        @Option(help: "Switches in the ring.")
        var switches: Int = 1000

        @Option(help: "Simulated seconds to run the ring.")
        var simulatedSeconds: Double = 10

        @Option(help: "Seconds per real-clock trial.")
        var trialSeconds: Double = 1

        @Option(help: "IP datagram size of the real-clock probes (64 or 1500, ...).")
        var size: Int = 64

        @Option(help: "Bisection steps after the doubling phase.")
        var steps: Int = 6

        @Flag(help: "Skip the real-clock search.")
        var noRealClock = false

        @Flag(help: "Print JSON.")
        var json = false

        struct Report: Codable {
            var ring: SubstrateBenchmark.RingResult
            var realClock: SubstrateBenchmark.RateSearch?
        }

        func run() async throws {
            guard switches >= 3 else { throw ValidationError("--switches must be at least 3") }
            let ring = SubstrateBenchmark.ring(switches: switches, simulatedSeconds: simulatedSeconds)
            if !json {
                print(
                    "virtual clock: ring of \(ring.switches) switches with LLDP, \(ring.simulatedSeconds) simulated s "
                        + "in \(String(format: "%.2f", ring.wallSeconds)) wall s = "
                        + "\(String(format: "%.2f", ring.simulatedSecondsPerWallSecond)) simulated s per wall s "
                        + "(\(ring.events) events, \(String(format: "%.0f", ring.eventsPerWallSecond)) events/s; "
                        + "\(ring.linksDiscovered) of \(2 * ring.switches) links discovered)")
            }
            var report = Report(ring: ring)
            if !noRealClock {
                let search = try await SubstrateBenchmark.searchRealClockRate(
                    size: size, trialSeconds: trialSeconds, steps: steps
                ) { trial in
                    if !json {
                        print(
                            "  real clock \(String(format: "%9.0f", trial.rate)) pkt/s: sent \(trial.sent) "
                                + "received \(trial.received) lost \(trial.lost) lag "
                                + "\(String(format: "%.1f", trial.senderLagMilliseconds)) ms -> \(trial.ok ? "ok" : "fail")")
                    }
                }
                report.realClock = search
                if !json {
                    print(
                        "real clock: highest loss-free rate over 4 switches, \(size)-byte packets: "
                            + "\(String(format: "%.0f", search.highestLossFreeRate)) packets/s")
                }
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            }
        }
    }
}

/// The workloads of `vnm bench substrate`.
public enum SubstrateBenchmark {
    public struct RingResult: Codable, Sendable {
        public var switches: Int
        public var simulatedSeconds: Double
        public var wallSeconds: Double
        public var simulatedSecondsPerWallSecond: Double
        public var events: UInt64
        public var eventsPerWallSecond: Double
        public var linksDiscovered: Int
    }

    public struct Trial: Codable, Sendable {
        public var rate: Double
        public var sent: UInt64
        public var received: UInt64
        public var lost: UInt64
        /// How late the last packet left compared with its schedule.
        public var senderLagMilliseconds: Double
        public var latencyP99Milliseconds: Double?
        public var ok: Bool
    }

    public struct RateSearch: Codable, Sendable {
        public var datagramSize: Int
        public var highestLossFreeRate: Double
        public var trials: [Trial]
    }

    /// A ring of `switches` switches, 1 ms links, LLDP probing every second, for
    /// `simulatedSeconds` of virtual time.
    public static func ring(switches: Int, simulatedSeconds: Double) -> RingResult {
        let simulator = EventSimulator(seed: 1)
        let network = EmbeddedNetwork(clock: simulator)
        do {
            for i in 1...switches { try network.addSwitch("s\(i)") }
            for i in 1...switches {
                try network.addLink("s\(i)", "s\(i % switches + 1)", options: .init(latency: .milliseconds(1)))
            }
        } catch {
            fatalError("the benchmark ring is well-formed: \(error)")
        }
        let controller = network.addController(apps: [LLDPDiscovery()], latency: .microseconds(100))
        let clock = ContinuousClock()
        let started = clock.now
        simulator.run(for: .nanoseconds(Int64(simulatedSeconds * 1e9)))
        let elapsed = clock.now - started
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return RingResult(
            switches: switches, simulatedSeconds: simulatedSeconds, wallSeconds: wall,
            simulatedSecondsPerWallSecond: simulatedSeconds / wall, events: simulator.eventsRun,
            eventsPerWallSecond: Double(simulator.eventsRun) / wall,
            linksDiscovered: controller.app(LLDPDiscovery.self)?.topology.links.count ?? 0)
    }

    /// Doubles the rate from 1,000 packets/s until a trial fails, then bisects.
    public static func searchRealClockRate(
        size: Int, trialSeconds: Double, steps: Int, report: (Trial) -> Void
    ) async throws -> RateSearch {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let result = try await search(size: size, trialSeconds: trialSeconds, steps: steps, group: group, report: report)
            try await group.shutdownGracefully()
            return result
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    static func search(
        size: Int, trialSeconds: Double, steps: Int, group: MultiThreadedEventLoopGroup, report: (Trial) -> Void
    ) async throws -> RateSearch {
        var trials: [Trial] = []
        var good = 0.0
        var bad: Double?
        var rate = 1000.0
        while bad == nil, rate <= 10_000_000 {
            let trial = try await realClockTrial(rate: rate, size: size, seconds: trialSeconds, loop: group.next())
            report(trial)
            trials.append(trial)
            if trial.ok { good = rate; rate *= 2 } else { bad = rate }
        }
        if let high = bad {
            var low = good, high = high
            for _ in 0..<steps {
                let middle = ((low + high) / 2).rounded()
                let trial = try await realClockTrial(rate: middle, size: size, seconds: trialSeconds, loop: group.next())
                report(trial)
                trials.append(trial)
                if trial.ok { low = middle } else { high = middle }
            }
            good = low
        }
        return RateSearch(datagramSize: size, highestLossFreeRate: good, trials: trials)
    }

    /// One trial: h1 - s1 - s2 - s3 - s4 - h2 (10 Gb/s, 10 µs, 1,000-packet queues) on the
    /// real clock; OK if nothing is lost and the last packet left less than 10 ms late.
    static func realClockTrial(rate: Double, size: Int, seconds: Double, loop: any EventLoop) async throws -> Trial {
        try await loop.flatSubmit { () -> EventLoopFuture<Trial> in
            let promise = loop.makePromise(of: Trial.self)
            do {
                let clock = RealClock(eventLoop: loop)
                let network = EmbeddedNetwork(clock: clock)
                for i in 1...4 { try network.addSwitch("s\(i)") }
                let h1 = try network.addHost("h1", ip: IPv4Address(10, 0, 0, 1))
                let h2 = try network.addHost("h2", ip: IPv4Address(10, 0, 0, 2))
                let names = ["h1", "s1", "s2", "s3", "s4", "h2"]
                for i in 0..<5 {
                    try network.addLink(
                        names[i], names[i + 1],
                        options: .init(latency: .microseconds(10), bandwidth: 10e9, queueLength: 1000))
                }
                let controller = network.addController()
                let sink = try ProbeSink(host: h2, port: 9000, flow: 1)
                let count = UInt64(rate * seconds)
                let generator = try TrafficGenerator(
                    host: h1,
                    configuration: .init(
                        destination: h2.interface.ip, destinationPort: 9000, flow: 1, rate: rate, datagramSize: size,
                        count: count))
                let forward = (1...4).map { PathHop(datapathID: UInt64($0), inPort: 1, outPort: 2) }
                let reverse = (1...4).reversed().map { PathHop(datapathID: UInt64($0), inPort: 2, outPort: 1) }
                controller.install(
                    PathInstaller.flowMods(match: [], path: forward) + PathInstaller.flowMods(match: [], path: reverse)
                ) {
                    h1.ping(h2.interface.ip) { _ in }
                }
                let start = clock.now + .milliseconds(200)
                generator.onFinish = {
                    let scheduled = start + .nanoseconds(Int64(Double(count - 1) * 1e9 / rate))
                    let lag = Double((clock.now - scheduled).nanoseconds) / 1e6
                    clock.schedule(after: .milliseconds(200)) {
                        let report = sink.report(sent: generator.sent)
                        promise.succeed(
                            Trial(
                                rate: rate, sent: report.sent, received: report.received, lost: report.lost,
                                senderLagMilliseconds: lag, latencyP99Milliseconds: report.latencyP99Milliseconds,
                                ok: report.lost == 0 && lag < 10))
                    }
                }
                generator.start(at: start)
            } catch {
                promise.fail(error)
            }
            return promise.futureResult
        }.get()
    }
}
