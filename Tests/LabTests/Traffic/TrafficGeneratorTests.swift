import Lab
import NIOCore
import NIOPosix
import Substrate
import Testing

@Suite struct TrafficGeneratorTests {
    static let link = EmbeddedLink.Options(latency: .milliseconds(1), bandwidth: 100_000_000)

    @Test(arguments: [64, 1500])
    func noLossOnTheInstalledPathAndLatencyIsLinksPlusSerialisation(size: Int) throws {
        let simulator = EventSimulator(seed: 1)
        let run = try EmbeddedPathRun(clock: simulator, links: Array(repeating: Self.link, count: 5))
        var finished = false
        try run.start(rate: 1000, size: size, count: 2000) { finished = true }
        simulator.run(for: .seconds(3))
        #expect(finished)
        let report = run.report
        #expect(report.sent == 2000)
        #expect(report.received == 2000)
        #expect(report.lost == 0)
        #expect(report.duplicates == 0)
        #expect(report.reordered == 0)
        #expect(report.foreign == 0)
        // Frame = IP datagram + 14-byte Ethernet header; 5 links of 1 ms + bits / 100 Mb/s.
        let frameBits = Double((size + 14) * 8)
        let expected = 5 * (1.0 + frameBits / 100_000_000 * 1000)
        #expect(abs((report.latencyP50Milliseconds ?? 0) - expected) < 1e-6)
        #expect(abs((report.latencyP99Milliseconds ?? 0) - expected) < 1e-6)
        #expect(abs(report.longestGapMilliseconds - 1.0) < 1e-6)
        // Progress every 500 ms while sending, and once at the end.
        #expect(run.progress.count == 4)
        #expect(run.progress.last?.sent == 2000)
    }

    @Test func lossyLinkLosesPackets() throws {
        let simulator = EventSimulator(seed: 1)
        let run = try EmbeddedPathRun(clock: simulator, links: Array(repeating: Self.link, count: 5))
        try run.start(rate: 1000, size: 64, count: 2000)
        // Path and ARP are set up by now; the flow starts at 500 ms.
        simulator.run(for: .milliseconds(400))
        try #require(run.network.links["s2-s3"]).options.loss = 0.05
        simulator.run(for: .seconds(3))
        let report = run.report
        let dropped = try #require(run.network.links["s2-s3"]).counters(from: .a).lossDrops
        #expect(report.lost == dropped)
        #expect((40...160).contains(report.lost))
        #expect(report.received + report.lost == 2000)
    }

    @Test func tinyQueueOnASlowLinkTailDrops() throws {
        let simulator = EventSimulator(seed: 1)
        var links = Array(repeating: Self.link, count: 5)
        // 10 Mb/s carries about 825 1514-byte frames per second; 2000/s are offered.
        links[3] = .init(latency: .milliseconds(1), bandwidth: 10_000_000, queueLength: 2)
        let run = try EmbeddedPathRun(clock: simulator, links: links)
        try run.start(rate: 2000, size: 1500, count: 2000)
        simulator.run(for: .seconds(3))
        let report = run.report
        let drops = try #require(run.network.links["s3-s4"]).counters(from: .a).queueDrops
        #expect(drops > 1000)
        #expect(report.lost == drops)
        #expect(report.received > 800)
    }

    /// The same scenario with the same seed: equal reports and equal traces. Another seed
    /// (with loss) gives another run.
    @Test func sameSeedSameRunOtherSeedOtherRun() throws {
        func scenario(seed: UInt64) throws -> (ProbeReport, [EventTrace.Entry]) {
            let simulator = EventSimulator(seed: seed)
            var links = Array(repeating: Self.link, count: 5)
            links[1].loss = 0.02
            links[3] = .init(latency: .microseconds(300), bandwidth: 20_000_000, queueLength: 4, loss: 0.01)
            let run = try EmbeddedPathRun(clock: simulator, links: links, tracing: true)
            try run.start(rate: 3000, size: 1500, count: 3000)
            simulator.run(for: .seconds(3))
            return (run.report, try #require(run.network.trace).entries)
        }
        let (report, trace) = try scenario(seed: 11)
        let (again, againTrace) = try scenario(seed: 11)
        #expect(report == again)
        #expect(trace.count > 10_000)
        #expect(trace == againTrace)
        let (other, otherTrace) = try scenario(seed: 12)
        #expect(report.lost > 0 && other.lost > 0)
        #expect(report != other)
        #expect(trace != otherTrace)
    }

    @Test func rejectsSizesThatCannotCarryAProbe() throws {
        let network = EmbeddedNetwork(clock: EventSimulator())
        let host = try network.addHost("h", ip: .any)
        #expect(throws: TrafficGenerator.SetupError.probe(.datagramTooSmall(40, minimum: 52))) {
            try TrafficGenerator(host: host, configuration: .init(destination: .any, rate: 10, datagramSize: 40))
        }
        #expect(throws: TrafficGenerator.SetupError.probe(.rateNotPositive(0))) {
            try TrafficGenerator(host: host, configuration: .init(destination: .any, rate: 0))
        }
        _ = try ProbeSink(host: host, port: 9000)
        #expect(throws: TrafficGenerator.SetupError.portInUse(host: "h", port: 9000)) {
            try ProbeSink(host: host, port: 9000)
        }
    }

    @Test func shortStreamOnTheRealClock() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let report = try await loop.flatSubmit { () -> EventLoopFuture<ProbeReport> in
            let promise = loop.makePromise(of: ProbeReport.self)
            do {
                let clock = RealClock(eventLoop: loop)
                let run = try EmbeddedPathRun(
                    clock: clock, links: Array(repeating: .init(latency: .microseconds(200)), count: 5))
                try run.start(rate: 1000, size: 64, count: 300) {
                    // Everything in flight arrives within a few ms; leave a margin for a busy machine.
                    clock.schedule(after: .milliseconds(300)) { promise.succeed(run.report) }
                }
            } catch {
                promise.fail(error)
            }
            return promise.futureResult
        }.get()
        try await group.shutdownGracefully()
        #expect(report.sent == 300)
        #expect(report.received == 300)
        #expect(report.lost == 0)
        #expect((report.latencyP50Milliseconds ?? 0) >= 1.0)
    }
}
