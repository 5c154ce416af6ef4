import NIOCore
import Substrate
import Testing

/// A node that records what arrives.
final class RecordingNode: EmbeddedNode {
    let name: String
    var arrivals: [(time: NIODeadline, bytes: Int)] = []
    var linkEvents: [Bool] = []
    var attached: (EmbeddedLink, EmbeddedLink.Side)?
    let clock: any SubstrateClock

    init(_ name: String, clock: any SubstrateClock) {
        self.name = name
        self.clock = clock
    }

    func receive(frame: ByteBuffer, port: UInt32) { arrivals.append((clock.now, frame.readableBytes)) }
    func attach(_ link: EmbeddedLink, side: EmbeddedLink.Side, port: UInt32) { attached = (link, side) }
    func linkStateChanged(port: UInt32, isUp: Bool) { linkEvents.append(isUp) }
}

@Suite struct EmbeddedLinkTests {
    func frame(_ bytes: Int) -> ByteBuffer { ByteBuffer(repeating: 0xAB, count: bytes) }

    @Test func latencyPlusSerialisationBackToBack() {
        let simulator = EventSimulator()
        let x = RecordingNode("x", clock: simulator), y = RecordingNode("y", clock: simulator)
        // 1 Mb/s: a 125-byte frame takes 1 ms to serialise.
        let link = EmbeddedLink(
            name: "x-y", a: (x, 0), b: (y, 0),
            options: .init(latency: .milliseconds(10), bandwidth: 1_000_000, queueLength: 10), clock: simulator)
        for _ in 0..<3 { link.transmit(frame(125), from: .a) }
        simulator.runUntilIdle()
        #expect(y.arrivals.map(\.time) == [11, 12, 13].map { NIODeadline.uptimeNanoseconds($0 * 1_000_000) })
        #expect(x.arrivals.isEmpty)
        #expect(link.counters(from: .a).delivered == 3)
        #expect(link.counters(from: .a).deliveredBytes == 375)
        #expect(link.counters(from: .b) == EmbeddedLink.Counters())
    }

    @Test func tailDropWhenTheQueueIsFull() {
        let simulator = EventSimulator()
        let x = RecordingNode("x", clock: simulator), y = RecordingNode("y", clock: simulator)
        let link = EmbeddedLink(
            name: "x-y", a: (x, 0), b: (y, 0), options: .init(bandwidth: 1_000_000, queueLength: 2), clock: simulator)
        for _ in 0..<5 { link.transmit(frame(125), from: .a) }
        // After the first frame is out, one slot is free again.
        simulator.run(for: .milliseconds(1))
        link.transmit(frame(125), from: .a)
        simulator.runUntilIdle()
        #expect(link.counters(from: .a).queueDrops == 3)
        #expect(link.counters(from: .a).delivered == 3)
        #expect(y.arrivals.count == 3)
    }

    @Test func seededLossIsRepeatableAndNearItsProbability() {
        func run(seed: UInt64) -> [NIODeadline] {
            let simulator = EventSimulator(seed: seed)
            let x = RecordingNode("x", clock: simulator), y = RecordingNode("y", clock: simulator)
            let link = EmbeddedLink(
                name: "x-y", a: (x, 0), b: (y, 0), options: .init(latency: .microseconds(1), loss: 0.1), clock: simulator)
            for i in 0..<2000 { simulator.schedule(after: .microseconds(Int64(i))) { link.transmit(self.frame(64), from: .a) } }
            simulator.runUntilIdle()
            #expect(link.counters(from: .a).lossDrops + link.counters(from: .a).delivered == 2000)
            return y.arrivals.map(\.time)
        }
        let first = run(seed: 1)
        #expect(first == run(seed: 1))
        #expect(first != run(seed: 2))
        #expect((1700...1900).contains(first.count))
    }

    @Test func downDropsNewAndInFlightFramesAndTellsBothEnds() {
        let simulator = EventSimulator()
        let x = RecordingNode("x", clock: simulator), y = RecordingNode("y", clock: simulator)
        let link = EmbeddedLink(
            name: "x-y", a: (x, 0), b: (y, 0), options: .init(latency: .milliseconds(5)), clock: simulator)
        link.transmit(frame(64), from: .b)
        simulator.run(for: .milliseconds(1))
        link.setUp(false)
        link.transmit(frame(64), from: .b)
        simulator.runUntilIdle()
        #expect(x.arrivals.isEmpty)
        #expect(link.counters(from: .b).downDrops == 2)
        #expect(x.linkEvents == [false] && y.linkEvents == [false])
        link.setUp(true)
        link.transmit(frame(64), from: .b)
        simulator.runUntilIdle()
        #expect(x.arrivals.count == 1)
    }
}
