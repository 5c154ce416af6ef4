import NIOCore
import NIOPosix
import Substrate
import Testing

@Suite struct RealClockTests {
    @Test func pingAcrossThePathOnTheRealClock() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let result = try await loop.flatSubmit { () -> EventLoopFuture<[EmbeddedHost.PingResult]> in
            let promise = loop.makePromise(of: [EmbeddedHost.PingResult].self)
            do {
                let clock = RealClock(eventLoop: loop)
                let fixture = try PathFixture(clock: clock, link: .init(latency: .milliseconds(2)))
                var results: [EmbeddedHost.PingResult] = []
                fixture.installPath {
                    fixture.h1.ping(PathFixture.h2Address, timeout: .seconds(5)) { first in
                        results.append(first)
                        fixture.h1.ping(PathFixture.h2Address, timeout: .seconds(5)) { second in
                            results.append(second)
                            promise.succeed(results)
                        }
                    }
                }
            } catch {
                promise.fail(error)
            }
            return promise.futureResult
        }.get()
        try await group.shutdownGracefully()
        #expect(result.count == 2)
        // 5 links of 2 ms each way: at least 20 ms, and a busy machine adds some.
        guard case .reply(let rtt) = result.last else {
            Issue.record("no reply: \(result)")
            return
        }
        #expect(rtt >= .milliseconds(20))
        #expect(rtt < .seconds(2))
    }

    @Test func scheduledActionsRunInDeadlineOrderAndCancel() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let order = try await loop.flatSubmit { () -> EventLoopFuture<[Int]> in
            let promise = loop.makePromise(of: [Int].self)
            let clock = RealClock(eventLoop: loop, seed: 5)
            var order: [Int] = []
            clock.schedule(after: .milliseconds(20)) { order.append(3) }
            clock.schedule(after: .milliseconds(5)) { order.append(1) }
            let cancelled = clock.schedule(after: .milliseconds(10)) { order.append(99) }
            clock.schedule(after: .milliseconds(15)) { order.append(2) }
            clock.cancel(cancelled)
            clock.schedule(after: .milliseconds(30)) { promise.succeed(order) }
            return promise.futureResult
        }.get()
        try await group.shutdownGracefully()
        #expect(order == [1, 2, 3])
    }
}
