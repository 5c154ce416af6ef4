import Testing

@testable import Scenario

@Suite struct UnitTextTests {
    @Test(
        arguments: [
            ("2ms", 2_000_000), ("500us", 500_000), ("500µs", 500_000), ("1.5s", 1_500_000_000), ("250ns", 250),
            ("0", 0), ("0s", 0), ("2m", 120_000_000_000), ("1h", 3_600_000_000_000), ("0.1s", 100_000_000),
            ("10s", 10_000_000_000),
        ] as [(String, Int64)])
    func durationsParse(text: String, nanoseconds: Int64) {
        #expect(Scenario.TimeSpan(parsing: text)?.nanoseconds == nanoseconds)
    }

    @Test(arguments: ["2 ms", "2", "ms", "-1s", "1.5ns", "1.s", "2ms ", "1e3ms", "2MS", "1..5s", "99999999999h"])
    func badDurationsAreRejected(text: String) {
        #expect(Scenario.TimeSpan(parsing: text) == nil)
    }

    @Test(
        arguments: [
            (1_500_000_000, "1500ms"), (2_000_000_000, "2s"), (0, "0s"), (250, "250ns"), (100_000, "100us"),
        ] as [(Int64, String)])
    func durationsPrintCanonically(nanoseconds: Int64, text: String) {
        #expect(Scenario.TimeSpan(nanoseconds: nanoseconds).description == text)
        #expect(Scenario.TimeSpan(parsing: text)?.nanoseconds == nanoseconds)
    }

    @Test(
        arguments: [
            ("1Gbps", 1_000_000_000), ("100Mbps", 100_000_000), ("64kbps", 64_000), ("9600bps", 9600),
            ("2.5Gbps", 2_500_000_000), ("10Gbps", 10_000_000_000),
        ] as [(String, Int64)])
    func bandwidthsParse(text: String, bits: Int64) {
        let rate = Scenario.BitRate(parsing: text)
        #expect(rate?.bitsPerSecond == bits)
        #expect(rate.flatMap { Scenario.BitRate(parsing: $0.description) } == rate)
    }

    @Test(arguments: ["1 Gbps", "1GB", "1000", "Gbps", "1gbps", "1.5bps"])
    func badBandwidthsAreRejected(text: String) {
        #expect(Scenario.BitRate(parsing: text) == nil)
    }

    @Test func transmissionTimeOfAFullFrameAtOneGigabit() {
        #expect(Scenario.BitRate.gigabits(1).transmissionTime(bytes: 1500) == Scenario.TimeSpan(nanoseconds: 12_000))
    }

    @Test(
        arguments: [
            ("1500B", 1500), ("64", 64), ("128MiB", 134_217_728), ("4KiB", 4096), ("1GB", 1_000_000_000), ("2kB", 2000),
        ] as [(String, Int64)])
    func sizesParse(text: String, bytes: Int64) {
        let size = Scenario.ByteCount(parsing: text)
        #expect(size?.bytes == bytes)
        #expect(size.flatMap { Scenario.ByteCount(parsing: $0.description) } == size)
    }

    @Test(arguments: ["1500 B", "-1", "B", "1.5B", "12XB"])
    func badSizesAreRejected(text: String) {
        #expect(Scenario.ByteCount(parsing: text) == nil)
    }

    @Test(
        arguments: [
            ("10kpps", 10_000_000), ("1000pps", 1_000_000), ("2.5pps", 2500), ("100", 100_000),
            ("1Mpps", 1_000_000_000),
            ("50/s", 50_000),
        ] as [(String, Int64)])
    func packetRatesParse(text: String, millipackets: Int64) {
        let rate = Scenario.PacketRate(parsing: text)
        #expect(rate?.millipacketsPerSecond == millipackets)
        #expect(rate.flatMap { Scenario.PacketRate(parsing: $0.description) } == rate)
    }

    @Test(arguments: ["10 kpps", "fast", "kpps", "1.0001pps", "10Kpps"])
    func badPacketRatesAreRejected(text: String) {
        #expect(Scenario.PacketRate(parsing: text) == nil)
    }

    @Test func packetIntervalAtTenThousandPerSecond() {
        #expect(Scenario.PacketRate(packetsPerSecond: 10_000).interval == .microseconds(100))
        #expect(Scenario.PacketRate(packetsPerSecond: 0).interval == nil)
    }

    @Test func prefixesParseContainAndOverlap() throws {
        let host = try #require(Scenario.Prefix(parsing: "10.0.1.10/24"))
        #expect(host.hasHostBits)
        #expect(host.network.description == "10.0.1.0/24")
        #expect(host.contains(.init(10, 0, 1, 200)))
        #expect(!host.contains(.init(10, 0, 2, 1)))
        let wide = try #require(Scenario.Prefix(parsing: "10.0.0.0/16"))
        #expect(wide.overlaps(host) && host.overlaps(wide))
        #expect(!(Scenario.Prefix(parsing: "10.1.0.0/16")!.overlaps(host)))
        for bad in ["10.0.0.0", "10.0.0.0/33", "10.0.0/8", "10.0.0.0/-1", "10.0.0.0/+8", "x/8"] {
            #expect(Scenario.Prefix(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func suggestionsFindLikelyTypos() {
        #expect(Suggestion.closest(to: "latencey", among: ["latency", "loss"]) == "latency")
        #expect(Suggestion.closest(to: "bandwith", among: ["bandwidth", "queue"]) == "bandwidth")
        #expect(Suggestion.closest(to: "zzz", among: ["latency", "loss"]) == nil)
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
    }
}
