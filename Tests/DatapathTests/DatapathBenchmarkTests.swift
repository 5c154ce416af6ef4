import Testing

@testable import Datapath

/// Not a timing test: the benchmark's pipeline is built and forwards every frame.
@Suite struct DatapathBenchmarkTests {
    @Test func benchmarkPipelineForwardsEveryFrame() {
        let result = DatapathBenchmark.run(seconds: 0.001, exactMatchCache: false)
        #expect(result.flows == 10_001)
        #expect(result.packets >= 8000)
        #expect(result.packetsPerSecond > 0)
    }
}
