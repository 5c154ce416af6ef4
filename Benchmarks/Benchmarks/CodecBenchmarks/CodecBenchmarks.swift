import Benchmark
import NIOCore
import OpenFlow

/// The codec's goals (issue #2): at least 5 million messages/s each way on one core, and at
/// most one allocation per decoded message. One scaled iteration handles one message; the
/// scaling factor (.kilo) makes the reported counts per 1,000 messages.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal, .instructions],
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 100_000
    )

    for (name, message) in [("FlowMod", OpenFlowExamples.flowMod), ("PacketIn", OpenFlowExamples.packetIn)] {
        let encoded = message.encoded
        Benchmark("OF13 \(name) encode") { benchmark in
            var buffer = ByteBufferAllocator().buffer(capacity: encoded.readableBytes)
            for _ in benchmark.scaledIterations {
                buffer.clear()
                blackHole(buffer.writeOpenFlowMessage(message))
            }
        }

        Benchmark("OF13 \(name) decode") { benchmark in
            for _ in benchmark.scaledIterations {
                var buffer = encoded
                blackHole(try buffer.readOpenFlowMessage())
            }
        }
    }
}
