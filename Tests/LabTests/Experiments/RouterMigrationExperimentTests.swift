import Migration
import NIOCore
import Testing

@testable import Lab

/// The router-migration experiment on the virtual clock, with a small VM so that it runs fast
/// in debug builds.
@Suite struct RouterMigrationExperimentTests {
    static func configuration(
        _ scheme: RouterMigrationScheme, rate: Double = 2000, seed: UInt64 = 3, channelBreaksAfter: TimeAmount? = nil
    ) -> RouterMigrationExperiment.Configuration {
        RouterMigrationExperiment.Configuration(
            scheme: scheme, rate: rate, datagramSize: 64, repetitions: 1, seed: seed, duration: .seconds(1),
            triggerAfter: .milliseconds(300), memoryPages: 1024, dirtyRate: 200, channelBreaksAfter: channelBreaksAfter)
    }

    @Test func planeSeparatedLosesNothingAndKeepsTheAdjacencies() throws {
        // node-a's data plane lingers over a hello interval, so that r1's neighbours send it
        // control packets while node-a still tunnels them to node-b.
        var configuration = Self.configuration(.planeSeparated)
        configuration.oldDataPlaneLinger = .milliseconds(1100)
        let result = try RouterMigrationExperiment.run(configuration)
        let run = try #require(result.runs.first)
        #expect(run.outcome == "completed")
        #expect(run.probe.sent == 2000)
        #expect(run.probe.lost == 0, "lost \(run.probe.lost)")
        #expect(run.controlSent >= 2)
        #expect(run.controlLost == 0)
        #expect(run.adjacencyDrops == 0)
        let downtime = try #require(run.downtimeMilliseconds)
        #expect(downtime > 0 && downtime < 10, "downtime \(downtime) ms")
        let total = try #require(run.totalMigrationMilliseconds)
        #expect(total > downtime && total < 1000, "total \(total) ms")
        #expect(run.precopyRounds >= 1)
        #expect(run.migratedBytes >= 1024 * 4096)
    }

    @Test func standardLosesAboutDowntimeTimesRate() throws {
        let rate = 5000.0
        let result = try RouterMigrationExperiment.run(Self.configuration(.standard, rate: rate))
        let run = try #require(result.runs.first)
        #expect(run.outcome == "completed")
        let downtime = try #require(run.downtimeMilliseconds)
        #expect(run.probe.lost > 0)
        let expected = downtime / 1000 * rate
        // Besides the paused interval, the packets already on their way to node-a when the
        // gratuitous ARP moved the link (about one link latency's worth).
        #expect(abs(Double(run.probe.lost) - expected) <= 3 + 0.1 * expected, "lost \(run.probe.lost), downtime × rate \(expected)")
        #expect(run.adjacencyDrops == 0)
    }

    @Test func standardLosesMoreAtAHigherRate() throws {
        let low = try RouterMigrationExperiment.run(Self.configuration(.standard, rate: 1000)).runs[0]
        let high = try RouterMigrationExperiment.run(Self.configuration(.standard, rate: 10000)).runs[0]
        #expect(high.probe.lost > low.probe.lost, "lost \(low.probe.lost) at 1k pps, \(high.probe.lost) at 10k pps")
    }

    @Test func theSameSeedGivesTheSameResult() throws {
        let first = try RouterMigrationExperiment.run(Self.configuration(.planeSeparated, seed: 9)).runs
        let second = try RouterMigrationExperiment.run(Self.configuration(.planeSeparated, seed: 9)).runs
        #expect(first == second)
    }

    @Test func aBrokenChannelRollsBackAndTheTrafficKeepsFlowing() throws {
        for scheme in RouterMigrationScheme.allCases {
            let result = try RouterMigrationExperiment.run(
                Self.configuration(scheme, channelBreaksAfter: .milliseconds(5)))
            let run = try #require(result.runs.first)
            #expect(run.outcome == "rolled-back (channel-broken)", "\(scheme)")
            #expect(run.probe.lost == 0, "\(scheme): lost \(run.probe.lost)")
            #expect(run.downtimeMilliseconds == nil)
            #expect(run.totalMigrationMilliseconds == nil)
            #expect(run.controlLost == 0 && run.adjacencyDrops == 0)
        }
    }

    /// A slow migration link and a busy guest: the VM stays paused for seconds, so r1's
    /// neighbours send it hellos while it is paused.
    static func longPause(_ scheme: RouterMigrationScheme) -> RouterMigrationExperiment.Configuration {
        RouterMigrationExperiment.Configuration(
            scheme: scheme, rate: 1000, datagramSize: 64, seed: 5, duration: .seconds(1), triggerAfter: .milliseconds(300),
            memoryPages: 1024, dirtyRate: 20000, workingSetPages: 512, migrationBandwidth: 8e6, deadInterval: 6)
    }

    @Test func planeSeparatedDeliversTheControlPacketsOfALongPauseLate() throws {
        let run = try RouterMigrationExperiment.run(Self.longPause(.planeSeparated)).runs[0]
        let downtime = try #require(run.downtimeMilliseconds)
        #expect(downtime > 1000, "downtime \(downtime) ms")
        #expect(run.controlDuringPause >= 2, "\(run.controlDuringPause) control packets during the pause")
        #expect(run.controlLost == 0)
        let delay = try #require(run.controlMaxDelayMilliseconds)
        #expect(delay > 500 && delay <= downtime + 1, "max extra delay \(delay) ms, downtime \(downtime) ms")
        #expect(run.adjacencyDrops == 0)
    }

    @Test func standardLosesTheControlPacketsOfALongPause() throws {
        let run = try RouterMigrationExperiment.run(Self.longPause(.standard)).runs[0]
        #expect(run.controlDuringPause >= 2, "\(run.controlDuringPause) control packets during the pause")
        #expect(run.controlLost >= run.controlDuringPause, "lost \(run.controlLost)")
        #expect(run.adjacencyDrops == 0)
    }

    @Test func badConfigurationsAreRefusedByName() {
        var configuration = Self.configuration(.standard)
        configuration.rate = 0
        #expect(throws: RouterMigrationExperimentError.self) { try configuration.validate() }
        configuration = Self.configuration(.standard)
        configuration.triggerAfter = .seconds(5)
        #expect(throws: RouterMigrationExperimentError.self) { try configuration.validate() }
    }
}
